/**
 * Which roots a PEC signature may chain to, and through which intermediates in which years. In
 * production: the roots and eras of resources/trust/ (trust-store.ts), so a 2014 envelope signed
 * under DigitPA CA1 → Baltimore is judged like a 2024 one under AgID CA1 → Actalis, each at its
 * signing time. Tests and the demo archive configure their own test CA instead (optionally with
 * eras of their own); nothing else widens trust.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * One period of the PEC chain: provider certificates issued by the intermediate called so, under
 * that root, with that policy, for signatures made between `from` and `until`.
 */
export interface TrustEra {
  id: string;
  /** The intermediate's name as people know it ("DigitPA CA1"), for reasons and reports. */
  name: string;
  /** SHA-256 (hex) of the root certificate's DER. */
  rootSha256: string;
  intermediate: { commonName: string; organization?: string };
  policy: string;
  from: Date;
  until: Date | null;
}

export interface TrustAnchors {
  certificates: pkijs.Certificate[];
  /**
   * When present, a chain is accepted only through an era: its root, an intermediate of the era's
   * name and policy, a signing time inside the era. Configured test anchors may have none: any
   * chain to them is accepted.
   */
  eras: TrustEra[] | null;
  /** How the anchors were chosen, for reports: the PEC trust list shipped with PecDesk, or configured. */
  source: 'pec-trust-list' | 'configured';
}

export function configuredAnchors(pems: string[], eras: TrustEra[] | null = null): TrustAnchors {
  return { certificates: pems.flatMap(splitPemBundle).map(certificateFromPem), eras, source: 'configured' };
}

export function splitPemBundle(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

export function certificateFromPem(pem: string): pkijs.Certificate {
  return certificateFromDer(pemToDer(pem));
}

export function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''), 'base64');
}

export function certificateFromDer(der: Uint8Array): pkijs.Certificate {
  const ab = der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer;
  const asn = asn1js.fromBER(ab);
  if (asn.offset === -1) throw new Error('certificate is not valid DER');
  return new pkijs.Certificate({ schema: asn.result });
}

const fingerprints = new WeakMap<pkijs.Certificate, string>();

/** SHA-256 of the certificate's DER, hex: how eras name their root. */
export function certificateSha256(cert: pkijs.Certificate): string {
  let hex = fingerprints.get(cert);
  if (!hex) {
    hex = createHash('sha256').update(Buffer.from(cert.toSchema().toBER())).digest('hex');
    fingerprints.set(cert, hex);
  }
  return hex;
}
