/** An outbox row as people read it: one state that says how far the PEC got (README "Sending"). */
import type { OutboxListRow } from '../../db/outbox.ts';

export type OutboxDisplayState =
  /** Waiting for approval (a mailbox that requires it, issue 14). */
  | 'awaiting-approval'
  /** Refused at approval: never sent. */
  | 'rejected'
  /** Waiting its turn (the mailbox's messages per minute). */
  | 'queued'
  /** A connection error or "try later": sent again at nextAttemptAt. */
  | 'retrying'
  | 'sending'
  /** An interrupted attempt may have reached the provider: looking for its acceptance first. */
  | 'verifying'
  /** The provider took it; its acceptance has not arrived yet. */
  | 'sent'
  | 'accepted'
  | 'not-accepted'
  | 'delivered'
  /** Some recipients delivered, some failed. */
  | 'partial'
  | 'delivery-failed'
  /** The server refused it (or the mailbox cannot send): never reached the provider. */
  | 'failed'
  | 'cancelled';

export interface OutboxView {
  id: number;
  from: string;
  subject: string | null;
  recipients: { address: string; type: 'to' | 'cc' }[];
  state: OutboxDisplayState;
  receiptType: string;
  size: number;
  attempts: number;
  errorCode: string | null;
  /** English, for the log; the UI says errorCode in words and shows this as the server's detail. */
  error: string | null;
  createdAt: string;
  createdBy: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
  acceptedAt: string | null;
  /** The Message-ID PecDesk set (the PEC's msgid). */
  messageId: string;
  threadId: number | null;
  /** The sent copy in the archive, to open it. */
  archivedMessageId: number | null;
  campaignId: number | null;
  /** Certified recipients and how many have their delivery receipt, failed, or can have none. */
  recipientCount: number;
  delivered: number;
  failed: number;
  noProof: number;
  /** The copy in the mailbox's Sent folder. */
  sentCopy: 'pending' | 'done' | 'failed';
}

export function displayState(r: OutboxListRow): OutboxDisplayState {
  switch (r.state) {
    case 'approval':
      return 'awaiting-approval';
    case 'rejected':
      return 'rejected';
    case 'queued':
      return r.nextAttemptAt ? 'retrying' : 'queued';
    case 'sending':
      return r.lastErrorCode === 'interrupted' ? 'verifying' : 'sending';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
  }
  switch (r.threadState) {
    case 'rejected':
      return 'not-accepted';
    case 'delivered':
      return 'delivered';
    case 'partial':
      return 'partial';
    case 'failed':
      return 'delivery-failed';
    case 'accepted':
      return 'accepted';
  }
  return 'sent';
}

export function outboxView(r: OutboxListRow): OutboxView {
  return {
    id: r.id,
    from: r.fromAddress,
    subject: r.subject,
    recipients: JSON.parse(r.recipients),
    state: displayState(r),
    receiptType: r.receiptType,
    size: r.size,
    attempts: r.attempts,
    errorCode: r.lastErrorCode,
    error: r.lastError,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    nextAttemptAt: r.nextAttemptAt,
    sentAt: r.sentAt,
    acceptedAt: r.acceptedAt,
    messageId: r.messageId,
    threadId: r.threadId,
    archivedMessageId: r.archivedMessageId,
    campaignId: r.campaignId,
    recipientCount: r.recipientCount,
    delivered: r.deliveredCount,
    failed: r.failedCount,
    noProof: r.noProofCount,
    sentCopy: r.sentCopy,
  };
}
