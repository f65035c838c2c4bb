import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readOriginal } from '../../../main/pec/original.ts';
import { originalSkeleton } from '../../../main/pec/original-skeleton.ts';
import { buildOriginal, minimalPdf } from '../../factory/pec-factory.ts';

const CRLF = '\r\n';

/** A message written by hand, for the shapes a builder never makes. */
function mime(parts: { headers: string[]; body: string }[], boundary = 'b1'): Buffer {
  return Buffer.from(
    [
      'From: a@example.test',
      'To: b@example.test',
      'Subject: prova',
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      ...parts.flatMap((p) => [`--${boundary}`, ...p.headers, '', p.body]),
      `--${boundary}--`,
      '',
    ].join(CRLF),
    'latin1',
  );
}

async function readBoth(bytes: Buffer) {
  const full = await readOriginal(bytes);
  const skeleton = originalSkeleton(bytes);
  const light = await readOriginal(skeleton.bytes);
  if (!full.ok || !light.ok) throw new Error('unreadable');
  return { full: full.value, light: light.value, skeleton };
}

describe('the original without its attachments bodies', () => {
  it('reads as the original does, text, HTML and attachment names alike, in a fraction of the bytes', async () => {
    const pdf = Buffer.concat([minimalPdf('Perizia'), randomBytes(600_000)]);
    const bytes = buildOriginal({
      from: 'perito@pec.beta.test',
      to: ['studio@pec.alfa.test'],
      subject: 'Perizia – allegati',
      text: 'In allegato la perizia.\nCordiali saluti',
      html: '<p>In allegato la <b>perizia</b>.</p><img src="cid:logo@studio">',
      attachments: [
        { filename: 'perizia.pdf', contentType: 'application/pdf', content: pdf },
        { filename: 'dati.xml', contentType: 'application/xml', content: '<dati/>' },
        { filename: 'note.txt', contentType: 'text/plain', content: 'note a parte' },
      ],
    });
    const { full, light, skeleton } = await readBoth(bytes);
    expect(skeleton.skipped).toBe(3);
    expect(skeleton.bytes.length).toBeLessThan(10_000);
    const names = (o: typeof full) => o.attachments.map((a) => [a.filename, a.contentType, a.nested]);
    expect(names(light)).toEqual(names(full));
    expect({ ...light, attachments: [] }).toEqual({ ...full, attachments: [] });
  });

  it('keeps text parts, inline or with an empty disposition, and messages inside the message', async () => {
    const bytes = mime([
      {
        headers: ['Content-Type: text/plain; charset=utf-8', 'Content-Disposition: inline'],
        body: 'primo testo',
      },
      {
        headers: ['Content-Type: text/plain; charset=utf-8', 'Content-Disposition: '],
        body: 'secondo testo',
      },
      { headers: ['Content-Type: message/rfc822'], body: `Subject: inoltrato${CRLF}${CRLF}testo inoltrato` },
      {
        headers: ['Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64'],
        body: randomBytes(3000).toString('base64'),
      },
    ]);
    const { full, light, skeleton } = await readBoth(bytes);
    expect(skeleton.skipped).toBe(1);
    expect(light.text).toBe(full.text);
    expect(light.text).toContain('primo testo');
    expect(light.text).toContain('secondo testo');
    expect(light.attachments.map((a) => a.contentType)).toEqual(full.attachments.map((a) => a.contentType));
  });

  it('keeps a body that holds what looks like a delimiter, so another reader cannot lose a text part', async () => {
    // "--b1 junk" is no delimiter line to PecDesk's reader, but a laxer one may split there.
    const bytes = mime([
      { headers: ['Content-Type: text/plain'], body: 'testo' },
      {
        headers: ['Content-Type: application/pdf', 'Content-Disposition: attachment; filename="a.pdf"'],
        body: `%PDF-1.4${CRLF}--b1 junk${CRLF}Content-Type: text/plain${CRLF}${CRLF}nascosto`,
      },
    ]);
    const { full, light, skeleton } = await readBoth(bytes);
    expect(skeleton.skipped).toBe(0);
    expect(light).toEqual(full);
  });

  it('leaves a message of one part as it is', () => {
    const bytes = Buffer.from(
      `Subject: x${CRLF}Content-Type: application/pdf${CRLF}${CRLF}%PDF-1.4`,
      'latin1',
    );
    expect(originalSkeleton(bytes)).toEqual({ bytes, skipped: 0 });
  });
});
