import { describe, expect, it } from 'vitest';
import { readOriginal } from '../../../main/pec/original.ts';
import { checkMessage, DEFAULT_LIMITS } from '../../../main/send/limits.ts';
import { buildMessage, newMessageId } from '../../../main/send/message.ts';
import { classifySmtpError } from '../../../main/send/smtp.ts';

describe('the message PecDesk sends', () => {
  it('carries the Message-ID PecDesk chose, X-TipoRicevuta spelt as RFC 6109 does, no Bcc, CRLF lines', async () => {
    const messageId = newMessageId('studio@pec.alfa.test', new Date(0));
    expect(messageId).toMatch(/^<pecdesk\.0\.[0-9a-f]{24}@pec\.alfa\.test>$/);
    const raw = await buildMessage({
      from: { address: 'studio@pec.alfa.test', name: 'Studio Rossi' },
      to: ['a@pec.beta.test'],
      cc: ['b@pec.beta.test'],
      subject: 'Diffida – via Roma 12',
      text: 'Testo con accenti: perché, città.',
      html: '<div><strong>Testo</strong></div>',
      attachments: [
        {
          filename: 'postacert.eml',
          content: Buffer.from('Subject: x\r\n\r\ny\r\n'),
          contentType: 'message/rfc822',
        },
      ],
      receiptType: 'breve',
      inReplyTo: '<orig@pec.beta.test>',
      references: ['<orig@pec.beta.test>'],
      messageId,
      date: new Date(0),
    });
    const text = raw.toString('latin1');
    expect(text).toContain('X-TipoRicevuta: breve\r\n');
    expect(text).toContain(`Message-ID: ${messageId}\r\n`);
    expect(text).not.toMatch(/^bcc:/im);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const parsed = await readOriginal(raw);
    expect(parsed.ok && parsed.value).toMatchObject({
      subject: 'Diffida – via Roma 12',
      to: ['a@pec.beta.test'],
      cc: ['b@pec.beta.test'],
      messageId,
      text: 'Testo con accenti: perché, città.',
    });
    // A forwarded PEC is an attachment, not text shown inline.
    expect(parsed.ok && parsed.value.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['postacert.eml', 'message/rfc822'],
    ]);
  });

  it('names every problem at once', () => {
    const problems = checkMessage(
      { to: ['x'], cc: [], bcc: ['y@pec.it'], subject: '', size: 60 * 1024 * 1024 },
      { ...DEFAULT_LIMITS, maxRecipients: 0 },
      false,
    );
    expect(problems.map((p) => p.code)).toEqual([
      'no-smtp',
      'bad-address',
      'bcc-not-allowed',
      'too-many-recipients',
      'no-subject',
    ]);
    expect(
      checkMessage(
        { to: ['a@pec.it', 'b@pec.it'], cc: [], subject: 's', size: 60 * 1024 * 1024 },
        DEFAULT_LIMITS,
        true,
      ),
    ).toEqual([{ code: 'too-large', size: 62914560, recipients: 2, total: 125829120, max: 104857600 }]);
  });
});

describe('what a failed SMTP attempt means', () => {
  it('tells "try later", "no" and "the provider may have it" apart', () => {
    const e = (props: object) => Object.assign(new Error('x'), props);
    expect(classifySmtpError(e({ responseCode: 451, command: 'MAIL FROM' }), true)).toMatchObject({
      kind: 'temporary',
      code: 'rate-limited',
    });
    expect(classifySmtpError(e({ code: 'EAUTH', responseCode: 535 }), false)).toMatchObject({
      kind: 'permanent',
      code: 'auth-failed',
    });
    expect(classifySmtpError(e({ responseCode: 552 }), true)).toMatchObject({
      kind: 'permanent',
      code: 'too-large',
    });
    expect(classifySmtpError(e({ code: 'ECONNECTION' }), false)).toMatchObject({
      kind: 'temporary',
      code: 'connection-failed',
    });
    // A lost connection after MAIL FROM: nobody knows whether the provider has it.
    expect(classifySmtpError(e({ code: 'ECONNECTION' }), true)).toMatchObject({
      kind: 'unknown',
      code: 'interrupted',
    });
    expect(classifySmtpError(e({ code: 'ETIMEDOUT' }), true)).toMatchObject({ kind: 'unknown' });
  });
});
