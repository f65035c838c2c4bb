// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  accountInput,
  CUSTOM,
  checkForm,
  EMPTY_FORM,
} from '../../../renderer/src/components/account-form-model.ts';
import {
  cleanHtml,
  draftFrom,
  hasFormatting,
  quote,
  sendArgs,
  splitAddresses,
} from '../../../renderer/src/features/compose/compose-model.ts';

describe('compose without React', () => {
  it('quotes each line of the original under the line that says who wrote it', () => {
    expect(quote('Il giorno 1 dic 2026, Rossi ha scritto:', 'Buongiorno,\r\n\r\nsaluti')).toBe(
      '\n\nIl giorno 1 dic 2026, Rossi ha scritto:\n> Buongiorno,\n>\n> saluti\n',
    );
  });

  it('takes addresses as typed or pasted: separators, "Nome <a@b>", case', () => {
    expect(splitAddresses('Rossi <ROSSI@pec.it>; bianchi@pec.it,\nverdi@pec.it')).toEqual([
      'rossi@pec.it',
      'bianchi@pec.it',
      'verdi@pec.it',
    ]);
  });

  it('keeps only simple formatting from the editor: no styles, scripts, images or links', () => {
    const root = document.createElement('div');
    root.innerHTML =
      'Buongiorno<div><b style="color:red">importante</b> e <i>urgente</i></div><script>alert(1)</script><img src="x"><a href="https://x">qui</a><ul><li>uno</li></ul>';
    const html = cleanHtml(root);
    expect(html).toBe(
      'Buongiorno<div><strong>importante</strong> e <em>urgente</em></div>qui<ul><li>uno</li></ul>',
    );
    expect(hasFormatting(html)).toBe(true);
    expect(hasFormatting('<div>solo testo</div>')).toBe(false);
  });

  it('a forward from the core becomes a draft whose attachment is the forwarded message, sent as its part', () => {
    const draft = draftFrom(
      {
        from: 'studio@pec.it',
        to: [],
        cc: [],
        subject: 'I: Ricorso',
        quoted: { author: 'avv@pec.it', date: null, subject: 'Ricorso', text: 'testo' },
        inReplyTo: null,
        references: [],
        attachments: [{ messageId: 7, part: 'original', filename: 'postacert.eml', size: 120 }],
      },
      '---',
      'altro@pec.it',
      7,
    );
    expect(draft.from).toBe('studio@pec.it');
    expect(draft.text).toBe('\n\n---\n> testo\n');
    expect(sendArgs({ ...draft, to: ['x@pec.it'] })).toMatchObject({
      from: 'studio@pec.it',
      to: ['x@pec.it'],
      attachments: [{ messageId: 7, part: 'original' }],
      receiptType: 'completa',
    });
  });
});

describe('the add-mailbox form with its SMTP server', () => {
  it('a manual server sends its SMTP host, port and security; a bad port is said', () => {
    const form = {
      ...EMPTY_FORM,
      email: 'a@pec.example.it',
      password: 'x',
      preset: CUSTOM,
      host: 'imap.example.it',
      smtpHost: 'smtp.example.it',
      smtpPort: '587',
      smtpSecurity: 'starttls' as const,
    };
    expect(checkForm([], form)).toBeNull();
    expect(accountInput(form)).toMatchObject({
      smtpHost: 'smtp.example.it',
      smtpPort: 587,
      smtpSecurity: 'starttls',
    });
    expect(checkForm([], { ...form, smtpPort: '0' })).toEqual({ key: 'smtpPortInvalid' });
    expect(accountInput({ ...form, smtpHost: '' })).not.toHaveProperty('smtpHost');
  });
});
