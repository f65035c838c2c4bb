/**
 * Charsets mailparser will not decode, and bytes that must never reach the screen.
 *
 * UTF-7 (RFC 2152): real mailboxes hold it (a Legalmail 2019 original reads "+ADw-HTML+AD4-…"
 * undecoded). mailparser refuses it on purpose: a filter looking for "<" would let "+ADw-script+AD4-"
 * through. PecDesk does not filter HTML, it never runs it (a sandboxed frame with no scripts, a CSP
 * without script sources), so decoding UTF-7 costs nothing in safety. Before mailparser reads a
 * message, its UTF-7 text parts are re-encoded as UTF-8 (base64) and UTF-7 encoded words in headers
 * as UTF-8 ones; only the copy being read changes, never the archived original.
 */
import iconv from 'iconv-lite';
import { decodedBody, headerValue, type MimePart, parseMime, partFileName, walkParts } from './mime.ts';

const UTF7 = /^(?:(?:cs)?unicode-?1-?1-?)?utf-?7$/i;
const MAY_HAVE_UTF7 = /utf-?7/i;

/** C0 controls but tab, DEL and C1 controls: what shows as boxes (or rewrites a terminal). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Header text as a person reads it: control bytes out, line breaks as spaces. */
export function cleanHeaderText(value: string): string;
export function cleanHeaderText(value: string | null): string | null;
export function cleanHeaderText(value: string | null): string | null {
  if (value === null) return null;
  return value.replace(/\r?\n/g, ' ').replace(CONTROL, '');
}

/** The message with UTF-7 text parts and encoded words turned into UTF-8; the same bytes when none. */
export function withoutUtf7(raw: Buffer): Buffer {
  if (!MAY_HAVE_UTF7.test(raw.toString('latin1'))) return raw;
  const root = parseMime(raw);
  const edits: { start: number; end: number; bytes: Buffer }[] = [];
  const base = raw.byteOffset;
  for (const part of walkParts(root)) {
    const start = part.raw.byteOffset - base;
    const headerEnd = start + (part.raw.length - part.body.length);
    const charset = part.contentType.params.charset;
    // Body text only: an attached file is saved byte for byte as it came, whatever its charset.
    if (
      part.contentType.mimeType.startsWith('text/') &&
      charset &&
      UTF7.test(charset.trim()) &&
      !partFileName(part) &&
      !/^\s*attachment/i.test(headerValue(part.headers, 'content-disposition') ?? '')
    ) {
      const text = iconv.decode(decodedBody(part), 'utf7');
      edits.push({ start, end: start + part.raw.length, bytes: reencodedPart(part, text) });
      continue;
    }
    // Headers of every entity (the message's and each part's): encoded words in UTF-7.
    const head = raw.subarray(start, headerEnd).toString('latin1');
    if (/=\?[^?]*utf-?7[^?]*\?/i.test(head)) {
      edits.push({ start, end: headerEnd, bytes: Buffer.from(utf7Words(head), 'latin1') });
    }
  }
  if (edits.length === 0) return raw;
  // Innermost edits only: a part rewritten whole makes edits inside it moot.
  const kept = edits
    .sort((a, b) => a.start - b.start || b.end - a.end)
    .filter(
      (e, i, all) =>
        !all.some(
          (o, j) => j !== i && o.start <= e.start && o.end >= e.end && (o.start < e.start || o.end > e.end),
        ),
    );
  const out: Buffer[] = [];
  let at = 0;
  for (const e of kept) {
    if (e.start < at) continue;
    out.push(raw.subarray(at, e.start), e.bytes);
    at = e.end;
  }
  out.push(raw.subarray(at));
  return Buffer.concat(out);
}

/** The part's headers without its Content-Type/Transfer-Encoding, then UTF-8 base64 of the text. */
function reencodedPart(part: MimePart, text: string): Buffer {
  const keep = part.headers.filter(
    (h) => h.name !== 'content-type' && h.name !== 'content-transfer-encoding',
  );
  const b64 = Buffer.from(text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  const lines = [
    ...keep.map((h) => `${h.name}: ${h.value}`),
    `Content-Type: ${part.contentType.mimeType}; charset=utf-8`,
    'Content-Transfer-Encoding: base64',
    '',
    b64,
  ];
  const ending = part.raw.subarray(part.raw.length - 2).toString('latin1') === '\r\n' ? '\r\n' : '';
  return Buffer.from(lines.join('\r\n') + ending, 'utf8');
}

function utf7Words(head: string): string {
  return head.replace(
    /=\?([^?]*utf-?7[^?]*)\?([QqBb])\?([^?]*)\?=/g,
    (_all, _cs, enc: string, data: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : Buffer.from(
              data
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) =>
                  String.fromCharCode(Number.parseInt(h, 16)),
                ),
              'latin1',
            );
      return `=?utf-8?B?${Buffer.from(iconv.decode(bytes, 'utf7'), 'utf8').toString('base64')}?=`;
    },
  );
}
