/**
 * What a PEC provider does with a message one of its mailboxes submits (pec-format.md §1–§4),
 * as pure functions over bytes: no sockets, no mailboxes, no clock of its own. The server
 * (server.ts) gives it the submitted message and stores what it returns.
 *
 * - The sender's provider checks the message (the "punto di accesso"): the From and the envelope
 *   sender must be the authenticated mailbox, every envelope recipient must be in To or Cc (a Bcc
 *   is refused), at most `maxRecipients`, at most `maxTotalBytes` for size × recipients. A message
 *   that fails gets an "avviso di non accettazione" naming every reason, and goes nowhere.
 * - An accepted message gets a "ricevuta di accettazione" and one transport envelope, signed by the
 *   sender's provider, that every recipient receives: PEC mailboxes in their INBOX, ordinary
 *   addresses as ordinary mail (their daticert says tipo="esterno" and they never get a receipt).
 * - The recipient's provider (the "punto di consegna") answers each certified recipient with a
 *   "ricevuta di avvenuta consegna" of the type asked by X-TipoRicevuta (completa, breve, sintetica;
 *   Cc recipients always get the sintetica, as Aruba does) or an "avviso di mancata consegna".
 *
 * Ids (§4): the sender's Message-ID (M0) is daticert's <msgid> and every notice's
 * X-Riferimento-Message-ID; the identificativo, made here, is the envelope's Message-ID and the
 * Message-ID of the original inside it.
 */
import addressparser from 'nodemailer/lib/addressparser';
import type { TestIdentity } from '../demo/demo-pki.ts';
import {
  buildPec,
  newIdentificativo,
  newMessageId,
  type PecSpec,
  providerRewrite,
  type Recipient,
  rfc2822Date,
} from '../demo/pec-builder.ts';
import { DELIVERY_TYPES, type DeliveryType } from '../pec/kinds.ts';
import { decodeWords, headerValue, headerValues, parseMime } from '../pec/mime.ts';
import { withAttachmentHashes } from './breve.ts';
import { domainOf, type SimLimits } from './config.ts';

/** A provider as the simulation runs it: its signing identity and how late it answers. */
export interface SimProvider {
  identity: TestIdentity;
  delayMs: number;
}

export interface SimWorld {
  /** The provider of a PEC domain; undefined for ordinary (non-PEC) domains. */
  providerOf(domain: string): SimProvider | undefined;
  /** Whether a PEC address has a mailbox. */
  hasMailbox(address: string): boolean;
  limits: SimLimits;
}

export interface Submission {
  /** The message as the client sent it after DATA. */
  raw: Buffer;
  /** MAIL FROM and RCPT TO. */
  envelopeFrom: string;
  envelopeTo: string[];
  /** The mailbox that logged in (SMTP AUTH). */
  authUser: string;
  at: Date;
}

export type RejectionCode =
  | 'sender-mismatch'
  | 'bcc'
  | 'recipients-mismatch'
  | 'too-many-recipients'
  | 'too-large';

export interface Rejection {
  code: RejectionCode;
  /** In Italian, as it goes in the notice's errore-esteso. */
  detail: string;
}

/** One accepted PEC: what its envelope and every receipt about it say. */
export interface PecContext {
  sender: string;
  senderProvider: SimProvider;
  recipients: Recipient[];
  subject: string;
  /** M0, with angle brackets. */
  msgid: string;
  identificativo: string;
  /** The type the sender asked for (X-TipoRicevuta), completa when absent or unknown. */
  deliveryType: DeliveryType;
  /** The original as the provider rewrote it (postacert.eml). */
  original: Buffer;
  at: Date;
}

export interface Transport {
  address: string;
  type: 'certificato' | 'esterno';
  /** The recipient's provider; undefined for ordinary addresses. */
  provider: SimProvider | undefined;
  /** Whether the recipient's provider has this mailbox (ordinary addresses: true). */
  known: boolean;
  /** The receipt type this recipient's delivery gets. */
  deliveryType: DeliveryType;
}

