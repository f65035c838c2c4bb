/**
 * One IMAP connection for an account, and what its failures mean to a person. imapflow clients
 * cannot be reused after a disconnect: every (re)connection makes a new one.
 */
import { appendFileSync } from 'node:fs';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { AccountRow } from '../../db/accounts.ts';
import type { SyncErrorCode } from '../common/core-events.ts';

export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ConnectOptions {
  /** Seconds before a silent server is given up. */
  timeoutMs?: number;
  /** Quiet time before imapflow enters IDLE; short while watching, so new mail is seen at once. */
  idleDelayMs?: number;
}

/** PECDESK_IMAP_DEBUG=FILE writes imapflow's protocol log there (passwords are never logged). */
function imapLogger(): ImapFlowOptions['logger'] {
  const file = process.env.PECDESK_IMAP_DEBUG;
  if (!file) return false;
  const write = (level: string) => (entry: object) =>
    appendFileSync(file, `${JSON.stringify({ level, ...entry })}\n`);
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export type ImapEndpoint = Pick<AccountRow, 'imapHost' | 'imapPort' | 'imapSecurity' | 'imapUser' | 'caPem'>;

export async function connectImap(
  account: ImapEndpoint,
  password: string,
  options: ConnectOptions = {},
): Promise<ImapFlow> {
  // The extra CA is PEM text from the account row, never a path to read (main/accounts/ca-pem.ts).
  const ca = account.caPem ? [account.caPem] : undefined;
  const timeout = options.timeoutMs ?? 30_000;
  const config: ImapFlowOptions & { doSTARTTLS?: boolean } = {
    host: account.imapHost,
    port: account.imapPort,
    secure: account.imapSecurity === 'tls',
    // STARTTLS is required, never optional: no login goes out in the clear.
    ...(account.imapSecurity === 'starttls' ? { doSTARTTLS: true } : {}),
    auth: { user: account.imapUser, pass: password },
    tls: { ...(ca ? { ca } : {}), minVersion: 'TLSv1.2' },
    logger: imapLogger(),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: 5 * 60_000,
    clientInfo: { name: 'PecDesk' },
    ...(options.idleDelayMs !== undefined ? { autoIdleDelay: options.idleDelayMs } : {}),
  };
  const client = new ImapFlow(config);
  // An 'error' event without a listener would crash the process; failures surface through the
  // awaited calls and the 'close' event instead.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    client.close();
    throw classifyImapError(error);
  }
  return client;
}

export function classifyImapError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  const e = error as {
    authenticationFailed?: boolean;
    code?: string;
    message?: string;
    responseText?: string;
  };
  const text = `${e.message ?? String(error)}${e.responseText ? `: ${e.responseText}` : ''}`;
  if (
    e.authenticationFailed ||
    /AUTHENTICATIONFAILED|authentication failed|invalid credentials/i.test(text)
  ) {
    return new SyncError('auth-failed', `login refused by the server: ${text}`);
  }
  if (/certificate|self[- ]signed|TLS|SSL|STARTTLS/i.test(`${e.code ?? ''} ${text}`)) {
    return new SyncError('tls-failed', `secure connection failed: ${text}`);
  }
  if (
    [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ECONNRESET',
      'EPIPE',
      'NoConnection',
    ].includes(e.code ?? '')
  ) {
    return new SyncError('connection-failed', `cannot reach the server: ${text}`);
  }
  if (e.code === 'ETIMEDOUT' || /timeout/i.test(text))
    return new SyncError('timeout', `the server did not answer in time: ${text}`);
  if (/connection (closed|not available)|socket/i.test(text))
    return new SyncError('connection-failed', `connection lost: ${text}`);
  return new SyncError('server-error', text);
}
