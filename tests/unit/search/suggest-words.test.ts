import { describe, expect, it } from 'vitest';
import { InstantIndex } from '../../../main/search/instant.ts';
import { runSearch } from '../../../main/search/search.ts';
import { buildOrdinary, pecOf, scenario } from '../../factory/pec-factory.ts';
import { testArchive } from '../../support/archive.ts';

/** Search as people type (issue: "fattu" lists the fattura messages, "agenzia" finds agenziaentrate.it). */
describe('search as people type', () => {
  async function archive() {
    const a = testArchive();
    await a.ingest([
      {
        raw: pecOf(
          scenario({ sender: 'dp.milano@pce.agenziaentrate.it', subject: 'Comunicazione di irregolarità' }),
          'posta-certificata',
        ),
      },
      {
        raw: buildOrdinary({
          subject: 'Fattura di novembre',
          from: 'Studio Verdi <amministrazione@verdi.it>',
        }),
      },
      { raw: buildOrdinary({ subject: 'Perché non pagare', from: 'info@example.it' }) },
    ]);
    const index = new InstantIndex();
    await index.build(a.db);
    return { a, index };
  }

  it('suggests correspondents by a word at the start of their domain, and by one inside it', async () => {
    const { a, index } = await archive();
    const correspondents = (text: string) =>
      index.suggest(text, 8, ['correspondent']).map((s) => s.text.trim());
    expect(correspondents('agenzia')).toEqual(['from:dp.milano@pce.agenziaentrate.it']);
    expect(correspondents('entrate')).toEqual(['from:dp.milano@pce.agenziaentrate.it']);
    expect(correspondents('verdi')).toEqual(['from:amministrazione@verdi.it']);
    // dominio: completes with the domain.
    expect(index.suggest('dominio:agenz').map((s) => [s.label, s.text])).toEqual([
      ['pce.agenziaentrate.it', 'dominio:pce.agenziaentrate.it '],
    ]);
    a.close();
  });

  it('folds accents: "perche" suggests "Perché…"', async () => {
    const { a, index } = await archive();
    expect(index.suggest('perche').map((s) => s.label)).toContain('Perché non pagare');
    expect(index.suggest('pagar').map((s) => s.label)).toContain('Perché non pagare');
    a.close();
  });

  it('the last word being typed is a prefix: "fattu" finds the fattura message; the CLI stays exact', async () => {
    const { a } = await archive();
    const search = (text: string, prefixLast: boolean) =>
      runSearch(a.db, { text, sort: 'date', offset: 0, limit: 10, prefixLast }).total;
    expect(search('fattu', true)).toBe(1);
    expect(search('fattu', false)).toBe(0);
    // Followed by a space the word is complete; one letter is not a prefix yet.
    expect(search('fattu ', true)).toBe(0);
    expect(search('f', true)).toBe(0);
    expect(search('novembre fattu', true)).toBe(1);
    a.close();
  });
});
