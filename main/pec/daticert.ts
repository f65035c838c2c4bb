/**
 * daticert.xml (certification data, pec-format.md §3) into a typed record. Real files are not always
 * valid: stray text, control characters, a DOCTYPE, Latin-1 bytes declared as UTF-8. The parser is
 * tolerant and says what it had to forgive; DTDs are never loaded.
 *
 * Entities: daticert is the provider's word on who sent what, so nothing declared inside the file
 * may put text into it (a DOCTYPE entity could make <mittente> show a sender the provider never
 * certified). Every DOCTYPE is removed before parsing, the parser expands no entity at all, and the
 * values are decoded here with a fixed table: the five XML entities, numeric references and a few
 * common HTML names. Any other reference stays as written, with a warning.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeTree, stripDoctypes } from './daticert-xml.ts';
import { DATICERT_TIPI, type DaticertTipo, DELIVERY_TYPES, type DeliveryType } from './kinds.ts';
import { decodeText } from './mime.ts';

export type RecipientType = 'certificato' | 'esterno' | 'sconosciuto';
export type DaticertError = 'nessuno' | 'no-dest' | 'no-dominio' | 'virus' | 'altro';

export interface CertRecipient {
  address: string;
  type: RecipientType;
}

export interface CertDate {
  /** As written: dd/mm/yyyy, hh:mm:ss and ±hhmm. */
  day: string;
  time: string;
  zone: string;
  /** ISO 8601 with the zone kept (2018-11-13T16:39:26+01:00); null when the parts are not valid. */
  iso: string | null;
}

export interface CertData {
  /** `tipo` as written; `knownTipo` is it when it is a value of the standard. */
  tipo: string;
  knownTipo: DaticertTipo | null;
  error: DaticertError | string;
  sender: string | null;
  recipients: CertRecipient[];
  replyTo: string | null;
  subject: string | null;
  provider: string | null;
  date: CertDate | null;
  identificativo: string | null;
  /** The sender client's Message-ID, with its angle brackets, unescaped. */
  msgid: string | null;
  receiptType: DeliveryType | null;
  /** The recipient a delivery or failure receipt is about (`consegna`). */
  deliveryAddress: string | null;
  /** Recipients taken over by their provider (`ricezione`, presa-in-carico). */
  takenOver: string[];
  errorDetail: string | null;
}

export type DaticertResult =
  | { ok: true; value: CertData; warnings: string[] }
  | { ok: false; reason: string };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Values are decoded by decodeReferences: nothing a file declares is ever expanded.
  processEntities: false,
  htmlEntities: false,
  isArray: (name) => name === 'destinatari' || name === 'ricezione',
});

const MAX_DATICERT_BYTES = 1024 * 1024;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function parseDaticert(bytes: Uint8Array): DaticertResult {
  try {
    return parseDaticertUnsafe(Buffer.from(bytes));
  } catch (error) {
    return { ok: false, reason: `daticert.xml could not be read: ${(error as Error).message}` };
  }
}

