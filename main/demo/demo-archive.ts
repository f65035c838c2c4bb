/**
 * The demo archive a newcomer is offered when nothing is configured: PEC of every kind, signed by
 * two demo providers under a demo CA that only this archive trusts (config.json), with their
 * receipts, in the real providers' structure. Its messages are made fresh, not shipped.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Archive } from '../archive/archive.ts';
import { configuredAnchors } from '../pec/trust.ts';
import { generatePki } from './demo-pki.ts';
import {
  buildOrdinary,
  buildOriginal,
  minimalPdf,
  newMessageId,
  pecOf,
  providerRewrite,
  scenario,
} from './pec-builder.ts';

export const DEMO_MARKER = 'demo.json';

export function isDemoArchive(dir: string): boolean {
  return existsSync(join(dir, DEMO_MARKER));
}

/**
 * Building the demo takes seconds (RSA keys, signing every message): it reports steps 0 to 3 of
 * DEMO_STEPS as it goes; the caller reports the last one once the archive is open.
 */
export const DEMO_STEPS = 4;

export type DemoProgress = (done: number, total: number) => void;

/** Creates (once) the demo archive in `dir` and returns it. */
export async function createDemoArchive(dir: string, onProgress: DemoProgress = () => {}): Promise<void> {
  if (isDemoArchive(dir)) return;
  // The key and signing work below is synchronous: give the event loop a turn after each report,
  // so it reaches the person before the next step blocks.
  const step = async (done: number) => {
    onProgress(done, DEMO_STEPS);
    await new Promise((resolve) => setImmediate(resolve));
  };
  await step(0);
  mkdirSync(dir, { recursive: true });
  const pki = generatePki();
  await step(1);
  writeFileSync(join(dir, 'demo-ca.pem'), pki.rootPem);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ trustAnchorFiles: ['demo-ca.pem'] }, null, 2));
  const { alfa, beta } = pki.providers;
  const me = `studio.bianchi@${alfa.domain}`;
  const day = (d: number, h = 10) => new Date(Date.now() - d * 86_400_000 + h * 3_600_000 - 12 * 3_600_000);
  const messages: Buffer[] = [];
  const sentCopy = (s: ReturnType<typeof scenario>) =>
    buildOriginal({
      from: s.sender,
      to: s.recipients.map((r) => r.address),
      subject: s.subject,
      text: 'Si trasmette in allegato quanto in oggetto.',
      messageId: s.msgid,
      date: s.date,
    });

  const base = { sender: me, provider: alfa, recipientProvider: beta };
  const delivered = scenario({
    ...base,
    subject: 'Trasmissione contratto di locazione - Via Garibaldi 8',
    date: day(6),
    recipients: [
      { address: `amministrazione@${beta.domain}`, type: 'certificato' },
      { address: `ufficio.legale@${beta.domain}`, type: 'certificato' },
    ],
  });
  messages.push(sentCopy(delivered), pecOf(delivered, 'accettazione'));
  for (const r of delivered.recipients)
    messages.push(pecOf(delivered, 'avvenuta-consegna', { deliveryAddress: r.address }));

  const partial = scenario({
    ...base,
    subject: 'Convocazione assemblea condominiale',
    date: day(3),
    recipients: [
      { address: `rossi.condomino@${beta.domain}`, type: 'certificato' },
      { address: `verdi.inesistente@${beta.domain}`, type: 'certificato' },
      { address: 'bianchi.condomino@example.it', type: 'esterno' },
    ],
  });
  messages.push(
    sentCopy(partial),
    pecOf(partial, 'accettazione'),
    pecOf(partial, 'avvenuta-consegna', { deliveryAddress: `rossi.condomino@${beta.domain}` }),
    pecOf(partial, 'errore-consegna', {
      deliveryAddress: `verdi.inesistente@${beta.domain}`,
      errorDetail: '5.1.1 - indirizzo non valido',
    }),
  );

  const waiting = scenario({
    ...base,
    subject: 'Richiesta documentazione pratica 2026/118',
    date: day(0, 9),
    recipients: [{ address: `protocollo@${beta.domain}`, type: 'certificato' }],
  });
  messages.push(sentCopy(waiting), pecOf(waiting, 'accettazione'));

  const warned = scenario({
    ...base,
    subject: 'Sollecito pagamento fattura 77/2026',
    date: day(1),
    recipients: [{ address: `contabilita@${beta.domain}`, type: 'certificato' }],
  });
  messages.push(
    sentCopy(warned),
    pecOf(warned, 'accettazione'),
    pecOf(warned, 'preavviso-errore-consegna', { deliveryAddress: `contabilita@${beta.domain}` }),
  );

  const rejected = scenario({
    ...base,
    subject: 'Invio documentazione con copia nascosta',
    date: day(2),
    recipients: [{ address: `segreteria@${beta.domain}`, type: 'certificato' }],
  });
  messages.push(sentCopy(rejected), pecOf(rejected, 'non-accettazione'));

  const invoice = scenario({
    sender: `fatturazione@${beta.domain}`,
    provider: beta,
    recipientProvider: alfa,
    subject: 'Fattura elettronica n. 118/2026',
    date: day(1, 8),
    recipients: [{ address: me, type: 'certificato' }],
  });
  const invoiceOriginal = providerRewrite(
    buildOriginal({
      from: invoice.sender,
      to: [me],
      subject: invoice.subject,
      text: 'Gentile cliente,\nin allegato la fattura di novembre.\nCordiali saluti',
      html: '<p>Gentile cliente,</p><p>in allegato la <b>fattura di novembre</b>.</p><p>Cordiali saluti</p>',
      attachments: [
        {
          filename: 'fattura-118-2026.pdf',
          contentType: 'application/pdf',
          content: minimalPdf('Fattura n. 118/2026 - Totale 1.234,56 EUR'),
        },
        {
          filename: 'IT01234567890_00118.xml',
          contentType: 'application/xml',
          content: '<?xml version="1.0"?><FatturaElettronica versione="FPR12"/>',
        },
      ],
      messageId: invoice.msgid,
      date: invoice.date,
    }),
    invoice.identificativo,
    invoice.msgid,
  );
  messages.push(pecOf({ ...invoice, original: invoiceOriginal }, 'posta-certificata'));

  const tribunal = scenario({
    sender: `cancelleria@${beta.domain}`,
    provider: beta,
    recipientProvider: alfa,
    subject: 'Comunicazione di cancelleria - R.G. 4521/2026',
    date: day(0, 7),
    recipients: [{ address: me, type: 'certificato' }],
  });
  messages.push(pecOf(tribunal, 'posta-certificata'));

  const forged = scenario({
    sender: `pagamenti@${beta.domain}`,
    provider: beta,
    recipientProvider: alfa,
    subject: 'Avviso di pagamento urgente',
    date: day(0, 6),
    recipients: [{ address: me, type: 'certificato' }],
  });
  messages.push(pecOf(forged, 'posta-certificata', { signing: { mode: 'tampered' } }));

  const anomaly = scenario({
    sender: 'newsletter@example.it',
    provider: alfa,
    recipientProvider: alfa,
    subject: 'Offerta riservata ai professionisti',
    date: day(4),
    recipients: [{ address: me, type: 'esterno' }],
  });
  messages.push(pecOf(anomaly, 'errore'));

  messages.push(
    buildOrdinary({
      from: 'notizie@ordine-commercialisti.example.it',
      to: [me],
      subject: 'Scadenze fiscali di dicembre',
      text: 'Le principali scadenze del mese.',
      date: day(5),
      messageId: newMessageId('example.it'),
    }),
  );

  await step(2);
  const archive = Archive.open(dir, { anchors: configuredAnchors([pki.rootPem]) });
  try {
    await archive.ingest(messages.map((raw) => ({ raw })));
  } finally {
    archive.close();
  }
  await step(3);
  writeFileSync(join(dir, DEMO_MARKER), JSON.stringify({ createdAt: new Date().toISOString() }));
}
