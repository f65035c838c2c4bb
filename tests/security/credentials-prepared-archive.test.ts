/**
 * Issue 10, credentials: an archive folder prepared by someone else (the victim's address, their own
 * IMAP server) must not get the victim's password when the victim opens it (`serve --archive`, the
 * app): no login reaches their server. Each case reproduces the attack against a fake IMAP server on
 * 127.0.0.1 that records every login.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../main/core.ts';
import { FileSecretStore } from '../../main/secrets/file-store.ts';
import { tempDir } from '../support/archive.ts';
import { runPecdesk } from '../support/cli.ts';
import { FakeImapServer } from './credentials-fake-imap.ts';
import { archiveIdOf, callApi, openAndWait, personEnv, preparedArchive } from './credentials-support.ts';

const EMAIL = 'studio@pec.vittima.test';
const SECRET = 'Segreto-della-casella-1';

/** The victim adds the mailbox as the README says: `pecdesk account add … --ca FILE`. */
async function victimArchive(env: NodeJS.ProcessEnv, port: number, caPem: string): Promise<string> {
  const dir = join(tempDir('pecdesk-victim-'), 'archive');
  const ca = join(dir, '..', 'provider-ca.pem');
  writeFileSync(ca, caPem);
  const run = await runPecdesk(
    [
      '--archive',
      dir,
      'account',
      'add',
      '--email',
      EMAIL,
      '--imap-host',
      '127.0.0.1',
      '--imap-port',
      String(port),
      '--security',
      'tls',
      '--ca',
      ca,
    ],
    { ...env, PECDESK_PASSWORD: SECRET },
  );
  expect(run.code, run.stderr).toBe(0);
  return dir;
}