function parseDaticertUnsafe(bytes: Buffer): DaticertResult {
  const warnings: string[] = [];
  if (bytes.length === 0) return { ok: false, reason: 'daticert.xml is empty' };
  if (bytes.length > MAX_DATICERT_BYTES) return { ok: false, reason: 'daticert.xml is larger than 1 MiB' };
  const declared = /^\uFEFF?<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']/.exec(
    bytes.subarray(0, 200).toString('latin1'),
  )?.[1];
  let text: string;
  if (!declared || /^utf-?8$/i.test(declared)) {
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      warnings.push('daticert.xml is not valid UTF-8: read as Windows-1252');
      text = decodeText(bytes, 'windows-1252');
    }
  } else {
    text = decodeText(bytes, declared);
  }
  // A DOCTYPE could declare entities; nothing in daticert needs them, so every one is dropped unread.
  const stripped = stripDoctypes(text);
  text = stripped.text;
  if (stripped.subsets > 0 || stripped.count > 1)
    warnings.push('daticert.xml declares entities or more than one DOCTYPE: ignored, never expanded');
  const validation = XMLValidator.validate(text);
  if (validation !== true) warnings.push(`daticert.xml is not well-formed XML: ${validation.err.msg}`);
  const unknownReferences = new Set<string>();
  const doc = daticertTree(text, unknownReferences);
  const root = asRecord(doc.postacert);
  if (!root) return { ok: false, reason: 'daticert.xml has no <postacert> root element' };
  const head = asRecord(root.intestazione) ?? {};
  const dati = asRecord(root.dati) ?? {};
  if (!asRecord(root.intestazione)) warnings.push('daticert.xml has no <intestazione>');
  if (!asRecord(root.dati)) warnings.push('daticert.xml has no <dati>');

  const tipo = attr(root, 'tipo') ?? '';
  const knownTipo = (DATICERT_TIPI as readonly string[]).includes(tipo) ? (tipo as DaticertTipo) : null;
  if (!knownTipo) warnings.push(`daticert.xml tipo "${tipo}" is not a standard value`);
  const receipt = asRecord(dati.ricevuta);
  const receiptTipo = receipt ? (attr(receipt, 'tipo') ?? 'completa') : null;
  const receiptType =
    receiptTipo && (DELIVERY_TYPES as readonly string[]).includes(receiptTipo)
      ? (receiptTipo as DeliveryType)
      : null;

  const value: CertData = {
    tipo,
    knownTipo,
    error: attr(root, 'errore') ?? 'nessuno',
    sender: text1(head.mittente),
    recipients: asArray(head.destinatari).flatMap((d) => {
      const address = text1(d);
      if (!address) return [];
      const t = typeof d === 'object' && d ? attr(d as Record<string, unknown>, 'tipo') : undefined;
      return [{ address, type: t === 'certificato' || t === 'esterno' ? t : 'sconosciuto' } as CertRecipient];
    }),
    replyTo: text1(head.risposte),
    subject: text1(head.oggetto),
    provider: text1(dati['gestore-emittente']),
    date: readDate(asRecord(dati.data)),
    identificativo: text1(dati.identificativo),
    msgid: text1(dati.msgid),
    receiptType,
    deliveryAddress: text1(dati.consegna),
    takenOver: asArray(dati.ricezione).flatMap((r) => text1(r) ?? []),
    errorDetail: text1(dati['errore-esteso']),
  };
  if (unknownReferences.size > 0)
    warnings.push(
      `daticert.xml refers to entities it may not declare, left as written: ${[...unknownReferences].join(' ')}`,
    );
  if (value.date && !value.date.iso)
    warnings.push('daticert.xml date is not a valid dd/mm/yyyy hh:mm:ss ±hhmm');
  return { ok: true, value, warnings };
}

/**
 * The parsed document, every value decoded by the fixed table (daticert-xml.ts). The parser itself
 * expands nothing: even a DOCTYPE that reached it could not put its entities into a value.
 * @param unknown collects the references left as written.
 */
export function daticertTree(text: string, unknown: Set<string>): Record<string, unknown> {
  return decodeTree(parser.parse(text), unknown) as Record<string, unknown>;
}

function readDate(node: Record<string, unknown> | null): CertDate | null {
  if (!node) return null;
  const day = text1(node.giorno) ?? '';
  const time = text1(node.ora) ?? '';
  const zone = attr(node, 'zona') ?? '';
  return { day, time, zone, iso: certDateToIso(day, time, zone) };
}

export function certDateToIso(day: string, time: string, zone: string): string | null {
  const d = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(day.trim());
  const t = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time.trim());
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone.trim());
  if (!d || !t || !z) return null;
  const [dd, mm, yyyy] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [h, mi, s] = [Number(t[1]), Number(t[2]), Number(t[3] ?? '0')];
  if (mm < 1 || mm > 12 || dd < 1 || dd > new Date(Date.UTC(yyyy, mm, 0)).getUTCDate()) return null;
  if (h > 23 || mi > 59 || s > 59) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${yyyy}-${pad(mm)}-${pad(dd)}T${pad(h)}:${pad(mi)}:${pad(s)}${z[1]}${z[2]}:${z[3]}`;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  if (Array.isArray(v)) return asRecord(v[0]);
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
}

function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function attr(node: Record<string, unknown>, name: string): string | undefined {
  const v = node[name];
  return typeof v === 'string' ? v.trim() : undefined;
}

/** Text content of an element that may carry attributes; empty text is null. */
function text1(v: unknown): string | null {
  if (Array.isArray(v)) return text1(v[0]);
  if (typeof v === 'string' || typeof v === 'number') {
    const s = String(v)
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .trim();
    return s || null;
  }
  if (typeof v === 'object' && v !== null) return text1((v as Record<string, unknown>)['#text']);
  return null;
}
