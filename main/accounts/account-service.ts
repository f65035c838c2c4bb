/**
 * Adding and removing mailboxes. The password goes to the secret store, never to the db, bound to
 * this archive and this account's server (main/secrets/mailbox-passwords.ts): adding an account with
 * its password, or entering the password again, is the person's confirmation of that server.
 * Removing an account forgets its password and its folders, not the messages already archived.
 */
import {
  type AccountRow,
  deleteAccount,
  findAccount,
  insertAccount,
  listAccounts,
  type NewAccount,
} from '../../db/accounts.ts';
import type { Db } from '../../db/database.ts';
import {
  bindingOf,
  forgetMailboxPassword,
  legacyPasswordKey,
  passwordKey,
  storeMailboxPassword,
} from '../secrets/mailbox-passwords.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { limitsOf } from '../send/limits.ts';
import { forgetSmtpPassword, storeSmtpPassword } from '../send/smtp-password.ts';
import { parseCaPem } from './ca-pem.ts';
import { adoptLegacyCaFiles } from './legacy-ca.ts';
import { findPreset, presetForAddress } from './presets.ts';

export interface AddAccountInput {
  email: string;
  imapHost?: string;
  imapPort?: number;
  security?: 'tls' | 'starttls';
  /** PEM certificates of an extra CA (never a path: see ca-pem.ts). */
  caPem?: string;
  user?: string;
  preset?: string;
  displayName?: string;
  /** The SMTP server for sending; the preset's when not given. */
  smtpHost?: string;
  smtpPort?: number;
  smtpSecurity?: 'tls' | 'starttls';
}

