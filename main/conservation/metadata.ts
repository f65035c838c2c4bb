/**
 * The metadata of each document of a PEC (metadati.xml in its group), with the element names of
 * the AgID guidelines on documenti informatici (2021, Allegato 5: DocumentoInformatico) as
 * ../shared/conservation/README.md §2.2–2.3 maps a PEC onto them: each .eml is one document; the
 * envelope or sent copy is the main one and every receipt points to it; the provider's signature
 * is "FirmatoDigitalmente"; the registration date and time are daticert's. A `DatiPEC` element
 * beside them keeps what the guidelines have no field for: the receipt's kind, its recipient and
 * each recipient's delivery state.
 */
import type { ProofFile } from '../proof/collect.ts';
import { kindWords } from '../proof/words.ts';
import { el, wrap } from './xml.ts';

export interface PecGroupFacts {
  mailbox: string | null;
  direction: 'sent' | 'received' | null;
  state: string | null;
  identificativo: string | null;
  msgid: string | null;
  subject: string | null;
  sender: string | null;
  recipients: { address: string; type: string; state: string; stateAt: string | null }[];
}

const FORMATION = {
  // One's own PEC: made with software (the mail program, PecDesk).
  a: 'a) creazione tramite l’utilizzo di strumenti software che assicurino la produzione di documenti nei formati previsti nell’Allegato 2 delle Linee Guida',
  // Received ones and the provider's receipts: acquired by telematic transmission.
  b: 'b) acquisizione di un documento informatico per via telematica o su supporto informatico',
};

/** Day and time in Rome of an ISO instant: ["2018-11-13", "16:39:26"]. */
function romeParts(iso: string | null): [string, string] | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Rome',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return [`${p.year}-${p.month}-${p.day}`, `${p.hour}:${p.minute}:${p.second}`];
}

function subject(role: string, address: string | null): string {
  if (!address) return '';
  return wrap('Ruolo', [
    el('TipoRuolo', role),
    wrap('AltroSoggetto', [el('Denominazione', address), el('IndirizziDigitaliDiRiferimento', address)]),
  ]);
}

function documentXml(
  f: ProofFile,
  name: string,
  sha256Base64: string,
  main: { id: string } | null,
  group: PecGroupFacts,
  version: string,
): string {
  const c = f.inspect.certData;
  const own = group.direction === 'sent' && f.sentCopy;
  const id = c?.identificativo ?? f.inspect.messageId ?? f.sha256;
  const when = romeParts(f.date);
  const signed = !f.sentCopy && f.inspect.signature.verdict !== 'unsigned';
  return wrap('DocumentoInformatico', [
    wrap('IdDoc', [
      wrap('ImprontaCrittograficaDelDocumento', [el('Impronta', sha256Base64), el('Algoritmo', 'SHA-256')]),
      el('Identificativo', id),
    ]),
    el('ModalitaDiFormazione', own ? FORMATION.a : FORMATION.b),
    el('TipologiaDocumentale', kindWords(f.kind, f.sentCopy)),
    wrap('DatiDiRegistrazione', [
      // Flow: U(scita) for what the mailbox sent and the receipts of it, E(ntrata) for what it received.
      el('TipologiaDiFlusso', group.direction === 'sent' ? 'U' : 'E'),
      wrap(
        'TipoRegistro',
        wrap('Nessuno', [
          el('DataDocumento', when?.[0] ?? ''),
          el('OraDocumento', when?.[1] ?? ''),
          el('NumeroDocumento', id),
        ]),
      ),
    ]),
    wrap('Soggetti', [
      subject('Mittente', c?.sender ?? group.sender),
      ...(c?.recipients.length
        ? c.recipients.map((r) => r.address)
        : group.recipients.map((r) => r.address)
      ).map((a) => subject('Destinatario', a)),
    ]),
    wrap(
      'ChiaveDescrittiva',
      el('Oggetto', c?.subject ?? f.inspect.original?.subject ?? f.inspect.subject ?? ''),
    ),
    wrap('Allegati', el('NumeroAllegati', String(f.inspect.original?.attachments.length ?? 0))),
    wrap('IdentificativoDelFormato', [
      el('Formato', 'EML'),
      wrap('ProdottoSoftware', [
        el('NomeProdotto', 'PecDesk'),
        el('VersioneProdotto', version),
        el('Produttore', 'PecDesk'),
      ]),
    ]),
    wrap('Verifica', [
      el('FirmatoDigitalmente', signed ? 'true' : 'false'),
      el('SigillatoElettronicamente', 'false'),
      el('MarcaturaTemporale', 'false'),
      el('ConformitaCopieImmagineSuSupportoInformatico', 'false'),
    ]),
    main && main.id !== id ? el('IdIdentificativoDocumentoPrimario', main.id) : '',
    el('NomeDelDocumento', name),
    el('VersioneDelDocumento', '1'),
    el('TempoDiConservazione', '10'),
    wrap('DatiPEC', [
      el('Casella', group.mailbox),
      el('TipoMessaggio', f.sentCopy ? 'pec-inviata' : f.kind),
      el('TipoRicevuta', c?.receiptType),
      el('Gestore', c?.provider),
      el('DestinatarioRicevuta', c?.deliveryAddress),
      el('Errore', c?.error && c.error !== 'nessuno' ? c.error : null),
      el('MessageIdMittente', c?.msgid ?? group.msgid),
      el('EsitoVerificaFirma', f.sentCopy ? null : f.inspect.signature.verdict),
      el('Firmatario', f.inspect.signature.signer?.organization ?? f.inspect.signature.signer?.commonName),
    ]),
  ]);
}

/** metadati.xml of one PEC: its documents, and the delivery state of each recipient. */
export function groupMetadataXml(
  files: { file: ProofFile; name: string; sha256Base64: string }[],
  group: PecGroupFacts,
  version: string,
): string {
  const main = files.find(
    (f) => f.file.sentCopy || f.file.kind === 'posta-certificata' || f.file.kind === 'errore',
  );
  const mainId = main
    ? { id: main.file.inspect.certData?.identificativo ?? main.file.inspect.messageId ?? main.file.sha256 }
    : null;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${wrap(
    'MetadatiPEC',
    [
      wrap('PEC', [
        el('Casella', group.mailbox),
        el('Oggetto', group.subject),
        el('MittenteCertificato', group.sender),
        el('Identificativo', group.identificativo),
        el('MessageIdMittente', group.msgid),
        el('Stato', group.state),
        ...group.recipients.map((r) =>
          wrap('Destinatario', [
            el('Indirizzo', r.address),
            el('Tipo', r.type),
            el('StatoConsegna', r.state),
            el('DataStato', r.stateAt),
          ]),
        ),
      ]),
      ...files.map((f) => documentXml(f.file, f.name, f.sha256Base64, mainId, group, version)),
    ],
    {
      riferimento: 'Linee Guida AgID 2021, Allegato 5 (metadati del documento informatico)',
      versione: '1.0',
    },
  )}\n`;
}
