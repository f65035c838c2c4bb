/** Where mailbox passwords live. Never in the db, logs, CLI output or API results. */
export interface SecretStore {
  readonly kind: 'keychain' | 'file';
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export function imapPasswordKey(email: string): string {
  return `imap:${email.toLowerCase()}`;
}