export class AccountError extends Error {
  constructor(
    readonly code: 'invalid' | 'exists' | 'not-found' | 'unknown-preset',
    message: string,
  ) {
    super(message);
  }
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** The account's settings from what a person gave: preset (named or from the domain), defaults, checks. */
export function resolveAccount(input: AddAccountInput): Omit<NewAccount, 'createdAt'> & { email: string } {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw new AccountError('invalid', `"${input.email}" is not an e-mail address`);
  const preset = input.preset
    ? findPreset(input.preset)
    : input.imapHost
      ? undefined
      : presetForAddress(email);
  if (input.preset && !preset)
    throw new AccountError('unknown-preset', `no provider preset "${input.preset}"`);
  const imapHost = input.imapHost ?? preset?.imap.host;
  if (!imapHost)
    throw new AccountError('invalid', `no IMAP server for ${email}: give --imap-host or --preset`);
  const security = input.security ?? preset?.imap.security ?? 'tls';
  const imapPort = input.imapPort ?? preset?.imap.port ?? (security === 'tls' ? 993 : 143);
  if (!Number.isInteger(imapPort) || imapPort < 1 || imapPort > 65535)
    throw new AccountError('invalid', `bad IMAP port ${imapPort}`);
  let caPem: string | null = null;
  if (input.caPem !== undefined) {
    const parsed = parseCaPem(input.caPem);
    if (!parsed.ok) throw new AccountError('invalid', parsed.reason);
    caPem = parsed.pem;
  }
  const smtpHost = (input.smtpHost ?? preset?.smtp.host)?.trim().toLowerCase() || null;
  const smtpSecurity = input.smtpSecurity ?? (input.smtpHost ? undefined : preset?.smtp.security) ?? 'tls';
  const smtpPort =
    input.smtpPort ??
    (input.smtpHost ? undefined : preset?.smtp.port) ??
    (smtpSecurity === 'tls' ? 465 : 587);
  if (smtpHost && (!Number.isInteger(smtpPort) || smtpPort < 1 || smtpPort > 65535))
    throw new AccountError('invalid', `bad SMTP port ${smtpPort}`);
  return {
    email,
    displayName: input.displayName ?? null,
    preset: preset?.id ?? null,
    imapHost,
    imapPort,
    imapSecurity: security,
    imapUser: input.user ?? email,
    caFile: null,
    caPem,
    smtpHost,
    smtpPort: smtpHost ? smtpPort : null,
    smtpSecurity: smtpHost ? smtpSecurity : null,
  };
}

export async function addAccount(
  db: Db,
  secrets: SecretStore,
  input: AddAccountInput,
  password: string,
): Promise<AccountRow> {
  const settings = resolveAccount(input);
  if (!password) throw new AccountError('invalid', 'the password is empty');
  if (findAccount(db, settings.email))
    throw new AccountError('exists', `${settings.email} is already in this archive`);
  const row = insertAccount(db, { ...settings, createdAt: new Date().toISOString() });
  try {
    await storeMailboxPassword(secrets, db, row, password);
    // The same password for sending, bound to the SMTP server named with it.
    await storeSmtpPassword(secrets, db, row, password);
  } catch (error) {
    deleteAccount(db, row.id);
    throw error;
  }
  await forgetLegacyPassword(secrets, row.email);
  return row;
}

/**
 * The person enters the password of an existing account again: after a copy of the archive, a
 * password from an earlier version, or a changed server. It is stored for the server the account
 * names now, which this confirms. A CA file named by an archive from before is read first, so the
 * binding covers the CA that will be used.
 */
export async function setAccountPassword(
  db: Db,
  secrets: SecretStore,
  email: string,
  password: string,
): Promise<AccountRow> {
  if (!password) throw new AccountError('invalid', 'the password is empty');
  if (!findAccount(db, email)) throw new AccountError('not-found', `no account ${email} in this archive`);
  adoptLegacyCaFiles(db);
  const row = findAccount(db, email)!;
  await storeMailboxPassword(secrets, db, row, password);
  await storeSmtpPassword(secrets, db, row, password);
  await forgetLegacyPassword(secrets, row.email);
  return row;
}

export async function removeAccount(db: Db, secrets: SecretStore, email: string): Promise<AccountRow> {
  const row = findAccount(db, email);
  if (!row) throw new AccountError('not-found', `no account ${email} in this archive`);
  deleteAccount(db, row.id);
  // Two accounts of one archive can log in as the same user on the same server: they share it.
  const key = (a: AccountRow) => passwordKey(bindingOf('', a));
  if (!listAccounts(db).some((other) => key(other) === key(row))) {
    await forgetMailboxPassword(secrets, db, row).catch((error: Error) =>
      console.warn(`Warning: the password of ${row.email} stays in the secret store: ${error.message}`),
    );
    await forgetSmtpPassword(secrets, db, row);
  }
  await forgetLegacyPassword(secrets, row.email);
  return row;
}

/**
 * An unbound password of an earlier version (`imap:<email>`) is never read; once the person has given
 * the password again it is deleted, so no older PecDesk can send it to a server it was not meant for.
 * A store that has no such entry may say so with an error: there is nothing to undo then.
 */
async function forgetLegacyPassword(secrets: SecretStore, email: string): Promise<void> {
  await secrets.delete(legacyPasswordKey(email)).catch(() => {});
}

/** What may be shown of an account anywhere: never the password. */
export function publicAccount(row: AccountRow) {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    preset: row.preset,
    imapHost: row.imapHost,
    imapPort: row.imapPort,
    security: row.imapSecurity,
    user: row.imapUser,
    syncState: row.syncState,
    lastErrorCode: row.lastErrorCode,
    lastError: row.lastError,
    lastSyncAt: row.lastSyncAt,
    writeSeen: row.writeSeen,
    smtpHost: row.smtpHost,
    smtpPort: row.smtpPort,
    smtpSecurity: row.smtpSecurity,
    /** The limits sending keeps to (limits.ts), and which of them the person set. */
    sendLimits: limitsOf(row),
    sendLimitsSet: {
      perMinute: row.sendPerMinute,
      maxRecipients: row.maxRecipients,
      maxTotalBytes: row.maxTotalBytes,
    },
  };
}
