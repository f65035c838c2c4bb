/**
 * From what the PEC model read to the archive row: pure, so the mapping is tested without a db.
 */
import type { NewAttachment, NewMessage } from '../../db/messages.ts';
import type { InspectResult } from '../pec/inspect.ts';
import { isPecKind, type MessageKind, matchSubjectPrefix } from '../pec/kinds.ts';
import type { OriginalMessage } from '../pec/original.ts';
import type { ExtractedText } from '../search/extract/attachment-text.ts';

/** Message-IDs compared as written, angle brackets normalised: providers keep the author's exact id. */
export function normaliseMessageId(id: string | null | undefined): string | null {
  const bare = id?.trim().replace(/^<+|>+$/g, '');
  return bare ? `<${bare}>` : null;
}

function fromParts(from: string | null): { address: string | null; name: string | null } {
  if (!from) return { address: null, name: null };
  const angled = /^(.*)<([^<>]+@[^<>]+)>\s*$/.exec(from);
  if (angled)
    return {
      address: angled[2]!.trim().toLowerCase(),
      name: angled[1]!.trim().replace(/^"|"$/g, '') || null,
    };
  const bare = /([^\s<>"]+@[^\s<>"]+)/.exec(from)?.[1];
  return { address: bare?.toLowerCase() ?? null, name: null };
}

export interface MessageRecord {
  row: NewMessage;
  attachments: NewAttachment[];
  /** What full-text search indexes for this message (db/search.ts). */
  searchText: SearchText;
}

export interface SearchText {
  subject: string;
  sender: string;
  recipients: string;
  body: string;
  attachments: string;
}

/** Index at most this much body text per message: enough for any real PEC, bounded for junk. */
const MAX_BODY_CHARS = 200_000;
/** And this much attachment text, all attachments together. */
const MAX_ATTACHMENT_CHARS = 1_000_000;

/**
 * What search indexes of a message's attachments: their names, then their text (bounded). Built
 * at ingest with the names alone, again when the text queue has read the text.
 */
export function attachmentSearchText(
  filenames: readonly (string | null)[],
  texts: readonly (string | null | undefined)[],
): string {
  return [...filenames, ...texts].filter(Boolean).join(' ').slice(0, MAX_ATTACHMENT_CHARS);
}

/**
 * @param own the message parsed as ordinary mail, for non-PEC messages (their own subject,
 * sender and attachments); the original of a PEC comes from its postacert.eml.
 * @param texts the text read from each attachment of the original, in order (extract/); missing
 * when there was nothing to read.
 */
export function toMessageRecord(
  r: InspectResult,
  own: OriginalMessage | null,
  archivedAt: string,
  texts: readonly (ExtractedText | null)[] = [],
): MessageRecord {
  const from = fromParts(r.from);
  const original = isPecKind(r.kind as MessageKind) ? r.original : own;
  const pecSubject =
    r.certData?.subject ?? (r.subject ? (matchSubjectPrefix(r.subject)?.rest ?? null) : null);
  const files = original?.attachments ?? [];
  const row: NewMessage = {
    objectHash: r.sha256,
    size: r.size,
    kind: r.kind,
    basis: r.basis,
    deliveryType: r.deliveryType,
    virus: r.virus,
    subject: r.subject,
    fromAddress: from.address,
    fromName: from.name,
    date: r.date,
    messageId: normaliseMessageId(r.messageId),
    referenceMessageId: normaliseMessageId(r.referenceMessageId),
    identificativo: r.certData?.identificativo ?? null,
    pecMsgid: normaliseMessageId(r.certData?.msgid),
    certifiedSender: r.certData?.sender?.toLowerCase() ?? null,
    certDate: r.certData?.date?.iso ? new Date(r.certData.date.iso).toISOString() : null,
    certProvider: r.certData?.provider ?? null,
    certError: r.certData && r.certData.error !== 'nessuno' ? r.certData.error : null,
    certErrorDetail: r.certData?.errorDetail ?? null,
    deliveryAddress: r.certData?.deliveryAddress?.toLowerCase() ?? null,
    certRecipients: JSON.stringify(r.certData?.recipients ?? []),
    originalSubject: original?.subject ?? pecSubject ?? r.subject,
    originalFrom: original?.from ?? r.certData?.sender ?? r.from,
    originalDate: original?.date ?? null,
    hasAttachments: files.length > 0,
    signatureVerdict: r.signature.verdict,
    signatureReason: r.signature.reason,
    signer: r.signature.signer?.subject ?? null,
    signingTime: r.signature.signingTime,
    anomalies: JSON.stringify(r.anomalies),
    parseError:
      r.kind === 'unparseable' ? r.anomalies.map((a) => a.message).join('; ') || 'unreadable message' : null,
    archivedAt,
    sortDate:
      (r.certData?.date?.iso ? new Date(r.certData.date.iso).toISOString() : null) ??
      original?.date ??
      r.date ??
      archivedAt,
  };
  const join = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' ');
  const searchText: SearchText = {
    subject: join(row.originalSubject, pecSubject !== row.originalSubject ? pecSubject : null),
    // The certified sender and the original's From; never the provider's posta-certificata@.
    sender: join(r.certData?.sender, original?.from, isPecKind(r.kind as MessageKind) ? null : r.from),
    recipients: join(
      ...(r.certData?.recipients.map((x) => x.address) ?? []),
      ...(original?.to ?? []),
      ...(original?.cc ?? []),
    ),
    body: (original?.text ?? '').slice(0, MAX_BODY_CHARS),
    attachments: attachmentSearchText(
      files.map((a) => a.filename),
      texts.map((t) => t?.text),
    ),
  };
  return {
    row,
    searchText,
    attachments: files.map((a, i) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      sha256: a.sha256,
      nested: a.nested,
      textStatus: texts[i]?.status ?? 'unsupported',
      textError: texts[i]?.error ?? null,
    })),
  };
}
