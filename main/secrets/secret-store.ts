/**
 * Where mailbox passwords live. Never in the db, logs, CLI output or API results. Mailbox passwords
 * are stored and read through mailbox-passwords.ts, which binds each one to its archive and server.
 */
export interface SecretStore {
  readonly kind: 'keychain' | 'file';
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}
