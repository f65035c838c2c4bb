/**
 * Order and ranges of results on an archive of 5,001 list rows: newest first by the documents'
 * date keys, date filters as key ranges, counts that stop past COUNT_LIMIT unless the exact one
 * is asked for, relevance ranked over the newest RELEVANCE_WINDOW matches only (and said so); the
 * search statistics through the API.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNT_LIMIT, dateKey, matchDocs, RELEVANCE_WINDOW, rebuildDocs } from '../../../db/search.ts';
import { registryFor } from '../../../main/api/handlers.ts';
import type { Archive } from '../../../main/archive/archive.ts';
import { parseQuery } from '../../../main/search/query.ts';
import { planSearch, runSearch } from '../../../main/search/search.ts';
import { testArchive } from '../../support/archive.ts';

const N = Math.max(RELEVANCE_WINDOW, COUNT_LIMIT) + 1;

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
    runSearch(archive.db, { text, sort, offset: 0, limit, exactCount: true });

  it('newest first, exact totals, date filters as ranges', () => {
    const all = search('distinti');
    expect(all.total).toBe(N);
    expect(all.totalApproximate).toBe(false);
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
    // Exactly the newest RELEVANCE_WINDOW, whatever their order.
    expect(ranked.hits.map((h) => h.id).sort((a, b) => b - a)).toEqual(
      Array.from({ length: RELEVANCE_WINDOW }, (_, i) => N - i),
    );
    // With a filter, the same window (found apart from the words' ranking).
    const filtered = search('distinti kind:ordinaria', 'relevance', RELEVANCE_WINDOW);
    expect(filtered.rankedNewest).toBe(RELEVANCE_WINDOW);
    expect(filtered.hits.map((h) => h.id).sort((a, b) => b - a)).toEqual(
      Array.from({ length: RELEVANCE_WINDOW }, (_, i) => N - i),
    );
    // With fewer matches, the most relevant comes first whatever its age.
    const few = search('distinti before:02/01/2020', 'relevance');
    expect(few.rankedNewest).toBeNull();
    expect(few.hits[0]!.id).toBe(1);
  });

  it('counts up to COUNT_LIMIT unless asked for the exact count or a page past it', () => {
    expect(COUNT_LIMIT).toBeLessThan(N);
    const page = (offset: number, exactCount?: boolean) =>
      runSearch(archive.db, { text: 'distinti', sort: 'date', offset, limit: 50, exactCount });
    const first = page(0);
    expect(first).toMatchObject({ total: COUNT_LIMIT, totalApproximate: true });
    expect(first.hits.map((h) => h.id)).toEqual(Array.from({ length: 50 }, (_, i) => N - i));
    expect(page(0, true)).toMatchObject({ total: N, totalApproximate: false });
    // The page past the limit: the rows are there, and so is the count they belong to.
    const last = page(COUNT_LIMIT - 10);
    expect(last).toMatchObject({ total: N, totalApproximate: false });
    expect(last.hits.map((h) => h.id)).toEqual(
      Array.from({ length: 11 }, (_, i) => N - COUNT_LIMIT + 10 - i),
    );
    // A prefix longer than the index keeps is counted and paged in one pass: the same pages.
    for (const offset of [0, COUNT_LIMIT - 10]) {
      const prefixed = runSearch(archive.db, { text: 'distint*', sort: 'date', offset, limit: 50 });
      const word = page(offset);
      expect(prefixed.hits.map((h) => h.id)).toEqual(word.hits.map((h) => h.id));
      expect([prefixed.total, prefixed.totalApproximate]).toEqual([word.total, word.totalApproximate]);
    }
    // Fewer matches than the limit: counted exactly, as before.
    expect(
      runSearch(archive.db, { text: 'distinti before:02/01/2020', sort: 'date', offset: 0, limit: 5 }),
    ).toMatchObject({ total: 23, totalApproximate: false });
    // Relevance over the newest window, whatever the count says.
    expect(runSearch(archive.db, { text: 'distinti', sort: 'relevance', offset: 0, limit: 5 })).toMatchObject(
      { total: COUNT_LIMIT, totalApproximate: true, rankedNewest: RELEVANCE_WINDOW },
    );
  });

  it('with filters, relevance orders as bm25 of the whole query does; filters alone, newest first', () => {
    const text = 'distinti before:03/01/2020 kind:ordinaria';
    const plan = planSearch(archive.db, parseQuery(text), { sort: 'relevance', offset: 0, limit: 50 });
    expect(plan.words).not.toBe(plan.match);
    const bm25 = archive.db.$client
      .prepare(
        `SELECT d.head_id FROM search_fts f JOIN search_docs d ON d.key = f.rowid WHERE search_fts MATCH ?
           AND f.rowid < ? ORDER BY bm25(search_fts, 10.0, 5.0, 5.0, 1.0, 3.0, 0.0), f.rowid DESC`,
      )
      .pluck()
      .all(plan.match, BigInt(plan.toKey)) as number[];
    const ranked = search(text, 'relevance').hits.map((h) => h.id);
    expect(ranked[0]).toBe(1);
    expect(ranked).toHaveLength(47);
    // Same order; among equal scores (every other message), any order will do.
    expect(ranked.slice(0, 1)).toEqual(bm25.slice(0, 1));
    expect([...ranked].sort((a, b) => a - b)).toEqual([...bm25].sort((a, b) => a - b));
    // Nothing to rank by: newest first, as by date.
    expect(search('kind:ordinaria', 'relevance', 5).hits.map((h) => h.id)).toEqual([
      N,
      N - 1,
      N - 2,
      N - 3,
      N - 4,
    ]);
  });

  it('a date range is a range FTS5 reads, not a filter over every match', () => {
    // better-sqlite3 binds a JS number as a REAL, which FTS5 ignores as a rowid bound: then the
    // last day of the archive would cost what the whole archive costs.
    const lastDay = dateKey('2020-07-27T00:00:00.000Z');
    const time = (fromKey: number) => {
      const plan = {
        ...planSearch(archive.db, parseQuery('distinti'), { sort: 'date', offset: 0, limit: 50 }),
        fromKey,
        exactCount: true,
      };
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 30; i++) {
        const t0 = performance.now();
        matchDocs(archive.db, plan);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    const lastDayHits = matchDocs(archive.db, {
      ...planSearch(archive.db, parseQuery('distinti'), { sort: 'date', offset: 0, limit: 50 }),
      fromKey: lastDay,
      exactCount: true,
    });
    expect(lastDayHits.total).toBeLessThan(30);
    expect(time(lastDay) * 4).toBeLessThan(time(0));
  });

  it('the API reports the suggestion layer and what the back-fill still has to do', async () => {
    const registry = registryFor({ version: '1', archiveDir: archive.dir, anchors: undefined, archive });
    const stats = await registry.call('search.stats', {}, { transport: 'cli' });
    expect(stats).toMatchObject({
      ok: true,
      value: { pendingBackfill: 0, instant: { subjects: N, lastMessageId: N } },
    });
  });
});
