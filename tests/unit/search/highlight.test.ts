import { describe, expect, it } from 'vitest';
import { fold, foldSlow, highlight, snippet } from '../../../main/search/highlight.ts';
import { parseQuery } from '../../../main/search/query.ts';

const terms = (q: string) => parseQuery(q).terms;
const show = (s: string | null) => s?.replace(/\u0002/g, '[').replace(/\u0003/g, ']') ?? null;

describe('marks of matches', () => {
  it('marks words whatever their case and accents, prefixes, phrases; nothing when nothing matches', () => {
    expect(show(highlight('Perché il Contratto è scaduto', terms('perche contratto')))).toBe(
      '[Perché] il [Contratto] è scaduto',
    );
    expect(show(highlight('Fattura n. 12 e fatturazione', terms('fattur*')))).toBe(
      '[Fattura] n. 12 e [fatturazione]',
    );
    expect(show(highlight('avvenuta consegna; consegna avvenuta', terms('"avvenuta consegna"')))).toBe(
      '[avvenuta] [consegna]; consegna avvenuta',
    );
    expect(highlight('Nulla da vedere', terms('contratto'))).toBeNull();
    expect(highlight(null, terms('x'))).toBeNull();
  });

  it('a snippet is a window around the first match, from deep inside long text too', () => {
    const long = `${'parola '.repeat(5_000)}il capannone di Bergamo è pronto ${'altro '.repeat(100)}`;
    const s = show(snippet(long, terms('capannone')))!;
    expect(s).toContain('[capannone] di Bergamo');
    expect(s.startsWith('…')).toBe(true);
    expect(s.length).toBeLessThan(200);
    expect(snippet(long, terms('assente'))).toBeNull();
    // A word inside another word is not a match (FTS5 matches whole tokens).
    expect(snippet('ricapannone', terms('capannone'))).toBeNull();
  });

  it('the fast folding folds every character as the definition does (NFD, marks off, lower case)', () => {
    const differ: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      // Alone, after ASCII, followed by a combining mark, inside accented text.
      for (const s of [ch, `a${ch}`, `${ch}\u0301`, `É${ch}z`])
        if (fold(s) !== foldSlow(s)) differ.push(c.toString(16));
    }
    expect(differ).toEqual([]);
    expect(fold('Perché PIÙ Città ’24 € Œuvre İstanbul')).toBe('perche piu citta ’24 € œuvre istanbul');
  });
});