describe('credentials: a prepared archive never receives the password', () => {
  let provider: FakeImapServer;
  let attacker: FakeImapServer;
  beforeAll(async () => {
    provider = await FakeImapServer.start();
    attacker = await FakeImapServer.start();
  });
  afterAll(async () => {
    await provider?.close();
    await attacker?.close();
  });

  it('encrypted file: a copy of the victim passwords file and archive id, their server named: nothing is sent', async () => {
    const env = personEnv({ PECDESK_SECRET_KEY: 'la passphrase del server' });
    const [fromAttacker, fromProvider] = [attacker.logins.length, provider.logins.length];
    const own = await victimArchive(env, provider.port, provider.caPem);
    // What an older PecDesk kept in the same file: the password found by the address alone.
    await new FileSecretStore(join(own, 'secrets.enc.json'), {
      kind: 'passphrase',
      passphrase: 'la passphrase del server',
    }).set(`imap:${EMAIL}`, SECRET);
    const prepared = preparedArchive({
      email: EMAIL,
      port: attacker.port,
      caPem: attacker.caPem,
      copySecretsFrom: own,
      archiveId: archiveIdOf(own),
    });
    const outcome = await openAndWait(prepared, env, EMAIL, () => attacker.logins.length > fromAttacker);
    expect(attacker.passwordsSeen(fromAttacker)).toEqual([]);
    expect(outcome.lastErrorCode).toBe('no-password');
    expect(outcome.lastError).toMatch(/enter it again/);

    // The control: the victim's own archive still logs in to the server confirmed there.
    await openAndWait(own, env, EMAIL, () => provider.passwordsSeen(fromProvider).includes(SECRET));
    expect(provider.passwordsSeen(fromProvider)).toContain(SECRET);
  });

  it('same archive id, server and user but the attacker CA (a man in the middle): the binding refuses it', async () => {
    const env = personEnv({ PECDESK_SECRET_KEY: 'altra passphrase' });
    const fromAttacker = attacker.logins.length;
    // The victim's account names an address the attacker answers on (DNS or the network in their
    // hands), with the real provider's CA: the TLS handshake fails and nothing is sent.
    const own = await victimArchive(env, attacker.port, provider.caPem);
    const control = await openAndWait(own, env, EMAIL, () => false);
    expect(control.lastErrorCode).toBe('tls-failed');
    // The prepared copy: the same archive id, server and user, and the attacker's CA.
    const prepared = preparedArchive({
      email: EMAIL,
      port: attacker.port,
      caPem: attacker.caPem,
      copySecretsFrom: own,
      archiveId: archiveIdOf(own),
    });
    const outcome = await openAndWait(prepared, env, EMAIL, () => attacker.logins.length > fromAttacker);
    expect(attacker.passwordsSeen(fromAttacker)).toEqual([]);
    expect(outcome.lastErrorCode).toBe('no-password');
  });

  it('entering the password again in an archive is the confirmation: then that server gets it', async () => {
    const env = personEnv({ PECDESK_SECRET_KEY: 'terza passphrase' });
    const fromAttacker = attacker.logins.length;
    const prepared = preparedArchive({ email: EMAIL, port: attacker.port, caPem: attacker.caPem });
    const core = await openCore({ archiveDir: prepared, env, watch: false });
    try {
      await callApi(core, 'accounts.setPassword', { email: EMAIL, password: 'scelta-consapevole' });
      const deadline = Date.now() + 15_000;
      while (!attacker.passwordsSeen(fromAttacker).includes('scelta-consapevole') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      await core.close();
    }
    expect(attacker.passwordsSeen(fromAttacker)).toEqual(['scelta-consapevole']);
  });

  const keyringAvailable =
    existsSync('/usr/bin/gnome-keyring-daemon') && existsSync('/usr/bin/dbus-run-session');

  it.runIf(keyringAvailable)(
    'OS keychain (gnome-keyring): the password added in one archive is not sent to the server another archive names',
    async () => {
      const home = tempDir('pecdesk-keyring-');
      const [fromAttacker, fromProvider] = [attacker.logins.length, provider.logins.length];
      const env = {
        PATH: process.env.PATH,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_RUNTIME_DIR: home,
        PECDESK_KEYCHAIN_SERVICE: `PecDesk-test-${process.pid}`,
      };
      const own = join(home, 'own');
      const caFile = join(home, 'provider-ca.pem');
      writeFileSync(caFile, provider.caPem);
      const prepared = preparedArchive({ email: EMAIL, port: attacker.port, caPem: attacker.caPem });
      const root = new URL('../..', import.meta.url).pathname;
      const script = join(home, 'victim.mts');
      writeFileSync(
        script,
        `
        import { KeychainStore } from '${root}main/secrets/keychain-store.ts';
        import { openAndWait } from '${root}tests/security/credentials-support.ts';
        const env = { ...process.env };
        // What PecDesk before this change stored: the password by the address alone.
        await new KeychainStore(env.PECDESK_KEYCHAIN_SERVICE).set('imap:${EMAIL}', '${SECRET}');
        const prepared = await openAndWait('${prepared}', env, '${EMAIL}', () => false);
        const own = await openAndWait('${own}', env, '${EMAIL}', () => false);
        console.log(JSON.stringify({ prepared, own }));
      `,
      );
      const add = `node ${root}bin/pecdesk.mjs --archive ${own} account add --email ${EMAIL} --imap-host 127.0.0.1 --imap-port ${provider.port} --security tls --ca ${caFile}`;
      // Async: the fake servers answer from this process's event loop.
      const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(
          'dbus-run-session',
          [
            '--',
            'bash',
            '-c',
            `echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; PECDESK_PASSWORD='${SECRET}' ${add} && node --import tsx ${script}`,
          ],
          { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('exit', (code) => resolve({ code, out }));
      });
      expect(run.code, run.out).toBe(0);
      const last = JSON.parse(run.out.trim().split('\n').at(-1)!);
      expect(attacker.passwordsSeen(fromAttacker)).toEqual([]);
      expect(last.prepared.lastErrorCode).toBe('no-password');
      // The keychain works and the archive where the person added the mailbox still logs in.
      expect(provider.passwordsSeen(fromProvider)).toContain(SECRET);
    },
    90_000,
  );
});
