import { describe, expect, it } from 'vitest';
import { parseItalianDate, parseQuery, toFtsMatch } from '../../../main/search/query.ts';

describe('search query language', () => {
  it('words, phrases, prefixes and field operators', () => {
    const q = parseQuery(
      'contratto "avvenuta consegna" fatt* from:rossi@pec.it subject:diffida to:"ufficio legale"',
    );
    expect(q.terms).toEqual([
      { text: 'contratto', kind: 'word', field: null },
      { text: 'avvenuta consegna', kind: 'phrase', field: null },
      { text: 'fatt', kind: 'prefix', field: null },
      { text: 'rossi@pec.it', kind: 'word', field: 'sender' },
      { text: 'diffida', kind: 'word', field: 'subject' },
      { text: 'ufficio legale', kind: 'phrase', field: 'recipients' },
    ]);
    expect(toFtsMatch(q)).toBe(
      '"contratto" AND "avvenuta consegna" AND {subject sender recipients body attachments} : "fatt"* AND sender : "rossi@pec.it" AND subject : "diffida" AND recipients : "ufficio legale"',
    );
    // Facet tokens all begin with "f" (db/search.ts): only a term each of whose tokens could be
    // one names the text columns; a phrase with one token that cannot be one needs not.
    expect(toFtsMatch(parseQuery('fall "fa1 fkpec" Ḟall "fattura 118" éfall 2024'))).toBe(
      '{subject sender recipients body attachments} : "fall" AND {subject sender recipients body attachments} : "fa1 fkpec" AND {subject sender recipients body attachments} : "Ḟall" AND "fattura 118" AND {subject sender recipients body attachments} : "éfall" AND "2024"',
    );
  });

  it('filters: mailbox, Italian dates, attachments, delivery state', () => {
    const q = parseQuery('mailbox:INBOX after:01/12/2025 before:31/12/2025 has:allegato is:failed');
    expect(q.terms).toEqual([]);
    expect(q.filters).toEqual({
      mailbox: 'INBOX',
      after: '2025-12-01T23:00:00.000Z',
      before: '2025-12-30T23:00:00.000Z',
      hasAttachment: true,
      state: 'failed',
    });
    expect(toFtsMatch(q)).toBeNull();
    expect(parseQuery('has:attachment is:delivered').filters).toEqual({
      hasAttachment: true,
      state: 'delivered',
    });
  });

  it('the Italian names of the operators mean the same as the English ones', () => {
    const it = parseQuery(
      'da:rossi a:ufficio oggetto:diffida casella:studio cartella:INBOX dopo:01/12/2025 prima:31/12/2025 con:allegato stato:consegnata tipo:ricevuta dominio:legalmail.it',
    );
    const en = parseQuery(
      'from:rossi to:ufficio subject:diffida mailbox:studio folder:INBOX after:01/12/2025 before:31/12/2025 has:allegato is:delivered kind:receipt domain:legalmail.it',
    );
    expect(it.terms).toEqual(en.terms);
    expect(it.filters).toEqual(en.filters);
    expect(it.filters).toEqual({
      mailbox: 'studio',
      folder: 'INBOX',
      after: '2025-12-01T23:00:00.000Z',
      before: '2025-12-30T23:00:00.000Z',
      hasAttachment: true,
      state: 'delivered',
      kind: 'ricevuta',
      domain: 'legalmail.it',
    });
    expect(parseQuery('da:@studio.it').filters).toEqual({ domain: 'studio.it' });
  });

  it('Italian dates in Europe/Rome, summer and winter; impossible dates refused', () => {
    expect(parseItalianDate('31/12/2025')).toBe('2025-12-30T23:00:00.000Z');
    expect(parseItalianDate('1/7/26')).toBe('2026-06-30T22:00:00.000Z');
    expect(parseItalianDate('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
    expect(parseItalianDate('31/02/2026')).toBeNull();
    expect(parseItalianDate('ieri')).toBeNull();
  });

  it('unknown operators and bad values are searched as words, never an error', () => {
    expect(parseQuery('ore:10 before:domani is:boh').terms.map((t) => t.text)).toEqual([
      'ore',
      '10',
      'before',
      'domani',
      'is',
      'boh',
    ]);
  });

  it('hostile input never becomes FTS5 syntax', () => {
    const hostile = [
      '"unbalanced phrase',
      'NEAR(a b) OR c NOT d',
      '^x* "a"" b',
      "'); DROP TABLE messages; --",
      'col:val {a b}',
      '***',
      '"',
      '',
    ];
    for (const input of hostile) {
      const match = toFtsMatch(parseQuery(input));
      if (match === null) continue;
      // Every term is a quoted string (internal quotes doubled), joined by AND, optionally prefixed
      // by its columns.
      expect(match).toMatch(
        /^((subject|sender|recipients|\{subject sender recipients body attachments\}) : )?"([^"]|"")+"\*?( AND ((subject|sender|recipients|\{subject sender recipients body attachments\}) : )?"([^"]|"")+"\*?)*$/,
      );
    }
    expect(parseQuery('"unbalanced phrase').terms).toEqual([
      { text: 'unbalanced phrase', kind: 'phrase', field: null },
    ]);
  });

  it('10 KB of input is cut, with a bounded number of terms', () => {
    const q = parseQuery('parola '.repeat(1500));
    expect(q.terms.length).toBeLessThanOrEqual(32);
  });
});
