/**
 * The proof bundle's PDF: a readable account of the PEC for a court, a client or an inspection,
 * made with pdfkit (README "Decisions": PDF/A-2b, the fonts embedded). DejaVu Sans is embedded and
 * subset, so Italian accented text (perché, attività, €) shows the same in every viewer: the PDF's
 * standard fonts have no embedding and PDF/A forbids relying on the viewer's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { isReceiptKind } from '../pec/kinds.ts';
import type { ProofContent, ProofFile } from './collect.ts';
import { bytes, kindWords, romeTime, signatureSentence, t } from './words.ts';

/** Beside the bundle (scripts/build.mjs copies it there), else resources/fonts in a checkout. */
export function fontsFolder(): string {
  const beside = fileURLToPath(new URL('./fonts/', import.meta.url));
  if (existsSync(join(beside, 'DejaVuSans.ttf'))) return beside;
  return fileURLToPath(new URL('../../resources/fonts/', import.meta.url));
}

export interface PdfMeta {
  /** PecDesk's version and who made the bundle, when. */
  version: string;
  madeBy: string;
  madeAt: Date;
}

/** The text of the message shown in the PDF at most; the whole is in the .eml. */
const MAX_TEXT = 30_000;

const GREY = '#555555';

export async function proofPdf(
  content: ProofContent,
  extraFiles: { path: string; size: number; sha256: string }[],
  meta: PdfMeta,
): Promise<Buffer> {
  const fonts = fontsFolder();
  const subject =
    content.original?.subject ?? content.thread?.subject ?? content.files[0]?.inspect.subject ?? '';
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    font: join(fonts, 'DejaVuSans.ttf'),
    lang: 'it-IT',
    displayTitle: true,
    info: {
      Title: `Fascicolo di prova PEC: ${subject}`,
      Author: 'PecDesk',
      Subject: subject,
      Creator: `PecDesk ${meta.version}`,
      Producer: 'PecDesk (pdfkit)',
      CreationDate: meta.madeAt,
    },
  });
  doc.registerFont('Sans', join(fonts, 'DejaVuSans.ttf'));
  doc.registerFont('Bold', join(fonts, 'DejaVuSans-Bold.ttf'));
  doc.registerFont('Mono', join(fonts, 'DejaVuSansMono.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const heading = (text: string) => {
    doc.moveDown(0.8);
    doc.font('Bold').fontSize(13).fillColor('black').text(text, { width });
    doc.moveDown(0.3);
  };
  const field = (label: string, value: string | null | undefined, mono = false) => {
    if (!value) return;
    doc.font('Bold').fontSize(9.5).fillColor(GREY).text(label, { width });
    doc
      .font(mono ? 'Mono' : 'Sans')
      .fontSize(mono ? 8.5 : 10.5)
      .fillColor('black')
      .text(value, { width });
    doc.moveDown(0.25);
  };

  // Title.
  doc.font('Bold').fontSize(18).text('Fascicolo di prova della PEC', { width });
  doc
    .font('Sans')
    .fontSize(12)
    .text(subject || '(senza oggetto)', { width });
  doc
    .fontSize(8.5)
    .fillColor(GREY)
    .text(
      `Prodotto da PecDesk ${meta.version} il ${romeTime(meta.madeAt.toISOString())} (ora italiana), su richiesta di ${meta.madeBy}.`,
      { width },
    );
  doc.fillColor('black');

  // The PEC.
  const th = content.thread;
  const o = content.original;
  heading('La PEC');
  if (th) field('Stato', threadState(th));
  field('Mittente certificato', th?.sender ?? o?.fromAddress ?? o?.from);
  const recipients = th?.recipients ?? [];
  if (recipients.length > 0)
    field(t('cert.recipients'), recipients.map((r) => `${r.address} (${t(`cert.${r.type}`)})`).join('\n'));
  else if (o) field(t('original.to'), [...o.to, ...o.cc].join('\n'));
  field(t('original.subject'), subject);
  field('Accettata dal gestore il', th?.acceptedAt ? romeTime(th.acceptedAt) : null);
  field(
    t('cert.identificativo'),
    th?.identificativo ??
      content.files.find((f) => f.inspect.certData?.identificativo)?.inspect.certData?.identificativo,
  );
  field(t('cert.msgid'), th?.msgid ?? o?.messageId, true);

  // Receipts, to the second.
  heading('Cronologia: messaggio, ricevute e avvisi del gestore');
  if (!content.files.some((f) => isReceiptKind(f.kind)))
    doc.font('Sans').fontSize(10).text('Nessuna ricevuta del gestore nell’archivio.', { width });
  for (const f of content.files) receiptBlock(doc, f, width);

  // The message itself.
  if (o) {
    heading(t('original.title'));
    field(t('original.from'), o.from);
    field(t('original.date'), o.date ? romeTime(o.date) : null);
    field('Letto da', content.originalFrom);
    const text = (o.text ?? '').trim();
    doc.font('Sans').fontSize(10).fillColor('black');
    if (!text) doc.text(t('original.noText'), { width });
    else {
      doc.text(text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}\n[…]` : text, { width });
      if (text.length > MAX_TEXT)
        doc.fontSize(8.5).fillColor(GREY).text('Il testo completo è nel file .eml originale.', { width });
    }
    heading(t('original.attachments'));
    if (o.attachments.length === 0)
      doc.font('Sans').fontSize(10).fillColor('black').text(t('original.noAttachments'), { width });
    for (const a of o.attachments) {
      doc
        .font('Sans')
        .fontSize(10)
        .fillColor('black')
        .text(`${a.filename ?? '(senza nome)'} · ${a.contentType} · ${bytes(a.size)}`, { width });
      doc.font('Mono').fontSize(8).fillColor(GREY).text(`SHA-256 ${a.sha256}`, { width });
      doc.moveDown(0.2);
    }
  }

  // Every file's fingerprint.
  heading('Impronte dei file del fascicolo (SHA-256)');
  const listed = [
    ...content.files.map((f) => ({ path: f.path, size: f.raw.length, sha256: f.sha256 })),
    ...extraFiles,
  ];
  for (const f of listed) {
    doc
      .font('Sans')
      .fontSize(9.5)
      .fillColor('black')
      .text(`${f.path} · ${bytes(f.size)}`, { width });
    doc.font('Mono').fontSize(8).text(f.sha256, { width });
    doc.moveDown(0.2);
  }
  doc.moveDown(0.6);
  doc
    .font('Sans')
    .fontSize(8.5)
    .fillColor(GREY)
    .text(
      'Questo documento è una rappresentazione leggibile della PEC. Fanno fede i file .eml originali del fascicolo, così come il gestore li ha consegnati alla casella (firmati dal gestore): le loro impronte SHA-256 sono qui sopra e in manifest.json, che riporta anche l’impronta di questo PDF.',
      { width },
    );
  doc.end();
  return done;
}

function threadState(th: NonNullable<ProofContent['thread']>): string {
  if (th.state === 'partial')
    return t(th.failedCount === 1 ? 'state.partial_one' : 'state.partial_other', {
      delivered: String(th.deliveredCount),
      total: String(th.recipientTotal),
      failed: String(th.failedCount),
    });
  if (th.state === 'delivered' && th.recipientTotal > 1)
    return t('state.deliveredOf', { delivered: String(th.deliveredCount), total: String(th.recipientTotal) });
  return t(`state.${th.state}`);
}

function receiptBlock(doc: PDFKit.PDFDocument, f: ProofFile, width: number): void {
  const c = f.inspect.certData;
  doc.moveDown(0.3);
  doc
    .font('Bold')
    .fontSize(10.5)
    .fillColor('black')
    .text(`${romeTime(f.date) || 'data non indicata'} · ${kindWords(f.kind, f.sentCopy)}`, { width });
  const lines: string[] = [];
  if (c?.provider) lines.push(`${t('cert.provider')}: ${c.provider}`);
  if (c?.deliveryAddress) lines.push(`${t('cert.deliveryAddress')}: ${c.deliveryAddress}`);
  if (c?.receiptType) lines.push(`${t('cert.receiptType')}: ${t(`deliveryType.${c.receiptType}`)}`);
  if (c?.identificativo) lines.push(`${t('cert.identificativo')}: ${c.identificativo}`);
  if (c?.error && c.error !== 'nessuno')
    lines.push(
      `${t('cert.error')}: ${t(`certError.${c.error}`)}${c.errorDetail ? ` (${c.errorDetail})` : ''}`,
    );
  // One's own sent copy is the message as written, before the provider signs anything.
  if (!f.sentCopy) {
    lines.push(`Firma del gestore: ${signatureSentence(f.inspect.signature)}`);
    if (f.inspect.signature.signingTime)
      lines.push(`${t('signature.signingTime')}: ${romeTime(f.inspect.signature.signingTime)}`);
  }
  lines.push(`File: ${f.path}`);
  doc.font('Sans').fontSize(9.5).text(lines.join('\n'), { width });
}
