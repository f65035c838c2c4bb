/**
 * The demo archive a newcomer is offered when nothing is configured: PEC of every kind, signed by
 * two demo providers under a demo CA that only this archive trusts (config.json), with their
 * receipts, in the real providers' structure. Its messages are made fresh at each creation, dated
 * from now ("oggi", "ieri", a PEC still waiting for delivery); the PKI that signs them is shipped
 * (demo-pki.ts: loadDemoPki), so creating the demo takes a fraction of a second.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { insertAccount, upsertMailbox } from '../../db/accounts.ts';
import { Archive } from '../archive/archive.ts';
import { configuredAnchors } from '../pec/trust.ts';
import { loadDemoPki } from './demo-pki.ts';
import {
  type AttachmentSpec,
  buildOrdinary,
  buildOriginal,
  minimalPdf,
  newIdentificativo,
  newMessageId,
  pecOf,
  providerRewrite,
  type Recipient,
  scenario,
} from './pec-builder.ts';

export const DEMO_MARKER = 'demo.json';

export function isDemoArchive(dir: string): boolean {
  return existsSync(join(dir, DEMO_MARKER));
}

/**
 * Building the demo reports steps 0 to 3 of DEMO_STEPS as it goes (started, messages made, messages
 * archived, done); the caller reports the last one once the archive is open.
 */
export const DEMO_STEPS = 4;

export type DemoProgress = (done: number, total: number) => void;

