/**
 * Adding and removing mailboxes. The password goes to the secret store, never to the db; removing
 * an account forgets its password and its folders, not the messages already archived.
 */
import {
  type AccountRow,
  deleteAccount,
  findAccount,
  insertAccount,
  type NewAccount,
} from '../../db/accounts.ts';
import type { Db } from '../../db/database.ts';
import { imapPasswordKey, type SecretStore } from '../secrets/secret-store.ts';
import { findPreset, presetForAddress } from './presets.ts';

export interface AddAccountInput {
  email: string;
  imapHost?: string;
  imapPort?: number;
  security?: 'tls' | 'starttls';
  caFile?: string;
  user?: string;
  preset?: string;
  displayName?: string;
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
  return {
    email,
    displayName: input.displayName ?? null,
    preset: preset?.id ?? null,
    imapHost,
    imapPort,
    imapSecurity: security,
    imapUser: input.user ?? email,
    caFile: input.caFile ?? null,
    smtpHost: preset?.smtp.host ?? null,
    smtpPort: preset?.smtp.port ?? null,
    smtpSecurity: preset?.smtp.security ?? null,
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
    await secrets.set(imapPasswordKey(settings.email), password);
  } catch (error) {
    deleteAccount(db, row.id);
    throw error;
  }
  return row;
}

export async function removeAccount(db: Db, secrets: SecretStore, email: string): Promise<AccountRow> {
  const row = findAccount(db, email);
  if (!row) throw new AccountError('not-found', `no account ${email} in this archive`);
  deleteAccount(db, row.id);
  await secrets.delete(imapPasswordKey(row.email)).catch(() => {});
  return row;
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
  };
}
