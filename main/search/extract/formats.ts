/**
 * Which extractor reads an attachment, decided from its name, declared type and first bytes (the
 * declared type is often application/octet-stream: SdI sends FatturaPA files that way).
 */
export type TextFormat = 'pdf' | 'text' | 'xml' | 'html' | 'p7m' | 'eml' | null;

export interface AttachmentFile {
  filename: string | null;
  contentType: string;
  content: Uint8Array;
}

const TEXT_EXT = /\.(txt|csv|tsv|md|log|json|ics|vcf)$/i;

export function detectFormat(file: AttachmentFile): TextFormat {
  const name = (file.filename ?? '').toLowerCase().trim();
  const type = file.contentType.toLowerCase();
  const head = Buffer.from(file.content.subarray(0, 512)).toString('latin1');
  if (name.endsWith('.p7m') || type === 'application/pkcs7-mime' || type === 'application/x-pkcs7-mime')
    return 'p7m';
  if (type === 'message/rfc822' || name.endsWith('.eml')) return 'eml';
  if (head.startsWith('%PDF-') || name.endsWith('.pdf') || type === 'application/pdf') return 'pdf';
  if (name.endsWith('.xml') || type.endsWith('/xml') || type.endsWith('+xml') || /^\s*<\?xml/.test(head))
    return 'xml';
  if (name.endsWith('.html') || name.endsWith('.htm') || type === 'text/html') return 'html';
  if (TEXT_EXT.test(name) || type.startsWith('text/')) return 'text';
  return null;
}

/** The name a signed file had before signing: "fattura.xml.p7m" → "fattura.xml". */
export function unsignedName(filename: string | null): string | null {
  if (!filename) return null;
  const stripped = filename.replace(/(\.p7m)+$/i, '');
  return stripped === filename ? null : stripped;
}

/** UTF-8 when it is valid UTF-8 (with or without BOM), else Windows-1252 as Italian files often are. */
export function decodeText(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    return new TextDecoder('windows-1252').decode(buf);
  }
}

/** The text of XML and HTML documents (linear time whatever the markup: markup.ts). */
export { markupText } from './markup.ts';
