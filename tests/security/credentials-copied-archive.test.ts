/**
 * Issue 10, credentials: the encrypted secrets file kept its key (secrets.key) beside it, so a copy
 * of the archive folder (a backup on the NAS) decrypted. The key now lives in the person's config
 * folder: a copy opened by someone else has no password to send and asks for it again.
 */
import { cpSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../main/secrets/file-store.ts';
import { tempDir } from '../support/archive.ts';
import { runPecdesk } from '../support/cli.ts';
import { FakeImapServer } from './credentials-fake-imap.ts';
import { openAndWait, personEnv } from './credentials-support.ts';

const EMAIL = 'ufficio@pec.studio.test';
const SECRET = 'Password-del-NAS-9';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('credentials: the key of the encrypted file is not in the archive', () => {
  let provider: FakeImapServer;
  beforeAll(async () => {
    provider = await FakeImapServer.start();
  });
  afterAll(async () => {
    await provider?.close();
  });

  async function addMailbox(env: NodeJS.ProcessEnv): Promise<string> {
    const dir = join(tempDir('pecdesk-nas-'), 'archive');
    const ca = join(dir, '..', 'ca.pem');
    writeFileSync(ca, provider.caPem);
    const run = await runPecdesk(
      [
        ...['--archive', dir, 'account', 'add', '--email', EMAIL, '--imap-host', '127.0.0.1'],
        ...['--imap-port', String(provider.port), '--security', 'tls', '--ca', ca],
      ],
      { ...env, PECDESK_PASSWORD: SECRET },
    );
    expect(run.code, run.stderr).toBe(0);
    return dir;
  }

  it('a copy of the archive opened by someone else sends nothing, and asks for the password again', async () => {
    const owner = personEnv();
    const own = await addMailbox(owner);

    // The backup on the NAS, opened by another person (their own config folder).
    const copy = join(tempDir('pecdesk-backup-'), 'archive');
    cpSync(own, copy, { recursive: true });
    const other = personEnv();
    const mark = provider.logins.length;
    const outcome = await openAndWait(copy, other, EMAIL, () => provider.logins.length > mark);
    expect(provider.passwordsSeen(mark)).toEqual([]);
    expect(outcome.lastErrorCode).toBe('no-password');
    expect(filesUnder(own).map((f) => f.slice(own.length))).not.toContain('/secrets.key');
    const key = join(owner.XDG_CONFIG_HOME!, 'PecDesk', 'secrets.key');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(statSync(join(owner.XDG_CONFIG_HOME!, 'PecDesk')).mode & 0o777).toBe(0o700);

    // They may enter the password they know (`pecdesk account password`): the copy is usable,
    // sealed with their own key, and the next opening logs in with it.
    const entered = await runPecdesk(['--archive', copy, 'account', 'password', '--email', EMAIL], {
      ...other,
      PECDESK_PASSWORD: 'quella-che-so',
    });
    expect(entered.code, entered.stderr).toBe(0);
    expect(entered.stdout + entered.stderr).not.toContain('quella-che-so');
    await openAndWait(copy, other, EMAIL, () => provider.passwordsSeen(mark).includes('quella-che-so'));
    expect(provider.passwordsSeen(mark)).toEqual(['quella-che-so']);
    // The other file is kept aside, not deleted, and never read again.
    expect(readdirSync(copy).some((n) => n.startsWith('secrets.enc.json.other-key-'))).toBe(true);

    // The owner's archive is untouched and still logs in with the owner's key.
    const before = provider.logins.length;
    await openAndWait(own, owner, EMAIL, () => provider.passwordsSeen(before).includes(SECRET));
    expect(provider.passwordsSeen(before)).toContain(SECRET);
  });

  it('a key left inside the archive folder by an older PecDesk is deleted at open, with what it sealed', async () => {
    const owner = personEnv();
    const own = await addMailbox(owner);
    // The layout of before: secrets.key beside secrets.enc.json, the password by address alone.
    const legacyKey = join(own, 'secrets.key');
    rmSync(join(own, 'secrets.enc.json'), { force: true });
    writeFileSync(legacyKey, Buffer.alloc(32, 7).toString('base64'), { mode: 0o600 });
    await new FileSecretStore(join(own, 'secrets.enc.json'), { kind: 'key-file', path: legacyKey }).set(
      `imap:${EMAIL}`,
      SECRET,
    );
    const mark = provider.logins.length;
    const outcome = await openAndWait(own, owner, EMAIL, () => provider.logins.length > mark);
    expect(provider.passwordsSeen(mark)).toEqual([]);
    expect(outcome.lastErrorCode).toBe('no-password');
    expect(filesUnder(own).map((f) => f.slice(own.length))).not.toContain('/secrets.key');
    expect(filesUnder(own).map((f) => f.slice(own.length))).not.toContain('/secrets.enc.json');
  });
});
