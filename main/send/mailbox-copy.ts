/**
 * The sender's own mailbox over IMAP, for what sending needs there: its Sent folder, where the
 * client keeps its copy of each PEC (providers store no copy of an SMTP submission), and the
 * evidence that a message whose sending was interrupted did reach the provider: its acceptance
 * (or non-acceptance) in INBOX, which carries X-Riferimento-Message-ID, or its copy in Sent, which
 * PecDesk writes only after the provider took it.
 */
import type { ImapFlow, ListResponse } from 'imapflow';
import type { AccountRow } from '../../db/accounts.ts';
import { connectImap } from '../sync/imap-connect.ts';

/** Folder names of Sent where the server marks none with \Sent (Italian providers first). */
const SENT_NAMES =
  /^(inbox[./])?(posta inviata|inviata|inviati|sent|sent items|sent messages|elementi inviati)$/i;

export async function withMailbox<T>(
  account: AccountRow,
  password: string,
  fn: (client: ImapFlow) => Promise<T>,
): Promise<T> {
  const client = await connectImap(account, password, { timeoutMs: 30_000 });
  try {
    return await fn(client);
  } finally {
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}

/** The Sent folder: marked \Sent, else by its usual names; made ("Sent") when there is none. */
export async function sentFolder(
  client: ImapFlow,
): Promise<Pick<ListResponse, 'path' | 'name' | 'specialUse'>> {
  const listed = await client.list();
  const found = listed.find((b) => b.specialUse === '\\Sent') ?? listed.find((b) => SENT_NAMES.test(b.path));
  if (found) return { path: found.path, name: found.name, specialUse: found.specialUse ?? '\\Sent' };
  const made = await client.mailboxCreate('Sent');
  return { path: made.path, name: 'Sent', specialUse: '\\Sent' };
}

async function containsHeader(client: ImapFlow, folder: string, header: string, value: string) {
  const lock = await client.getMailboxLock(folder, { readOnly: true });
  try {
    const found = await client.search({ header: { [header]: value } }, { uid: true });
    return Array.isArray(found) && found.length > 0;
  } finally {
    lock.release();
  }
}

export interface Evidence {
  /** The provider's acceptance or non-acceptance (or any notice about the message) is in INBOX. */
  notice: boolean;
  /** PecDesk's copy is in Sent: it writes it only after the provider took the message. */
  sentCopy: boolean;
}

/** Whether the provider got the message with this Message-ID (the angle-bracketed form). */
export async function findEvidence(client: ImapFlow, messageId: string): Promise<Evidence> {
  const notice = await containsHeader(client, 'INBOX', 'X-Riferimento-Message-ID', messageId);
  if (notice) return { notice, sentCopy: false };
  const sent = await sentFolder(client);
  return { notice, sentCopy: await containsHeader(client, sent.path, 'Message-ID', messageId) };
}

export interface AppendedCopy {
  folder: Pick<ListResponse, 'path' | 'name' | 'specialUse'>;
  /** UIDPLUS: where it went; null when the server does not say (sync finds it). */
  uid: number | null;
  uidValidity: string | null;
  /** It was there already (a copy made before a restart). */
  existed: boolean;
}

/** Puts PecDesk's copy in Sent (marked read), once: an existing copy is not added again. */
export async function appendSentCopy(
  client: ImapFlow,
  raw: Buffer,
  messageId: string,
): Promise<AppendedCopy> {
  const folder = await sentFolder(client);
  if (await containsHeader(client, folder.path, 'Message-ID', messageId))
    return { folder, uid: null, uidValidity: null, existed: true };
  const result = await client.append(folder.path, raw, ['\\Seen']);
  return {
    folder,
    uid: result && typeof result.uid === 'number' ? result.uid : null,
    uidValidity: result && result.uidValidity !== undefined ? String(result.uidValidity) : null,
    existed: false,
  };
}
