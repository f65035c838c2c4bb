import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSecretStore, secretKeyFromEnv } from '../../../main/secrets/open-store.ts';
import { tempDir } from '../../support/archive.ts';

describe('PECDESK_SECRET_KEY_FILE (a Docker secret)', () => {
  it('reads the key from the file, without its final line break: the same key as PECDESK_SECRET_KEY', async () => {
    const dir = tempDir('pecdesk-keyfile-');
    const secretFile = join(dir, 'pecdesk_secret_key');
    writeFileSync(secretFile, 'una chiave lunga e segreta\n');
    const base = { PECDESK_SECRETS: 'file', XDG_CONFIG_HOME: join(dir, 'config') };
    const archive = join(dir, 'archive');
    const fromFile = await openSecretStore(archive, {
      env: { ...base, PECDESK_SECRET_KEY_FILE: secretFile },
    });
    await fromFile.set('imap:a@pec.test', 'pw');
    const fromVariable = await openSecretStore(archive, {
      env: { ...base, PECDESK_SECRET_KEY: 'una chiave lunga e segreta' },
    });
    expect(await fromVariable.get('imap:a@pec.test')).toBe('pw');
    // Sealed with the passphrase, not a random key file in the config folder.
    const withoutKey = await openSecretStore(archive, { env: base });
    await expect(withoutKey.get('imap:a@pec.test')).rejects.toThrow(/PECDESK_SECRET_KEY/);
  });

  it('refuses both at once, a missing file and an empty one', () => {
    const dir = tempDir('pecdesk-keyfile-');
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(() => secretKeyFromEnv({ PECDESK_SECRET_KEY: 'a', PECDESK_SECRET_KEY_FILE: empty })).toThrow(
      /not both/,
    );
    expect(() => secretKeyFromEnv({ PECDESK_SECRET_KEY_FILE: join(dir, 'nope') })).toThrow(/nope: ENOENT/);
    expect(() => secretKeyFromEnv({ PECDESK_SECRET_KEY_FILE: empty })).toThrow(/is empty/);
    expect(secretKeyFromEnv({ PECDESK_SECRET_KEY: 'a' })).toBe('a');
    expect(secretKeyFromEnv({})).toBeUndefined();
  });
});