/** Creates (once) the demo archive in `dir` and returns it. */
export async function createDemoArchive(dir: string, onProgress: DemoProgress = () => {}): Promise<void> {
  if (isDemoArchive(dir)) return;
  // Built beside it under a name of its own and renamed into place once whole: a build that stops
  // half-way (the app closed, a crash) leaves no half-made demo that would then never open.
  const parent = dirname(dir);
  const prefix = `${basename(dir)}.partial-`;
  if (existsSync(parent))
    for (const entry of readdirSync(parent))
      if (entry.startsWith(prefix) && !running(Number(entry.slice(prefix.length).split('-')[0])))
        rmSync(join(parent, entry), { recursive: true, force: true });
  const partial = join(parent, `${prefix}${process.pid}-${Date.now()}`);
  try {
    await buildDemo(partial, onProgress);
    // A demo folder an older version left unfinished is moved aside, not deleted.
    if (existsSync(dir)) renameSync(dir, `${dir}.unfinished-${Date.now()}`);
    renameSync(partial, dir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

function running(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function buildDemo(dir: string, onProgress: DemoProgress): Promise<void> {
  // The signing below is synchronous: give the event loop a turn after each report, so it reaches
  // the person before the next step runs.
  const step = async (done: number) => {
    onProgress(done, DEMO_STEPS);
    await new Promise((resolve) => setImmediate(resolve));
  };
  await step(0);
  mkdirSync(dir, { recursive: true });
  const pki = loadDemoPki();
  writeFileSync(join(dir, 'demo-ca.pem'), pki.rootPem);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ trustAnchorFiles: ['demo-ca.pem'] }, null, 2));
  const { alfa, beta } = pki.providers;
  const me = `studio.bianchi@${alfa.domain}`;
  const day = (d: number, h = 10) => new Date(Date.now() - d * 86_400_000 + h * 3_600_000 - 12 * 3_600_000);
  const messages: Buffer[] = [];
  /** The studio's sent copies sit in "Posta inviata"; everything else arrived in the INBOX. */
  const sentCopies = new Set<Buffer>();
  /** What arrived last and nobody has opened yet: bold in the list, in "Da gestire". */
  const unread = new Set<Buffer>();
  const pdf = (filename: string, line: string) => ({
    filename,
    contentType: 'application/pdf',
    content: minimalPdf(line),
  });

  /**
   * A PEC the studio sent: the sent copy is the author's message itself, and the envelopes and
   * receipts carry that same message as the provider rewrote it (the attachment in the sent copy
   * is the one the completa receipt proves). Each has its own body.
   */
  const sent = (spec: {
    subject: string;
    date: Date;
    recipients: Recipient[];
    text: string;
    attachments?: AttachmentSpec[];
  }) => {
    const msgid = newMessageId(alfa.domain);
    const identificativo = newIdentificativo(alfa.domain, spec.date);
    const authored = buildOriginal({
      from: me,
      to: spec.recipients.map((r) => r.address),
      subject: spec.subject,
      text: spec.text,
      attachments: spec.attachments ?? [],
      messageId: msgid,
      date: spec.date,
    });
    const s = scenario({
      sender: me,
      provider: alfa,
      recipientProvider: beta,
      subject: spec.subject,
      date: spec.date,
      recipients: spec.recipients,
      msgid,
      identificativo,
      original: providerRewrite(authored, identificativo, msgid),
    });
    messages.push(authored);
    sentCopies.add(authored);
    return s;
  };
  /** A PEC the studio received, with its own body and attachments. */
  const received = (spec: {
    sender: string;
    subject: string;
    date: Date;
    text: string;
    html?: string;
    attachments?: AttachmentSpec[];
    to?: Recipient[];
  }) => {
    const msgid = newMessageId(beta.domain);
    const identificativo = newIdentificativo(beta.domain, spec.date);
    const recipients = spec.to ?? [{ address: me, type: 'certificato' as const }];
    const original = providerRewrite(
      buildOriginal({
        from: spec.sender,
        to: recipients.map((r) => r.address),
        subject: spec.subject,
        text: spec.text,
        ...(spec.html ? { html: spec.html } : {}),
        attachments: spec.attachments ?? [],
        messageId: msgid,
        date: spec.date,
      }),
      identificativo,
      msgid,
    );
    return scenario({
      sender: spec.sender,
      provider: beta,
      recipientProvider: alfa,
      subject: spec.subject,
      date: spec.date,
      recipients,
      msgid,
      identificativo,
      original,
    });
  };

  // Delivered to both recipients.
  const delivered = sent({
    subject: 'Trasmissione contratto di locazione - Via Garibaldi 8',
    date: day(6),
    recipients: [
      { address: `amministrazione@${beta.domain}`, type: 'certificato' },
      { address: `ufficio.legale@${beta.domain}`, type: 'certificato' },
    ],
    text: 'Buongiorno,\nsi trasmette il contratto di locazione dell’immobile di Via Garibaldi 8, firmato dalle parti.\nCordiali saluti,\nStudio Bianchi',
    attachments: [pdf('contratto-locazione-garibaldi-8.pdf', 'Contratto di locazione - Via Garibaldi 8')],
  });
  messages.push(pecOf(delivered, 'accettazione'));
  for (const r of delivered.recipients)
    messages.push(pecOf(delivered, 'avvenuta-consegna', { deliveryAddress: r.address }));

  // Delivered 1 of 3 · 1 failed, the third an ordinary address without proof.
  const partial = sent({
    subject: 'Convocazione assemblea condominiale',
    date: day(3),
    recipients: [
      { address: `rossi.condomino@${beta.domain}`, type: 'certificato' },
      { address: `verdi.inesistente@${beta.domain}`, type: 'certificato' },
      { address: 'bianchi.condomino@example.it', type: 'esterno' },
    ],
    text: 'Gentili condomini,\nl’assemblea ordinaria è convocata per il 15 dicembre alle 18:00 presso lo studio.\nIn allegato l’ordine del giorno.\nL’amministratore',
    attachments: [pdf('ordine-del-giorno.pdf', 'Assemblea condominiale - ordine del giorno')],
  });
  messages.push(
    pecOf(partial, 'accettazione'),
    pecOf(partial, 'avvenuta-consegna', { deliveryAddress: `rossi.condomino@${beta.domain}` }),
    pecOf(partial, 'errore-consegna', {
      deliveryAddress: `verdi.inesistente@${beta.domain}`,
      errorDetail: '5.1.1 - indirizzo non valido',
    }),
  );

  // Accepted this morning, delivery receipt still to come.
  const waiting = sent({
    subject: 'Richiesta documentazione pratica 2026/118',
    date: day(0, 9),
    recipients: [{ address: `protocollo@${beta.domain}`, type: 'certificato' }],
    text: 'Spettabile ufficio,\nper la pratica 2026/118 si chiede copia della documentazione depositata.\nDistinti saluti,\nStudio Bianchi',
  });
  messages.push(pecOf(waiting, 'accettazione'));

  // A 12-hour warning, and more than 24 hours without a final answer.
  const warned = sent({
    subject: 'Sollecito pagamento fattura 77/2026',
    date: day(1),
    recipients: [{ address: `contabilita@${beta.domain}`, type: 'certificato' }],
    text: 'Buongiorno,\nla fattura 77/2026 risulta ancora da saldare. Vi preghiamo di provvedere entro dieci giorni.\nStudio Bianchi',
  });
  messages.push(
    pecOf(warned, 'accettazione'),
    pecOf(warned, 'preavviso-errore-consegna', { deliveryAddress: `contabilita@${beta.domain}` }),
  );

  // Not accepted: a Bcc recipient.
  const rejected = sent({
    subject: 'Invio documentazione con copia nascosta',
    date: day(2),
    recipients: [{ address: `segreteria@${beta.domain}`, type: 'certificato' }],
    text: 'In allegato la documentazione richiesta.\nStudio Bianchi',
  });
  messages.push(pecOf(rejected, 'non-accettazione'));

  // The acceptance is not in the archive (deleted at the provider), the delivery receipt is.
  const noAcceptance = sent({
    subject: 'Invio bilancio di esercizio 2025',
    date: day(8),
    recipients: [{ address: `soci@${beta.domain}`, type: 'certificato' }],
    text: 'Gentili soci,\nsi trasmette il bilancio di esercizio 2025 approvato dall’organo amministrativo.\nStudio Bianchi',
    attachments: [pdf('bilancio-2025.pdf', 'Bilancio di esercizio 2025')],
  });
  messages.push(pecOf(noAcceptance, 'avvenuta-consegna', { deliveryAddress: `soci@${beta.domain}` }));

  // A failure notice without the provider's signature: shown, never counted as proof.
  const unverifiable = sent({
    subject: 'Richiesta di rimborso spese',
    date: day(2, 15),
    recipients: [{ address: `rimborsi@${beta.domain}`, type: 'certificato' }],
    text: 'Spettabile ente,\nsi chiede il rimborso delle spese anticipate per la pratica 2026/77.\nStudio Bianchi',
  });
  messages.push(
    pecOf(unverifiable, 'accettazione'),
    pecOf(unverifiable, 'errore-consegna', {
      deliveryAddress: `rimborsi@${beta.domain}`,
      signing: { mode: 'none' },
      errorDetail: '5.1.1 - indirizzo non valido',
    }),
  );

  const invoice = received({
    sender: `fatturazione@${beta.domain}`,
    subject: 'Fattura elettronica n. 118/2026',
    date: day(1, 8),
    text: 'Gentile cliente,\nin allegato la fattura di novembre.\nCordiali saluti',
    html: '<p>Gentile cliente,</p><p>in allegato la <b>fattura di novembre</b>.</p><p>Cordiali saluti</p>',
    attachments: [
      pdf('fattura-118-2026.pdf', 'Fattura n. 118/2026 - Totale 1.234,56 EUR'),
      {
        filename: 'IT01234567890_00118.xml',
        contentType: 'application/xml',
        content: '<?xml version="1.0"?><FatturaElettronica versione="FPR12"/>',
      },
    ],
  });
  messages.push(pecOf(invoice, 'posta-certificata'));
  unread.add(messages.at(-1)!);

  const tribunal = received({
    sender: `cancelleria@${beta.domain}`,
    subject: 'Comunicazione di cancelleria - R.G. 4521/2026',
    date: day(0, 7),
    text: 'Si comunica che l’udienza del procedimento R.G. 4521/2026 è rinviata al 20 gennaio 2027, ore 9:30.\nIl cancelliere',
    attachments: [pdf('verbale-udienza-4521-2026.pdf', 'Verbale di udienza R.G. 4521/2026')],
  });
  messages.push(pecOf(tribunal, 'posta-certificata'));
  unread.add(messages.at(-1)!);

  const forged = received({
    sender: `pagamenti@${beta.domain}`,
    subject: 'Avviso di pagamento urgente',
    date: day(0, 6),
    text: 'Gentile cliente, il pagamento risulta scaduto: regolarizzi subito dal collegamento indicato.',
  });
  messages.push(pecOf(forged, 'posta-certificata', { signing: { mode: 'tampered' } }));
  unread.add(messages.at(-1)!);

  const anomaly = received({
    sender: 'newsletter@example.it',
    subject: 'Offerta riservata ai professionisti',
    date: day(4),
    text: 'Solo per questo mese, il gestionale per studi professionali a metà prezzo.',
    to: [{ address: me, type: 'esterno' }],
  });
  messages.push(pecOf({ ...anomaly, provider: alfa, recipientProvider: alfa }, 'errore'));

  messages.push(
    buildOrdinary({
      from: 'notizie@ordine-commercialisti.example.it',
      to: [me],
      subject: 'Scadenze fiscali di dicembre',
      text: 'Le principali scadenze del mese: 16 dicembre versamenti F24, 27 dicembre acconto IVA.',
      date: day(5),
      messageId: newMessageId('example.it'),
    }),
  );

  await step(1);
  const archive = Archive.open(dir, { anchors: configuredAnchors([pki.rootPem]) });
  try {
    // One demo mailbox with its folders, as a synced one looks: rows say whose they are, opening a
    // message marks it read. Its server does not exist: the demo is never synced (main/core.ts).
    const account = insertAccount(archive.db, {
      email: me,
      displayName: 'Studio Bianchi (dimostrativo)',
      imapHost: 'demo.invalid',
      imapPort: 993,
      imapSecurity: 'tls',
      imapUser: me,
      writeSeen: false,
      createdAt: new Date().toISOString(),
    });
    const inbox = upsertMailbox(archive.db, account.id, 'INBOX', 'INBOX', null);
    const sentBox = upsertMailbox(archive.db, account.id, 'Sent', 'Sent', '\\Sent');
    const uids = new Map<number, number>();
    await archive.ingest(
      messages.map((raw) => {
        const mailboxId = sentCopies.has(raw) ? sentBox.id : inbox.id;
        const uid = (uids.get(mailboxId) ?? 0) + 1;
        uids.set(mailboxId, uid);
        return { raw, location: { mailboxId, uid, flags: unread.has(raw) ? [] : ['\\Seen'] } };
      }),
    );
    // The attachments' text is not waited for: their names are searchable at once, and their text
    // is read in the background once the demo is open (the text queue resumes what is pending).
  } finally {
    archive.close();
  }
  await step(2);
  await step(3);
  writeFileSync(join(dir, DEMO_MARKER), JSON.stringify({ createdAt: new Date().toISOString() }));
}
