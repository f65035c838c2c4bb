/**
 * Migration 0010: the search index gets a prefix index for four letters. An archive made before
 * it has its index made anew at the next start, and the back-fill builds every document again;
 * search finds by four-letter prefixes as before, and the documents are marked current.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getMeta } from '../../../db/meta.ts';
import { rebuildDocs } from '../../../db/search.ts';
import { runSearch } from '../../../main/search/search.ts';
import { buildOrdinary } from '../../factory/pec-factory.ts';
import { tempDir, testArchive } from '../../support/archive.ts';

const journal = JSON.parse(
  readFileSync(new URL('../../../db/migrations/meta/_journal.json', import.meta.url), 'utf8'),
) as { entries: { tag: string; when: number }[] };
const migrationTime = (tag: string) => journal.entries.find((e) => e.tag === tag)!.when;

const ftsSql = (archive: ReturnType<typeof testArchive>) =>
  archive.db.$client
    .prepare("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
    .pluck()
    .get() as string;

describe('prefix index of four letters', () => {
  it('a new archive has it; an older one is re-indexed in the background', async () => {
    const dir = tempDir('pecdesk-prefix-');
    let archive = testArchive(dir);
    expect(ftsSql(archive)).toMatch(/prefix = '2 3 4'/);
    await archive.ingest(
      ['Fatturazione di ottobre', 'Fatture scadute', 'Convocazione assemblea'].map((subject) => ({
        raw: buildOrdinary({ subject, text: 'Distinti saluti' }),
      })),
    );
    const find = (text: string) =>
      runSearch(archive.db, { text, sort: 'date', offset: 0, limit: 10, exactCount: true }).total;
    expect(find('fatt*')).toBe(2);

    // As an archive indexed before 0010: the old index, documents of an older version, and
    // neither 0010 nor what came after it applied (drizzle runs what is newer than its last row;
    // 0011 only made an index, dropped here so it is made again).
    const c = archive.db.$client;
    c.exec(`DROP TABLE search_fts;
      CREATE VIRTUAL TABLE search_fts USING fts5(subject, sender, recipients, body, attachments, facets,
        content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
      DELETE FROM search_docs;
      UPDATE meta SET value = '1' WHERE key = 'docs_version';
      INSERT INTO meta (key, value) VALUES ('docs_progress', '1');
      DROP INDEX outbox_archived_message;
      DELETE FROM __drizzle_migrations WHERE created_at >= ${migrationTime('0010_search_prefix_4')};`);
    c.transaction(() =>
      rebuildDocs(archive.db, c.prepare('SELECT id FROM messages').pluck().all() as number[]),
    )();
    expect(find('fatt*')).toBe(2);
    archive.close();

    archive = testArchive(dir);
    expect(ftsSql(archive)).toMatch(/prefix = '2 3 4'/);
    // Until the back-fill has run, the documents are missing (search.stats says so).
    expect(find('fatt*')).toBe(0);
    expect(await archive.backfillSearchIndex()).toBe(3);
    expect(find('fatt*')).toBe(2);
    expect(find('fatture')).toBe(1);
    expect(getMeta(archive.db, 'docs_version')).toBe('2');
    expect(getMeta(archive.db, 'docs_progress')).toBeUndefined();
    expect(await archive.refreshSearchDocs()).toBe(0);
    archive.close();
  });
});
