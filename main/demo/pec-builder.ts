/**
 * Makes PEC messages of every kind byte for byte in the structure real providers use (Aruba's
 * layout, pec-format.md §2), for the demo archive and the tests: multipart/signed over multipart/mixed with the human text, daticert.xml
 * and postacert.eml, signed by a test provider with a detached CMS signature (node-forge).
 */
import { constants, createPrivateKey, type KeyObject, privateEncrypt, randomBytes } from 'node:crypto';
import libmime from 'libmime';
import libqp from 'libqp';
import forge from 'node-forge';
import type { DeliveryType, PecKind } from '../pec/kinds.ts';
import type { TestIdentity, TestPki } from './demo-pki.ts';

/**
 * The PKI that signs when a spec names no provider: the tests install theirs (shared between
 * processes), the demo archive its own.
 */
let defaultPki: (() => TestPki) | null = null;

export function setDefaultPki(get: () => TestPki): void {
  defaultPki = get;
}

function pkiNow(): TestPki {
  if (!defaultPki) throw new Error('no PKI: pass providers explicitly or call setDefaultPki()');
  return defaultPki();
}

const CRLF = '\r\n';

export interface Recipient {
  address: string;
  type: 'certificato' | 'esterno';
}

export interface AttachmentSpec {
  filename: string;
  contentType: string;
  content: Buffer | string;
}

export interface OriginalSpec {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: AttachmentSpec[];
  messageId?: string;
  date?: Date;
  extraHeaders?: Record<string, string>;
}

export type Signing =
  | { mode: 'valid'; by?: TestIdentity; signingTime?: Date }
  | { mode: 'opaque'; by?: TestIdentity }
  | { mode: 'none' }
  /** Signed, then a byte of the signed content changed, as a forger would. */
  | { mode: 'tampered'; by?: TestIdentity };

export interface PecSpec {
  kind: PecKind;
  /** The provider that issues this object (and signs it). */
  provider?: TestIdentity;
  sender: string;
  recipients: Recipient[];
  subject: string;
  /** The sender client's Message-ID (M0), with angle brackets. */
  msgid: string;
  identificativo: string;
  date?: Date;
  deliveryAddress?: string;
  takenOver?: string[];
  error?: 'nessuno' | 'no-dest' | 'no-dominio' | 'virus' | 'altro';
  errorDetail?: string;
  deliveryType?: DeliveryType;
  virus?: boolean;
  /** postacert.eml bytes; envelopes and completa/breve deliveries carry it. */
  original?: Buffer;
  signing?: Signing;
  /** Leave daticert.xml out (anomaly envelopes have none). */
  omitDaticert?: boolean;
  /** Leave the sender's Message-ID out (daticert <msgid> and X-Riferimento-Message-ID), as some providers' receipts do. */
  omitMsgid?: boolean;
  extraHeaders?: Record<string, string>;
  /** Write bare LF line ends, as some stored copies have. */
  lineEnding?: 'crlf' | 'lf';
}

export const SUBJECT_PREFIX: Record<PecKind, string> = {
  'posta-certificata': 'POSTA CERTIFICATA: ',
  errore: 'ANOMALIA MESSAGGIO: ',
  accettazione: 'ACCETTAZIONE: ',
  'non-accettazione': 'AVVISO DI NON ACCETTAZIONE: ',
  'presa-in-carico': 'PRESA IN CARICO: ',
  'avvenuta-consegna': 'CONSEGNA: ',
  'errore-consegna': 'AVVISO DI MANCATA CONSEGNA: ',
  'preavviso-errore-consegna': 'AVVISO DI MANCATA CONSEGNA PER SUP. TEMPO MASSIMO: ',
  'rilevazione-virus': 'PROBLEMA DI SICUREZZA: ',
};

const VIRUS_PREFIX: Partial<Record<PecKind, string>> = {
  'non-accettazione': 'AVVISO DI NON ACCETTAZIONE PER VIRUS: ',
  'errore-consegna': 'AVVISO DI MANCATA CONSEGNA PER VIRUS: ',
};

let counter = 0;

export function newIdentificativo(domain: string, date = new Date()): string {
  counter++;
  const stamp = date.toISOString().replace(/\D/g, '').slice(0, 14);
  return `opec${process.pid}.${stamp}.${counter}.${randomBytes(3).toString('hex')}.1.${counter % 97}@${domain}`;
}

