import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { guessAddressColumn, merge, unknownPlaceholders } from '../../../main/send/merge.ts';
import { ListError, parseRecipientList } from '../../../main/send/recipient-list.ts';
import { buildXlsx } from '../../factory/xlsx.ts';

describe('the recipient list of a mass sending', () => {
  it('reads a CSV as Excel saves it in Italy: semicolons, Windows-1252, a quoted line break', async () => {
    const csv = iconv.encode(
      'Ragione sociale;PEC;Città\r\n"Rossi & C. S.n.c.";rossi@pec.it;Forlì\r\n"Bianchi S.r.l.\r\n(sede legale)";BIANCHI@PEC.IT;Cesena\r\n',
      'win1252',
    );
    const list = await parseRecipientList('clienti.csv', csv);
    expect(list.columns).toEqual(['Ragione sociale', 'PEC', 'Città']);
    expect(list.rows).toEqual([
      { 'Ragione sociale': 'Rossi & C. S.n.c.', PEC: 'rossi@pec.it', Città: 'Forlì' },
      { 'Ragione sociale': 'Bianchi S.r.l.\r\n(sede legale)', PEC: 'BIANCHI@PEC.IT', Città: 'Cesena' },
    ]);
    expect(guessAddressColumn(list.columns, list.rows)).toBe('PEC');
  });

  it('reads UTF-8 with a BOM and commas; empty and repeated headers keep their values', async () => {
    const list = await parseRecipientList(
      'a.csv',
      Buffer.from('\ufeffemail,,nome,nome\na@pec.it,x,Anna,Bis\n\n', 'utf8'),
    );
    expect(list.columns).toEqual(['email', 'colonna_2', 'nome', 'nome_2']);
    expect(list.rows).toEqual([{ email: 'a@pec.it', colonna_2: 'x', nome: 'Anna', nome_2: 'Bis' }]);
  });

  it('reads the first sheet of an .xlsx workbook (numbers as text)', async () => {
    const xlsx = buildXlsx([
      ['ragione_sociale', 'indirizzo PEC', 'importo', 'allegato'],
      ['Alfa S.p.A.', 'alfa@pec.it', 1250.5, 'alfa.pdf'],
      ['Beta S.r.l.', 'beta@pec.it', 80, 'beta.pdf'],
    ]);
    const list = await parseRecipientList('destinatari.xlsx', xlsx);
    expect(list.columns).toEqual(['ragione_sociale', 'indirizzo PEC', 'importo', 'allegato']);
    expect(list.rows[0]).toEqual({
      ragione_sociale: 'Alfa S.p.A.',
      'indirizzo PEC': 'alfa@pec.it',
      importo: '1250.5',
      allegato: 'alfa.pdf',
    });
    expect(guessAddressColumn(list.columns, list.rows)).toBe('indirizzo PEC');
  });

  it('refuses what it cannot read, saying why', async () => {
    await expect(
      parseRecipientList('vecchio.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0])),
    ).rejects.toMatchObject({
      code: 'unsupported',
    });
    await expect(parseRecipientList('finto.xlsx', Buffer.from('non è un file excel'))).rejects.toBeInstanceOf(
      ListError,
    );
    await expect(parseRecipientList('rotto.xlsx', Buffer.from('PK\u0003\u0004rotto'))).rejects.toMatchObject({
      code: 'unreadable',
    });
    await expect(parseRecipientList('vuoto.csv', Buffer.from('PEC\n'))).rejects.toMatchObject({
      code: 'empty',
    });
  });
});

describe('mail merge', () => {
  const row = { 'Ragione sociale': 'Rossi & C.', PEC: 'rossi@pec.it', 'Data scadenza': '31/12/2026' };
  it('replaces {{column}} matched loosely (case, spaces, accents) and leaves unknown ones as written', () => {
    expect(merge('Spett.le {{ragione_sociale}}, scadenza {{ DATA SCADENZA }} {{sconosciuta}}', row)).toBe(
      'Spett.le Rossi & C., scadenza 31/12/2026 {{sconosciuta}}',
    );
    expect(unknownPlaceholders('{{ragione_sociale}} {{sconosciuta}} {{pec}}', Object.keys(row))).toEqual([
      'sconosciuta',
    ]);
  });
});
