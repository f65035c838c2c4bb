/**
 * The original as a "breve" delivery receipt carries it (pec-format.md §2.4): the message with each
 * attachment replaced by its hash, so the receipt stays small and the sender, who keeps the
 * attachments, can still prove what was delivered. The annex's exact naming is [M] in pec-format.md;
 * here each attachment becomes a text part "<file name>.hash" holding the SHA-1 (hex) of the
 * attachment's transfer-decoded content (headers included for an attached message), the algorithm
 * and naming a published PEC reader expects.
 */
import { createHash } from 'node:crypto';
import libmime from 'libmime';
import { decodedBody, headerValue, type MimePart, parseMime, partFileName, walkParts } from '../pec/mime.ts';

const CRLF = '\r\n';

function isAttachment(part: MimePart, root: MimePart): boolean {
  if (part === root || part.contentType.mimeType.startsWith('multipart/')) return false;
  const disposition = (headerValue(part.headers, 'content-disposition') ?? '').trim().toLowerCase();
  if (disposition.startsWith('attachment')) return true;
  // Inline text is the body; anything else with a file name (an inline image, a PDF) is a file.
  return !part.contentType.mimeType.startsWith('text/') && partFileName(part) !== undefined;
}

function hashPart(part: MimePart, index: number): string {
  const name = `${partFileName(part) ?? `allegato-${index}`}.hash`;
  const sha1 = createHash('sha1').update(decodedBody(part)).digest('hex');
  return [
    `Content-Type: ${libmime.buildHeaderValue({ value: 'text/plain', params: { charset: 'us-ascii', name } })}`,
    `Content-Disposition: ${libmime.buildHeaderValue({ value: 'attachment', params: { filename: name } })}`,
    'Content-Transfer-Encoding: 7bit',
    '',
    sha1,
  ].join(CRLF);
}

/** Returns the message with its attachments replaced by their hashes (unchanged when it has none). */
export function withAttachmentHashes(original: Buffer): Buffer {
  const root = parseMime(original);
  const base = root.raw.byteOffset;
  const cuts: { start: number; end: number; text: string }[] = [];
  let index = 0;
  for (const part of walkParts(root)) {
    if (!isAttachment(part, root)) continue;
    index++;
    const start = part.raw.byteOffset - base;
    cuts.push({ start, end: start + part.raw.length, text: hashPart(part, index) });
  }
  if (cuts.length === 0) return original;
  const pieces: Buffer[] = [];
  let at = 0;
  for (const cut of cuts.sort((a, b) => a.start - b.start)) {
    pieces.push(original.subarray(at, cut.start), Buffer.from(cut.text, 'utf8'));
    at = cut.end;
  }
  pieces.push(original.subarray(at));
  return Buffer.concat(pieces);
}
