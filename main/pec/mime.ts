/**
 * A byte-exact MIME reader. The signature check needs the signed part exactly as transmitted, which
 * mailparser does not keep, so PEC structure is read here from the raw bytes; mailparser is used
 * only for the human-facing original (postacert.eml). Never throws on hostile input: limits bound
 * depth and part count, and anything odd is reported through `problems`.
 */
import iconv from 'iconv-lite';
import libmime from 'libmime';
import libqp from 'libqp';

export interface HeaderField {
  /** Lower-case field name. */
  name: string;
  /** Unfolded raw value (not RFC 2047 decoded). */
  value: string;
}

export interface ContentType {
  /** Lower-case `type/subtype`; `text/plain` when missing or unreadable (RFC 2045 default). */
  mimeType: string;
  params: Record<string, string>;
}

export interface MimePart {
  headers: HeaderField[];
  contentType: ContentType;
  /** Whole entity: header block, separator and body, as sliced from the input. */
  raw: Buffer;
  /** Body bytes only, still transfer-encoded. */
  body: Buffer;
  /** Sub-parts of a multipart; empty for leaves and for message/rfc822 (read it with parseMime). */
  children: MimePart[];
  /** Set when a multipart body had no closing delimiter or no parts could be found. */
  problems: string[];
}

const MAX_DEPTH = 24;
const MAX_PARTS = 2_000;

export function parseMime(raw: Uint8Array): MimePart {
  const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const budget = { parts: 0 };
  return parseEntity(buf, 0, budget);
}

function parseEntity(buf: Buffer, depth: number, budget: { parts: number }): MimePart {
  budget.parts++;
  const { headerEnd, bodyStart } = findHeaderEnd(buf);
  const headers = parseHeaderBlock(buf.subarray(0, headerEnd));
  const contentType = readContentType(headers);
  const body = buf.subarray(bodyStart);
  const part: MimePart = { headers, contentType, raw: buf, body, children: [], problems: [] };
  if (contentType.mimeType.startsWith('multipart/')) {
    const boundary = contentType.params.boundary;
    if (!boundary) {
      part.problems.push('multipart without boundary');
    } else if (depth >= MAX_DEPTH) {
      part.problems.push('multipart nesting too deep');
    } else {
      const split = splitMultipart(body, boundary);
      if (!split.closed) part.problems.push('multipart without closing delimiter');
      for (const chunk of split.parts) {
        if (budget.parts >= MAX_PARTS) {
          part.problems.push('too many MIME parts');
          break;
        }
        part.children.push(parseEntity(chunk, depth + 1, budget));
      }
      if (split.parts.length === 0) part.problems.push('multipart without parts');
    }
  }
  return part;
}

/** The header block ends at the first empty line; a message with no empty line is all headers. */
function findHeaderEnd(buf: Buffer): { headerEnd: number; bodyStart: number } {
  if (buf[0] === 0x0a) return { headerEnd: 0, bodyStart: 1 };
  if (buf[0] === 0x0d && buf[1] === 0x0a) return { headerEnd: 0, bodyStart: 2 };
  let i = buf.indexOf(0x0a);
  while (i !== -1) {
    const next = buf[i + 1];
    if (next === 0x0a) return { headerEnd: i + 1, bodyStart: i + 2 };
    if (next === 0x0d && buf[i + 2] === 0x0a) return { headerEnd: i + 1, bodyStart: i + 3 };
    i = buf.indexOf(0x0a, i + 1);
  }
  return { headerEnd: buf.length, bodyStart: buf.length };
}

export function parseHeaderBlock(block: Buffer): HeaderField[] {
  const text = decodeHeaderBytes(block);
  const fields: HeaderField[] = [];
  let current: { name: string; value: string } | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) {
      // Folded continuation (RFC 5322 §2.2.3); a continuation with no field before it is noise.
      if (current) current.value += ` ${line.trim()}`;
      continue;
    }
    if (current) fields.push(current);
    current = null;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    current = { name, value: line.slice(colon + 1).trim() };
  }
  if (current) fields.push(current);
  return fields;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Raw 8-bit headers are UTF-8 (RFC 6532) when they decode as such, else Latin-1, never lost. */
function decodeHeaderBytes(block: Buffer): string {
  try {
    return utf8.decode(block);
  } catch {
    return block.toString('latin1');
  }
}

export function headerValue(headers: HeaderField[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name === lower)?.value;
}

export function headerValues(headers: HeaderField[], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter((h) => h.name === lower).map((h) => h.value);
}

