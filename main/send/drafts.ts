/**
 * Reply, reply all and forward, from a message of the archive. A PEC is answered from its original
 * (postacert.eml), never from the provider's envelope: the person writes to the certified sender,
 * quotes what they wrote, and In-Reply-To names the author's own Message-ID (the PEC's msgid, which
 * the author's Sent folder holds; pec-format.md §4). A forwarded PEC carries its original as an
 * attachment, or the whole envelope on request: the envelope is what the provider signed, so it
 * keeps its legal value.
 */
import type { AccountRow } from '../../db/accounts.ts';
import { inspectMessage, originalBytes } from '../pec/inspect.ts';
import { isPecKind, isReceiptKind, type MessageKind } from '../pec/kinds.ts';
import { type OriginalMessage, readOriginal } from '../pec/original.ts';
import type { TrustAnchors } from '../pec/trust.ts';

export interface DraftAttachment {
  messageId: number;
  part: 'original' | 'envelope';
  filename: string;
  size: number;
}

export interface Draft {
  /** The mailbox to send from: the one the message arrived in (or was sent from). */
  from: string | null;
  to: string[];
  cc: string[];
  subject: string;
  /** What the reply quotes (the renderer writes the "Il giorno … ha scritto:" line in its language). */
  quoted: { author: string | null; date: string | null; subject: string | null; text: string };
  inReplyTo: string | null;
  references: string[];
  attachments: DraftAttachment[];
}

export class DraftError extends Error {}

interface Source {
  raw: Buffer;
  messageRowId: number;
  /** The mailboxes (accounts) the message sits in, first the one it was read in. */
  accounts: AccountRow[];
  anchors?: TrustAnchors;
}

interface Read {
  kind: MessageKind;
  original: OriginalMessage;
  sender: string | null;
  msgid: string | null;
}

async function read(source: Source): Promise<Read> {
  const inspected = await inspectMessage(source.raw, source.anchors ? { anchors: source.anchors } : {});
  const kind = inspected.kind as MessageKind;
  if (isReceiptKind(kind)) throw new DraftError('a receipt is the provider’s: answer the PEC it is about');
  let original = isPecKind(kind) ? inspected.original : null;
  if (!original) {
    const own = await readOriginal(source.raw);
    if (!own.ok) throw new DraftError(`the message cannot be read: ${own.reason}`);
    original = own.value;
  }
  const sender = (inspected.certData?.sender ?? original.fromAddress ?? null)?.toLowerCase() ?? null;
  const msgid = original.referenceMessageId ?? inspected.certData?.msgid ?? original.messageId ?? null;
  return { kind, original, sender, msgid };
}

function prefixed(prefix: string, subject: string | null, already: RegExp): string {
  const s = (subject ?? '').trim();
  return already.test(s) ? s : `${prefix} ${s}`.trim();
}

function quoted(r: Read) {
  return {
    author: r.original.from ?? r.sender,
    date: r.original.date,
    subject: r.original.subject,
    text: (r.original.text ?? '').replace(/\r\n/g, '\n').trimEnd(),
  };
}

export async function replyDraft(source: Source, all: boolean): Promise<Draft> {
  const r = await read(source);
  const own = new Set(source.accounts.map((a) => a.email));
  const from =
    source.accounts.find((a) => [...r.original.to, ...r.original.cc].some((x) => x.toLowerCase() === a.email))
      ?.email ??
    source.accounts[0]?.email ??
    null;
  const ours = r.sender !== null && own.has(r.sender);
  // Answering one's own sent PEC writes to its recipients again.
  const to = ours ? r.original.to.map((x) => x.toLowerCase()) : r.sender ? [r.sender] : [];
  const others = all
    ? [...(ours ? [] : r.original.to), ...r.original.cc]
        .map((x) => x.toLowerCase())
        .filter((x) => x !== from && !to.includes(x))
    : [];
  return {
    from,
    to,
    cc: [...new Set(others)],
    subject: prefixed('Re:', r.original.subject, /^(re|r|rif)\s*:/i),
    quoted: quoted(r),
    inReplyTo: r.msgid,
    references: r.msgid ? [r.msgid] : [],
    attachments: [],
  };
}

export async function forwardDraft(source: Source, envelope: boolean): Promise<Draft> {
  const r = await read(source);
  const pec = isPecKind(r.kind);
  const name = (r.original.subject ?? 'messaggio')
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
    .trim()
    .slice(0, 80);
  const attachment: DraftAttachment =
    pec && !envelope
      ? {
          messageId: source.messageRowId,
          part: 'original',
          filename: 'postacert.eml',
          size: originalBytes(source.raw).length,
        }
      : {
          messageId: source.messageRowId,
          part: 'envelope',
          filename: `${name || 'messaggio'}.eml`,
          size: source.raw.length,
        };
  return {
    from: source.accounts[0]?.email ?? null,
    to: [],
    cc: [],
    subject: prefixed('I:', r.original.subject, /^(i|fw|fwd|inoltro)\s*:/i),
    quoted: quoted(r),
    inReplyTo: null,
    references: [],
    attachments: [attachment],
  };
}
