/**
 * The original message without its attachments' bodies, for the reader: everything a person reads
 * (headers, the text and HTML parts, the structure and each attachment's own headers) byte for
 * byte as archived, and each attachment's body left out. mailparser then reads a message of a few
 * kilobytes instead of decoding, say, a 2.4 MB PDF that the reader only lists (its size and SHA-256
 * were recorded when the message was archived).
 *
 * Which parts are attachments follows mailparser's own rule (a part is text only when it is
 * text/plain or text/html and not marked as an attachment); message/rfc822 parts are kept whole.
 * The caller checks that mailparser finds the same attachments in the skeleton as were archived,
 * and reads the whole original otherwise.
 */
import libmime from 'libmime';
import { headerValue, type MimePart, parseMime } from './mime.ts';

const TEXT_TYPES = new Set(['text/plain', 'text/html', 'message/delivery-status']);

export interface Skeleton {
  bytes: Buffer;
  /** How many attachment bodies were left out. */
  skipped: number;
}

export function originalSkeleton(original: Buffer): Skeleton {
  const root = parseMime(original);
  const cuts: [number, number][] = [];
  const visit = (part: MimePart, boundaries: Buffer[]) => {
    if (part.children.length > 0) {
      const boundary = part.contentType.params.boundary;
      const inside = boundary ? [...boundaries, Buffer.from(`--${boundary}`, 'latin1')] : boundaries;
      for (const child of part.children) visit(child, inside);
      return;
    }
    // A multipart whose children could not be found is left as it is, and so is a message inside.
    const type = part.contentType.mimeType;
    if (type.startsWith('multipart/') || type.startsWith('message/rfc822')) return;
    if (part === root || !isAttachment(part) || part.body.length === 0) return;
    // A body holding what looks like a delimiter of an enclosing multipart may be split there by
    // another reader (hostile or broken input): it is kept, so no text part can go missing.
    if (boundaries.some((b) => part.body.includes(b))) return;
    const start = part.body.byteOffset - original.byteOffset;
    cuts.push([start, start + part.body.length]);
  };
  visit(root, []);
  if (cuts.length === 0) return { bytes: original, skipped: 0 };
  const pieces: Buffer[] = [];
  let at = 0;
  for (const [start, end] of cuts) {
    pieces.push(original.subarray(at, start));
    at = end;
  }
  pieces.push(original.subarray(at));
  return { bytes: Buffer.concat(pieces), skipped: cuts.length };
}

function isAttachment(part: MimePart): boolean {
  if (!TEXT_TYPES.has(part.contentType.mimeType)) return true;
  const value = headerValue(part.headers, 'content-disposition');
  if (!value) return false;
  let disposition: string;
  try {
    disposition = String(libmime.parseHeaderValue(value).value ?? '')
      .trim()
      .toLowerCase();
  } catch {
    // Unreadable: kept, whatever mailparser makes of it.
    return false;
  }
  // An empty disposition is no disposition to mailparser: the text part is text.
  return disposition !== '' && disposition !== 'inline';
}
