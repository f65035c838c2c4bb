/**
 * Order and ranges of results on an archive of 5,001 list rows: newest first by the documents'
 * date keys, date filters as key ranges, relevance ranked over the newest RELEVANCE_WINDOW
 * matches only (and said so); the search statistics through the API.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { RELEVANCE_WINDOW, rebuildDocs } from '../../../db/search.ts';
import { createHandlers } from '../../../main/api/handlers.ts';
import { createRegistry } from '../../../main/api/registry.ts';
import type { Archive } from '../../../main/archive/archive.ts';
import { runSearch } from '../../../main/search/search.ts';
import { testArchive } from '../../support/archive.ts';

const N = RELEVANCE_WINDOW + 1;

describe('search order, date ranges, relevance window', () => {
  let archive: Archive;
  beforeAll(() => {
    archive = testArchive();
    const c = archive.db.$client;
    // One message an hour from 1 January 2020 (UTC); all say "distinti saluti", the oldest
    // says "distinti" in its subject three times: the most relevant by far.
    c.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO messages (object_hash, size, kind, basis, signature_verdict, archived_at, sort_date, seq, search_version, subject, original_subject)
       SELECT printf('%064d', i), 1, 'ordinary', 'headers', 'unsigned', '2026-01-01T00:00:00.000Z',
              strftime('%Y-%m-%dT%H:%M:%fZ', '2020-01-01', '+' || (i - 1) || ' hours'), i, 2, 'Avviso ' || i, 'Avviso ' || i FROM n`,
    ).run(N);
    c.exec(`INSERT INTO message_text (message_id, subject, sender, recipients, body, attachments)
            SELECT id, subject, '', '', 'distinti saluti', '' FROM messages`);
    c.exec(`UPDATE message_text SET subject = 'distinti distinti distinti' WHERE message_id = 1`);
    c.transaction(() =>
      rebuildDocs(archive.db, c.prepare('SELECT id FROM messages').pluck().all() as number[]),
    )();
  });

  const search = (text: string, sort: 'date' | 'relevance' = 'date', limit = 50) =>
    runSearch(archive.db, { text, sort, offset: 0, limit });

  it('newest first, exact totals, date filters as ranges', () => {
    const all = search('distinti');
    expect(all.total).toBe(N);
    expect(all.rankedNewest).toBeNull();
    expect(all.hits.map((h) => h.id)).toEqual(Array.from({ length: 50 }, (_, i) => N - i));
    const expected = (sql: string, ...p: string[]) =>
      archive.db.$client
        .prepare(`SELECT count(*) FROM messages WHERE ${sql}`)
        .pluck()
        .get(...p) as number;
    // after:31/03/2020 = from 1 April, Rome time; before:01/02/2020 = up to 31 January.
    expect(search('distinti after:31/03/2020').total).toBe(
      expected('sort_date >= ?', '2020-03-31T22:00:00.000Z'),
    );
    expect(search('distinti before:01/02/2020').total).toBe(
      expected('sort_date < ?', '2020-01-31T23:00:00.000Z'),
    );
    expect(search('after:31/03/2020 before:02/04/2020').total).toBe(24);
  });

  it('relevance ranks the newest matches only when too many match, and says so', () => {
    const ranked = search('distinti', 'relevance', RELEVANCE_WINDOW);
    expect(ranked.total).toBe(N);
    expect(ranked.rankedNewest).toBe(RELEVANCE_WINDOW);
    expect(ranked.hits).toHaveLength(RELEVANCE_WINDOW);
    expect(ranked.hits.map((h) => h.id)).not.toContain(1);
    // With fewer matches, the most relevant comes first whatever its age.
    const few = search('distinti before:02/01/2020', 'relevance');
    expect(few.rankedNewest).toBeNull();
    expect(few.hits[0]!.id).toBe(1);
  });

  it('the API reports the suggestion layer and what the back-fill still has to do', async () => {
    const registry = createRegistry(
      createHandlers({ version: '1', archiveDir: archive.dir, anchors: undefined, archive }),
    );
    const stats = await registry.call('search.stats', {}, { transport: 'cli' });
    expect(stats).toMatchObject({
      ok: true,
      value: { pendingBackfill: 0, instant: { subjects: N, lastMessageId: N } },
    });
  });
});
