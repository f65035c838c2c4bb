/**
 * The provider's S/MIME signature (pec-format.md §5): the CMS signature is checked over the exact
 * signed bytes, then the signer's chain is built to a trusted root and judged at the signing time,
 * because old receipts are signed by certificates that have expired since. With the shipped trust
 * list the chain must also pass through the intermediate of an era (resources/trust/). Never throws.
 * Every verdict carries a reason: a stable code with its parameters (the UI says it in Italian or
 * English) and an English sentence for logs and the CLI.
 */
import { webcrypto } from 'node:crypto';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readSignedData, readSignedParts } from './cms-parse.ts';
import { signingTimeOf, verifySignedParts } from './cms-verify.ts';
import type { PecStructure } from './structure.ts';
import { certificateSha256, type TrustAnchors, type TrustEra } from './trust.ts';
import { pecTrustList } from './trust-store.ts';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

export type SignatureVerdict = 'valid' | 'tampered' | 'unknown-signer' | 'expired' | 'unsigned';

/** Why a verdict was given; the UI has a sentence for each (resources/i18n: signatureReason.*). */
export type SignatureReasonCode =
  | 'verified'
  | 'no-signature'
  | 'signature-part-missing'
  | 'broken-container'
  | 'not-cms'
  | 'no-signer'
  | 'digest-mismatch'
  | 'signature-mismatch'
  | 'signer-certificate-missing'
  | 'untrusted-chain'
  | 'signer-is-ca'
  | 'not-valid-at-signing-time'
  | 'no-pec-policy'
  | 'signer-not-sender'
  | 'outside-name-constraints'
  | 'outside-era'
  | 'unreadable-message'
  | 'check-failed';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** O= of the subject ("ARUBA PEC S.p.A."): how a person names the provider that signed. */
  organization: string | null;
  commonName: string | null;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  emails: string[];
}

export interface SignatureReport {
  verdict: SignatureVerdict;
  reasonCode: SignatureReasonCode;
  /** What the reason names: a certificate, a date, addresses (all strings, for translation). */
  reasonParams: Record<string, string>;
  /** One English sentence saying why. */
  reason: string;
  form: 'detached' | 'opaque' | null;
  signer: CertificateSummary | null;
  signingTime: string | null;
  /** Subjects from the signer up to the trusted root, when a chain was built. */
  chain: string[];
  /** The era of the PEC chain the signature was judged in ("AgID CA1", "DigitPA CA1"), if any. */
  era: string | null;
}

export interface VerifyOptions {
  anchors?: TrustAnchors;
  /** Used when the signature carries no signingTime. */
  now?: Date;
  /**
   * Who checks the CMS signature: node:crypto, with pkijs for what it does not judge (the default),
   * or pkijs alone (the tests compare the two, report for report).
   */
  cmsEngine?: 'node' | 'pkijs';
}

/** Certificate policy arc of PEC provider certificates (AgID: 1.3.76.16.3.1 and below). */
export const PEC_POLICY_ARC = '1.3.76.16.3.1';
const ANY_POLICY = '2.5.29.32.0';
const MAX_CHAIN = 6;

type Judged = Omit<SignatureReport, 'verdict' | 'reasonCode' | 'reasonParams' | 'reason'>;

function verdict(
  base: Judged,
  v: SignatureVerdict,
  code: SignatureReasonCode,
  reason: string,
  params: Record<string, string> = {},
): SignatureReport {
  return { ...base, verdict: v, reasonCode: code, reasonParams: params, reason };
}

export async function verifySignature(
  structure: PecStructure,
  envelopeFrom: string | null,
  options: VerifyOptions = {},
): Promise<SignatureReport> {
  try {
    return await verifyUnsafe(structure, envelopeFrom, options);
  } catch (error) {
    const message = (error as Error).message;
    return report('tampered', 'check-failed', `the signature could not be checked: ${message}`, null, {
      error: message,
    });
  }
}

