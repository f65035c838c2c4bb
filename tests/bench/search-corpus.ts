/**
 * A synthetic archive for the search benchmark, written straight into the archive db through the
 * same FTS table ingest writes (db/search.ts indexMessage): realistic Italian office mail with a
 * Zipf word distribution, PEC threads (sent copy, acceptance, delivery or failure receipts that
 * carry the original, received envelopes), ordinary mail, and attachment text as extraction gives
 * it (invoices, contracts, notices). Seeded: the same n gives the same archive.
 */
import type { Db } from '../../db/database.ts';
import { rebuildDocs, SEARCH_VERSION, saveMessageText } from '../../db/search.ts';
import { seededRandom } from '../support/random.ts';

const COMMON = `di e il la che a per in un del non è una con si le da al dei della sono come più alla ma lo
anche nel questo ha gli se delle nella suo io tra alle quello cui ci sua sia essere fare data anno
stato mese pagina giorno parte modo caso termine ufficio pratica richiesta documento allegato copia
comunicazione oggetto presente cortese attenzione gentile saluti distinti cordiali riferimento seguito
nostra vostra vostro nostro invio inviato ricevuto ricevuta risposta entro giorni importo euro totale
pagamento fattura contratto scadenza sollecito diffida avviso notifica atto decreto ricorso istanza
verbale delibera assemblea condominio convocazione ordine sede legale società cliente fornitore
studio avvocato commercialista notaio geometra ingegnere tribunale giudice udienza rinvio sentenza
agenzia entrate riscossione cartella tributi imposta dichiarazione redditi iva versamento rimborso
comune regione provincia ministero protocollo domanda bando gara offerta preventivo ordine consegna
merce spedizione trasporto magazzino lavori cantiere progetto relazione perizia stima collaudo
certificato certificazione attestazione iscrizione registro camera commercio visura bilancio
esercizio nota integrativa revisione consiglio amministrazione socio quote capitale aumento cessione
affitto locazione immobile canone rata mutuo banca conto corrente bonifico iban estratto saldo
contributi inps inail dipendente busta paga cedolino assunzione dimissioni licenziamento ferie
malattia permesso contratto collettivo livello mansione orario straordinario trasferta rimborso
privacy trattamento dati consenso informativa regolamento norma legge articolo comma decreto
perché però città attività qualità società responsabilità facoltà pietà già più può così né`.split(/\s+/);

const FIRST = `Mario Luca Giulia Francesca Marco Andrea Paolo Anna Laura Giuseppe Antonio Chiara Sara Roberto
Stefano Elena Alessandro Federica Matteo Valentina Davide Silvia Simone Martina Lorenzo Giorgia`.split(/\s+/);
const CITIES = `Roma Milano Torino Napoli Bologna Firenze Genova Bari Palermo Verona Padova Trieste Brescia
Parma Modena Perugia Cagliari Ancona Pescara Trento Bergamo Vicenza Lecce Rimini Salerno`.split(/\s+/);
const SUBJECTS = [
  'Fattura n. {n}/{y}',
  'Sollecito di pagamento fattura {n}',
  'Diffida ad adempiere - {surname} {form}',
  'Convocazione assemblea condominio {city}',
  'Notifica atto giudiziario RG {n}/{y}',
  'Trasmissione contratto di locazione {surname}',
  'Richiesta documentazione pratica {n}',
  'Comunicazione variazione IBAN {surname} {form}',
  'Avviso di accertamento {y} - {surname}',
  'Preventivo lavori cantiere {city}',
  'Verbale di consegna merce ordine {n}',
  'Dichiarazione dei redditi {y} - {first} {surname}',
  'Ricorso tributario {surname} contro Agenzia delle Entrate',
  'Invio cedolini {month} {y}',
  'Offerta gara d\u2019appalto {city} lotto {n}',
];
const MONTHS =
  'gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre'.split(' ');
const FORMS = ['Srl', 'SpA', 'Snc', 'Sas', 'Srls'];

/** Surnames made of syllables: a long tail of rare words, as real names are. */
function surnames(r: () => number, n: number): string[] {
  const syl =
    'ro ssi bi an chi fer ra ri co lom bo ma ri ni gal li con ti gre co bru no mo re tti de lu ca sa la vi ta'.split(
      ' ',
    );
  const out = new Set<string>();
  while (out.size < n) {
    const k = 2 + Math.floor(r() * 3);
    let w = '';
    for (let i = 0; i < k; i++) w += syl[Math.floor(r() * syl.length)];
    out.add(w[0]!.toUpperCase() + w.slice(1) + 'i');
  }
  return [...out];
}

/** Zipf sampler over a list (rank 1 most frequent). */
function zipf(list: string[], r: () => number, s = 1.05): () => string {
  const cum: number[] = [];
  let total = 0;
  for (let i = 0; i < list.length; i++) {
    total += 1 / (i + 1) ** s;
    cum.push(total);
  }
  return () => {
    const x = r() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return list[lo]!;
  };
}