export interface Outcome {
  accepted: boolean;
  rejections: Rejection[];
  context: PecContext;
  /** The acceptance or the non-acceptance, for the sender's INBOX. */
  notice: Buffer;
  /** The transport envelope every recipient receives (accepted only). */
  envelope: Buffer | null;
  transports: Transport[];
}

export type DeliveryFailure = { cause: 'no-dest' } | { cause: 'quota' } | { cause: 'other'; detail: string };

const CRLF = '\r\n';

function addresses(values: string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    for (const a of addressparser(value, { flatten: true })) {
      const address = a.address?.trim().toLowerCase();
      if (address && !out.includes(address)) out.push(address);
    }
  }
  return out;
}

/** SMTP carries CRLF; a client that sent bare LF gets the same message with CRLF. */
function crlf(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/\r?\n/g, CRLF);
  return Buffer.from(text.includes(`${CRLF}${CRLF}`) ? text : `${text}${CRLF}${CRLF}`, 'latin1');
}

function deliveryTypeOf(value: string | undefined): DeliveryType {
  const v = value?.trim().toLowerCase();
  return (DELIVERY_TYPES as readonly string[]).includes(v ?? '') ? (v as DeliveryType) : 'completa';
}

/** The checks of the punto di accesso, every failing one (pec-format.md §1, §6). */
function rejectionsOf(
  sub: Submission,
  fromHeader: string[],
  headerRecipients: string[],
  size: number,
  limits: SimLimits,
): Rejection[] {
  const out: Rejection[] = [];
  const auth = sub.authUser.toLowerCase();
  const envelopeFrom = sub.envelopeFrom.trim().toLowerCase();
  if (fromHeader.length !== 1 || fromHeader[0] !== auth || envelopeFrom !== auth) {
    const claimed = fromHeader.join(', ') || envelopeFrom || '(nessuno)';
    out.push({
      code: 'sender-mismatch',
      detail: `mittente "${claimed}" diverso dalla casella autenticata "${auth}"`,
    });
  }
  const envelopeTo = addresses(sub.envelopeTo);
  const bcc = envelopeTo.filter((a) => !headerRecipients.includes(a));
  if (bcc.length > 0)
    out.push({
      code: 'bcc',
      detail: `destinatari in copia nascosta (Bcc) non ammessi: ${bcc.join(', ')}`,
    });
  const missing = headerRecipients.filter((a) => !envelopeTo.includes(a));
  if (missing.length > 0)
    out.push({
      code: 'recipients-mismatch',
      detail: `destinatari dell'intestazione assenti dalla busta SMTP: ${missing.join(', ')}`,
    });
  const count = Math.max(envelopeTo.length, headerRecipients.length);
  if (count > limits.maxRecipients)
    out.push({
      code: 'too-many-recipients',
      detail: `troppi destinatari: ${count} (al massimo ${limits.maxRecipients})`,
    });
  if (size * Math.max(count, 1) > limits.maxTotalBytes)
    out.push({
      code: 'too-large',
      detail: `messaggio troppo grande: ${size} byte per ${count} destinatari superano il limite di ${limits.maxTotalBytes} byte`,
    });
  return out;
}

