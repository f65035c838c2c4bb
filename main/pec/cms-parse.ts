/**
 * Reading a CMS SignedData with pkijs, fast. asn1js parses about a microsecond per byte and pkijs's
 * SignedData schema costs milliseconds, while most of a PEC signature's bytes are the same two or
 * three provider certificates on every message. So the DER is cut into its pieces with a plain TLV
 * walk; certificates are parsed once and cached by their hash, and pkijs parses only the signer
 * info and content info against their own small schemas. BER with indefinite lengths, which the
 * walk does not handle, falls back to parsing the whole structure.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

export function readTlv(buf: Buffer, offset: number): Tlv | null {
  if (offset + 2 > buf.length) return null;
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) return null; // high tag numbers do not occur here
  let i = offset + 1;
  const first = buf[i++]!;
  let length: number;
  if (first < 0x80) length = first;
  else {
    const n = first & 0x7f;
    if (n === 0 || n > 4 || i + n > buf.length) return null; // 0 = indefinite (BER)
    length = 0;
    for (let k = 0; k < n; k++) length = length * 256 + buf[i++]!;
  }
  const end = i + length;
  return end > buf.length ? null : { tag, start: offset, contentStart: i, end };
}

export function children(buf: Buffer, parent: Tlv): Tlv[] | null {
  const out: Tlv[] = [];
  let at = parent.contentStart;
  while (at < parent.end) {
    const t = readTlv(buf, at);
    if (!t || t.end > parent.end) return null;
    out.push(t);
    at = t.end;
  }
  return out;
}

/**
 * The pieces of a DER SignedData that a signature check needs, cut apart without a schema:
 * version, encapsulated content info, signer infos and certificates.
 */
interface SignedDataParts {
  version: number;
  encapContentInfo: Buffer;
  signerInfos: Buffer[];
  certificates: Buffer[];
}

export function signedDataParts(der: Buffer): SignedDataParts | null {
  const ci = readTlv(der, 0);
  if (ci?.tag !== 0x30) return null;
  const ciKids = children(der, ci);
  const explicit = ciKids?.[1];
  if (ciKids?.length !== 2 || explicit?.tag !== 0xa0) return null;
  // contentType must be id-signedData (1.2.840.113549.1.7.2).
  const oid = ciKids[0]!;
  if (oid.tag !== 0x06 || der.subarray(oid.contentStart, oid.end).toString('hex') !== '2a864886f70d010702')
    return null;
  const sd = children(der, explicit)?.[0];
  if (sd?.tag !== 0x30) return null;
  const kids = children(der, sd);
  if (!kids || kids.length < 4) return null;
  const [version, digestAlgorithms, encap] = kids as [Tlv, Tlv, Tlv];
  if (version.tag !== 0x02 || digestAlgorithms.tag !== 0x31 || encap.tag !== 0x30) return null;
  const signerSet = kids.at(-1)!;
  if (signerSet.tag !== 0x31) return null;
  const middle = kids.slice(3, -1);
  if (middle.some((k) => k.tag !== 0xa0 && k.tag !== 0xa1)) return null;
  const certField = middle.find((k) => k.tag === 0xa0);
  const certTlvs = certField ? children(der, certField) : [];
  if (!certTlvs || certTlvs.some((c) => c.tag !== 0x30)) return null;
  const signers = children(der, signerSet);
  if (!signers || signers.some((c) => c.tag !== 0x30)) return null;
  return {
    version: der.readUIntBE(version.contentStart, Math.min(6, version.end - version.contentStart)),
    encapContentInfo: der.subarray(encap.start, encap.end),
    signerInfos: signers.map((t) => der.subarray(t.start, t.end)),
    certificates: certTlvs.map((c) => der.subarray(c.start, c.end)),
  };
}

const CACHE_LIMIT = 512;
const certificateCache = new Map<string, pkijs.Certificate>();

export function cachedCertificate(der: Buffer): pkijs.Certificate {
  const key = createHash('sha256').update(der).digest('base64');
  let cert = certificateCache.get(key);
  if (!cert) {
    cert = parseCertificate(der);
    if (certificateCache.size >= CACHE_LIMIT) certificateCache.delete(certificateCache.keys().next().value!);
    certificateCache.set(key, cert);
  }
  return cert;
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

function parseCertificate(der: Buffer): pkijs.Certificate {
  const asn = asn1js.fromBER(toArrayBuffer(der));
  if (asn.offset === -1) throw new Error('certificate is not valid DER');
  return new pkijs.Certificate({ schema: asn.result });
}

function fromDer(der: Buffer): asn1js.AsnType {
  const asn = asn1js.fromBER(toArrayBuffer(der));
  if (asn.offset === -1) throw new Error('not valid DER');
  return asn.result;
}

function parseSignedData(der: Buffer): pkijs.SignedData | null {
  const asn = asn1js.fromBER(toArrayBuffer(der));
  if (asn.offset === -1) return null;
  const info = new pkijs.ContentInfo({ schema: asn.result });
  if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) return null;
  return new pkijs.SignedData({ schema: info.content });
}

/** A SignedData from DER, certificates shared with earlier messages; null when it is not one. */
export function readSignedData(der: Buffer): pkijs.SignedData | null {
  try {
    if (der.length === 0) return null;
    // Fast path: pkijs parses only the small pieces (signer info, content info) against their own
    // schemas; the SignedData schema as a whole costs milliseconds per message.
    const parts = signedDataParts(der);
    if (parts) {
      const encapContentInfo = new pkijs.EncapsulatedContentInfo({ schema: fromDer(parts.encapContentInfo) });
      const signerInfos = parts.signerInfos.map((b) => new pkijs.SignerInfo({ schema: fromDer(b) }));
      return new pkijs.SignedData({
        version: parts.version,
        encapContentInfo,
        signerInfos,
        ...(parts.certificates.length > 0 ? { certificates: parts.certificates.map(cachedCertificate) } : {}),
      });
    }
    // BER (indefinite lengths) and other unusual encodings: pkijs parses the whole structure.
    return parseSignedData(der);
  } catch {
    return null;
  }
}
