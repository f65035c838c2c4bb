/**
 * A mailbox password is bound to the archive and to the server it was given for. The archive's
 * database says which server to log in to; an archive folder prepared by someone else can name the
 * same address with their own server. So a password is found only under the archive's own random id
 * and the server's user, host and port, and the stored value repeats that binding (with the TLS
 * settings: security and the extra CA) and is refused when any of it differs from the account as the
 * archive describes it now. Only the person writes a binding: by adding the account or by entering
 * its password again (accounts.add, accounts.setPassword), each a confirmation of that server.
 *
 * Passwords stored by earlier versions under `imap:<email>` alone are never used: nothing says which
 * server they were confirmed for, and using them is exactly the attack. Sync then reports
 * `no-password` and the person enters the password once more.
 */
import { createHash } from 'node:crypto';
import type { AccountRow } from '../../db/accounts.ts';
import { archiveId } from '../../db/archive-meta.ts';
import type { Db } from '../../db/database.ts';
import type { SecretStore } from './secret-store.ts';

export type MailboxServer = Pick<AccountRow, 'imapHost' | 'imapPort' | 'imapUser' | 'imapSecurity' | 'caPem'>;

export interface PasswordBinding {
  archiveId: string;
  host: string;
  port: number;
  user: string;
  security: 'tls' | 'starttls';
  /** SHA-256 of the extra CA's PEM, or null: a different CA is a different server. */
  caSha256: string | null;
}

interface SealedPassword {
  v: 1;
  binding: PasswordBinding;
  password: string;
}

export function bindingOf(id: string, server: MailboxServer): PasswordBinding {
  return {
    archiveId: id,
    host: server.imapHost.trim().toLowerCase(),
    port: server.imapPort,
    user: server.imapUser,
    security: server.imapSecurity,
    caSha256: server.caPem ? createHash('sha256').update(server.caPem).digest('hex') : null,
  };
}

/** `imap:<archive id>:<user>@<host>:<port>`: the keychain entry's name. */
export function passwordKey(binding: PasswordBinding): string {
  return `imap:${binding.archiveId}:${binding.user}@${binding.host}:${binding.port}`;
}

/** The key of earlier versions: by address alone. Read never; deleted when a bound password replaces it. */
export function legacyPasswordKey(email: string): string {
  return `imap:${email.toLowerCase()}`;
}

function sameBinding(a: PasswordBinding, b: PasswordBinding): boolean {
  return (
    a.archiveId === b.archiveId &&
    a.host === b.host &&
    a.port === b.port &&
    a.user === b.user &&
    a.security === b.security &&
    a.caSha256 === b.caSha256
  );
}

/** The person gave this password for this account's server in this archive: store it bound to both. */
export async function storeMailboxPassword(
  store: SecretStore,
  db: Db,
  server: MailboxServer,
  password: string,
): Promise<void> {
  const binding = bindingOf(archiveId(db), server);
  const sealed: SealedPassword = { v: 1, binding, password };
  await store.set(passwordKey(binding), JSON.stringify(sealed));
}

/**
 * The password for this account's server, only when it was confirmed for exactly this server in
 * exactly this archive; null otherwise (never stored, stored for another server, or from an earlier
 * version), which sync reports as `no-password`.
 */
export async function readMailboxPassword(
  store: SecretStore,
  db: Db,
  server: MailboxServer,
): Promise<string | null> {
  const expected = bindingOf(archiveId(db), server);
  const value = await store.get(passwordKey(expected));
  if (value === null) return null;
  let sealed: Partial<SealedPassword>;
  try {
    sealed = JSON.parse(value) as Partial<SealedPassword>;
  } catch {
    return null;
  }
  if (sealed?.v !== 1 || typeof sealed.password !== 'string' || !sealed.binding) return null;
  return sameBinding(sealed.binding, expected) ? sealed.password : null;
}

export async function forgetMailboxPassword(
  store: SecretStore,
  db: Db,
  server: MailboxServer,
): Promise<void> {
  await store.delete(passwordKey(bindingOf(archiveId(db), server)));
}
