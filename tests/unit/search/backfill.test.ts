import { describe, expect, it } from 'vitest';
import { searchMessages, staleInIndex } from '../../../db/search.ts';
import { parseQuery, toFtsMatch } from '../../../main/search/query.ts';
import { buildOrdinary, pecOf, scenario } from '../../factory/pec-factory.ts';
import { testArchive } from '../../support/archive.ts';

describe('search index back-fill', () => {
  it('indexes what an older archive lacks, in resumable batches, with progress', async () => {
    const archive = testArchive();
    const messages = [pecOf(scenario({ subject: 'Diffida condominiale' }), 'posta-certificata')];
    for (let i = 0; i < 7; i++) messages.push(buildOrdinary({ subject: `Circolare numero ${i}` }));
    await archive.ingest(messages.map((raw) => ({ raw })));
    // As an archive made before migration 0002: no full-text rows.
    archive.db.$client.prepare('DELETE FROM message_fts').run();
    archive.db.$client.prepare('UPDATE messages SET search_version = 0').run();
    const find = (q: string) =>
      searchMessages(archive.db, {
        match: toFtsMatch(parseQuery(q)),
        filters: {},
        sort: 'date',
        offset: 0,
        limit: 50,
      }).total;
    expect(find('diffida')).toBe(0);
    expect(staleInIndex(archive.db, 100)).toHaveLength(8);

    const progress: [number, number][] = [];
    expect(await archive.backfillSearchIndex((d, t) => progress.push([d, t]), 3)).toBe(8);
    expect(progress).toEqual([
      [0, 8],
      [3, 8],
      [6, 8],
      [8, 8],
    ]);
    expect(find('diffida')).toBe(1);
    expect(find('circolare')).toBe(7);
    expect(await archive.backfillSearchIndex()).toBe(0);
    archive.close();
  });
});
