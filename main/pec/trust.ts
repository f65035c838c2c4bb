/**
 * Which roots a PEC signature may chain to. In production: the Actalis Authentication Root CA from
 * Node's own root store (AgID CA1, the PEC intermediate, is issued by it). Tests and the demo
 * archive configure their own test CA instead; nothing else widens trust.
 */
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const PEC_ROOT_SUBJECT_CN = 'Actalis Authentication Root CA';

export interface TrustAnchors {
  certificates: pkijs.Certificate[];
  /** How the anchors were chosen, for reports. */
  source: 'system-pec-root' | 'configured';
}

let systemAnchors: TrustAnchors | null = null;

export function systemPecAnchors(): TrustAnchors {
  if (!systemAnchors) {
    const certificates = tls.rootCertificates
      .filter((pem) => {
        try {
          return new X509Certificate(pem).subject.includes(`CN=${PEC_ROOT_SUBJECT_CN}`);
        } catch {
          return false;
        }
      })
      .map(certificateFromPem);
    systemAnchors = { certificates, source: 'system-pec-root' };
  }
  return systemAnchors;
}

export function configuredAnchors(pems: string[]): TrustAnchors {
  return { certificates: pems.flatMap(splitPemBundle).map(certificateFromPem), source: 'configured' };
}

export function splitPemBundle(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

export function certificateFromPem(pem: string): pkijs.Certificate {
  const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return certificateFromDer(Buffer.from(b64, 'base64'));
}

export function certificateFromDer(der: Uint8Array): pkijs.Certificate {
  const ab = der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer;
  const asn = asn1js.fromBER(ab);
  if (asn.offset === -1) throw new Error('certificate is not valid DER');
  return new pkijs.Certificate({ schema: asn.result });
}
