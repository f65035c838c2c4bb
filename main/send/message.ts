/**
 * The message PecDesk hands to the provider, built once and kept byte for byte: the bytes sent are
 * the bytes archived (the sent copy is the legal original of what was sent). PecDesk sets the
 * Message-ID itself (pec-format.md §4: the client's id is the PEC's msgid, which every receipt
 * repeats), asks for the receipt type with X-TipoRicevuta, and never writes a Bcc header.
 */
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { DeliveryType } from '../pec/kinds.ts';

export interface OutgoingAttachment {
  filename: string;
  content: Buffer;
  /** message/rfc822 for a forwarded PEC (postacert.eml or the whole envelope). */
  contentType?: string;
}

export interface OutgoingMessage {
  from: { address: string; name?: string | null };
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  /** The same body with simple formatting (bold, italics, lists), when the person used any. */
  html?: string | null;
  attachments: OutgoingAttachment[];
  receiptType: DeliveryType;
  /** A reply: the Message-ID answered, and the chain before it. */
  inReplyTo?: string | null;
  references?: string[];
  messageId: string;
  date: Date;
}

/** `<pecdesk.<time>.<random>@<sender's domain>>`: unique, and says who made it. */
export function newMessageId(fromAddress: string, now = new Date()): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1).toLowerCase() || 'pecdesk.invalid';
  return `<pecdesk.${now.getTime().toString(36)}.${randomBytes(12).toString('hex')}@${domain}>`;
}

/** RFC 6109 spells the header X-TipoRicevuta; nodemailer would write X-Tiporicevuta. */
function headerKey(key: string): string {
  return key.toLowerCase() === 'x-tiporicevuta' ? 'X-TipoRicevuta' : key;
}

/** The raw RFC 822 message (CRLF line ends), exactly as it will be sent and archived. */
export async function buildMessage(m: OutgoingMessage): Promise<Buffer> {
  const composer = new MailComposer({
    from: m.from.name ? { name: m.from.name, address: m.from.address } : m.from.address,
    to: m.to,
    ...(m.cc.length > 0 ? { cc: m.cc } : {}),
    subject: m.subject,
    text: m.text,
    ...(m.html ? { html: m.html } : {}),
    messageId: m.messageId,
    date: m.date,
    ...(m.inReplyTo ? { inReplyTo: m.inReplyTo } : {}),
    ...(m.references && m.references.length > 0 ? { references: m.references } : {}),
    headers: { 'X-TipoRicevuta': m.receiptType, 'X-Mailer': 'PecDesk' },
    normalizeHeaderKey: headerKey,
    attachments: m.attachments.map((a) => ({
      filename: a.filename,
      content: a.content,
      ...(a.contentType ? { contentType: a.contentType } : {}),
      // An attachment, never inline: a forwarded PEC (message/rfc822) would otherwise be shown as
      // part of the text by the recipient's client, and its signed bytes lost from view.
      contentDisposition: 'attachment' as const,
    })),
    // Text parts as quoted-printable or base64, never 8bit: every relay keeps them as they are.
    textEncoding: 'quoted-printable',
  });
  return composer.compile().build();
}
