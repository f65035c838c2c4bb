/**
 * Proof bundles (issue 15) of real provider receipts (../shared/fixtures/pec, never copied): the
 * ZIP holds the archived originals byte for byte, the manifest's hashes are theirs, and the PDF's
 * text, read back with the PDF reader search uses (unpdf), says the identificativo, the times to
 * the second in Italian time, the provider and the signature check in Italian, accents intact.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMessage } from '../../../db/messages.ts';
import { Archive } from '../../../main/archive/archive.ts';
import { buildProofBundle, type ProofManifest } from '../../../main/proof/bundle.ts';
import { pdfText } from '../../../main/search/extract/pdf.ts';
import { buildOriginal, pecOf, scenario } from '../../factory/pec-factory.ts';
import { tempDir, testArchive } from '../../support/archive.ts';
import { readRealFixture, realFixturesPresent } from '../../support/fixtures.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.runIf(realFixturesPresent)('proof bundle of a real Aruba receipt pair', () => {
  let archive: Archive;
  let ids: number[];
  beforeAll(async () => {
    // The real PEC trust list, as a person's own archive has it.
    archive = Archive.open(tempDir('pecdesk-proof-'));
    const outcomes = await archive.ingest([
      { raw: readRealFixture('aruba-accettazione.eml') },
      { raw: readRealFixture('aruba-avvenuta-consegna-completa.eml') },
    ]);
    ids = outcomes.map((o) => o.messageId);
    expect(outcomes[0]!.threadId).toBe(outcomes[1]!.threadId);
  });
  afterAll(() => archive?.close());

  it('holds both originals byte for byte, the PDF and a manifest of their hashes', async () => {
    const bundle = await buildProofBundle(archive.db, archive.objects, ids[1]!, {
      scope: 'all',
      version: 'test',
      madeBy: 'Giulia Bianchi',
      now: new Date('2026-11-25T13:45:07Z'),
    });
    expect(bundle.filename).toMatch(/^fascicolo-PEC .*IT03339130126_00009\.xml\.zip$/);
    const files = unzipSync(bundle.zip);
    const names = Object.keys(files).sort();
    expect(names).toEqual([
      'fascicolo.pdf',
      'manifest.json',
      'originali/01-ricevuta-accettazione.eml',
      'originali/02-ricevuta-avvenuta-consegna-l.battistini@pec.it.eml',
    ]);
    const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8')) as ProofManifest;
    for (const [i, name] of ['aruba-accettazione.eml', 'aruba-avvenuta-consegna-completa.eml'].entries()) {
      const original = readRealFixture(name);
      const archived = await archive.objects.get(getMessage(archive.db, ids[i]!)!.objectHash);
      const inZip = files[names[2 + i]!]!;
      expect(Buffer.from(inZip).equals(original)).toBe(true);
      expect(sha(inZip)).toBe(sha(archived));
      expect(manifest.files[i]).toMatchObject({
        path: names[2 + i],
        sha256: sha(original),
        size: original.length,
      });
      expect(manifest.files[i]!.signature?.verdict).toBe('valid');
    }
    expect(manifest.files[2]).toEqual({
      path: 'fascicolo.pdf',
      sha256: sha(files['fascicolo.pdf']!),
      size: files['fascicolo.pdf']!.length,
    });
    expect(manifest.pec.identificativo).toBe('opec288.20181113163926.01838.310.1.63@pec.aruba.it');

    const text = await pdfText(files['fascicolo.pdf']!, 200_000);
    const flat = text.replace(/\s+/g, ' ');
    for (const words of [
      'Fascicolo di prova della PEC',
      'opec288.20181113163926.01838.310.1.63@pec.aruba.it',
      '13/11/2018 16:39:26',
      '13/11/2018 16:39:27',
      'Ricevuta di accettazione',
      'Ricevuta di avvenuta consegna',
      'Firma valida',
      'ARUBA PEC S.p.A.',
      'l.battistini@pec.it',
      'IT03339130126_00009.xml',
      'Questo documento è una rappresentazione leggibile',
      sha(readRealFixture('aruba-accettazione.eml')),
    ])
      expect(flat, words).toContain(words);
    // PDF/A: the fonts are embedded (and subset), so the accents show in any viewer.
    const pdf = Buffer.from(files['fascicolo.pdf']!).toString('latin1');
    expect(pdf).toContain('pdfaid:part>2<');
    expect(pdf).toContain('/FontFile2');
    expect(pdf).not.toMatch(/\/BaseFont \/Helvetica/);
    if (spawnSync('pdffonts', ['-v']).status === 0) {
      const file = join(tempDir('pecdesk-pdf-'), 'f.pdf');
      writeFileSync(file, files['fascicolo.pdf']!);
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
        .split('\n')
        .slice(2)
        .filter(Boolean);
      expect(fonts.length).toBeGreaterThan(0);
      for (const line of fonts) expect(line, line).toMatch(/ yes +yes +yes /);
    }
  });
});

describe('proof bundle of one’s own PEC', () => {
  it('the sent copy, its acceptance and deliveries; the message rendered with its attachment', async () => {
    const archive = testArchive();
    const s = scenario({ date: new Date('2026-11-20T16:40:00Z'), subject: 'Diffida – perché è urgente' });
    const out = await archive.ingest([
      {
        raw: buildOriginal({
          from: s.sender,
          to: s.recipients.map((r) => r.address),
          subject: s.subject,
          text: 'Egregio avvocato, la presente è una diffida.',
          messageId: s.msgid,
          date: s.date,
          attachments: [
            {
              filename: 'diffida-firmata.pdf',
              contentType: 'application/pdf',
              content: Buffer.from('%PDF-1.4\n%fake\n'),
            },
          ],
        }),
      },
      { raw: pecOf(s, 'accettazione') },
      { raw: pecOf(s, 'avvenuta-consegna', { deliveryAddress: s.recipients[0]!.address }) },
      { raw: pecOf(s, 'errore-consegna', { deliveryAddress: s.recipients[1]!.address }) },
    ]);
    const bundle = await buildProofBundle(archive.db, archive.objects, out[2]!.messageId, {
      scope: 'all',
      version: 'test',
      madeBy: 'cli:giulia',
    });
    const files = unzipSync(bundle.zip);
    expect(Object.keys(files).filter((f) => f.startsWith('originali/'))).toEqual([
      'originali/01-messaggio-inviato.eml',
      'originali/02-ricevuta-accettazione.eml',
      `originali/03-ricevuta-avvenuta-consegna-${s.recipients[0]!.address}.eml`,
      `originali/04-ricevuta-errore-consegna-${s.recipients[1]!.address}.eml`,
    ]);
    const text = (await pdfText(files['fascicolo.pdf']!, 200_000)).replace(/\s+/g, ' ');
    for (const words of [
      'Diffida – perché è urgente',
      'la presente è una diffida',
      'diffida-firmata.pdf',
      'PEC inviata',
      'Avviso di mancata consegna',
      'Consegnata 1 di 2 · 1 mancata',
      s.identificativo,
    ])
      expect(text, words).toContain(words);
    // Another person's scope: only what they may read goes in (here nothing of this mailbox).
    await expect(
      buildProofBundle(archive.db, archive.objects, 999_999, { scope: 'all', version: 'test', madeBy: 'x' }),
    ).rejects.toThrow(/no message/);
    archive.close();
  });
});