/** RFC 2047 decoding that never throws; undecodable words stay as they are. */
export function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

function readContentType(headers: HeaderField[]): ContentType {
  const value = headerValue(headers, 'content-type');
  if (!value) return { mimeType: 'text/plain', params: {} };
  try {
    const parsed = libmime.parseHeaderValue(value);
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed.params ?? {})) {
      if (typeof v === 'string') params[k.toLowerCase()] = v;
    }
    const mimeType = String(parsed.value ?? '')
      .trim()
      .toLowerCase();
    return { mimeType: /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(mimeType) ? mimeType : 'text/plain', params };
  } catch {
    return { mimeType: 'text/plain', params: {} };
  }
}

interface SplitResult {
  parts: Buffer[];
  closed: boolean;
}

/**
 * Splits a multipart body on its delimiter lines (RFC 2046 §5.1.1). The line break before a
 * delimiter belongs to the delimiter, so each part's bytes are exactly what a signature covers.
 */
export function splitMultipart(body: Buffer, boundary: string): SplitResult {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: Buffer[] = [];
  let partStart = -1;
  let from = 0;
  while (from <= body.length) {
    const at = body.indexOf(delimiter, from);
    if (at === -1) break;
    const atLineStart = at === 0 || body[at - 1] === 0x0a;
    const after = at + delimiter.length;
    const isClose = body[after] === 0x2d && body[after + 1] === 0x2d;
    const lineEnd = endOfLine(body, isClose ? after + 2 : after);
    if (!atLineStart || lineEnd === -2) {
      from = at + 1;
      continue;
    }
    if (partStart >= 0) parts.push(body.subarray(partStart, lineBreakStart(body, at)));
    if (isClose) return { parts, closed: true };
    partStart = lineEnd === -1 ? body.length : lineEnd;
    from = partStart;
  }
  if (partStart >= 0) parts.push(body.subarray(partStart));
  return { parts, closed: false };
}

/**
 * After a delimiter only linear white space may follow before the line break. Returns the offset
 * just past the line break, -1 at end of input, -2 when other text follows (not a delimiter line).
 */
function endOfLine(buf: Buffer, i: number): number {
  let j = i;
  while (buf[j] === 0x20 || buf[j] === 0x09) j++;
  if (j >= buf.length) return -1;
  if (buf[j] === 0x0a) return j + 1;
  if (buf[j] === 0x0d && buf[j + 1] === 0x0a) return j + 2;
  return -2;
}

function lineBreakStart(buf: Buffer, delimiterAt: number): number {
  if (delimiterAt >= 2 && buf[delimiterAt - 2] === 0x0d && buf[delimiterAt - 1] === 0x0a)
    return delimiterAt - 2;
  if (delimiterAt >= 1 && buf[delimiterAt - 1] === 0x0a) return delimiterAt - 1;
  return delimiterAt;
}

/** Body bytes with the Content-Transfer-Encoding undone; unknown encodings pass through. */
export function decodedBody(part: MimePart): Buffer {
  const cte = (headerValue(part.headers, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  if (cte === 'base64')
    return Buffer.from(part.body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (cte === 'quoted-printable') return Buffer.from(libqp.decode(part.body.toString('latin1')));
  return part.body;
}

/** Text of a part in its declared charset; unknown charsets fall back to UTF-8, then Latin-1. */
export function decodeText(bytes: Buffer, charset: string | undefined): string {
  const cs = (charset ?? 'utf-8').trim().toLowerCase();
  if (cs && cs !== 'utf-8' && cs !== 'utf8' && iconv.encodingExists(cs)) return iconv.decode(bytes, cs);
  try {
    return utf8.decode(bytes);
  } catch {
    return iconv.decode(bytes, 'windows-1252');
  }
}

/** The file name of a part: Content-Disposition filename, else Content-Type name, decoded. */
export function partFileName(part: MimePart): string | undefined {
  const disposition = headerValue(part.headers, 'content-disposition');
  if (disposition) {
    try {
      const filename = libmime.parseHeaderValue(disposition).params?.filename;
      if (typeof filename === 'string' && filename) return decodeWords(filename);
    } catch {
      // fall through to the Content-Type name
    }
  }
  const name = part.contentType.params.name;
  return name ? decodeWords(name) : undefined;
}

/** Depth-first walk that does not enter message/rfc822 parts (their content is another message). */
export function* walkParts(part: MimePart): Generator<MimePart> {
  yield part;
  for (const child of part.children) yield* walkParts(child);
}
