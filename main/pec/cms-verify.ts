/**
 * The CMS signature check with node:crypto: the content's digest against the signed
 * message-digest attribute, then the RSA or ECDSA signature over the signed attributes exactly as
 * signed (their [0] field re-tagged SET OF), with the signer certificate's key. pkijs did the same
 * through WebCrypto and its ASN.1 schemas at about 1.5 ms a message; this takes a few hundredths.
 *
 * It answers only what it can answer exactly as pkijs would: a signature that verifies, over a
 * structure it reads plainly. Everything else (a digest or signature that does not match, a signer
 * found by key identifier, RSA-PSS, unusual algorithms or curves, time-stamp tokens) is
 * 'unsupported', and signature.ts asks pkijs, so every failure keeps its verdict, code and words.
 */
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { certificateDer, children, readTlv, type SignedParts, type SignerInfoParts } from './cms-parse.ts';

export type FastCheck = { ok: true; signer: pkijs.Certificate } | { ok: false; unsupported: boolean };

const UNSUPPORTED: FastCheck = { ok: false, unsupported: true };
const FAILED: FastCheck = { ok: false, unsupported: false };

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
/** Signature algorithms that name their own hash (pkijs: getHashAlgorithm). */
const SIGNATURES: Record<string, { key: 'rsa' | 'ec'; hash: string }> = {
  '1.2.840.113549.1.1.5': { key: 'rsa', hash: 'sha1' },
  '1.2.840.113549.1.1.11': { key: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', hash: 'sha512' },
  '1.2.840.10045.4.1': { key: 'ec', hash: 'sha1' },
  '1.2.840.10045.4.3.2': { key: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { key: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { key: 'ec', hash: 'sha512' },
};
/** The curves WebCrypto (and so pkijs) verifies with. */
const CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);
const CONTENT_TYPE = '1.2.840.113549.1.9.3';
const MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const SIGNING_TIME = '1.2.840.113549.1.9.5';
const TST_INFO = '1.2.840.113549.1.9.16.1.4';

interface CertificateFacts {
  issuer: Buffer;
  serial: Buffer;
  key: KeyObject | null;
}

const facts = new WeakMap<pkijs.Certificate, CertificateFacts | null>();

/** Issuer, serial and public key of a certificate, read once from its DER. */
function factsOf(cert: pkijs.Certificate): CertificateFacts | null {
  if (facts.has(cert)) return facts.get(cert) ?? null;
  let found: CertificateFacts | null = null;
  try {
    const der = certificateDer(cert);
    const tbs = children(der, readTlv(der, 0)!)?.[0];
    const fields = tbs?.tag === 0x30 ? children(der, tbs) : null;
    if (fields) {
      // TBSCertificate: [0] version (optional), serial, signature algorithm, issuer, validity,
      // subject, subjectPublicKeyInfo, …
      const at = fields[0]?.tag === 0xa0 ? 1 : 0;
      const [serial, , issuer, , , spki] = fields.slice(at);
      if (serial?.tag === 0x02 && issuer?.tag === 0x30 && spki?.tag === 0x30) {
        let key: KeyObject | null = null;
        try {
          key = createPublicKey({ key: der.subarray(spki.start, spki.end), format: 'der', type: 'spki' });
        } catch {
          key = null;
        }
        found = {
          issuer: der.subarray(issuer.start, issuer.end),
          serial: der.subarray(serial.contentStart, serial.contentEnd),
          key,
        };
      }
    }
  } catch {
    found = null;
  }
  facts.set(cert, found);
  return found;
}

/** The signer certificate as pkijs finds it (first by issuer and serial), when bytes settle it. */
function signerOf(parts: SignedParts, info: SignerInfoParts): pkijs.Certificate | null {
  if (!('issuer' in info.sid)) return null;
  for (const cert of parts.certificates) {
    const f = factsOf(cert);
    if (!f) return null;
    if (!f.serial.equals(info.sid.serial)) continue;
    // Same serial, other issuer bytes: pkijs compares names after normalising, so leave it to it.
    return f.issuer.equals(info.sid.issuer) ? cert : null;
  }
  return null;
}

/** True when every TLV inside these bytes is well framed (what asn1js refuses otherwise). */
function wellFramed(buf: Buffer, start = 0, end = buf.length, depth = 0): boolean {
  if (depth > 32) return false;
  let at = start;
  while (at < end) {
    const t = readTlv(buf, at);
    if (!t || t.end > end) return false;
    if (t.tag & 0x20 && !wellFramed(buf, t.contentStart, t.contentEnd, depth + 1)) return false;
    at = t.end;
  }
  return true;
}

/** The message-digest value pkijs would take, or null when it would not take it plainly. */
function messageDigestOf(info: SignerInfoParts): Buffer | null {
  const attrs = info.signedAttrs?.attributes;
  if (!attrs?.some((a) => a.type === CONTENT_TYPE)) return null;
  const digests = attrs.filter((a) => a.type === MESSAGE_DIGEST);
  const value = digests.length === 1 ? digests[0]!.values[0] : undefined;
  const t = value ? readTlv(value, 0) : null;
  return t?.tag === 0x04 && t.end === value!.length ? value!.subarray(t.contentStart, t.contentEnd) : null;
}

/**
 * Verifies the first signer over the first candidate that matches (detached content in its
 * canonical CRLF form, then as stored), or over the encapsulated content.
 */
export function verifySignedParts(parts: SignedParts, candidates: (Buffer | null)[]): FastCheck {
  const info = parts.signerInfos[0];
  if (!info?.signedAttrs || parts.eContentType === TST_INFO) return UNSUPPORTED;
  if (!wellFramed(info.der)) return UNSUPPORTED;
  const digestName = DIGESTS[info.digestAlgorithm];
  const expected = messageDigestOf(info);
  const signer = signerOf(parts, info);
  const key = signer ? factsOf(signer)?.key : null;
  if (!digestName || !expected || !signer || !key) return UNSUPPORTED;
  let hash: string;
  if (info.signatureAlgorithm === RSA_ENCRYPTION) {
    if (key.asymmetricKeyType !== 'rsa') return UNSUPPORTED;
    hash = digestName;
  } else {
    const alg = SIGNATURES[info.signatureAlgorithm];
    if (!alg) return UNSUPPORTED;
    if (alg.key === 'rsa' && key.asymmetricKeyType !== 'rsa') return UNSUPPORTED;
    if (alg.key === 'ec') {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (key.asymmetricKeyType !== 'ec' || !curve || !CURVES.has(curve)) return UNSUPPORTED;
    }
    hash = alg.hash;
  }
  // pkijs verifies the encapsulated content when there is one, whatever was passed.
  const contents = parts.eContent === null ? candidates : [parts.eContent];
  let signatureChecked = false;
  for (const data of contents) {
    if (!data || data.length === 0) return UNSUPPORTED;
    if (!createHash(digestName).update(data).digest().equals(expected)) continue;
    // The signed attributes do not depend on the candidate: one verification says it for all.
    if (signatureChecked) continue;
    signatureChecked = true;
    if (verify(hash, info.signedAttrs.der, key, info.signature)) return { ok: true, signer };
  }
  return FAILED;
}

/** The signing-time attribute, as pkijs reads it; 'unreadable' where asn1js would refuse it. */
export function signingTimeOf(info: SignerInfoParts): Date | null | 'unreadable' {
  const attr = info.signedAttrs?.attributes.find((a) => a.type === SIGNING_TIME);
  const value = attr?.values[0];
  if (!value) return null;
  const asn = asn1js.fromBER(value.buffer.slice(value.byteOffset, value.byteOffset + value.length));
  if (asn.offset === -1) return 'unreadable';
  const time = asn.result as asn1js.UTCTime | asn1js.GeneralizedTime;
  if (typeof time.toDate !== 'function') return null;
  const date = time.toDate();
  return Number.isNaN(date.getTime()) ? null : date;
}
