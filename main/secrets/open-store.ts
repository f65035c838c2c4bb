import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
 * warning. PECDESK_SECRETS=file chooses the file on purpose (servers, tests).
 */
export async function openSecretStore(
  archiveDir: string,
  options: OpenSecretsOptions = {},
): Promise<SecretStore> {
  mkdirSync(archiveDir, { recursive: true });
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((line: string) => console.warn(line));
  let why = 'PECDESK_SECRETS=file';
  if (env.PECDESK_SECRETS !== 'file') {
    const keychain = new KeychainStore(env.PECDESK_KEYCHAIN_SERVICE ?? undefined);
    const problem = await keychain.probe();
    if (!problem) return keychain;
    why = `no OS keychain available (${problem})`;
  }
  const file = join(archiveDir, 'secrets.enc.json');
  if (env.PECDESK_SECRET_KEY) {
    if (env.PECDESK_SECRETS !== 'file')
      warn(`Warning: ${why}: mailbox passwords are kept in ${file}, encrypted with PECDESK_SECRET_KEY.`);
    return new FileSecretStore(file, { kind: 'passphrase', passphrase: env.PECDESK_SECRET_KEY });
  }
  const keyFile = join(archiveDir, 'secrets.key');
  if (!existsSync(keyFile))
    writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  if (env.PECDESK_SECRETS !== 'file')
    warn(
      `Warning: ${why}: mailbox passwords are kept in ${file}, encrypted with the key in ${keyFile} (owner-only).`,
    );
  return new FileSecretStore(file, { kind: 'key-file', path: keyFile });
}