async function verifyUnsafe(
  structure: PecStructure,
  envelopeFrom: string | null,
  options: VerifyOptions,
): Promise<SignatureReport> {
  const container = structure.signature;
  if (container.form === 'none')
    return report(
      'unsigned',
      container.partMissing ? 'signature-part-missing' : 'no-signature',
      container.reason,
      null,
    );
  if (container.form === 'broken') return report('tampered', 'broken-container', container.reason, null);
  const form = container.form;
  // node:crypto on the bytes cut apart by a TLV walk; pkijs for what that does not read plainly.
  const parts = options.cmsEngine === 'pkijs' ? null : readSignedParts(container.der);
  const fastTime = parts?.signerInfos[0] ? signingTimeOf(parts.signerInfos[0]) : 'unreadable';
  const fast = parts && fastTime !== 'unreadable' ? parts : null;
  let pkijsData: pkijs.SignedData | null | undefined;
  const signedData = () => {
    if (pkijsData === undefined)
      pkijsData = container.form === 'opaque' ? container.signedData : readSignedData(container.der);
    return pkijsData;
  };
  if (!fast) {
    const sd = signedData();
    if (!sd)
      return report('tampered', 'not-cms', 'the signature part is not a readable CMS SignedData', form);
    if (sd.signerInfos.length === 0)
      return report('tampered', 'no-signer', 'the signature has no signer', form);
  }

  const signingTime = fast ? (fastTime as Date | null) : readSigningTime(signedData()!.signerInfos[0]!);
  const detached = container.form === 'detached' ? container.signedBytes : null;
  const candidates = detached ? uniqueBuffers([toCrlf(detached), detached]) : [null];
  const quick = fast ? verifySignedParts(fast, candidates) : null;
  let cryptoCheck: CmsCheck;
  if (quick?.ok) cryptoCheck = quick;
  else {
    // A failure (or a structure node:crypto was not asked to judge): pkijs says it in its words.
    const sd = signedData();
    if (!sd)
      return report('tampered', 'not-cms', 'the signature part is not a readable CMS SignedData', form);
    cryptoCheck = await checkCms(sd, candidates);
  }
  const signer = cryptoCheck.signer;
  const base: Judged = {
    form,
    signer: signer ? summarize(signer) : null,
    signingTime: signingTime?.toISOString() ?? null,
    chain: [],
    era: null,
  };
  if (!cryptoCheck.ok) return verdict(base, cryptoCheck.verdict, cryptoCheck.code, cryptoCheck.reason);
  const signerCert = signer!;
  const at = signingTime ?? options.now ?? new Date();
  const atIso = at.toISOString();
  const anchors = options.anchors ?? pecTrustList();
  const pool = (fast?.certificates ?? signedData()?.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  const path = await cachedChain(signerCert, pool, anchors);
  if (!path) {
    return verdict(
      base,
      'unknown-signer',
      'untrusted-chain',
      anchors.source === 'configured'
        ? 'the signer does not chain to a configured trust anchor'
        : 'the signer does not chain to a PEC root of the trust list (AgID CA1 under Actalis, DigitPA CA1 under Baltimore)',
    );
  }
  const judged: Judged = { ...base, chain: path.map((c) => dn(c.subject)) };
  if (isCa(signerCert))
    return verdict(judged, 'unknown-signer', 'signer-is-ca', 'the signer certificate is a CA');
  const outOfDate = path.find((c) => at < c.notBefore.value || at > c.notAfter.value);
  if (outOfDate) {
    const subject = dn(outOfDate.subject);
    return verdict(
      judged,
      'expired',
      'not-valid-at-signing-time',
      `certificate "${subject}" was not valid at the signing time ${atIso}`,
      {
        certificate: commonName(outOfDate.subject) ?? subject,
        at: atIso,
        notBefore: outOfDate.notBefore.value.toISOString(),
        notAfter: outOfDate.notAfter.value.toISOString(),
      },
    );
  }
  const policyGap = path.slice(0, -1).find((c, i) => !hasPecPolicy(c, i === 0));
  if (policyGap) {
    const subject = dn(policyGap.subject);
    return verdict(
      judged,
      'unknown-signer',
      'no-pec-policy',
      `certificate "${subject}" lacks the PEC certificate policy ${PEC_POLICY_ARC}`,
      { certificate: commonName(policyGap.subject) ?? subject, policy: PEC_POLICY_ARC },
    );
  }
  let era: TrustEra | null = null;
  if (anchors.eras) {
    const found = eraOf(path, anchors.eras, at);
    if (!found.era) {
      return verdict(
        judged,
        'unknown-signer',
        'outside-era',
        found.near
          ? `signed on ${atIso}, outside the years of ${found.near.name} (${found.near.from.toISOString().slice(0, 10)} to ${found.near.until?.toISOString().slice(0, 10) ?? 'today'})`
          : 'the chain does not pass through a PEC intermediate of the trust list',
        found.near
          ? {
              era: found.near.name,
              at: atIso,
              from: found.near.from.toISOString(),
              until: found.near.until?.toISOString() ?? '',
            }
          : { at: atIso },
      );
    }
    era = found.era;
  }
  const withEra: Judged = { ...judged, era: era?.name ?? null };
  const emails = certificateEmails(signerCert);
  if (!envelopeFrom || !emails.includes(envelopeFrom.toLowerCase())) {
    return verdict(
      withEra,
      'unknown-signer',
      'signer-not-sender',
      `the signer (${emails.join(', ') || 'no address'}) is not the envelope sender ${envelopeFrom ?? '(none)'}`,
      { signer: emails.join(', '), sender: envelopeFrom ?? '' },
    );
  }
  const constrained = path.slice(1).find((ca) => !emailsPermitted(ca, emails));
  if (constrained) {
    const subject = dn(constrained.subject);
    return verdict(
      withEra,
      'unknown-signer',
      'outside-name-constraints',
      `"${subject}" may not issue certificates for ${emails.join(', ')}`,
      { certificate: commonName(constrained.subject) ?? subject, signer: emails.join(', ') },
    );
  }
  return verdict(withEra, 'valid', 'verified', 'signature and chain verified at the signing time', {
    ...(era ? { era: era.name } : {}),
  });
}

/**
 * The era a chain belongs to: its root is the era's root, the certificate below the root is the
 * era's intermediate (by name and PEC policy) and the signing time falls inside the era. `near`
 * is an era whose chain matched but whose years did not, to say so.
 */
function eraOf(
  path: pkijs.Certificate[],
  eras: TrustEra[],
  at: Date,
): { era: TrustEra | null; near: TrustEra | null } {
  const root = path.at(-1);
  const intermediate = path.length >= 3 ? path.at(-2) : undefined;
  if (!root || !intermediate) return { era: null, near: null };
  const rootSha = certificateSha256(root);
  let near: TrustEra | null = null;
  for (const era of eras) {
    if (era.rootSha256 !== rootSha) continue;
    if (commonName(intermediate.subject) !== era.intermediate.commonName) continue;
    if (
      era.intermediate.organization &&
      attribute(intermediate.subject, '2.5.4.10') !== era.intermediate.organization
    )
      continue;
    if (!hasPolicy(intermediate, era.policy)) continue;
    if (at < era.from || (era.until && at > era.until)) {
      near = era;
      continue;
    }
    return { era, near: null };
  }
  return { era: null, near };
}

function report(
  v: SignatureVerdict,
  code: SignatureReasonCode,
  reason: string,
  form: SignatureReport['form'],
  params: Record<string, string> = {},
): SignatureReport {
  return verdict({ form, signer: null, signingTime: null, chain: [], era: null }, v, code, reason, params);
}

export type CmsCheck =
  | { ok: true; signer: pkijs.Certificate }
  | {
      ok: false;
      verdict: SignatureVerdict;
      code: SignatureReasonCode;
      reason: string;
      signer: pkijs.Certificate | null;
    };

/**
 * Digest and RSA signature through pkijs. S/MIME signs the canonical (CRLF) form; a copy stored
 * with bare LF is canonicalised before the check, and as a last resort the bytes are tried exactly
 * as stored (the candidates, in that order; [null] for encapsulated content).
 */
export async function checkCms(sd: pkijs.SignedData, candidates: (Buffer | null)[]): Promise<CmsCheck> {
  let last: CmsCheck = {
    ok: false,
    verdict: 'tampered',
    code: 'check-failed',
    reason: 'the signature was not checked',
    signer: null,
  };
  for (const data of candidates) {
    try {
      const result = await sd.verify({
        signer: 0,
        ...(data ? { data: toArrayBuffer(data) } : {}),
        checkChain: false,
        extendedMode: true,
      });
      const signer = result.signerCertificate ?? null;
      if (result.signatureVerified && signer) return { ok: true, signer };
      last = {
        ok: false,
        verdict: 'tampered',
        code: 'signature-mismatch',
        reason: 'the RSA signature does not match the signed attributes',
        signer,
      };
    } catch (error) {
      const e = error as { code?: number; message?: string; signerCertificate?: pkijs.Certificate };
      const signer = e.signerCertificate ?? null;
      if (e.code === 2 || e.code === 3) {
        return {
          ok: false,
          verdict: 'unknown-signer',
          code: 'signer-certificate-missing',
          reason: 'the signer certificate is not in the signature',
          signer,
        };
      }
      const digest = /digest doesn't match/i.test(e.message ?? '');
      last = {
        ok: false,
        verdict: 'tampered',
        code: digest ? 'digest-mismatch' : 'signature-mismatch',
        reason: digest
          ? 'the message was changed after signing: its digest does not match the signature'
          : `the signature does not verify: ${e.message ?? String(error)}`,
        signer,
      };
    }
  }
  return last;
}

function uniqueBuffers(list: Buffer[]): Buffer[] {
  return list.filter((b, i) => list.findIndex((o) => o.equals(b)) === i);
}

/** Bare LF made CRLF; the same buffer when there is none (the usual case: copies keep CRLF). */
export function toCrlf(buf: Buffer): Buffer {
  const pieces: Buffer[] = [];
  let from = 0;
  for (let lf = buf.indexOf(0x0a); lf !== -1; lf = buf.indexOf(0x0a, lf + 1)) {
    if (lf > 0 && buf[lf - 1] === 0x0d) continue;
    pieces.push(buf.subarray(from, lf), CR);
    from = lf;
  }
  if (pieces.length === 0) return buf;
  pieces.push(buf.subarray(from));
  return Buffer.concat(pieces);
}

const CR = Buffer.from([0x0d]);

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

function readSigningTime(info: pkijs.SignerInfo): Date | null {
  const attr = info.signedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.5');
  const value = attr?.values[0] as asn1js.UTCTime | asn1js.GeneralizedTime | undefined;
  if (!value || typeof value.toDate !== 'function') return null;
  const date = value.toDate();
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Chains depend only on the certificates involved, and one provider certificate signs thousands of
 * messages: the path found for a signer, its fellow certificates and the anchors is remembered.
 */
const chainCache = new WeakMap<TrustAnchors, Map<string, pkijs.Certificate[] | null>>();
const certIds = new WeakMap<pkijs.Certificate, number>();
let nextCertId = 1;

function certId(cert: pkijs.Certificate): number {
  let id = certIds.get(cert);
  if (id === undefined) {
    id = nextCertId++;
    certIds.set(cert, id);
  }
  return id;
}

async function cachedChain(
  signer: pkijs.Certificate,
  pool: pkijs.Certificate[],
  anchors: TrustAnchors,
): Promise<pkijs.Certificate[] | null> {
  let perAnchors = chainCache.get(anchors);
  if (!perAnchors) {
    perAnchors = new Map();
    chainCache.set(anchors, perAnchors);
  }
  const key = [certId(signer), ...pool.map(certId)].join(',');
  if (perAnchors.has(key)) return perAnchors.get(key) ?? null;
  const path = await buildChain(signer, pool, anchors.certificates);
  if (perAnchors.size > 1024) perAnchors.clear();
  perAnchors.set(key, path);
  return path;
}

/** Issuer by name among the signature's certificates, else a trusted anchor; each link verified. */
async function buildChain(
  signer: pkijs.Certificate,
  pool: pkijs.Certificate[],
  anchors: pkijs.Certificate[],
): Promise<pkijs.Certificate[] | null> {
  const path = [signer];
  let current = signer;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    for (const anchor of anchors) {
      if (current.issuer.isEqual(anchor.subject) && (await verifiedBy(current, anchor))) {
        if (!sameCertificate(current, anchor)) path.push(anchor);
        return path;
      }
    }
    let next: pkijs.Certificate | null = null;
    for (const candidate of pool) {
      if (path.some((c) => sameCertificate(c, candidate))) continue;
      if (!current.issuer.isEqual(candidate.subject) || !isCa(candidate)) continue;
      if (await verifiedBy(current, candidate)) {
        next = candidate;
        break;
      }
    }
    if (!next) return null;
    path.push(next);
    current = next;
  }
  return null;
}

async function verifiedBy(cert: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  try {
    return await cert.verify(issuer);
  } catch {
    return false;
  }
}

const derCache = new WeakMap<pkijs.Certificate, Buffer>();

function der(cert: pkijs.Certificate): Buffer {
  let bytes = derCache.get(cert);
  if (!bytes) {
    bytes = Buffer.from(cert.toSchema().toBER());
    derCache.set(cert, bytes);
  }
  return bytes;
}

function sameCertificate(a: pkijs.Certificate, b: pkijs.Certificate): boolean {
  return a === b || der(a).equals(der(b));
}

function extension(cert: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return cert.extensions?.find((e) => e.extnID === oid);
}

function isCa(cert: pkijs.Certificate): boolean {
  const bc = extension(cert, '2.5.29.19')?.parsedValue as pkijs.BasicConstraints | undefined;
  return Boolean(bc?.cA);
}

function policyIds(cert: pkijs.Certificate): string[] {
  const policies = extension(cert, '2.5.29.32')?.parsedValue as pkijs.CertificatePolicies | undefined;
  return policies?.certificatePolicies.map((p) => p.policyIdentifier) ?? [];
}

function hasPecPolicy(cert: pkijs.Certificate, isSigner: boolean): boolean {
  return policyIds(cert).some(
    (id) => id === PEC_POLICY_ARC || id.startsWith(`${PEC_POLICY_ARC}.`) || (!isSigner && id === ANY_POLICY),
  );
}

/** The policy itself or one below it (an era names the arc its intermediate carries). */
function hasPolicy(cert: pkijs.Certificate, policy: string): boolean {
  return policyIds(cert).some((id) => id === policy || id.startsWith(`${policy}.`));
}

function attribute(name: pkijs.RelativeDistinguishedNames, oid: string): string | null {
  const tv = name.typesAndValues.find((t) => t.type === oid);
  return tv ? String(tv.value.valueBlock.value).trim() : null;
}

function commonName(name: pkijs.RelativeDistinguishedNames): string | null {
  return attribute(name, '2.5.4.3');
}

export function certificateEmails(cert: pkijs.Certificate): string[] {
  const emails = new Set<string>();
  const san = extension(cert, '2.5.29.17')?.parsedValue as pkijs.AltName | undefined;
  for (const name of san?.altNames ?? []) if (name.type === 1) emails.add(String(name.value).toLowerCase());
  for (const tv of cert.subject.typesAndValues) {
    if (tv.type === '1.2.840.113549.1.9.1') emails.add(String(tv.value.valueBlock.value).toLowerCase());
  }
  return [...emails];
}

/** RFC 5280 §4.2.1.10 for rfc822Name: a host allows that host, a leading dot allows subdomains. */
function emailsPermitted(ca: pkijs.Certificate, emails: string[]): boolean {
  const nc = extension(ca, '2.5.29.30')?.parsedValue as pkijs.NameConstraints | undefined;
  const permitted = (nc?.permittedSubtrees ?? [])
    .filter((s) => s.base.type === 1)
    .map((s) => String(s.base.value));
  const excluded = (nc?.excludedSubtrees ?? [])
    .filter((s) => s.base.type === 1)
    .map((s) => String(s.base.value));
  return emails.every(
    (email) =>
      (permitted.length === 0 || permitted.some((c) => emailMatches(email, c))) &&
      !excluded.some((c) => emailMatches(email, c)),
  );
}

function emailMatches(email: string, constraint: string): boolean {
  const c = constraint.toLowerCase();
  if (c.includes('@')) return email === c;
  const domain = email.slice(email.lastIndexOf('@') + 1);
  return c.startsWith('.') ? domain.endsWith(c) : domain === c;
}

const DN_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.5': 'serialNumber',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'E',
};

export function dn(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${DN_NAMES[tv.type] ?? tv.type}=${String(tv.value.valueBlock.value)}`)
    .reverse()
    .join(', ');
}

function summarize(cert: pkijs.Certificate): CertificateSummary {
  return {
    subject: dn(cert.subject),
    issuer: dn(cert.issuer),
    organization: attribute(cert.subject, '2.5.4.10'),
    commonName: commonName(cert.subject),
    serialNumber: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex'),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    emails: certificateEmails(cert),
  };
}
