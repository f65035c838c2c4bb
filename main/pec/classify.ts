/**
 * What a message is, from its top-level PEC headers (pec-format.md §1); the provider's subject
 * prefix, then daticert.xml, only when the headers are missing, and every disagreement reported.
 */
import { type CertData, parseDaticert } from './daticert.ts';
import { type Finding, finding } from './findings.ts';
import {
  DELIVERY_TYPES,
  type DeliveryType,
  ENVELOPE_KINDS,
  type EnvelopeKind,
  isPecKind,
  isReceiptKind,
  type MessageKind,
  matchSubjectPrefix,
  type PecKind,
  type ReceiptKind,
} from './kinds.ts';
import { decodedBody, decodeWords, headerValue, headerValues } from './mime.ts';
import { headerAddress, type PecStructure, readStructure } from './structure.ts';

export type ClassificationBasis = 'header' | 'subject' | 'daticert' | 'none';

export interface Classification {
  kind: MessageKind;
  basis: ClassificationBasis;
  /** Receipt type: of a delivery receipt, or the one an envelope asks for. */
  deliveryType: DeliveryType | null;
  /** A virus notice (rilevazione virus, or non accettazione / mancata consegna per virus). */
  virus: boolean;
  findings: Finding[];
}

export interface ClassifiedMessage {
  structure: PecStructure;
  certData: CertData | null;
  classification: Classification;
}

/** Classification of raw message bytes. */
export function classify(raw: Uint8Array): Classification {
  return classifyMessage(raw).classification;
}

/** Classification together with the pieces it read, so callers do not read them twice. */
export function classifyMessage(raw: Uint8Array): ClassifiedMessage {
  const structure = readStructure(raw);
  const findings: Finding[] = [];
  let certData: CertData | null = null;
  if (structure.daticert) {
    const parsed = parseDaticert(decodedBody(structure.daticert));
    if (parsed.ok) {
      certData = parsed.value;
      for (const w of parsed.warnings) findings.push(finding('daticert-invalid', w));
    } else {
      findings.push(finding('daticert-invalid', parsed.reason));
    }
  }
  const classification = classifyStructure(structure, certData);
  classification.findings.unshift(...findings);
  return { structure, certData, classification };
}

export function classifyStructure(structure: PecStructure, certData: CertData | null): Classification {
  const headers = structure.topHeaders;
  const findings: Finding[] = [];
  if (headers.length === 0) {
    findings.push(finding('unparseable', 'no message header could be read'));
    return { kind: 'unparseable', basis: 'none', deliveryType: null, virus: false, findings };
  }
  if (structure.problems.length > 0) {
    findings.push(
      finding('mime-structure', `MIME structure: ${[...new Set(structure.problems)].join('; ')}`),
    );
  }

  const fromHeaders = kindFromHeaders(headers, findings);
  const subject = decodeWords(headerValue(headers, 'subject') ?? '');
  const bySubject = matchSubjectPrefix(subject);
  const byDaticert = certData?.knownTipo ?? null;
  const from = headerAddress(headers, 'from');
  const looksPec =
    structure.signature.form !== 'none' ||
    structure.daticert !== null ||
    (from?.startsWith('posta-certificata@') ?? false);

  let kind: MessageKind = 'ordinary';
  let basis: ClassificationBasis = 'none';
  if (fromHeaders) {
    kind = fromHeaders;
    basis = 'header';
    if (bySubject && !subjectAgrees(fromHeaders, bySubject.rule.kind)) {
      findings.push(
        finding(
          'subject-header-mismatch',
          `subject says "${bySubject.rule.prefix}" but the PEC header says ${fromHeaders}`,
          { prefix: bySubject.rule.prefix, kind: fromHeaders },
        ),
      );
    }
  } else if (looksPec && bySubject) {
    kind = bySubject.rule.kind;
    basis = 'subject';
    findings.push(
      finding(
        'classified-from-subject',
        `no X-Ricevuta/X-Trasporto header: classified as ${kind} from the subject`,
        { kind },
      ),
    );
  } else if (looksPec && byDaticert) {
    kind = byDaticert;
    basis = 'daticert';
    findings.push(
      finding(
        'classified-from-daticert',
        `no PEC header or subject prefix: classified as ${kind} from daticert.xml`,
        { kind },
      ),
    );
  } else if (bySubject) {
    findings.push(
      finding(
        'subject-without-pec-structure',
        `the subject starts like a PEC (${bySubject.rule.prefix}) but the message has no PEC header, signature or daticert.xml`,
      ),
    );
  }

  if (isPecKind(kind)) {
    checkPieces(kind, structure, certData, byDaticert, findings);
    checkReferences(headers, certData, findings);
  }
  const virus =
    kind === 'rilevazione-virus' ||
    /^errore$/i.test(headerValue(headers, 'x-verificasicurezza') ?? '') ||
    certData?.error === 'virus' ||
    (basis === 'subject' && (bySubject?.rule.virus ?? false));
  return { kind, basis, deliveryType: deliveryTypeOf(kind, structure, certData), virus, findings };
}