export function newMessageId(domain = 'client.test'): string {
  counter++;
  return `<${Date.now().toString(36)}.${counter}.${randomBytes(6).toString('hex')}@${domain}>`;
}

// Made once: creating an Intl.DateTimeFormat costs a millisecond, and every message needs several
// dates (the demo archive is built while a person waits).
let romeOffsetFormat: Intl.DateTimeFormat | null = null;
let romeDateFormat: Intl.DateTimeFormat | null = null;

/** Europe/Rome offset of an instant, as daticert.xml writes it (+0100 / +0200). */
export function romeZone(date: Date): string {
  romeOffsetFormat ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Rome',
    timeZoneName: 'longOffset',
  });
  const parts = romeOffsetFormat.formatToParts(date);
  const offset = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(offset);
  return m ? `${m[1]}${m[2]}${m[3]}` : '+0000';
}

function romeParts(date: Date): { day: string; time: string; zone: string } {
  romeDateFormat ??= new Intl.DateTimeFormat('it-IT', {
    timeZone: 'Europe/Rome',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  const f = romeDateFormat.formatToParts(date);
  const get = (t: string) => f.find((p) => p.type === t)?.value ?? '00';
  return {
    day: `${get('day')}/${get('month')}/${get('year')}`,
    time: `${get('hour')}:${get('minute')}:${get('second')}`,
    zone: romeZone(date),
  };
}

export function rfc2822Date(date: Date): string {
  const zone = romeZone(date);
  const sign = zone.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  const local = new Date(date.getTime() + minutes * 60_000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[local.getUTCDay()]}, ${pad(local.getUTCDate())} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${zone}`;
}

function encodeSubject(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : libmime.encodeWords(s, 'Q', 60);
}

function b64Lines(buf: Buffer, width = 76): string {
  return (buf.toString('base64').match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(CRLF);
}

function qpLatin1(text: string): string {
  return libqp.wrap(libqp.encode(Buffer.from(text.replace(/\r?\n/g, CRLF), 'latin1')), 76);
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The original message as an author's client writes it. */
export function buildOriginal(spec: OriginalSpec): Buffer {
  const boundary = `----=_Part_${randomBytes(8).toString('hex')}`;
  const headers = [
    `From: ${spec.from}`,
    `To: ${spec.to.join(', ')}`,
    ...(spec.cc?.length ? [`Cc: ${spec.cc.join(', ')}`] : []),
    `Subject: ${encodeSubject(spec.subject)}`,
    `Date: ${rfc2822Date(spec.date ?? new Date())}`,
    `Message-ID: ${spec.messageId ?? newMessageId()}`,
    ...Object.entries(spec.extraHeaders ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
  ];
  const attachments = spec.attachments ?? [];
  const textPart = [
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64Lines(Buffer.from(spec.text, 'utf8')),
  ].join(CRLF);
  const htmlPart = spec.html
    ? [
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        '',
        b64Lines(Buffer.from(spec.html, 'utf8')),
      ].join(CRLF)
    : null;
  if (attachments.length === 0 && !htmlPart) {
    return Buffer.from([...headers, textPart].join(CRLF) + CRLF, 'utf8');
  }
  // Text and HTML are two renderings of one body: multipart/alternative, as mail clients write it.
  const altBoundary = `----=_Alt_${randomBytes(8).toString('hex')}`;
  const body0 = htmlPart
    ? [
        `Content-Type: multipart/alternative; boundary="${altBoundary}"`,
        '',
        `--${altBoundary}`,
        textPart,
        `--${altBoundary}`,
        htmlPart,
        `--${altBoundary}--`,
        '',
      ].join(CRLF)
    : textPart;
  const parts = [body0];
  for (const a of attachments) {
    const name = encodeSubject(a.filename);
    const content = Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content, 'utf8');
    parts.push(
      [
        `Content-Type: ${a.contentType}; name="${name}"`,
        'Content-Transfer-Encoding: base64',
        `Content-Disposition: attachment; filename="${name}"`,
        '',
        b64Lines(content),
      ].join(CRLF),
    );
  }
  const body = parts.map((p) => `--${boundary}${CRLF}${p}${CRLF}`).join('') + `--${boundary}--${CRLF}`;
  return Buffer.from(
    [
      ...headers,
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      'This is a multi-part message in MIME format.',
      body,
    ].join(CRLF),
    'utf8',
  );
}

/**
 * The provider rewrites the original it wraps: Message-ID becomes the identificativo (§2.1), and
 * its Received line goes on top (`received`: that line without "Received: ", when the caller knows
 * who submitted the message to which server).
 */
export function providerRewrite(
  original: Buffer,
  identificativo: string,
  msgid: string,
  received = `from client.test by smtp.provider.test with ESMTPSA; ${rfc2822Date(new Date())}`,
): Buffer {
  const text = original.toString('latin1');
  const split = text.indexOf(`${CRLF}${CRLF}`);
  const head = text
    .slice(0, split)
    .split(CRLF)
    .filter((l) => !/^message-id:/i.test(l));
  const rewritten = [
    `Received: ${received}`,
    ...head,
    `Message-ID: <${identificativo}>`,
    `X-Riferimento-Message-ID: ${msgid}`,
  ].join(CRLF);
  return Buffer.from(rewritten + text.slice(split), 'latin1');
}

export function daticertXml(spec: PecSpec, tipo: string, date: Date): string {
  const { day, time, zone } = romeParts(date);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<postacert tipo="${tipo}" errore="${spec.error ?? 'nessuno'}">`,
    '    <intestazione>',
    `        <mittente>${xmlEscape(spec.sender)}</mittente>`,
    ...spec.recipients.map(
      (r) => `        <destinatari tipo="${r.type}">${xmlEscape(r.address)}</destinatari>`,
    ),
    `        <risposte>${xmlEscape(spec.sender)}</risposte>`,
    `        <oggetto>${xmlEscape(spec.subject)}</oggetto>`,
    '    </intestazione>',
    '    <dati>',
    `        <gestore-emittente>${xmlEscape(`${(spec.provider ?? pkiNow().providers.alfa).name} S.p.A.`)}</gestore-emittente>`,
    `        <data zona="${zone}">`,
    `            <giorno>${day}</giorno>`,
    `            <ora>${time}</ora>`,
    '        </data>',
    `        <identificativo>${xmlEscape(spec.identificativo)}</identificativo>`,
    ...(spec.omitMsgid ? [] : [`        <msgid>${xmlEscape(spec.msgid)}</msgid>`]),
  ];
  if (tipo === 'avvenuta-consegna' || tipo === 'posta-certificata') {
    lines.push(`        <ricevuta tipo="${spec.deliveryType ?? 'completa'}" />`);
  }
  if (spec.deliveryAddress) lines.push(`        <consegna>${xmlEscape(spec.deliveryAddress)}</consegna>`);
  for (const r of spec.takenOver ?? []) lines.push(`        <ricezione>${xmlEscape(r)}</ricezione>`);
  if (spec.errorDetail) lines.push(`        <errore-esteso>${xmlEscape(spec.errorDetail)}</errore-esteso>`);
  lines.push('    </dati>', '</postacert>', '');
  return lines.join('\n');
}

const HUMAN_TITLE: Record<PecKind, string> = {
  'posta-certificata': 'Messaggio di posta certificata',
  errore: 'Anomalia nel messaggio',
  accettazione: 'Ricevuta di accettazione',
  'non-accettazione': 'Avviso di non accettazione',
  'presa-in-carico': 'Ricevuta di presa in carico',
  'avvenuta-consegna': 'Ricevuta di avvenuta consegna',
  'errore-consegna': 'Avviso di mancata consegna',
  'preavviso-errore-consegna': 'Preavviso di mancata consegna',
  'rilevazione-virus': 'Avviso di rilevazione virus',
};

function humanText(spec: PecSpec, date: Date): string {
  const { day, time, zone } = romeParts(date);
  const rcpts = spec.recipients.map(
    (r) => `${r.address} ("${r.type === 'certificato' ? 'posta certificata' : 'posta ordinaria'}")`,
  );
  return [
    `-- ${HUMAN_TITLE[spec.kind]} --`,
    '',
    `Il giorno ${day} alle ore ${time} (${zone}) il messaggio con Oggetto`,
    `"${spec.subject}" inviato da "${spec.sender}"`,
    'ed indirizzato a:',
    ...rcpts,
    ...(spec.deliveryAddress ? [`riguardo al destinatario "${spec.deliveryAddress}"`] : []),
    ...(spec.errorDetail ? [`è stato rilevato il seguente errore: ${spec.errorDetail}`] : []),
    `Identificativo del messaggio: ${spec.identificativo}`,
    '',
  ].join('\n');
}

function topHeaders(spec: PecSpec, signer: TestIdentity, date: Date, contentType: string): string[] {
  const envelope = spec.kind === 'posta-certificata' || spec.kind === 'errore';
  const prefix = (spec.virus && VIRUS_PREFIX[spec.kind]) || SUBJECT_PREFIX[spec.kind];
  const headers = [
    `Return-Path: <${signer.email}>`,
    `Received: from smtp.${signer.domain} (localhost [127.0.0.1]) by mx.${signer.domain} (lmtpd); ${rfc2822Date(date)}`,
    `Subject: ${encodeSubject(prefix + spec.subject)}`,
    ...(spec.omitMsgid ? [] : [`X-Riferimento-Message-ID: ${spec.msgid}`]),
    `Date: ${rfc2822Date(date)}`,
    `To: ${envelope ? spec.recipients.map((r) => r.address).join(', ') : spec.sender}`,
    envelope ? `X-Trasporto: ${spec.kind}` : `X-Ricevuta: ${spec.kind}`,
  ];
  if (envelope) headers.push(`Reply-To: ${spec.sender}`);
  if (spec.kind === 'posta-certificata' && spec.deliveryType)
    headers.push(`X-TipoRicevuta: ${spec.deliveryType}`);
  if (spec.virus) headers.push('X-VerificaSicurezza: errore');
  for (const [k, v] of Object.entries(spec.extraHeaders ?? {})) headers.push(`${k}: ${v}`);
  headers.push(
    envelope ? `From: "Per conto di: ${spec.sender}" <${signer.email}>` : `From: ${signer.email}`,
    'MIME-Version: 1.0',
    contentType,
    `Message-ID: <${envelope ? spec.identificativo : newIdentificativo(signer.domain, date)}>`,
  );
  return headers;
}

/** The signed content: multipart/mixed with the human text, daticert.xml and postacert.eml. */
function signedContent(spec: PecSpec, date: Date): string {
  const stamp = `${Math.floor(date.getTime() / 1000)}-${process.pid}-${++counter}`;
  const mixed = `----------=_${stamp}-1`;
  const alt = `----------=_${stamp}-2`;
  const text = humanText(spec, date);
  const html = `<html>\n<head><title>${HUMAN_TITLE[spec.kind]}</title></head>\n<body>\n<h3>${HUMAN_TITLE[spec.kind]}</h3>\n<hr><br>\n${xmlEscape(text).replace(/\n/g, '<br>\n')}</body>\n</html>\n`;
  const parts: string[] = [
    [
      `Content-Type: multipart/alternative;${CRLF} boundary="${alt}"`,
      'Content-Transfer-Encoding: binary',
      '',
      `--${alt}`,
      'Content-Type: text/plain; charset="iso-8859-1"',
      'Content-Disposition: inline',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      qpLatin1(text),
      `--${alt}`,
      'Content-Type: text/html; charset="iso-8859-1"',
      'Content-Disposition: inline',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      qpLatin1(html),
      `--${alt}--`,
      '',
    ].join(CRLF),
  ];
  if (!spec.omitDaticert) {
    parts.push(
      [
        'Content-Type: application/xml; name="daticert.xml"',
        'Content-Disposition: inline; filename="daticert.xml"',
        'Content-Transfer-Encoding: base64',
        '',
        b64Lines(Buffer.from(daticertXml(spec, spec.kind, date), 'utf8'), 60),
      ].join(CRLF),
    );
  }
  if (spec.original) {
    parts.push(
      [
        'Content-Type: message/rfc822; name="postacert.eml"',
        'Content-Disposition: inline; filename="postacert.eml"',
        'Content-Transfer-Encoding: 8bit',
        '',
        spec.original.toString('latin1').replace(/\r?\n$/, ''),
      ].join(CRLF),
    );
  }
  return [
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    'Content-Transfer-Encoding: binary',
    'MIME-Version: 1.0',
    '',
    ...parts.map((p) => `--${mixed}${CRLF}${p}`),
    `--${mixed}--`,
    '',
  ].join(CRLF);
}

const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const nodeKeys = new WeakMap<TestIdentity, KeyObject>();

/**
 * forge builds the CMS structure; the RSA operation itself (RSASSA-PKCS1-v1_5 over the DigestInfo)
 * is Node's, a hundred times faster than forge's JavaScript big integers: the crash test and the
 * benchmarks sign thousands of messages.
 */
function nativeSigner(signer: TestIdentity) {
  let key = nodeKeys.get(signer);
  if (!key) {
    key = createPrivateKey(forge.pki.privateKeyToPem(signer.key));
    nodeKeys.set(signer, key);
  }
  const k = key;
  return {
    sign(md: forge.md.MessageDigest): string {
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')]);
      return privateEncrypt({ key: k, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
    },
  };
}

/** A detached (or opaque) CMS SignedData as providers make it: contentType, signingTime, messageDigest. */
export function cmsSign(content: string, signer: TestIdentity, signingTime: Date, detached: boolean): Buffer {
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(content, 'raw');
  p7.addCertificate(signer.cert);
  for (const c of signer.chain) p7.addCertificate(c);
  p7.addSigner({
    key: nativeSigner(signer) as unknown as forge.pki.rsa.PrivateKey,
    certificate: signer.cert,
    digestAlgorithm: forge.pki.oids.sha256!,
    authenticatedAttributes: [
      { type: forge.pki.oids.contentType!, value: forge.pki.oids.data! },
      { type: forge.pki.oids.messageDigest! },
      { type: forge.pki.oids.signingTime!, value: signingTime as unknown as string },
    ],
  });
  p7.sign({ detached });
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
}

export function buildPec(spec: PecSpec): Buffer {
  const date = spec.date ?? new Date();
  const signing = spec.signing ?? { mode: 'valid' };
  const issuer = spec.provider ?? pkiNow().providers.alfa;
  const signer = ('by' in signing && signing.by) || issuer;
  const content = signedContent(spec, date);
  let out: string;
  if (signing.mode === 'opaque') {
    const der = cmsSign(content, signer, date, false);
    const headers = topHeaders(
      spec,
      issuer,
      date,
      'Content-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"',
    );
    out = [
      ...headers,
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="smime.p7m"',
      '',
      b64Lines(der),
      '',
    ].join(CRLF);
  } else {
    const outer = `----${randomBytes(16).toString('hex').toUpperCase()}`;
    const headers = topHeaders(
      spec,
      issuer,
      date,
      `Content-Type: multipart/signed; protocol="application/x-pkcs7-signature"; micalg="sha-256"; boundary="${outer}"`,
    );
    const sigPart =
      signing.mode === 'none'
        ? ''
        : [
            `--${outer}`,
            'Content-Type: application/x-pkcs7-signature; name="smime.p7s"',
            'Content-Transfer-Encoding: base64',
            'Content-Disposition: attachment; filename="smime.p7s"',
            '',
            b64Lines(
              cmsSign(content, signer, signing.mode === 'valid' ? (signing.signingTime ?? date) : date, true),
            ),
            '',
          ].join(CRLF);
    const signedBody = signing.mode === 'tampered' ? tamper(content) : content;
    out = [
      ...headers,
      '',
      'This is an S/MIME signed message',
      '',
      `--${outer}`,
      signedBody,
      sigPart + `--${outer}--`,
      '',
    ].join(CRLF);
  }
  return Buffer.from(spec.lineEnding === 'lf' ? out.replace(/\r\n/g, '\n') : out, 'latin1');
}

/** Changes one word of the human text, as someone editing a receipt would. */
function tamper(content: string): string {
  const changed = content.replace('Identificativo del messaggio', 'Identificativo del messaggiO');
  if (changed === content) throw new Error('tamper: nothing to change');
  return changed;
}

export interface Scenario {
  sender: string;
  recipients: Recipient[];
  subject: string;
  msgid: string;
  identificativo: string;
  original: Buffer;
  date: Date;
  provider: TestIdentity;
  recipientProvider: TestIdentity;
}

/** A sent PEC and everything about it shares these ids; build any of its objects from it. */
export function scenario(overrides: Partial<Scenario> = {}): Scenario {
  const provider = overrides.provider ?? pkiNow().providers.alfa;
  const recipientProvider = overrides.recipientProvider ?? pkiNow().providers.beta;
  const sender = overrides.sender ?? `studio.rossi@${provider.domain}`;
  const recipients = overrides.recipients ?? [
    { address: `amministrazione@${recipientProvider.domain}`, type: 'certificato' as const },
    { address: `ufficio.legale@${recipientProvider.domain}`, type: 'certificato' as const },
  ];
  const subject = overrides.subject ?? 'Contratto di fornitura n. 42/2026 - perché firmato';
  const msgid = overrides.msgid ?? newMessageId(provider.domain);
  const date = overrides.date ?? new Date();
  const identificativo = overrides.identificativo ?? newIdentificativo(provider.domain, date);
  const original =
    overrides.original ??
    providerRewrite(
      buildOriginal({
        from: sender,
        to: recipients.map((r) => r.address),
        subject,
        text: 'Buongiorno,\nin allegato il contratto firmato.\nCordiali saluti,\nStudio Rossi',
        attachments: [
          {
            filename: 'contratto-42-2026.pdf',
            contentType: 'application/pdf',
            content: minimalPdf('Contratto di fornitura 42/2026'),
          },
        ],
        messageId: msgid,
        date,
      }),
      identificativo,
      msgid,
    );
  return { sender, recipients, subject, msgid, identificativo, original, date, provider, recipientProvider };
}

/** Every PEC object of one scenario, with the right issuer for each. */
export function pecOf(s: Scenario, kind: PecKind, extra: Partial<PecSpec> = {}): Buffer {
  const byRecipientProvider = new Set<PecKind>([
    'avvenuta-consegna',
    'presa-in-carico',
    'rilevazione-virus',
    'errore',
  ]);
  const firstRecipient = s.recipients[0]?.address;
  const base: PecSpec = {
    kind,
    provider: byRecipientProvider.has(kind) ? s.recipientProvider : s.provider,
    sender: s.sender,
    recipients: s.recipients,
    subject: s.subject,
    msgid: s.msgid,
    identificativo: s.identificativo,
    date: s.date,
  };
  switch (kind) {
    case 'posta-certificata':
      return buildPec({ ...base, original: s.original, ...extra });
    case 'errore':
      return buildPec({ ...base, original: s.original, omitDaticert: true, ...extra });
    case 'avvenuta-consegna': {
      const deliveryType = extra.deliveryType ?? 'completa';
      return buildPec({
        ...base,
        deliveryAddress: firstRecipient,
        deliveryType,
        ...(deliveryType === 'sintetica' ? {} : { original: s.original }),
        ...extra,
      });
    }
    case 'errore-consegna':
      return buildPec({
        ...base,
        deliveryAddress: firstRecipient,
        error: 'no-dest',
        errorDetail: '5.1.1 - indirizzo non valido',
        ...extra,
      });
    case 'preavviso-errore-consegna':
      return buildPec({
        ...base,
        deliveryAddress: firstRecipient,
        error: 'altro',
        errorDetail: '4.4.7 - tempo massimo di consegna superato (12 ore)',
        ...extra,
      });
    case 'presa-in-carico':
      return buildPec({ ...base, takenOver: s.recipients.map((r) => r.address), ...extra });
    case 'rilevazione-virus':
      return buildPec({ ...base, error: 'virus', virus: true, deliveryAddress: firstRecipient, ...extra });
    case 'non-accettazione':
      return buildPec({
        ...base,
        error: 'altro',
        errorDetail: 'destinatari in copia nascosta non ammessi',
        ...extra,
      });
    default:
      return buildPec({ ...base, ...extra });
  }
}

/** A tiny valid PDF with one line of text, so text extraction has something real to read. */
export function minimalPdf(text: string): Buffer {
  const escaped = text.replace(/[()\\]/g, (c) => `\\${c}`);
  const stream = `BT /F1 12 Tf 72 720 Td (${escaped}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** An ordinary (non-PEC) message. */
export function buildOrdinary(spec: Partial<OriginalSpec> = {}): Buffer {
  return buildOriginal({
    from: spec.from ?? 'newsletter@example.test',
    to: spec.to ?? ['studio.rossi@pec.alfa.test'],
    subject: spec.subject ?? 'Novità fiscali di novembre',
    text: spec.text ?? 'Le principali scadenze del mese.',
    ...spec,
  });
}
