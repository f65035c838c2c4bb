import { describe, expect, it } from 'vitest';
import { runSearch } from '../../../main/search/search.ts';
import { buildOrdinary, buildOriginal, pecOf, providerRewrite, scenario } from '../../factory/pec-factory.ts';
import { testArchive } from '../../support/archive.ts';

async function archiveWithMail() {
  const archive = testArchive();
  const sent = scenario({ subject: 'Perché il contratto è scaduto' });
  const inbound = scenario({ subject: 'Fattura elettronica 118', sender: 'fornitore@pec.beta.test' });
  const original = providerRewrite(
    buildOriginal({
      from: inbound.sender,
      to: inbound.recipients.map((r) => r.address),
      subject: inbound.subject,
      text: 'Si trasmette la fattura relativa alla manutenzione straordinaria.',
      attachments: [{ filename: 'preventivo-ascensore.pdf', contentType: 'application/pdf', content: 'x' }],
      messageId: inbound.msgid,
    }),
    inbound.identificativo,
    inbound.msgid,
  );
  await archive.ingest([
    { raw: pecOf(sent, 'accettazione') },
    ...sent.recipients.map((r) => ({
      raw: pecOf(sent, 'avvenuta-consegna', { deliveryAddress: r.address }),
    })),
    { raw: pecOf({ ...inbound, original }, 'posta-certificata') },
    { raw: buildOrdinary({ subject: 'Newsletter di novembre', text: 'scadenze del mese' }) },
  ]);
  return { archive, sent, inbound };
}

function search(
  archive: Awaited<ReturnType<typeof archiveWithMail>>['archive'],
  text: string,
  sort: 'date' | 'relevance' = 'date',
) {
  return runSearch(archive.db, { text, sort, offset: 0, limit: 50 });
}

describe('full-text search (FTS5)', () => {
  it('finds by body, attachment name, subject; accents folded; a receipt hit brings its thread head once', async () => {
    const { archive } = await archiveWithMail();
    expect(search(archive, 'manutenzione').hits.map((h) => h.subject)).toEqual(['Fattura elettronica 118']);
    expect(search(archive, 'ascensore').total).toBe(1);
    expect(search(archive, 'perche scaduto').hits.map((h) => h.subject)).toEqual([
      'Perché il contratto è scaduto',
    ]);
    const thread = search(archive, 'contratto');
    expect(thread.total).toBe(1);
    expect(thread.hits[0]).toMatchObject({ threadState: 'delivered' });
    expect(thread.hits[0]!.subjectHighlight).toContain('\u0002contratto\u0003');
    archive.close();
  });

  it('sender is the certified one, not posta-certificata@; prefix and phrase; filters combine', async () => {
    const { archive, inbound } = await archiveWithMail();
    expect(search(archive, `from:${inbound.sender}`).total).toBe(1);
    expect(search(archive, 'from:posta-certificata').total).toBe(0);
    expect(search(archive, 'manut*').total).toBe(1);
    expect(search(archive, '"manutenzione straordinaria"').total).toBe(1);
    expect(search(archive, '"straordinaria manutenzione"').total).toBe(0);
    expect(search(archive, 'has:allegato').hits.map((h) => h.subject)).toContain('Fattura elettronica 118');
    expect(search(archive, 'is:delivered').hits.map((h) => h.subject)).toEqual([
      'Perché il contratto è scaduto',
    ]);
    expect(search(archive, 'fattura before:01/01/2000').total).toBe(0);
    expect(search(archive, 'scadenze', 'relevance').total).toBe(1);
    archive.close();
  });

  it('a word that is also a facet token finds only the texts that hold it', async () => {
    const { archive } = await archiveWithMail();
    // Every document carries facet tokens (fall, fkordinary, fhatt…) in a column of its own;
    // words are searched across the whole document when they cannot be one.
    const facetRows = (token: string) =>
      archive.db.$client
        .prepare('SELECT count(*) FROM search_fts WHERE search_fts MATCH ?')
        .pluck()
        .get(`facets : "${token}"`) as number;
    for (const word of ['fall', 'fkordinary', 'fhatt', 'fkpostacertificata', 'fsdelivered']) {
      expect(facetRows(word), word).toBeGreaterThan(0);
      expect(search(archive, word).total, word).toBe(0);
    }
    expect(search(archive, 'fh*').total).toBe(0);
    expect(search(archive, 'fa*').total).toBe(1);
    expect(search(archive, '"fall fkordinary"').total).toBe(0);
    expect(search(archive, 'fattura').total).toBe(1);
    expect(search(archive, '118').total).toBe(1);
    expect(search(archive, 'scadenze', 'relevance').hits.map((h) => h.subject)).toEqual([
      'Newsletter di novembre',
    ]);
    archive.close();
  });

  it('hostile queries never reach the person as an SQL error', async () => {
    const { archive } = await archiveWithMail();
    for (const q of [
      '"unbalanced',
      'NEAR(a b)',
      'a OR',
      '^',
      '***',
      "'; DROP TABLE messages; --",
      'x'.repeat(10_000),
      'col:"x" AND',
      '"" "',
    ]) {
      expect(() => search(archive, q), q).not.toThrow();
    }
    archive.close();
  });
});