export interface CorpusWords {
  common: string[];
  surnames: string[];
  cities: string[];
}

export interface CorpusFigures {
  messages: number;
  threads: number;
  insertMs: number;
  indexMs: number;
}

interface Msg {
  kind: string;
  subject: string;
  fromAddress: string;
  certifiedSender: string | null;
  fromName: string | null;
  recipients: string[];
  body: string;
  attachmentNames: string[];
  attachmentText: string;
  date: string;
  folder: number;
  threadId: number | null;
}

/** The words a corpus of this seed is made of, without making it (the surnames come first). */
export function corpusWords(seed = 42): CorpusWords {
  return { common: COMMON, surnames: surnames(seededRandom(seed), SURNAMES), cities: CITIES };
}

const SURNAMES = 5_000;

export function generateCorpus(db: Db, n: number, seed = 42): { words: CorpusWords; figures: CorpusFigures } {
  const r = seededRandom(seed);
  const names = surnames(r, SURNAMES);
  const word = zipf(COMMON, r, 0.9);
  const surname = zipf(names, r, 0.8);
  const pick = <T>(list: T[]) => list[Math.floor(r() * list.length)]!;
  const sentence = (len: number) => {
    const w: string[] = [];
    for (let i = 0; i < len; i++) w.push(i % 9 === 8 ? surname() : word());
    return w.join(' ');
  };
  const company = () => `${surname()} ${pick(FORMS)}`;
  const address = (s: string, pec: boolean) =>
    `${s.toLowerCase()}${pec ? '@pec.' : '@'}${pick(['it', 'studio.it', 'legalmail.it', 'arubapec.it', 'postecert.it'])}`;
  const subject = () =>
    pick(SUBJECTS)
      .replace('{n}', String(1 + Math.floor(r() * 5000)))
      .replace('{y}', String(2023 + Math.floor(r() * 4)))
      .replace('{surname}', surname())
      .replace('{first}', pick(FIRST))
      .replace('{form}', pick(FORMS))
      .replace('{city}', pick(CITIES))
      .replace('{month}', pick(MONTHS));
  const attachment = () => {
    const type = pick(['fattura', 'contratto', 'avviso', 'verbale', 'perizia']);
    return {
      names: [`${type}_${Math.floor(r() * 10000)}.pdf`],
      text: `${type} ${company()} ${pick(CITIES)} ${sentence(150 + Math.floor(r() * 400))}`,
    };
  };

  const client = db.$client;
  client.exec(`INSERT INTO accounts (email, imap_host, imap_port, imap_security, imap_user, created_at, sync_state)
    VALUES ('studio@pec.studio.it', '127.0.0.1', 993, 'tls', 'studio', '2026-01-01', 'idle'),
           ('amministrazione@pec.studio.it', '127.0.0.1', 993, 'tls', 'amm', '2026-01-01', 'idle'),
           ('info@studio.it', '127.0.0.1', 993, 'tls', 'info', '2026-01-01', 'idle')`);
  client.exec(`INSERT INTO mailboxes (account_id, path, name) VALUES (1, 'INBOX', 'INBOX'), (1, 'Sent', 'Sent'),
    (2, 'INBOX', 'INBOX'), (2, 'Sent', 'Sent'), (3, 'INBOX', 'INBOX'), (3, 'Archivio', 'Archivio')`);
  const insertMsg =
    client.prepare(`INSERT INTO messages (object_hash, size, kind, basis, subject, from_address, from_name,
      certified_sender, cert_recipients, original_subject, has_attachments, signature_verdict, archived_at, sort_date,
      seq, search_version, thread_id, pec_msgid)
    VALUES (?, ?, ?, 'headers', ?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?, ?, ${SEARCH_VERSION}, ?, ?)`);
  const insertLoc = client.prepare(
    'INSERT INTO message_locations (mailbox_id, uid, message_id, flags) VALUES (?, ?, ?, ?)',
  );
  const insertThread =
    client.prepare(`INSERT INTO threads (msgid, subject, sender, direction, state, recipient_count,
      delivered_count, failed_count, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`);
  const setHead = client.prepare('UPDATE threads SET head_message_id = ? WHERE id = ?');
  const insertRecipient = client.prepare(
    `INSERT INTO thread_recipients (thread_id, address, type, state) VALUES (?, ?, 'certificato', ?)`,
  );

  let made = 0;
  let threads = 0;
  let uid = 0;
  let insertMs = 0;
  let indexMs = 0;
  const start = Date.parse('2023-01-01T08:00:00Z');
  const span = Date.parse('2026-11-01T08:00:00Z') - start;
  const write = (m: Msg): number => {
    const t0 = performance.now();
    const id = Number(
      insertMsg.run(
        `bench-${made}-${seed}`,
        1000 + m.body.length + m.attachmentText.length,
        m.kind,
        m.kind === 'ordinary' || m.kind === 'posta-certificata'
          ? m.subject
          : `${m.kind.toUpperCase()}: ${m.subject}`,
        m.fromAddress,
        m.fromName,
        m.certifiedSender,
        JSON.stringify(m.recipients.map((a) => ({ address: a, type: 'certificato' }))),
        m.subject,
        m.attachmentNames.length > 0 ? 1 : 0,
        m.date,
        m.date,
        made + 1,
        m.threadId,
        m.threadId ? `<thread-${m.threadId}@bench>` : null,
      ).lastInsertRowid,
    );
    insertLoc.run(m.folder, ++uid, id, m.kind === 'ordinary' ? '["\\\\Seen"]' : '[]');
    const t1 = performance.now();
    saveMessageText(db, id, {
      subject: m.subject,
      sender: [m.certifiedSender ?? m.fromAddress, m.fromName].filter(Boolean).join(' '),
      recipients: m.recipients.join(' '),
      body: m.body,
      attachments: [...m.attachmentNames, m.attachmentText].join(' '),
    });
    // As ingest does: the list row's document is rebuilt with each new message of its thread.
    rebuildDocs(db, [id]);
    indexMs += performance.now() - t1;
    insertMs += t1 - t0;
    made++;
    return id;
  };

  const batch = client.transaction((until: number) => {
    while (made < until) {
      const date = new Date(start + (span * made) / n + Math.floor(r() * 3_600_000)).toISOString();
      const roll = r();
      const subj = subject();
      const hasFile = r() < 0.3;
      const file = hasFile ? attachment() : { names: [], text: '' };
      const body = `Gentile ${pick(FIRST)} ${surname()}, ${sentence(40 + Math.floor(r() * 160))}. Distinti saluti, ${pick(FIRST)} ${surname()} ${pick(CITIES)}`;
      if (roll < 0.35) {
        // A received PEC: the envelope is its thread's head.
        const sender = surname();
        const threadId = Number(
          insertThread.run(`<r${made}@bench>`, subj, address(sender, true), 'received', 'received', 0, 0, 0)
            .lastInsertRowid,
        );
        const id = write({
          kind: 'posta-certificata',
          subject: subj,
          fromAddress: 'posta-certificata@pec.aruba.it',
          certifiedSender: address(sender, true),
          fromName: null,
          recipients: ['studio@pec.studio.it'],
          body,
          attachmentNames: file.names,
          attachmentText: file.text,
          date,
          folder: pick([1, 3]),
          threadId,
        });
        setHead.run(id, threadId);
        threads++;
      } else if (roll < 0.5) {
        const sender = surname();
        write({
          kind: 'ordinary',
          subject: subj,
          fromAddress: address(sender, false),
          certifiedSender: null,
          fromName: `${pick(FIRST)} ${sender}`,
          recipients: [],
          body,
          attachmentNames: file.names,
          attachmentText: file.text,
          date,
          folder: pick([5, 6]),
          threadId: null,
        });
      } else {
        // A sent PEC: sent copy, acceptance, one delivery (or failure) per recipient.
        const recipients = [
          ...new Set(Array.from({ length: r() < 0.8 ? 1 : 2 }, () => address(surname(), true))),
        ];
        const failed = r() < 0.05;
        const threadId = Number(
          insertThread.run(
            `<s${made}@bench>`,
            subj,
            'studio@pec.studio.it',
            'sent',
            failed ? 'failed' : 'delivered',
            recipients.length,
            failed ? 0 : recipients.length,
            failed ? recipients.length : 0,
          ).lastInsertRowid,
        );
        const own = {
          subject: subj,
          fromAddress: 'studio@pec.studio.it',
          certifiedSender: 'studio@pec.studio.it',
          fromName: 'Studio',
          recipients,
          date,
          threadId,
        };
        const head = write({
          ...own,
          kind: 'ordinary',
          body,
          attachmentNames: file.names,
          attachmentText: file.text,
          folder: 2,
        });
        setHead.run(head, threadId);
        write({ ...own, kind: 'accettazione', body: '', attachmentNames: [], attachmentText: '', folder: 1 });
        for (const to of recipients) {
          insertRecipient.run(threadId, to, failed ? 'failed' : 'delivered');
          // A complete delivery receipt carries the original, attachments included.
          if (made < until)
            write({
              ...own,
              kind: failed ? 'errore-consegna' : 'avvenuta-consegna',
              recipients: [to],
              body,
              attachmentNames: file.names,
              attachmentText: file.text,
              folder: 1,
            });
        }
        threads++;
      }
    }
  });
  for (let i = 0; i < n; i += 2_000) batch(Math.min(n, i + 2_000));
  return {
    words: { common: COMMON, surnames: names, cities: CITIES },
    figures: { messages: made, threads, insertMs, indexMs },
  };
}
