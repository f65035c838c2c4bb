import { describe, expect, it } from 'vitest';
import { staleText } from '../../../db/search.ts';
import { runSearch } from '../../../main/search/search.ts';
import { buildOrdinary, pecOf, scenario } from '../../factory/pec-factory.ts';
import { testArchive } from '../../support/archive.ts';

describe('search index back-fill', () => {
  it('indexes what an older archive lacks, in resumable batches, with progress', async () => {
    const archive = testArchive();
    const messages = [pecOf(scenario({ subject: 'Diffida condominiale' }), 'posta-certificata')];
    for (let i = 0; i < 7; i++) messages.push(buildOrdinary({ subject: `Circolare numero ${i}` }));
    await archive.ingest(messages.map((raw) => ({ raw })));
    // As an archive made before migration 0002: no text, no search documents.
    const c = archive.db.$client;
    c.prepare('DELETE FROM search_fts').run();
    c.prepare('DELETE FROM search_docs').run();
    c.prepare('DELETE FROM message_text').run();
    c.prepare('UPDATE messages SET search_version = 0').run();
    const find = (q: string) => runSearch(archive.db, { text: q, sort: 'date', offset: 0, limit: 50 }).total;
    expect(find('diffida')).toBe(0);
    expect(staleText(archive.db, 100)).toHaveLength(8);

    const progress: [number, number][] = [];
    expect(await archive.backfillSearchIndex((d, t) => progress.push([d, t]), 3)).toBe(8);
    expect(progress[0]).toEqual([0, 16]);
    expect(progress.at(-1)).toEqual([16, 16]);
    expect(progress.map(([d]) => d)).toEqual([...progress.map(([d]) => d)].sort((a, b) => a - b));
    expect(find('diffida')).toBe(1);
    expect(find('circolare')).toBe(7);
    expect(await archive.backfillSearchIndex()).toBe(0);

    // As an archive made before migration 0003: text kept, search documents to build.
    c.prepare('DELETE FROM search_fts').run();
    c.prepare('DELETE FROM search_docs').run();
    expect(find('circolare')).toBe(0);
    expect(await archive.backfillSearchIndex()).toBe(8);
    expect(find('circolare')).toBe(7);
    archive.close();
  });
});
