/**
 * The original message a PEC carries (postacert.eml), read with mailparser: what a person reads
 * instead of the provider's envelope.
 */
import { createHash } from 'node:crypto';
import { type AddressObject, simpleParser } from 'mailparser';
import { cleanHeaderText, withoutUtf7 } from './charsets.ts';

export interface OriginalAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  sha256: string;
  contentId: string | null;
  inline: boolean;
  /** A message inside the message (.eml) or a signed file (.p7m): listed, opened on request. */
  nested: 'eml' | 'p7m' | null;
}

export interface OriginalMessage {
  subject: string | null;
  from: string | null;
  fromAddress: string | null;
  to: string[];
  cc: string[];
  date: string | null;
  messageId: string | null;
  /** The author's own Message-ID, kept by the provider in X-Riferimento-Message-ID. */
  referenceMessageId: string | null;
  text: string | null;
  html: string | null;
  attachments: OriginalAttachment[];
}

export type OriginalResult =
  | {
      ok: true;
      value: OriginalMessage;
      /** The attachments' bytes, in the order of value.attachments, when asked for. */
      contents?: AttachmentContent[];
    }
  | { ok: false; reason: string };

const MAX_HTML = 20 * 1024 * 1024;

function parseMail(bytes: Uint8Array) {
  return simpleParser(withoutUtf7(Buffer.from(bytes)), {
    maxHtmlLengthToParse: MAX_HTML,
    keepCidLinks: true,
  });
}

/** @param options.contents also keep each attachment's bytes (search reads their text from them). */
export async function readOriginal(
  bytes: Uint8Array,
  options: { contents?: boolean } = {},
): Promise<OriginalResult> {
  try {
    const mail = await parseMail(bytes);
    const ref = mail.headers.get('x-riferimento-message-id');
    return {
      ok: true,
      value: {
        subject: cleanHeaderText(mail.subject ?? null),
        from: cleanHeaderText(mail.from?.text ?? null),
        fromAddress: mail.from?.value[0]?.address?.toLowerCase() ?? null,
        to: addresses(mail.to),
        cc: addresses(mail.cc),
        date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
        messageId: mail.messageId ?? null,
        referenceMessageId: typeof ref === 'string' ? ref.trim() : null,
        text: mail.text ?? null,
        html: typeof mail.html === 'string' ? mail.html : null,
        attachments: mail.attachments.map((a) => ({
          filename: a.filename ?? null,
          contentType: a.contentType,
          size: a.size ?? a.content.length,
          sha256: createHash('sha256').update(a.content).digest('hex'),
          contentId: a.cid ?? null,
          inline: a.contentDisposition === 'inline' && Boolean(a.cid),
          nested: nestedKind(a.filename, a.contentType),
        })),
      },
      ...(options.contents ? { contents: mail.attachments.map(attachmentContent) } : {}),
    };
  } catch (error) {
    return { ok: false, reason: `postacert.eml could not be parsed: ${(error as Error).message}` };
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((o) => o.value.flatMap((a) => (a.address ? [a.address.toLowerCase()] : [])));
}

function nestedKind(filename: string | undefined, contentType: string): OriginalAttachment['nested'] {
  const name = (filename ?? '').toLowerCase();
  if (contentType === 'message/rfc822' || name.endsWith('.eml')) return 'eml';
  if (name.endsWith('.p7m') || contentType === 'application/pkcs7-mime') return 'p7m';
  return null;
}

export interface AttachmentContent {
  filename: string | null;
  contentType: string;
  content: Buffer;
}

/** The bytes of one attachment of a message (by its position in `attachments`), for saving. */
export async function readAttachment(bytes: Uint8Array, index: number): Promise<AttachmentContent | null> {
  try {
    const a = (await parseMail(bytes)).attachments[index];
    return a ? attachmentContent(a) : null;
  } catch {
    return null;
  }
}

function attachmentContent(a: {
  filename?: string;
  contentType: string;
  content: Buffer;
}): AttachmentContent {
  return { filename: a.filename ?? null, contentType: a.contentType, content: a.content };
}
