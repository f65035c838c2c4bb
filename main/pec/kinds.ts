/**
 * The PEC vocabulary. Kind names are the values of the X-Ricevuta / X-Trasporto headers (RFC 6109),
 * plus `ordinary` (not a PEC object) and `unparseable` (not readable as a message at all).
 */

export const RECEIPT_KINDS = [
  'accettazione',
  'non-accettazione',
  'presa-in-carico',
  'avvenuta-consegna',
  'errore-consegna',
  'preavviso-errore-consegna',
  'rilevazione-virus',
] as const;

export const ENVELOPE_KINDS = ['posta-certificata', 'errore'] as const;

export type ReceiptKind = (typeof RECEIPT_KINDS)[number];
export type EnvelopeKind = (typeof ENVELOPE_KINDS)[number];
export type PecKind = ReceiptKind | EnvelopeKind;
export type MessageKind = PecKind | 'ordinary' | 'unparseable';

export const DELIVERY_TYPES = ['completa', 'breve', 'sintetica'] as const;
export type DeliveryType = (typeof DELIVERY_TYPES)[number];

/** daticert.xml `tipo` values: the receipt kinds and the envelope (never `errore`, which has none). */
export const DATICERT_TIPI = ['posta-certificata', ...RECEIPT_KINDS] as const;
export type DaticertTipo = (typeof DATICERT_TIPI)[number];

export function isReceiptKind(value: string): value is ReceiptKind {
  return (RECEIPT_KINDS as readonly string[]).includes(value);
}

export function isPecKind(kind: MessageKind): kind is PecKind {
  return kind !== 'ordinary' && kind !== 'unparseable';
}

export interface SubjectRule {
  prefix: string;
  kind: PecKind;
  virus: boolean;
}

/**
 * Subject prefixes providers put on envelopes and receipts (pec-format.md §1.1). Longest first, so
 * that "AVVISO DI MANCATA CONSEGNA PER VIRUS:" is not read as the plain notice. The "SUP. TEMPO
 * MASSIMO" subject is shared by the 12 h warning and the 24 h final notice: from the subject alone
 * the warning is the safe reading (not terminal); the header or daticert settles it.
 */
export const SUBJECT_RULES: readonly SubjectRule[] = [
  {
    prefix: 'AVVISO DI MANCATA CONSEGNA PER SUP. TEMPO MASSIMO:',
    kind: 'preavviso-errore-consegna',
    virus: false,
  },
  { prefix: 'AVVISO DI NON ACCETTAZIONE PER VIRUS:', kind: 'non-accettazione', virus: true },
  { prefix: 'AVVISO DI MANCATA CONSEGNA PER VIRUS:', kind: 'errore-consegna', virus: true },
  { prefix: 'AVVISO DI NON ACCETTAZIONE:', kind: 'non-accettazione', virus: false },
  { prefix: 'AVVISO DI MANCATA CONSEGNA:', kind: 'errore-consegna', virus: false },
  { prefix: 'POSTA CERTIFICATA:', kind: 'posta-certificata', virus: false },
  { prefix: 'ANOMALIA MESSAGGIO:', kind: 'errore', virus: false },
  { prefix: 'PROBLEMA DI SICUREZZA:', kind: 'rilevazione-virus', virus: true },
  { prefix: 'PRESA IN CARICO:', kind: 'presa-in-carico', virus: false },
  { prefix: 'ACCETTAZIONE:', kind: 'accettazione', virus: false },
  { prefix: 'CONSEGNA:', kind: 'avvenuta-consegna', virus: false },
];

/**
 * Reads the provider's prefix off a subject. Mailing-list software puts tags like "[list] [SPAM]"
 * in front, so leading bracketed tags are skipped. Providers write the prefix in capitals: an
 * ordinary "Consegna: merce" is not matched.
 */
export function matchSubjectPrefix(subject: string): { rule: SubjectRule; rest: string } | null {
  const stripped = subject.replace(/^\s*(\[[^\]]{0,200}\]\s*)*/, '');
  for (const rule of SUBJECT_RULES) {
    if (stripped.startsWith(rule.prefix)) return { rule, rest: stripped.slice(rule.prefix.length).trim() };
  }
  return null;
}
