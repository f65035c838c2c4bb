/**
 * Mailbox passwords: a real Secret Service keychain (gnome-keyring under its own D-Bus session, as
 * on a Linux desktop) and the encrypted file that stands in where there is none.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../main/secrets/file-store.ts';
import { openSecretStore } from '../../main/secrets/open-store.ts';
import { tempDir } from '../support/archive.ts';

const keyringAvailable =
  existsSync('/usr/bin/gnome-keyring-daemon') && existsSync('/usr/bin/dbus-run-session');
if (!keyringAvailable)
  console.warn('[pecdesk tests] gnome-keyring or dbus missing: the OS keychain test does not run');

describe('secret stores', () => {
  it('the encrypted file keeps passwords readable only with its key, never in clear', async () => {
    const dir = tempDir();
    const file = join(dir, 'secrets.enc.json');
    const store = new FileSecretStore(file, { kind: 'passphrase', passphrase: 'chiave segreta' });
    await store.set('imap:a@pec.alfa.test', 'Password-123!');
    await store.set('imap:b@pec.alfa.test', 'altra');
    await store.delete('imap:b@pec.alfa.test');
    expect(await store.get('imap:a@pec.alfa.test')).toBe('Password-123!');
    expect(await store.get('imap:b@pec.alfa.test')).toBeNull();
    expect(readFileSync(file, 'utf8')).not.toContain('Password-123!');
    expect(statSync(file).mode & 0o077).toBe(0);
    const wrong = new FileSecretStore(file, { kind: 'passphrase', passphrase: 'sbagliata' });
    await expect(wrong.get('imap:a@pec.alfa.test')).rejects.toThrow(/cannot decrypt/);
  });

  it('without a keychain: a key file in the config folder, readable by the owner only, and a one-line warning', async () => {
    const home = tempDir();
    const dir = join(home, 'archive');
    const warnings: string[] = [];
    const store = await openSecretStore(dir, {
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', HOME: home },
      warn: (l) => warnings.push(l),
    });
    expect(store.kind).toBe('file');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no OS keychain/);
    await store.set('imap:x@pec.alfa.test', 'segreto');
    // Not beside the archive: a copy of the archive must not carry its key.
    expect(existsSync(join(dir, 'secrets.key'))).toBe(false);
    const keyFile = join(home, '.config', 'PecDesk', 'secrets.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, '.config', 'PecDesk')).mode & 0o777).toBe(0o700);
    const again = await openSecretStore(dir, {
      env: { PECDESK_SECRETS: 'file', HOME: home },
      warn: () => {},
    });
    expect(await again.get('imap:x@pec.alfa.test')).toBe('segreto');
    writeFileSync(keyFile, readFileSync(keyFile), { mode: 0o644 });
    execFileSync('chmod', ['644', keyFile]);
    await expect(again.get('imap:x@pec.alfa.test')).rejects.toThrow(/readable by other users/);
  });

  it.runIf(keyringAvailable)('the OS keychain (gnome-keyring over D-Bus) stores, reads and deletes', () => {
    const home = tempDir();
    const script = `
      import { openSecretStore } from '${new URL('../../main/secrets/open-store.ts', import.meta.url).pathname}';
      const store = await openSecretStore('${home}/archive', { warn: (l) => console.log('WARN ' + l) });
      await store.set('imap:k@pec.alfa.test', 'dal-portachiavi');
      const back = await store.get('imap:k@pec.alfa.test');
      await store.delete('imap:k@pec.alfa.test');
      console.log(JSON.stringify({ kind: store.kind, back, after: await store.get('imap:k@pec.alfa.test') }));
    `;
    writeFileSync(join(home, 'probe.mts'), script);
    const run = spawnSync(
      'dbus-run-session',
      [
        '--',
        'bash',
        '-c',
        `echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; node --import tsx ${join(home, 'probe.mts')}`,
      ],
      {
        env: { ...process.env, HOME: home, XDG_RUNTIME_DIR: home, PECDESK_KEYCHAIN_SERVICE: 'PecDesk-test' },
        cwd: new URL('../..', import.meta.url).pathname,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const last = run.stdout.trim().split('\n').at(-1) ?? '';
    expect(run.stdout, run.stderr).not.toContain('WARN');
    expect(JSON.parse(last)).toEqual({ kind: 'keychain', back: 'dal-portachiavi', after: null });
    expect(existsSync(join(home, 'archive', 'secrets.enc.json'))).toBe(false);
  });
});