function kindFromHeaders(headers: PecStructure['topHeaders'], findings: Finding[]): PecKind | null {
  const receipts = distinct(headerValues(headers, 'x-ricevuta'));
  const known = receipts.filter(isReceiptKind);
  for (const v of receipts.filter((r) => !isReceiptKind(r))) {
    findings.push(
      finding('header-unknown-value', `X-Ricevuta "${v}" is not a standard value`, {
        header: 'X-Ricevuta',
        value: v,
      }),
    );
  }
  if (known.length > 1) {
    findings.push(
      finding('header-conflict', `several X-Ricevuta values: ${known.join(', ')}; the first is used`),
    );
  }
  const transports = distinct(headerValues(headers, 'x-trasporto'));
  const knownTransport = transports.filter((t): t is EnvelopeKind =>
    (ENVELOPE_KINDS as readonly string[]).includes(t),
  );
  for (const v of transports.filter((t) => !knownTransport.includes(t as EnvelopeKind))) {
    findings.push(
      finding('header-unknown-value', `X-Trasporto "${v}" is not a standard value`, {
        header: 'X-Trasporto',
        value: v,
      }),
    );
  }
  if (known[0] && knownTransport[0]) {
    findings.push(
      finding('header-conflict', 'both X-Ricevuta and X-Trasporto are present; X-Ricevuta is used'),
    );
  }
  if (knownTransport.length > 1) {
    findings.push(finding('header-conflict', `several X-Trasporto values: ${knownTransport.join(', ')}`));
  }
  return (known[0] as ReceiptKind | undefined) ?? knownTransport[0] ?? null;
}

function distinct(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim().toLowerCase()).filter(Boolean))];
}

/** The "SUP. TEMPO MASSIMO" subject is used for both the 12 h warning and the 24 h failure. */
function subjectAgrees(headerKind: PecKind, subjectKind: PecKind): boolean {
  if (headerKind === subjectKind) return true;
  const timeout = new Set<PecKind>(['preavviso-errore-consegna', 'errore-consegna']);
  return timeout.has(headerKind) && timeout.has(subjectKind);
}

function checkPieces(
  kind: PecKind,
  structure: PecStructure,
  certData: CertData | null,
  tipo: string | null,
  findings: Finding[],
): void {
  // An anomaly envelope normally has no certification data; if it has one, it describes the wrapped
  // message, so its tipo is not compared.
  if (kind !== 'errore') {
    if (!structure.daticert) findings.push(finding('daticert-missing', 'daticert.xml is missing'));
    else if (certData && tipo !== kind) {
      findings.push(
        finding('daticert-mismatch', `daticert.xml tipo is "${certData.tipo}" but the message is ${kind}`, {
          tipo: certData.tipo,
          kind,
        }),
      );
    }
  }
  const wantsOriginal =
    kind === 'posta-certificata' ||
    kind === 'errore' ||
    (kind === 'avvenuta-consegna' &&
      (certData?.receiptType === 'completa' || certData?.receiptType === 'breve'));
  if (wantsOriginal && !structure.postacert) {
    findings.push(finding('postacert-missing', 'postacert.eml (the original message) is missing'));
  }
}

function checkReferences(
  headers: PecStructure['topHeaders'],
  certData: CertData | null,
  findings: Finding[],
): void {
  const ref = headerValue(headers, 'x-riferimento-message-id')?.trim();
  if (ref && certData?.msgid && normaliseId(ref) !== normaliseId(certData.msgid)) {
    findings.push(
      finding(
        'daticert-mismatch',
        `X-Riferimento-Message-ID ${ref} differs from daticert.xml msgid ${certData.msgid}`,
        { reference: ref, msgid: certData.msgid },
      ),
    );
  }
}

export function normaliseId(id: string): string {
  return id.trim().replace(/^<|>$/g, '').toLowerCase();
}

function deliveryTypeOf(
  kind: MessageKind,
  structure: PecStructure,
  certData: CertData | null,
): DeliveryType | null {
  if (kind !== 'avvenuta-consegna' && kind !== 'posta-certificata') return null;
  if (certData?.receiptType) return certData.receiptType;
  const header = headerValue(structure.topHeaders, 'x-tiporicevuta')?.trim().toLowerCase();
  if (header && (DELIVERY_TYPES as readonly string[]).includes(header)) return header as DeliveryType;
  if (kind === 'avvenuta-consegna') return structure.postacert ? 'completa' : 'sintetica';
  return 'completa';
}
