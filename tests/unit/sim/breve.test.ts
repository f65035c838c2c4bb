/**
 * The original of a "breve" delivery receipt (main/sim/breve.ts): every attachment, and only the
 * attachments, replaced by "<name>.hash" holding its SHA-1; the body stays readable.
 */
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { readOriginal } from '../../../main/pec/original.ts';
import { withAttachmentHashes } from '../../../main/sim/breve.ts';

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');

describe('breve: attachments replaced by their hashes', () => {
  it('files, an attached message (headers included) and an inline image; text and HTML stay', async () => {
    const pdf = Buffer.from('%PDF-1.4 atto di citazione');
    const eml = Buffer.from('From: a@b.test\r\nSubject: allegato\r\n\r\ncorpo\r\n');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const raw = await new MailComposer({
      from: 'a@pec.alfa.test',
      to: 'b@pec.beta.test',
      subject: 'Atto',
      text: 'Testo del messaggio',
      html: '<p>Testo del messaggio <img src="cid:logo"></p>',
      attachments: [
        { filename: 'citazione.pdf', content: pdf },
        { filename: 'precedente.eml', content: eml, contentType: 'message/rfc822' },
        { filename: 'logo.png', content: png, cid: 'logo' },
      ],
    })
      .compile()
      .build();
    const out = withAttachmentHashes(raw);
    const read = await readOriginal(out);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.text?.trim()).toBe('Testo del messaggio');
    expect(read.value.html).toContain('Testo del messaggio');
    expect(read.value.attachments.map((a) => a.filename).sort()).toEqual([
      'citazione.pdf.hash',
      'logo.png.hash',
      'precedente.eml.hash',
    ]);
    const text = out.toString('utf8');
    for (const b of [pdf, eml, png]) expect(text).toContain(sha1(b));
    expect(text).not.toContain(pdf.toString('base64'));
    expect(out.length).toBeLessThan(raw.length + 400);
  });

  it('a message without attachments is unchanged', async () => {
    const raw = await new MailComposer({ from: 'a@x.test', to: 'b@y.test', subject: 's', text: 't' })
      .compile()
      .build();
    expect(withAttachmentHashes(raw)).toBe(raw);
  });
});
