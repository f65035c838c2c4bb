/**
 * The CLI of keeping records (issue 15), as a person runs it on an archive synced from Dovecot:
 * account list --json with its quota, proof ID --out, package with a .p12 and a local TSA and
 * package verify (exit 0, then exit 1 naming a changed file), export and import, each in the log.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrdinary, buildOriginal, pecOf, scenario } from '../factory/pec-factory.ts';
import { tempDir } from '../support/archive.ts';
import { accountAddArgs, cliArchive } from '../support/cli.ts';
import { DovecotServer, dovecotAvailable } from '../support/dovecot.ts';
import { type LocalTsa, makeTestPki, startTsa, type TestPki } from '../support/tsa.ts';

describe.runIf(dovecotAvailable)('pecdesk account list, proof, package, export, import', () => {
  let server: DovecotServer;
  let pki: TestPki;
  let tsa: LocalTsa;
  let pecdesk: ReturnType<typeof cliArchive>['pecdesk'];
  const email = 'cli.conserva@pec.alfa.test';
  const work = tempDir('pecdesk-keep-cli-');

  beforeAll(async () => {
    server = await DovecotServer.start();
    const user = server.addUser(email, undefined, { quotaBytes: 5_000_000 });
    const s = scenario({ date: new Date('2026-11-10T09:00:00Z'), subject: 'Diffida ad adempiere' });
    const client: ImapFlow = await server.client(user);
    await client.mailboxCreate('Sent').catch(() => {});
    await client.append(
      'Sent',
      buildOriginal({
        from: s.sender,
        to: s.recipients.map((r) => r.address),
        subject: s.subject,
        text: 'Testo',
        messageId: s.msgid,
        date: s.date,
      }),
    );
    for (const raw of [
      pecOf(s, 'accettazione'),
      pecOf(s, 'avvenuta-consegna', { deliveryAddress: s.recipients[0]!.address }),
      buildOrdinary({ subject: 'Circolare' }),
    ])
      await client.append('INBOX', raw);
    await client.logout();
    ({ pecdesk } = cliArchive('pecdesk-keep-cli-'));
    expect((await pecdesk(accountAddArgs(server, email), { PECDESK_PASSWORD: user.password })).code).toBe(0);
    expect((await pecdesk(['sync'])).code).toBe(0);
    pki = makeTestPki();
    tsa = await startTsa(pki);
  }, 120_000);
  afterAll(async () => {
    await tsa?.close();
    await server?.destroy();
  });

  it('account list --json carries the quota', async () => {
    const r = await pecdesk(['account', 'list', '--json']);
    const [account] = JSON.parse(r.stdout) as {
      quota: { used: number; limit: number; forecastFullAt: string | null };
    }[];
    expect(account!.quota).toMatchObject({ limit: Math.ceil(5_000_000 / 1024) * 1024, forecastFullAt: null });
    expect(account!.quota.used).toBeGreaterThan(0);
    expect((await pecdesk(['account', 'list'])).stdout).toMatch(/of 4\.8 MB \(\d/);
  });

  it('proof ID --out FILE.zip, never over an existing file', async () => {
    const list = JSON.parse((await pecdesk(['messages', '--json'])).stdout) as { id: number; kind: string }[];
    const receipt = list.find((m) => m.kind === 'accettazione')!;
    const out = join(work, 'fascicolo.zip');
    const r = await pecdesk(['proof', String(receipt.id), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const names = Object.keys(unzipSync(readFileSync(out))).sort();
    expect(names).toEqual([
      'fascicolo.pdf',
      'manifest.json',
      'originali/01-messaggio-inviato.eml',
      'originali/02-ricevuta-accettazione.eml',
      expect.stringMatching(/^originali\/03-ricevuta-avvenuta-consegna-/),
    ]);
    expect((await pecdesk(['proof', String(receipt.id), '--out', out])).code).toBe(2);
    expect((await pecdesk(['audit', '--action', 'proof.export', '--json'])).stdout).toContain('proof.export');
  });

  it('package with --p12 and --tsa, verify exit 0; a changed file: exit 1 naming it', async () => {
    const p12 = join(work, 'titolare.p12');
    writeFileSync(p12, pki.p12);
    const dir = join(work, 'pacchetto');
    const r = await pecdesk(
      [
        'package',
        '--from',
        '01/11/2026',
        '--to',
        '30/11/2026',
        '--out',
        dir,
        '--p12',
        p12,
        '--tsa',
        tsa.url,
        '--json',
      ],
      {
        PECDESK_P12_PASSWORD: pki.p12Password,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ messages: 1, signed: true, timestamped: true });
    const ok = await pecdesk(['package', 'verify', dir, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, files: 4 });
    const victim = 'files/msg-0001/02-ricevuta-accettazione.eml';
    const bytes = readFileSync(join(dir, victim));
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x04;
    writeFileSync(join(dir, victim), bytes);
    const bad = await pecdesk(['package', 'verify', dir, '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, file: victim });
    // A folder that is not empty is refused.
    expect(
      (await pecdesk(['package', '--from', '01/11/2026', '--to', '30/11/2026', '--out', dir])).code,
    ).toBe(2);
  });

  it('export as mbox, then import it into an archive-only folder', async () => {
    const out = join(work, 'esportazione');
    const r = await pecdesk(['export', '--account', email, '--out', out, '--format', 'mbox', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ messages: 4 });
    expect(existsSync(join(out, 'INBOX.mbox'))).toBe(true);
    expect(readFileSync(join(out, 'indice.csv'), 'utf8')).toContain('Diffida ad adempiere');
    const folder = join(work, 'thunderbird');
    mkdirSync(folder);
    writeFileSync(join(folder, 'Archivio'), readFileSync(join(out, 'INBOX.mbox')));
    writeFileSync(join(folder, 'Archivio.msf'), 'index of Thunderbird');
    const imported = await pecdesk([
      'import',
      '--account',
      email,
      '--folder',
      'Vecchio PC',
      folder,
      '--json',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({
      folder: 'Importati/Vecchio PC',
      read: 3,
      imported: 0,
      known: 3,
      failed: 0,
    });
    const log = (await pecdesk(['audit', '--json'])).stdout;
    for (const action of ['mailbox.export', 'mailbox.import', 'package.build']) expect(log).toContain(action);
  });
});
