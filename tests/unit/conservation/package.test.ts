/**
 * Conservation packages (issue 15): built from an archive of PEC with their receipts, the index
 * validated against ../shared/conservation/PIndex.xsd with xmllint, signed with an owner's .p12 and
 * timestamped by a local `openssl ts` TSA on 127.0.0.1; verified offline (also by OpenSSL itself),
 * and one byte flipped in any file is named by the verification.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Archive } from '../../../main/archive/archive.ts';
import { readP12, verifyDetached } from '../../../main/conservation/cades.ts';
import { buildPackage, type PackageOptions } from '../../../main/conservation/package.ts';
import { period } from '../../../main/conservation/period.ts';
import { verifyPackage } from '../../../main/conservation/verify.ts';
import { buildOriginal, pecOf, scenario } from '../../factory/pec-factory.ts';
import { tempDir, testArchive } from '../../support/archive.ts';
import { type LocalTsa, makeTestPki, startTsa, type TestPki } from '../../support/tsa.ts';

const XSD = fileURLToPath(new URL('../../../../shared/conservation/PIndex.xsd', import.meta.url));
const xmllint = spawnSync('xmllint', ['--version']).status === 0;

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

async function fill(archive: Archive): Promise<void> {
  // Two sent PEC in November 2026, one in December (outside the period), each with its receipts.
  for (const [i, date] of [
    '2026-11-03T09:15:00Z',
    '2026-11-20T16:40:00Z',
    '2026-12-02T08:00:00Z',
  ].entries()) {
    const s = scenario({ date: new Date(date), subject: `Diffida n. ${i + 1}/2026 – perché è urgente` });
    await archive.ingest([
      {
        raw: buildOriginal({
          from: s.sender,
          to: s.recipients.map((r) => r.address),
          subject: s.subject,
          text: 'Testo della diffida',
          messageId: s.msgid,
          date: s.date,
        }),
      },
      { raw: pecOf(s, 'accettazione') },
      { raw: pecOf(s, 'avvenuta-consegna', { deliveryAddress: s.recipients[0]!.address }) },
      { raw: pecOf(s, 'avvenuta-consegna', { deliveryAddress: s.recipients[1]!.address }) },
    ]);
  }
}

async function build(archive: Archive, out: string, extra: Partial<PackageOptions> = {}) {
  mkdirSync(out, { recursive: true });
  return buildPackage(
    archive.db,
    archive.objects,
    {
      ...period('01/11/2026', '30/11/2026'),
      label: { from: '01/11/2026', to: '30/11/2026' },
      accountId: null,
      mailbox: null,
      scope: 'all',
      version: 'test',
      now: new Date('2026-12-01T10:00:00Z'),
      ...extra,
    },
    async (path, bytes) => {
      const target = join(out, ...path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, bytes);
    },
  );
}

describe('conservation package', () => {
  let archive: Archive;
  let pki: TestPki;
  let tsa: LocalTsa;
  let signed: string;

  beforeAll(async () => {
    archive = testArchive();
    await fill(archive);
    pki = makeTestPki();
    tsa = await startTsa(pki);
    signed = join(tempDir('pecdesk-package-'), 'pacchetto');
    const summary = await build(archive, signed, {
      owner: await readP12(pki.p12, pki.p12Password),
      tsaUrl: tsa.url,
    });
    expect(summary).toMatchObject({ messages: 2, signed: true, timestamped: true });
  });

  afterAll(async () => {
    await tsa?.close();
    archive?.close();
  });

  it('holds every PEC of the period with all its receipts, metadata, the index and its signature', () => {
    const all = files(signed);
    expect(all).toContain('PIndex.xml');
    expect(all).toContain('PIndex.xml.p7s');
    const msg1 = all.filter((f) => f.startsWith('files/msg-0001/'));
    expect(msg1).toEqual([
      'files/msg-0001/01-messaggio-inviato.eml',
      expect.stringMatching(/^files\/msg-0001\/02-ricevuta-accettazione/),
      expect.stringMatching(/^files\/msg-0001\/03-ricevuta-avvenuta-consegna-/),
      expect.stringMatching(/^files\/msg-0001\/04-ricevuta-avvenuta-consegna-/),
      'files/msg-0001/metadati.xml',
    ]);
    expect(all.some((f) => f.startsWith('files/msg-0003'))).toBe(false);
    const meta = readFileSync(join(signed, 'files/msg-0001/metadati.xml'), 'utf8');
    for (const word of [
      '<TipologiaDiFlusso>U</TipologiaDiFlusso>',
      '<Algoritmo>SHA-256</Algoritmo>',
      '<StatoConsegna>delivered</StatoConsegna>',
      'Ricevuta di accettazione',
      'perché è urgente',
    ])
      expect(meta).toContain(word);
    expect(tsa.requests).toBe(1);
  });

  it.runIf(xmllint)('the index validates against the SInCRO 2.0 PIndex schema', () => {
    const r = spawnSync('xmllint', ['--noout', '--schema', XSD, join(signed, 'PIndex.xml')], {
      encoding: 'utf8',
    });
    expect(r.stderr).toContain('validates');
    expect(r.status).toBe(0);
  });

  it('verifies offline: every file, the signature and its timestamp', async () => {
    const v = await verifyPackage(signed);
    expect(v).toMatchObject({ ok: true, files: 10, warnings: [] });
    if (!v.ok) return;
    expect(v.signer).toContain('Giulia Bianchi');
    expect(v.timestamp?.tsa).toContain('Test TSA');
  });

  it('OpenSSL verifies the same signature and its timestamp token', () => {
    const index = join(signed, 'PIndex.xml');
    execFileSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        `${index}.p7s`,
        '-content',
        index,
        '-CAfile',
        pki.caCert,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { stdio: 'pipe' },
    );
  });

  it('one byte changed in any file: verification names that file', async () => {
    const all = files(signed);
    expect(all.length).toBe(12);
    for (const file of all) {
      const copy = join(tempDir('pecdesk-flip-'), 'p');
      cpSync(signed, copy, { recursive: true });
      const path = join(copy, ...file.split('/'));
      const bytes = readFileSync(path);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      writeFileSync(path, bytes);
      const v = await verifyPackage(copy);
      expect(v, file).toMatchObject({ ok: false, file });
    }
  });

  it('every third byte of the signature file, changed, is caught and the .p7s named', async () => {
    const index = readFileSync(join(signed, 'PIndex.xml'));
    const p7s = readFileSync(join(signed, 'PIndex.xml.p7s'));
    const missed: number[] = [];
    for (let at = 0; at < p7s.length; at += 3) {
      const copy = Buffer.from(p7s);
      copy[at] = copy[at]! ^ 0x01;
      const v = verifyDetached(copy, index);
      if (v.ok && v.timestamp) missed.push(at);
      else if (!v.ok) expect(v.failed, `byte ${at}`).toBe('signature');
      else {
        // The timestamp's attribute no longer recognisable: the index says there is one.
        const dir = join(tempDir('pecdesk-p7s-'), 'p');
        cpSync(signed, dir, { recursive: true });
        writeFileSync(join(dir, 'PIndex.xml.p7s'), copy);
        expect(await verifyPackage(dir), `byte ${at}`).toMatchObject({ ok: false, file: 'PIndex.xml.p7s' });
      }
    }
    expect(missed).toEqual([]);
  });

  it('a file added, removed, or named outside the package is named too', async () => {
    const copy = join(tempDir('pecdesk-extra-'), 'p');
    cpSync(signed, copy, { recursive: true });
    writeFileSync(join(copy, 'files/msg-0001/aggiunto.eml'), 'x');
    expect(await verifyPackage(copy)).toMatchObject({ ok: false, file: 'files/msg-0001/aggiunto.eml' });
    const gone = join(tempDir('pecdesk-gone-'), 'p');
    cpSync(signed, gone, { recursive: true });
    const victim = files(gone).find((f) => f.endsWith('metadati.xml'))!;
    execFileSync('rm', [join(gone, victim)]);
    expect(await verifyPackage(gone)).toMatchObject({ ok: false, file: victim });
  });

  it('a package only timestamped (no .p12): PIndex.xml.tsr, which openssl ts verifies too', async () => {
    const out = join(tempDir('pecdesk-tsr-'), 'p');
    await build(archive, out, { tsaUrl: tsa.url });
    expect(existsSync(join(out, 'PIndex.xml.tsr'))).toBe(true);
    expect(await verifyPackage(out)).toMatchObject({ ok: true, signer: null });
    execFileSync(
      'openssl',
      [
        'ts',
        '-verify',
        '-data',
        join(out, 'PIndex.xml'),
        '-in',
        join(out, 'PIndex.xml.tsr'),
        '-CAfile',
        pki.caCert,
      ],
      { stdio: 'pipe' },
    );
    for (const file of ['PIndex.xml', 'PIndex.xml.tsr']) {
      const copy = join(tempDir('pecdesk-tsrflip-'), 'p');
      cpSync(out, copy, { recursive: true });
      const path = join(copy, file);
      const bytes = readFileSync(path);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      writeFileSync(path, bytes);
      expect(await verifyPackage(copy), file).toMatchObject({ ok: false, file });
    }
  });

  it('a legacy .p12 (3DES, as many Italian CAs issue them) signs as well', async () => {
    const legacy = makeTestPki({ legacyP12: true });
    const owner = await readP12(legacy.p12, legacy.p12Password);
    expect(owner.commonName).toBe('Giulia Bianchi');
    await expect(readP12(legacy.p12, 'sbagliata')).rejects.toThrow(/cannot be opened/);
  });

  it('a period without PEC is refused', async () => {
    await expect(
      build(archive, join(tempDir('pecdesk-empty-'), 'p'), period('01/01/2020', '31/01/2020')),
    ).rejects.toThrow(/no PEC/);
    expect(statSync(signed).isDirectory()).toBe(true);
  });
});
