/**
 * The OS keychain (Windows Credential Manager, macOS Keychain, Secret Service on Linux) through
 * @napi-rs/keyring: a maintained binding with keytar's API and prebuilt binaries (keytar itself is
 * archived and must be compiled against libsecret).
 */
import { deletePassword, getPassword, setPassword } from '@napi-rs/keyring/keytar.js';
import type { SecretStore } from './secret-store.ts';

export const KEYCHAIN_SERVICE = 'PecDesk';

export class KeychainStore implements SecretStore {
  readonly kind = 'keychain' as const;

  constructor(private readonly service = KEYCHAIN_SERVICE) {}

  get(key: string): Promise<string | null> {
    return getPassword(this.service, key);
  }

  set(key: string, value: string): Promise<void> {
    return setPassword(this.service, key, value);
  }

  async delete(key: string): Promise<void> {
    await deletePassword(this.service, key);
  }

  /** Writes, reads back and deletes a probe entry: a keychain that cannot do this is not there. */
  async probe(timeoutMs = 5000): Promise<string | null> {
    const key = `probe:${process.pid}:${Date.now()}`;
    const attempt = (async () => {
      await this.set(key, 'ok');
      const back = await this.get(key);
      await this.delete(key);
      return back === 'ok' ? null : 'the keychain did not return what was stored';
    })();
    const timeout = new Promise<string>((resolve) =>
      setTimeout(() => resolve('the keychain did not answer'), timeoutMs).unref(),
    );
    return Promise.race([attempt.catch((e: Error) => e.message), timeout]);
  }
}