/** The sender's provider judges a submitted message and issues what follows at once. */
export function submit(sub: Submission, world: SimWorld): Outcome {
  const raw = crlf(sub.raw);
  const headers = parseMime(raw).headers;
  const fromHeader = addresses(headerValues(headers, 'from'));
  const to = addresses(headerValues(headers, 'to'));
  const cc = addresses(headerValues(headers, 'cc')).filter((a) => !to.includes(a));
  const headerRecipients = [...to, ...cc];
  const sender = sub.authUser.toLowerCase();
  const senderProvider = world.providerOf(domainOf(sender));
  if (!senderProvider) throw new Error(`${sender} is not a mailbox of a simulated PEC provider`);
  const senderDomain = senderProvider.identity.domain;
  const msgid = headerValue(headers, 'message-id')?.trim() || newMessageId(senderDomain);
  const identificativo = newIdentificativo(senderDomain, sub.at);
  const deliveryType = deliveryTypeOf(headerValue(headers, 'x-tiporicevuta'));
  const recipients: Recipient[] = headerRecipients.map((address) => ({
    address,
    type: world.providerOf(domainOf(address)) ? 'certificato' : 'esterno',
  }));
  const received = `from [127.0.0.1] (authenticated as ${sender}) by smtps.${senderDomain} with ESMTPSA id ${identificativo}; ${rfc2822Date(sub.at)}`;
  const context: PecContext = {
    sender,
    senderProvider,
    recipients,
    subject: decodeWords(headerValue(headers, 'subject') ?? ''),
    msgid,
    identificativo,
    deliveryType,
    original: providerRewrite(raw, identificativo, msgid, received),
    at: sub.at,
  };
  const rejections = rejectionsOf(sub, fromHeader, headerRecipients, raw.length, world.limits);
  if (rejections.length > 0) {
    const notice = buildPec({
      ...base(context, 'non-accettazione', senderProvider, sub.at),
      error: 'altro',
      errorDetail: rejections.map((r) => r.detail).join('; '),
    });
    return { accepted: false, rejections, context, notice, envelope: null, transports: [] };
  }
  const notice = buildPec(base(context, 'accettazione', senderProvider, sub.at));
  const envelope = buildPec({
    ...base(context, 'posta-certificata', senderProvider, sub.at),
    original: context.original,
    deliveryType,
  });
  const transports: Transport[] = recipients.map((r) => {
    const provider = world.providerOf(domainOf(r.address));
    return {
      address: r.address,
      type: r.type,
      provider,
      known: provider ? world.hasMailbox(r.address) : true,
      // Aruba: "Sintetica ... inviata anche ai destinatari in copia Cc" (pec-format.md §2.4).
      deliveryType: cc.includes(r.address) ? 'sintetica' : deliveryType,
    };
  });
  return { accepted: true, rejections, context, notice, envelope, transports };
}

function base(context: PecContext, kind: PecSpec['kind'], issuer: SimProvider, at: Date): PecSpec {
  return {
    kind,
    provider: issuer.identity,
    sender: context.sender,
    recipients: context.recipients,
    subject: context.subject,
    msgid: context.msgid,
    identificativo: context.identificativo,
    date: at,
  };
}

function recipientProvider(t: Transport): SimProvider {
  if (!t.provider) throw new Error(`${t.address} is not a PEC address: it gets no receipt`);
  return t.provider;
}

/** The recipient's provider certifies that the envelope is in the recipient's mailbox. */
export function deliveryReceipt(context: PecContext, t: Transport, at: Date): Buffer {
  const original =
    t.deliveryType === 'completa'
      ? context.original
      : t.deliveryType === 'breve'
        ? withAttachmentHashes(context.original)
        : undefined;
  return buildPec({
    ...base(context, 'avvenuta-consegna', recipientProvider(t), at),
    deliveryAddress: t.address,
    deliveryType: t.deliveryType,
    ...(original ? { original } : {}),
  });
}

/** The recipient's provider could not deliver: unknown mailbox, full mailbox, or another error. */
export function deliveryFailure(
  context: PecContext,
  t: Transport,
  failure: DeliveryFailure,
  at: Date,
): Buffer {
  const provider = recipientProvider(t);
  const gestore = `${provider.identity.name} S.p.A.`;
  const [error, errorDetail]: [PecSpec['error'], string] =
    failure.cause === 'no-dest'
      ? ['no-dest', `5.1.1 - ${gestore} - indirizzo non valido`]
      : failure.cause === 'quota'
        ? ['altro', `5.2.2 - ${gestore} - casella piena`]
        : ['altro', failure.detail];
  return buildPec({
    ...base(context, 'errore-consegna', provider, at),
    deliveryAddress: t.address,
    error,
    errorDetail,
  });
}
