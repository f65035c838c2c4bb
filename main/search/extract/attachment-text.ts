/**
 * The searchable text of one attachment: PDF, plain text, XML (FatturaPA e-invoices among them),
 * signed .p7m files (their content, by the name they had before signing) and nested .eml messages
 * (headers, body and their own attachments). Runs inside the extraction worker (extractor.ts), so
 * a hostile file can cost time but never the ingest; every failure becomes a status, not a throw.
 */
import { simpleParser } from 'mailparser';
import { type AttachmentFile, decodeText, detectFormat, markupText, unsignedName } from './formats.ts';
import { unwrapP7m } from './p7m.ts';
import { pdfText } from './pdf.ts';

/** pending: archived, not read yet (the archive's text queue reads it after ingest). */
export type TextStatus = 'pending' | 'ok' | 'empty' | 'unsupported' | 'failed';

export interface ExtractedText {
  text: string;
  status: TextStatus;
  /** Why it failed, in English (logs, details pane). */
  error: string | null;
}

export interface ExtractLimits {
  /** Characters of text kept per attachment. */
  maxChars: number;
  /** Bytes read per attachment; larger files are indexed by name only. */
  maxBytes: number;
  /** Nesting depth for .eml and .p7m inside each other. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: ExtractLimits = {
  maxChars: 200_000,
  maxBytes: 50 * 1024 * 1024,
  maxDepth: 3,
};

const ok = (text: string): ExtractedText => {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return { text: trimmed, status: trimmed ? 'ok' : 'empty', error: null };
};
const failed = (error: string): ExtractedText => ({ text: '', status: 'failed', error });

export async function extractAttachmentText(
  file: AttachmentFile,
  limits: ExtractLimits = DEFAULT_LIMITS,
  depth = 0,
): Promise<ExtractedText> {
  const format = detectFormat(file);
  if (!format) return { text: '', status: 'unsupported', error: null };
  if (file.content.byteLength > limits.maxBytes)
    return failed(`file of ${file.content.byteLength} bytes is over the ${limits.maxBytes}-byte limit`);
  try {
    switch (format) {
      case 'pdf':
        return ok(await pdfText(file.content, limits.maxChars));
      case 'text':
        return ok(decodeText(file.content).slice(0, limits.maxChars));
      case 'xml':
      case 'html':
        return ok(markupText(decodeText(file.content)).slice(0, limits.maxChars));
      case 'p7m': {
        if (depth >= limits.maxDepth) return failed('nested too deep');
        const inner = unwrapP7m(file.content);
        if (!inner) return failed('not a signed file with attached content (CMS SignedData)');
        const name = unsignedName(file.filename);
        return extractAttachmentText(
          { filename: name, contentType: 'application/octet-stream', content: inner },
          limits,
          depth + 1,
        ).then((r) => (r.status === 'unsupported' ? ok('') : r));
      }
      case 'eml':
        if (depth >= limits.maxDepth) return failed('nested too deep');
        return await emlText(file.content, limits, depth);
    }
  } catch (error) {
    return failed(((error as Error).message || String(error)).slice(0, 500));
  }
}

async function emlText(bytes: Uint8Array, limits: ExtractLimits, depth: number): Promise<ExtractedText> {
  const mail = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const parts = [
    mail.subject,
    mail.from?.text,
    ...[mail.to, mail.cc].flat().map((a) => a?.text),
    mail.text ?? (typeof mail.html === 'string' ? markupText(mail.html) : ''),
  ];
  for (const a of mail.attachments) {
    parts.push(a.filename);
    const inner = await extractAttachmentText(
      { filename: a.filename ?? null, contentType: a.contentType, content: a.content },
      limits,
      depth + 1,
    );
    parts.push(inner.text);
  }
  return ok(parts.filter(Boolean).join(' ').slice(0, limits.maxChars));
}
