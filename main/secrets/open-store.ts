import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { secretKeyFile } from '../paths.ts';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../private-files.ts';
import { FileSecretStore } from './file-store.ts';
import { KeychainStore } from './keychain-store.ts';
import type { SecretStore } from './secret-store.ts';

export interface OpenSecretsOptions {
  env?: NodeJS.ProcessEnv;
  /** One line, said once, when the file store stands in for a keychain. */
  warn?: (line: string) => void;
}

/**
 * The OS keychain when one answers; otherwise the encrypted file beside the archive, with a one-line
 * warning. PECDESK_SECRETS=file chooses the file on purpose (servers, tests). The file's key is
 * PECDESK_SECRET_KEY (or PECDESK_SECRET_KEY_FILE), else a random key in the person's config folder (never in the archive folder).
 */
export async function openSecretStore(
  archiveDir: string,
  options: OpenSecretsOptions = {},
): Promise<SecretStore> {
  makePrivateDir(archiveDir);
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const file = join(archiveDir, 'secrets.enc.json');
  removeKeyBesideArchive(archiveDir, file, warn);
  let why = 'PECDESK_SECRETS=file';
  if (env.PECDESK_SECRETS !== 'file') {
    const keychain = new KeychainStore(env.PECDESK_KEYCHAIN_SERVICE ?? undefined);
    const problem = await keychain.probe();
    if (!problem) return keychain;
    why = `no OS keychain available (${problem})`;
  }
  const passphrase = secretKeyFromEnv(env);
  if (passphrase) {
    if (env.PECDESK_SECRETS !== 'file')
      warn(`Warning: ${why}: mailbox passwords are kept in ${file}, encrypted with PECDESK_SECRET_KEY.`);
    return new FileSecretStore(file, { kind: 'passphrase', passphrase }, { warn });
  }
  const keyFile = secretKeyFile(env);
  if (!existsSync(keyFile)) {
    makePrivateDir(dirname(keyFile));
    try {
      writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    } catch (error) {
      // Another process (the app and the CLI at once) made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if (env.PECDESK_SECRETS !== 'file')
    warn(
      `Warning: ${why}: mailbox passwords are kept in ${file}, encrypted with the key in ${keyFile} (owner-only).`,
    );
  return new FileSecretStore(file, { kind: 'key-file', path: keyFile }, { warn });
}

/**
 * PECDESK_SECRET_KEY, or the contents of the file PECDESK_SECRET_KEY_FILE names: a container gets
 * the key as a Docker secret (/run/secrets/…), which never shows in `docker inspect` or the
 * process's environment as a variable's value does. The file's final line break is not part of
 * the key (editors and `echo` add one). Both at once, or a file that cannot be read or is empty,
 * is an error: starting with no key would seal new passwords with a random key file instead.
 */
export function secretKeyFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const file = env.PECDESK_SECRET_KEY_FILE;
  if (!file) return env.PECDESK_SECRET_KEY || undefined;
  if (env.PECDESK_SECRET_KEY) throw new Error('set PECDESK_SECRET_KEY or PECDESK_SECRET_KEY_FILE, not both');
  let key: string;
  try {
    key = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new Error(`PECDESK_SECRET_KEY_FILE=${file}: ${(error as Error).message}`);
  }
  if (!key) throw new Error(`PECDESK_SECRET_KEY_FILE=${file} is empty`);
  return key;
}

/**
 * Earlier versions kept the file's key in the archive folder (secrets.key), so every copy of the
 * archive could decrypt its passwords. That key is deleted, with the passwords sealed by it: they are
 * not carried over, because nothing says which server each was confirmed for (mailbox-passwords.ts),
 * and the person enters them again.
 */
function removeKeyBesideArchive(archiveDir: string, file: string, warn: (line: string) => void): void {
  const legacyKey = join(archiveDir, 'secrets.key');
  if (!existsSync(legacyKey)) return;
  let sealedWithIt = false;
  try {
    sealedWithIt = (JSON.parse(readFileSync(file, 'utf8')) as { kdf?: string }).kdf === 'key-file';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  if (sealedWithIt) unlinkSync(file);
  unlinkSync(legacyKey);
  warn(
    `Warning: removed the secrets key an older PecDesk kept inside the archive folder${sealedWithIt ? ', with the passwords it sealed' : ''}: any copy of the folder could read them. Enter the mailbox passwords again (pecdesk account password --email ADDRESS).`,
  );
}
