/**
 * The mailbox password for sending: the same secret as for reading (one password per mailbox), and
 * bound the same way (main/secrets/mailbox-passwords.ts): an archive folder prepared by someone
 * else could name the person's address with its own SMTP server, so the password goes only to an
 * SMTP server the person confirmed in this archive (by adding the account or entering its password
 * again with that server set), or to the SMTP server PecDesk's own preset gives for the very IMAP
 * server the password is confirmed for (Aruba's smtps next to Aruba's imaps): the person confirmed
 * that provider, and PecDesk, not the archive, says where it sends.
 */
import { createHash } from 'node:crypto';
import type { AccountRow } from '../../db/accounts.ts';
import { archiveId } from '../../db/archive-meta.ts';
import type { Db } from '../../db/database.ts';
import { PRESETS } from '../accounts/presets.ts';
import { readMailboxPassword } from '../secrets/mailbox-passwords.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { SmtpEndpoint } from './smtp.ts';

export type SmtpAccount = Pick<
  AccountRow,
  'imapHost' | 'imapPort' | 'imapUser' | 'imapSecurity' | 'caPem' | 'smtpHost' | 'smtpPort' | 'smtpSecurity'
>;

interface SmtpBinding {
  archiveId: string;
  host: string;
  port: number;
  user: string;
  security: 'tls' | 'starttls';
  caSha256: string | null;
}

/** The SMTP server the account names, or null when it has none. */
export function smtpEndpoint(account: SmtpAccount): SmtpEndpoint | null {
  if (!account.smtpHost || !account.smtpPort || !account.smtpSecurity) return null;
  return {
    host: account.smtpHost,
    port: account.smtpPort,
    security: account.smtpSecurity,
    user: account.imapUser,
    caPem: account.caPem,
  };
}

function bindingOf(id: string, e: SmtpEndpoint): SmtpBinding {
  return {
    archiveId: id,
    host: e.host.trim().toLowerCase(),
    port: e.port,
    user: e.user,
    security: e.security,
    caSha256: e.caPem ? createHash('sha256').update(e.caPem).digest('hex') : null,
  };
}

function keyOf(b: SmtpBinding): string {
  return `smtp:${b.archiveId}:${b.user}@${b.host}:${b.port}`;
}

/** The preset's SMTP server for exactly this IMAP server (host, port, TLS, no extra CA). */
function presetSmtpFor(account: SmtpAccount, e: SmtpEndpoint): boolean {
  if (account.caPem) return false;
  return PRESETS.some(
    (p) =>
      p.imap.host === account.imapHost.trim().toLowerCase() &&
      p.imap.port === account.imapPort &&
      p.imap.security === account.imapSecurity &&
      p.smtp.host === e.host.trim().toLowerCase() &&
      p.smtp.port === e.port &&
      p.smtp.security === e.security,
  );
}

/** The person gave the password with this SMTP server set: sending may use it there. */
export async function storeSmtpPassword(
  store: SecretStore,
  db: Db,
  account: SmtpAccount,
  password: string,
): Promise<void> {
  const e = smtpEndpoint(account);
  if (!e) return;
  const binding = bindingOf(archiveId(db), e);
  await store.set(keyOf(binding), JSON.stringify({ v: 1, binding, password }));
}

export async function forgetSmtpPassword(store: SecretStore, db: Db, account: SmtpAccount): Promise<void> {
  const e = smtpEndpoint(account);
  if (e) await store.delete(keyOf(bindingOf(archiveId(db), e))).catch(() => {});
}

/**
 * The password to log in to the account's SMTP server, or null: no SMTP server, or none confirmed
 * for it (sending then says `no-password`, and the person enters the password again).
 */
export async function readSmtpPassword(
  store: SecretStore,
  db: Db,
  account: SmtpAccount,
): Promise<string | null> {
  const e = smtpEndpoint(account);
  if (!e) return null;
  const expected = bindingOf(archiveId(db), e);
  const value = await store.get(keyOf(expected));
  if (value !== null) {
    try {
      const sealed = JSON.parse(value) as { v?: number; binding?: SmtpBinding; password?: unknown };
      const b = sealed.binding;
      if (
        sealed.v === 1 &&
        typeof sealed.password === 'string' &&
        b &&
        (Object.keys(expected) as (keyof SmtpBinding)[]).every((k) => b[k] === expected[k])
      )
        return sealed.password;
    } catch {
      // An entry that does not parse was not written by PecDesk: never used.
    }
  }
  return presetSmtpFor(account, e) ? readMailboxPassword(store, db, account) : null;
}
