import { describe, expect, it } from 'vitest';
import { decodedBody, decodeText, parseMime, splitMultipart } from '../../../main/pec/mime.ts';

describe('byte-exact MIME reader', () => {
  it('unfolds headers and keeps names lower-case', () => {
    const root = parseMime(Buffer.from('Subject: a\r\n b\r\nX-Ricevuta:  accettazione \r\n\r\nbody'));
    expect(root.headers).toEqual([
      { name: 'subject', value: 'a b' },
      { name: 'x-ricevuta', value: 'accettazione' },
    ]);
    expect(root.body.toString()).toBe('body');
  });

  it('gives each part exactly the bytes between delimiters, the CRLF before a delimiter excluded', () => {
    const body = Buffer.from('preamble\r\n--b\r\nA: 1\r\n\r\none\r\n--b  \r\ntwo\r\n\r\n--b--\r\nepilogue');
    const split = splitMultipart(body, 'b');
    expect(split.closed).toBe(true);
    expect(split.parts.map((p) => p.toString())).toEqual(['A: 1\r\n\r\none', 'two\r\n']);
  });

  it('does not take a longer boundary or a mid-line occurrence for the delimiter', () => {
    const split = splitMultipart(Buffer.from('--b\r\nx --b\r\n--bb\r\n--b--\r\n'), 'b');
    expect(split.parts.map((p) => p.toString())).toEqual(['x --b\r\n--bb']);
  });

  it('reports an unclosed multipart and keeps what it found', () => {
    const root = parseMime(Buffer.from('Content-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\n\r\nonly'));
    expect(root.children).toHaveLength(1);
    expect(root.problems).toContain('multipart without closing delimiter');
  });

  it('stops at a nesting limit instead of recursing without end', () => {
    let msg = 'leaf';
    for (let i = 0; i < 60; i++)
      msg = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${msg}\r\n--b${i}--\r\n`;
    const root = parseMime(Buffer.from(msg));
    let depth = 0;
    let p = root;
    while (p.children[0]) {
      p = p.children[0];
      depth++;
    }
    expect(depth).toBeLessThan(30);
  });

  it('undoes base64 and quoted-printable and decodes declared charsets', () => {
    const qp = parseMime(
      Buffer.from('Content-Transfer-Encoding: quoted-printable\r\n\r\n=E8 stato=\r\n accettato'),
    );
    expect(decodeText(decodedBody(qp), 'iso-8859-1')).toBe('è stato accettato');
    const b64 = parseMime(Buffer.from('Content-Transfer-Encoding: base64\r\n\r\nwqhjacOy\r\n'));
    expect(decodeText(decodedBody(b64), 'utf-8')).toBe('¨ciò');
    expect(decodeText(Buffer.from([0x63, 0x69, 0xf2]), undefined)).toBe('ciò');
  });
});
