/**
 * Putting messages in the outbox. The order is what makes "never lost" true: the message is built
 * once (with the Message-ID PecDesk chose), its bytes are stored durably in the archive's object
 * store (write-once, fsynced), then its outbox row is committed together with the audit entry of
 * the send; only after that may any SMTP exchange begin (outbox-service.ts). A crash before the
 * commit leaves an unnamed object and nothing to send; after it, the row is sent when PecDesk
 * starts again.
 */
import type { AccountRow } from '../../db/accounts.ts';
import { requestApprovals } from '../../db/approvals.ts';
import type { Db } from '../../db/database.ts';
import { insertOutbox, type OutboxRow } from '../../db/outbox.ts';
import type { Archive } from '../archive/archive.ts';
import type { DeliveryType } from '../pec/kinds.ts';
import { checkMessage, limitsOf, type SendProblem, uniqueAddresses } from './limits.ts';
import { buildMessage, newMessageId, type OutgoingAttachment } from './message.ts';
import { smtpEndpoint } from './smtp-password.ts';

export interface ComposeInput {
  account: AccountRow;
  to: string[];
  cc: string[];
  /** Never sent: a PEC with a Bcc is refused; given only so that it is said. */
  bcc?: string[];
  subject: string;
  text: string;
  html?: string | null;
  attachments: OutgoingAttachment[];
  receiptType: DeliveryType;
  inReplyTo?: string | null;
  references?: string[];
}

export interface PreparedMessage {
  account: AccountRow;
  raw: Buffer;
  messageId: string;
  to: string[];
  cc: string[];
  subject: string;
  receiptType: DeliveryType;
}

export interface Prepared {
  message: PreparedMessage;
  /** Empty when it may be sent. */
  problems: SendProblem[];
  /** Its size as sent, and what the provider counts (size × recipients). */
  size: number;
  totalBytes: number;
}

/** Builds the message exactly as it will be sent and checks it against the mailbox's limits. */
export async function prepareMessage(input: ComposeInput, now = new Date()): Promise<Prepared> {
  const to = uniqueAddresses(input.to);
  const cc = uniqueAddresses(input.cc).filter((a) => !to.includes(a));
  const messageId = newMessageId(input.account.email, now);
  const raw = await buildMessage({
    from: { address: input.account.email, name: input.account.displayName },
    to,
    cc,
    subject: input.subject.trim(),
    text: input.text,
    html: input.html ?? null,
    attachments: input.attachments,
    receiptType: input.receiptType,
    inReplyTo: input.inReplyTo ?? null,
    references: input.references ?? [],
    messageId,
    date: now,
  });
  const problems = checkMessage(
    { to, cc, bcc: input.bcc ?? [], subject: input.subject, size: raw.length },
    limitsOf(input.account),
    smtpEndpoint(input.account) !== null,
  );
  return {
    message: {
      account: input.account,
      raw,
      messageId,
      to,
      cc,
      subject: input.subject.trim(),
      receiptType: input.receiptType,
    },
    problems,
    size: raw.length,
    totalBytes: raw.length * Math.max(1, to.length + cc.length),
  };
}

export interface WriteMeta {
  /** Who asked (the log's name for them), kept on the row. */
  createdBy: string;
  /** A campaign: makes its row first, in the same transaction, and gives its id to the rows. */
  campaign?(db: Db): number;
  /**
   * Runs inside the transaction that commits the rows, with their ids: the audit entry of the send
   * (and a campaign's own rows) commit with them or not at all.
   */
  inTransaction(db: Db, ids: number[]): void;
}

/**
 * Stores each message's bytes durably, then commits their outbox rows in one transaction. The
 * rows start 'queued', or 'approval' for a mailbox that requires approval (issue 14): they wait
 * in the approval queue, and the outbox takes them only once approved (main/work/approvals.ts).
 */
export async function writeOutbox(
  archive: Archive,
  messages: PreparedMessage[],
  meta: WriteMeta,
  now = new Date(),
): Promise<OutboxRow['id'][]> {
  const hashes: string[] = [];
  for (const m of messages) hashes.push(await archive.objects.put(m.raw));
  const createdAt = now.toISOString();
  return archive.db.$client.transaction(() => {
    const campaignId = meta.campaign ? meta.campaign(archive.db) : null;
    const ids = messages.map((m, i) =>
      insertOutbox(archive.db, {
        accountId: m.account.id,
        fromAddress: m.account.email,
        messageId: m.messageId,
        objectHash: hashes[i]!,
        size: m.raw.length,
        subject: m.subject,
        recipients: JSON.stringify([
          ...m.to.map((address) => ({ address, type: 'to' })),
          ...m.cc.map((address) => ({ address, type: 'cc' })),
        ]),
        receiptType: m.receiptType,
        state: m.account.requireApproval ? 'approval' : 'queued',
        campaignId,
        createdAt,
        createdBy: meta.createdBy,
      }),
    );
    requestApprovals(
      archive.db,
      ids.filter((_, i) => messages[i]!.account.requireApproval),
      meta.createdBy,
      createdAt,
    );
    meta.inTransaction(archive.db, ids);
    return ids;
  })();
}

/** The addresses of a row's recipients (To and Cc): the SMTP envelope. */
export function rowRecipients(row: Pick<OutboxRow, 'recipients'>): { address: string; type: 'to' | 'cc' }[] {
  return JSON.parse(row.recipients) as { address: string; type: 'to' | 'cc' }[];
}
