/**
 * Compose without React: the draft a person edits, what a reply quotes and a forward carries, the
 * files they drop, and the API arguments. Kept apart so each rule is tested on its own.
 */
import type { ApiArgs } from '../../../../main/api/contract.ts';
import type { Draft } from '../../../../main/api/send-contract.ts';

export type ReceiptType = 'completa' | 'breve' | 'sintetica';

/** A file the person attached (its bytes as base64), or a message of the archive forwarded. */
export type ComposeAttachment =
  | { kind: 'file'; filename: string; size: number; contentBase64: string; contentType?: string }
  | { kind: 'message'; messageId: number; part: 'original' | 'envelope'; filename: string; size: number };

export interface ComposeDraft {
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  /** The body as plain text, and as HTML when the person used bold, italics or lists. */
  text: string;
  html: string | null;
  receiptType: ReceiptType;
  attachments: ComposeAttachment[];
  inReplyTo: string | null;
  references: string[];
  /** A forwarded PEC: its envelope may be attached instead of its original (postacert.eml). */
  forwardOf: number | null;
}

export function emptyDraft(from = ''): ComposeDraft {
  return {
    from,
    to: [],
    cc: [],
    subject: '',
    text: '',
    html: null,
    receiptType: 'completa',
    attachments: [],
    inReplyTo: null,
    references: [],
    forwardOf: null,
  };
}

/** Each line of the original prefixed with "> ", under the line that says who wrote it and when. */
export function quote(header: string, text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  return `\n\n${header}\n${lines.map((l) => (l ? `> ${l}` : '>')).join('\n')}\n`;
}

/** A reply or forward from the core (compose.reply / compose.forward) as a draft to edit. */
export function draftFrom(
  d: Draft,
  header: string,
  fallbackFrom: string,
  forwardOf: number | null = null,
): ComposeDraft {
  return {
    ...emptyDraft(d.from ?? fallbackFrom),
    to: d.to,
    cc: d.cc,
    subject: d.subject,
    text: d.quoted.text ? quote(header, d.quoted.text) : '',
    inReplyTo: d.inReplyTo,
    references: d.references,
    attachments: d.attachments.map((a) => ({ kind: 'message', ...a })),
    forwardOf,
  };
}

/** Addresses typed or pasted: separated by commas, semicolons, spaces or line breaks; "Nome <a@b>" too. */
export function splitAddresses(value: string): string[] {
  return value
    .split(/[,;\n]+/)
    .flatMap((part) => {
      // "Mario Rossi <rossi@pec.it>": the address alone, the name left out.
      const angled = /<([^<>]+)>/.exec(part);
      return angled ? [angled[1]!] : part.split(/\s+/);
    })
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
}

const EMAIL = /^[^\s@<>",;:()[\]\\]+@[^\s@<>",;:()[\]\\]+\.[^\s@<>",;:()[\]\\]{2,}$/;

export function looksLikeAddress(value: string): boolean {
  return EMAIL.test(value);
}

export function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A dropped or chosen file as an attachment. */
export async function fileAttachment(file: {
  name: string;
  size: number;
  type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}): Promise<ComposeAttachment> {
  return {
    kind: 'file',
    filename: file.name,
    size: file.size,
    contentBase64: toBase64(await file.arrayBuffer()),
    ...(file.type ? { contentType: file.type } : {}),
  };
}

/** The arguments of outbox.check and outbox.send. */
export function sendArgs(d: ComposeDraft): ApiArgs<'outbox.send'> {
  return {
    from: d.from,
    to: d.to,
    cc: d.cc,
    subject: d.subject,
    text: d.text,
    html: d.html,
    receiptType: d.receiptType,
    attachments: d.attachments.map((a) =>
      a.kind === 'file'
        ? {
            filename: a.filename,
            contentBase64: a.contentBase64,
            ...(a.contentType ? { contentType: a.contentType } : {}),
          }
        : { messageId: a.messageId, part: a.part },
    ),
    ...(d.inReplyTo ? { inReplyTo: d.inReplyTo } : {}),
    ...(d.references.length > 0 ? { references: d.references } : {}),
  };
}

/**
 * The HTML the editor holds, reduced to what a PEC body needs (paragraphs, line breaks, bold,
 * italics, underline, lists): anything else pasted in (styles, scripts, images, links' targets)
 * is dropped, its text kept.
 */
export function cleanHtml(root: Node): string {
  const keep: Record<string, string> = {
    B: 'strong',
    STRONG: 'strong',
    I: 'em',
    EM: 'em',
    U: 'u',
    UL: 'ul',
    OL: 'ol',
    LI: 'li',
    P: 'p',
    DIV: 'div',
    BR: 'br',
  };
  const text = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
  const walk = (node: Node): string => {
    if (node.nodeType === 3) return text(node.textContent ?? '');
    if (node.nodeType !== 1) return '';
    const el = node as Element;
    if (['SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'OBJECT'].includes(el.tagName)) return '';
    const inner = [...el.childNodes].map(walk).join('');
    const tag = keep[el.tagName];
    if (!tag) return inner;
    return tag === 'br' ? '<br>' : `<${tag}>${inner}</${tag}>`;
  };
  return [...root.childNodes].map(walk).join('');
}

/** Whether the HTML carries any formatting beyond paragraphs (else the plain text is enough). */
export function hasFormatting(html: string): boolean {
  return /<(strong|em|u|ul|ol)>/.test(html);
}
