import { describe, expect, it } from 'vitest';
import { insertMessage } from '../../../db/messages.ts';
import { saveSearch } from '../../../db/saved-searches.ts';
import { InstantIndex, lastToken } from '../../../main/search/instant.ts';
import { buildOrdinary, pecOf, scenario } from '../../factory/pec-factory.ts';
import { testArchive } from '../../support/archive.ts';

describe('instant layer (FlexSearch)', () => {
  it('suggests correspondents, subjects and saved searches as one types, and stays current on ingest', async () => {
    const archive = testArchive();
    const inbound = scenario({
      subject: 'Convocazione assemblea straordinaria',
      sender: 'amministratore@pec.beta.test',
    });
    await archive.ingest([{ raw: pecOf(inbound, 'posta-certificata') }]);
    const index = await archive.instant();
    const who = index.suggest('ammin');
    expect(who.map((s) => [s.kind, s.text])).toContainEqual([
      'correspondent',
      'from:amministratore@pec.beta.test ',
    ]);
    expect(index.suggest('assemb').map((s) => s.text)).toContain(
      'subject:"Convocazione assemblea straordinaria" ',
    );
    // With an operator only that kind; what was typed before the last word is kept.
    expect(
      index
        .suggest('urgente to:ammin')
        .every((s) => s.kind === 'correspondent' && s.text.startsWith('urgente to:')),
    ).toBe(true);
    expect(index.suggest('a')).toEqual([]);

    // Ingest keeps it current; a saved search is suggested whole.
    await archive.ingest([
      {
        raw: buildOrdinary({
          subject: 'Verbale riunione condominiale',
          from: 'Giulia Neri <giulia.neri@example.it>',
        }),
      },
    ]);
    expect(index.suggest('neri').map((s) => s.label)).toContain('Giulia Neri');
    saveSearch(archive.db, 'Verbali', 'verbale kind:ordinaria', 'date');
    index.refresh(archive.db);
    expect(index.suggest('verbal').find((s) => s.kind === 'saved')?.text).toBe('verbale kind:ordinaria');
    expect(index.stats()).toMatchObject({ correspondents: expect.any(Number), lastMessageId: 2 });
    archive.close();
  });

  it('its memory is bounded by entry caps', async () => {
    const archive = testArchive();
    await archive.ingest(
      Array.from({ length: 30 }, (_, i) => ({
        raw: buildOrdinary({ subject: `Circolare ${i}`, from: `ufficio${i}@example.it` }),
      })),
    );
    const small = new InstantIndex({ correspondents: 10, subjects: 5 });
    await small.build(archive.db);
    expect(small.stats()).toMatchObject({ correspondents: 10, subjects: 5 });
    archive.close();
  });

  it('builds in chunks, giving the event loop back; what arrives meanwhile is added after', async () => {
    const archive = testArchive();
    await archive.ingest(
      Array.from({ length: 20 }, (_, i) => ({
        raw: buildOrdinary({ subject: `Avviso ${i}`, from: `sede${i}@example.it` }),
      })),
    );
    const index = new InstantIndex(undefined, 5);
    const built = index.build(archive.db);
    // Paused after the first chunk: a message arrives and the archive asks for a refresh.
    expect(index.stats().correspondents).toBe(5);
    const id = insertMessage(
      archive.db,
      {
        objectHash: 'f'.repeat(64),
        size: 1,
        kind: 'ordinary',
        basis: 'headers',
        signatureVerdict: 'unsigned',
        archivedAt: new Date().toISOString(),
        fromAddress: 'ritardatario@example.it',
        sortDate: new Date().toISOString(),
      },
      [],
    );
    index.refresh(archive.db);
    await built;
    expect(index.stats()).toMatchObject({ correspondents: 21, lastMessageId: id });
    expect(index.suggest('ritardat').map((s) => s.text)).toEqual(['from:ritardatario@example.it ']);
    archive.close();
  });

  it('reads the token being typed', () => {
    expect(lastToken('contratto da:ros')).toEqual({ op: 'da', partial: 'ros', start: 10 });
    expect(lastToken('"avvenuta cons')).toEqual({ op: null, partial: 'avvenuta cons', start: 0 });
    expect(lastToken('ore:10')).toEqual({ op: null, partial: 'ore:10', start: 0 });
  });
});
