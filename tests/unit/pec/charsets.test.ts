import { describe, expect, it } from 'vitest';
import { cleanHeaderText, withoutUtf7 } from '../../../main/pec/charsets.ts';
import { readAttachment, readOriginal } from '../../../main/pec/original.ts';

const CRLF = '\r\n';

function message(parts: string[]): Buffer {
  return Buffer.from(
    [
      'From: "Ufficio \u0001Protocollo" <protocollo@pec.comune.test>',
      'To: studio@pec.alfa.test',
      'Subject: =?utf-7?Q?Rimborso_spese_+AOg-_dovuto?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="B"',
      '',
      ...parts.flatMap((p) => ['--B', p]),
      '--B--',
      '',
    ].join(CRLF),
    'latin1',
  );
}

describe('UTF-7 and stray control bytes (real Legalmail 2019 originals)', () => {
  const html =
    'Content-Type: text/html; charset="UTF-7"\r\n\r\n+ADw-HTML+AD4-+ADw-P+AD4-Perch+AOk- no+ADw-/P+AD4-+ADw-/HTML+AD4-';
  const text =
    'Content-Type: text/plain; charset=utf-7\r\nContent-Transfer-Encoding: 7bit\r\n\r\nPerch+AOk- no';
  const file =
    'Content-Type: text/plain; charset=utf-7; name="nota.txt"\r\nContent-Disposition: attachment; filename="nota.txt"\r\n\r\n+AOg-';

  it('decodes UTF-7 bodies and encoded words instead of showing +ADw-HTML+AD4-', async () => {
    const r = await readOriginal(message([text, html]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.subject).toBe('Rimborso spese è dovuto');
    expect(r.value.text).toContain('Perché no');
    expect(r.value.html).toContain('<HTML><P>Perché no</P></HTML>');
    expect(r.value.html).not.toContain('+ADw-');
  });

  it('leaves an attached file byte for byte as it came', async () => {
    const raw = message([text, file]);
    const saved = await readAttachment(raw, 0);
    expect(saved?.content.toString('latin1')).toBe('+AOg-');
  });

  it('changes nothing in a message without UTF-7', () => {
    const raw = Buffer.from('Subject: ciao\r\n\r\ntesto\r\n');
    expect(withoutUtf7(raw)).toBe(raw);
  });

  it('takes control bytes out of header text, so nothing shows as a box', async () => {
    const raw = Buffer.from(
      'From: a@b.it\r\nSubject: Pignoramento\u0001 presso\u0007 terzi\r\n\r\nciao\r\n',
      'latin1',
    );
    const r = await readOriginal(raw);
    expect(r.ok && r.value.subject).toBe('Pignoramento presso terzi');
    expect(cleanHeaderText('Pignoramento\u0001 presso terzi\u009b[2J')).toBe('Pignoramento presso terzi[2J');
  });
});
