import { readFileSync } from 'node:fs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { extractAttachmentText } from '../../../main/search/extract/attachment-text.ts';
import { TextExtractor } from '../../../main/search/extract/extractor.ts';
import { decodeText, markupText } from '../../../main/search/extract/formats.ts';
import { buildOriginal, cmsSign } from '../../factory/pec-factory.ts';
import { testPki } from '../../factory/pki.ts';

const file = (filename: string, content: Buffer | string, contentType = 'application/octet-stream') => ({
  filename,
  contentType,
  content: Buffer.isBuffer(content) ? content : Buffer.from(content),
});

describe('attachment text', () => {
  it('PDF, plain text in UTF-8 or Windows-1252, XML and HTML markup', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage().drawText('Verbale di collaudo: perché è conforme', { x: 40, y: 700, size: 12, font });
    const pdf = await extractAttachmentText(file('collaudo.pdf', Buffer.from(await doc.save())));
    expect(pdf).toMatchObject({ status: 'ok', text: 'Verbale di collaudo: perché è conforme' });
    expect(decodeText(Buffer.from('caffè', 'latin1'))).toBe('caffè');
    expect(decodeText(Buffer.from('caffè', 'utf8'))).toBe('caffè');
    expect(markupText('<a x="1"><b>Rossi &amp; Figli</b><!-- no --><![CDATA[S.r.l.]]></a>')).toBe(
      'Rossi & Figli S.r.l.',
    );
    expect((await extractAttachmentText(file('note.txt', 'prima riga\nseconda'))).text).toBe(
      'prima riga seconda',
    );
    expect((await extractAttachmentText(file('foto.jpg', 'xx', 'image/jpeg'))).status).toBe('unsupported');
  });

  it('markup: scripts, styles, declarations and stray "<" in one linear pass', () => {
    expect(
      markupText(
        '<?xml version="1.0"?><!DOCTYPE x><html><style>p{}</style><SCRIPT>var a="<b>";</SCRIPT><p>Ciao &egrave;</p>a < b',
      ),
    ).toBe('Ciao &egrave; a < b');
    expect(markupText('testo <!-- mai chiuso <b>nascosto</b>')).toBe('testo');
    expect(markupText('<![CDATA[a &amp; b]]> &amp; c')).toBe('a &amp; b & c');
    // Each of these took seconds to minutes per MB with the old regular expressions.
    for (const unit of ['<!--', '<?', '<!', '<', '<a ', '<script>', '<![CDATA[', '&#x']) {
      const started = performance.now();
      markupText(unit.repeat(Math.ceil((1024 * 1024) / unit.length)));
      expect(performance.now() - started, unit).toBeLessThan(1_500);
    }
  });

  it('a signed .p7m, in DER or Base64, gives the text of the file signed', async () => {
    const xml = '<FatturaElettronica><Denominazione>Officine Zanardelli</Denominazione></FatturaElettronica>';
    const der = cmsSign(xml, testPki().providers.alfa, new Date(), false);
    const fromDer = await extractAttachmentText(file('IT01_1.xml.p7m', der));
    expect(fromDer).toMatchObject({ status: 'ok', text: 'Officine Zanardelli' });
    const fromBase64 = await extractAttachmentText(file('IT01_1.xml.p7m', der.toString('base64')));
    expect(fromBase64.text).toBe('Officine Zanardelli');
    const broken = await extractAttachmentText(file('x.p7m', 'not signed at all'));
    expect(broken.status).toBe('failed');
  });

  it('an attached .eml: its headers, body and own attachments', async () => {
    const eml = buildOriginal({
      from: 'a@example.it',
      to: ['b@example.it'],
      subject: 'Inoltro verbale',
      text: 'Vedi allegato.',
      attachments: [{ filename: 'nota.txt', contentType: 'text/plain', content: 'ascensore guasto' }],
    });
    const r = await extractAttachmentText(file('inoltro.eml', eml, 'message/rfc822'));
    expect(r.status).toBe('ok');
    expect(r.text).toContain('Inoltro verbale');
    expect(r.text).toContain('ascensore guasto');
  });

  it('a broken PDF fails with a reason; a slow file is given up and the worker replaced', async () => {
    const broken = await extractAttachmentText(file('rotto.pdf', '%PDF-1.4 rotto'));
    expect(broken.status).toBe('failed');
    expect(broken.error).toBeTruthy();
    const budget = new TextExtractor();
    const spent = await budget.extract(file('tardi.txt', 'x'), { deadline: Date.now() - 1 });
    expect(spent).toMatchObject({ status: 'failed', error: expect.stringMatching(/time budget/) });
    await budget.close();
    const extractor = new TextExtractor({ timeoutMs: 1 });
    const pdf = readFileSync(new URL('../../../node_modules/pdf-lib/package.json', import.meta.url));
    const slow = await extractor.extract(file('lento.txt', pdf));
    expect(slow).toMatchObject({ status: 'failed', error: expect.stringMatching(/timed out/) });
    await extractor.close();
    const working = new TextExtractor();
    expect((await working.extract(file('ok.txt', 'ancora in piedi'))).text).toBe('ancora in piedi');
    await working.close();
  });
});
