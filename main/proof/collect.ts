/**
 * What a proof bundle holds: the PEC and every receipt of it the caller may read, each as the
 * archived original bytes (re-read from the object store and checked against their hash) with the
 * reader's inspection of it (kind, certification data, signature verdict).
 */
import type { Db } from '../../db/database.ts';
import { getMessage, type MessageRow, threadMembers } from '../../db/messages.ts';
import { messagesInScope, type Scope } from '../../db/scope.ts';
import { getThread, type ThreadRow, threadRecipientsOf } from '../../db/threads.ts';
import { ObjectStore } from '../archive/object-store.ts';
import { type InspectResult, inspectMessage } from '../pec/inspect.ts';
import { isReceiptKind } from '../pec/kinds.ts';
import { type OriginalMessage, readOriginal } from '../pec/original.ts';
import type { TrustAnchors } from '../pec/trust.ts';

export interface ProofFile {
  messageId: number;
  /** Path inside the bundle (originali/01-messaggio-inviato.eml). */
  path: string;
  kind: string;
  /** The sent copy of one's own PEC (an ordinary message in the thread). */
  sentCopy: boolean;
  raw: Buffer;
  sha256: string;
  inspect: InspectResult;
  /** The date that counts: daticert's, else the message's. */
  date: string | null;
}

export interface ProofContent {
  thread: (ThreadRow & { recipients: ReturnType<typeof threadRecipientsOf> }) | null;
  files: ProofFile[];
  /** The message as its author wrote it: the sent copy, postacert.eml of an envelope or a completa receipt. */
  original: OriginalMessage | null;
  /** Which file the original was read from. */
  originalFrom: string | null;
}

export class ProofError extends Error {}

/** Envelope and sent copy first, then receipts in time order. */
function order(a: MessageRow, b: MessageRow): number {
  const rank = (m: MessageRow) => (isReceiptKind(m.kind) ? 1 : 0);
  const date = (m: MessageRow) => m.certDate ?? m.sortDate ?? '';
  return rank(a) - rank(b) || date(a).localeCompare(date(b)) || a.id - b.id;
}

function fileName(index: number, m: MessageRow, sentCopy: boolean): string {
  const base = sentCopy
    ? 'messaggio-inviato'
    : m.kind === 'posta-certificata'
      ? 'busta-di-trasporto'
      : m.kind === 'errore'
        ? 'busta-di-anomalia'
        : isReceiptKind(m.kind)
          ? `ricevuta-${m.kind}`
          : 'messaggio';
  const who = m.deliveryAddress ? `-${m.deliveryAddress.replace(/[^\w.@+-]+/g, '_')}` : '';
  return `originali/${String(index + 1).padStart(2, '0')}-${base}${who}.eml`;
}

export async function collectProof(
  db: Db,
  objects: ObjectStore,
  messageId: number,
  scope: Scope,
  anchors?: TrustAnchors,
): Promise<ProofContent> {
  const asked = getMessage(db, messageId);
  if (!asked) throw new ProofError(`no message ${messageId}`);
  const thread = asked.threadId ? getThread(db, asked.threadId) : undefined;
  let members = thread ? threadMembers(db, thread.id) : [asked];
  // A PEC between two archived mailboxes is one thread: each side gets its own copies only.
  const visible = messagesInScope(
    db,
    members.map((m) => m.id),
    scope,
  );
  members = members.filter((m) => visible.has(m.id) || m.id === asked.id).sort(order);
  const files: ProofFile[] = [];
  for (const [i, m] of members.entries()) {
    const raw = await objects.get(m.objectHash);
    const sha256 = ObjectStore.hash(raw);
    // The bundle is evidence: bytes that no longer match their hash are not put in it as if they did.
    if (sha256 !== m.objectHash)
      throw new ProofError(`the archived original of message ${m.id} does not match its SHA-256`);
    const inspect = await inspectMessage(raw, anchors ? { anchors } : {});
    const sentCopy = Boolean(thread) && m.kind === 'ordinary';
    files.push({
      messageId: m.id,
      path: fileName(i, m, sentCopy),
      kind: m.kind,
      sentCopy,
      raw,
      sha256,
      inspect,
      date: inspect.certData?.date?.iso ?? m.certDate ?? m.date,
    });
  }
  // The author's message: the sent copy itself, else what an envelope or a complete receipt carries.
  let original: OriginalMessage | null = null;
  let originalFrom: string | null = null;
  const sent = files.find((f) => f.sentCopy);
  if (sent) {
    const own = await readOriginal(sent.raw);
    if (own.ok) {
      original = own.value;
      originalFrom = sent.path;
    }
  }
  if (!original) {
    const carrier =
      files.find((f) => !isReceiptKind(f.kind) && f.inspect.original) ??
      files.find((f) => f.inspect.original) ??
      null;
    if (carrier?.inspect.original) {
      original = carrier.inspect.original;
      originalFrom = carrier.path;
    }
  }
  return {
    thread: thread ? { ...thread, recipients: threadRecipientsOf(db, thread.id) } : null,
    files,
    original,
    originalFrom,
  };
}
