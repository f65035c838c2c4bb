/**
 * Reading a CMS SignedData with pkijs, fast. asn1js parses about a microsecond per byte and pkijs's
 * SignedData schema costs milliseconds, while most of a PEC signature's bytes are the same two or
 * three provider certificates on every message. So the DER is cut into its pieces with a plain TLV
 * walk; certificates are parsed once and cached by their hash, and pkijs parses only the signer
 * info and content info against their own small schemas. BER with indefinite lengths, which the
 * walk does not handle, falls back to parsing the whole structure.
 *
 * readSignedParts goes one step further for the signature check (signature.ts): the signer info
 * too is cut apart by the walk (even its small schema costs pkijs half a millisecond), into the
 * exact bytes node:crypto needs. It is strict: anything it does not know is null, and the check
 * then takes the pkijs road.
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
  /** Offset just past the content (before the end-of-contents octets of an indefinite length). */
  contentEnd: number;
  /** Offset just past the whole element. */
  end: number;
}

/** Indefinite lengths nest no deeper than this in anything a signature carries. */
const MAX_BER_DEPTH = 16;

/**
 * One element at `offset`. Definite lengths only, unless `ber`: then a constructed element may
 * have an indefinite length (0x80), its content running up to the end-of-contents octets 00 00.
 */
export function readTlv(buf: Buffer, offset: number, ber = false, depth = 0): Tlv | null {
  if (offset + 2 > buf.length) return null;
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) return null; // high tag numbers do not occur here
  let i = offset + 1;
  const first = buf[i++]!;
  let length: number;
  if (first === 0x80) {
    if (!ber || !(tag & 0x20) || depth >= MAX_BER_DEPTH) return null;
    let at = i;
    while (!(buf[at] === 0 && buf[at + 1] === 0)) {
      const child = readTlv(buf, at, true, depth + 1);
      if (!child) return null;
      at = child.end;
    }
    return { tag, start: offset, contentStart: i, contentEnd: at, end: at + 2 };
  }
  if (first < 0x80) length = first;
  else {
    const n = first & 0x7f;
    if (n > 4 || i + n > buf.length) return null;
    length = 0;
    for (let k = 0; k < n; k++) length = length * 256 + buf[i++]!;
  }
  const end = i + length;
  return end > buf.length ? null : { tag, start: offset, contentStart: i, contentEnd: end, end };
}

export function children(buf: Buffer, parent: Tlv, ber = false): Tlv[] | null {
  const out: Tlv[] = [];
  let at = parent.contentStart;
  while (at < parent.contentEnd) {
    const t = readTlv(buf, at, ber);
    if (!t || t.end > parent.contentEnd) return null;
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

export function signedDataParts(der: Buffer, ber = false): SignedDataParts | null {
  const kidsOf = (t: Tlv) => children(der, t, ber);
  const ci = readTlv(der, 0, ber);
  if (ci?.tag !== 0x30) return null;
  const ciKids = kidsOf(ci);
  const explicit = ciKids?.[1];
  if (ciKids?.length !== 2 || explicit?.tag !== 0xa0) return null;
  // contentType must be id-signedData (1.2.840.113549.1.7.2).
  const oid = ciKids[0]!;
  if (
    oid.tag !== 0x06 ||
    der.subarray(oid.contentStart, oid.contentEnd).toString('hex') !== '2a864886f70d010702'
  )
    return null;
  const sd = kidsOf(explicit)?.[0];
  if (sd?.tag !== 0x30) return null;
  const kids = kidsOf(sd);
  if (!kids || kids.length < 4) return null;
  const [version, digestAlgorithms, encap] = kids as [Tlv, Tlv, Tlv];
  if (version.tag !== 0x02 || digestAlgorithms.tag !== 0x31 || encap.tag !== 0x30) return null;
  const signerSet = kids.at(-1)!;
  if (signerSet.tag !== 0x31) return null;
  const middle = kids.slice(3, -1);
  if (middle.some((k) => k.tag !== 0xa0 && k.tag !== 0xa1)) return null;
  const certField = middle.find((k) => k.tag === 0xa0);
  const certTlvs = certField ? kidsOf(certField) : [];
  if (!certTlvs || certTlvs.some((c) => c.tag !== 0x30)) return null;
  const signers = kidsOf(signerSet);
  if (!signers || signers.some((c) => c.tag !== 0x30)) return null;
  return {
    version: der.readUIntBE(version.contentStart, Math.min(6, version.contentEnd - version.contentStart)),
    encapContentInfo: der.subarray(encap.start, encap.end),
    signerInfos: signers.map((t) => der.subarray(t.start, t.end)),
    certificates: certTlvs.map((c) => der.subarray(c.start, c.end)),
  };
}

const CACHE_LIMIT = 512;
const certificateCache = new Map<string, pkijs.Certificate>();
const certificateBytes = new WeakMap<pkijs.Certificate, Buffer>();

/** A certificate's DER: as it was read, or encoded again by pkijs for one made elsewhere. */
export function certificateDer(cert: pkijs.Certificate): Buffer {
  let der = certificateBytes.get(cert);
  if (!der) {
    der = Buffer.from(cert.toSchema().toBER());
    certificateBytes.set(cert, der);
  }
  return der;
}

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
  const cert = new pkijs.Certificate({ schema: asn.result });
  certificateBytes.set(cert, Buffer.from(der));
  return cert;
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

/** An OBJECT IDENTIFIER's content bytes in dotted form; null when they are not a valid encoding. */
export function oidString(content: Buffer): string | null {
  if (content.length === 0 || content[content.length - 1]! & 0x80) return null;
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    // A leading 0x80 would be a non-minimal arc; values past 2^53 do not occur in CMS.
    if (value === 0 && byte === 0x80) return null;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER) return null;
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** One attribute of the signed attributes: its type and the TLV bytes of each of its values. */
export interface CmsAttribute {
  type: string;
  values: Buffer[];
}

/** A SignerInfo cut into the bytes a signature check needs. */
export interface SignerInfoParts {
  /** The whole SignerInfo. */
  der: Buffer;
  /** IssuerAndSerialNumber: the issuer Name's TLV and the serial INTEGER's content bytes. */
  sid: { issuer: Buffer; serial: Buffer } | { keyId: Buffer };
  digestAlgorithm: string;
  /** The signed attributes as signed: their [0] field with its tag made SET OF (0x31), as CMS says. */
  signedAttrs: { der: Buffer; attributes: CmsAttribute[] } | null;
  signatureAlgorithm: string;
  signature: Buffer;
}

export interface SignedParts {
  eContentType: string;
  /** The encapsulated content (opaque form); null when detached; undefined when not a plain OCTET STRING. */
  eContent: Buffer | null | undefined;
  certificates: pkijs.Certificate[];
  signerInfos: SignerInfoParts[];
}

function kids(buf: Buffer, t: Tlv | undefined, tag: number, ber = false): Tlv[] | null {
  return t?.tag === tag ? children(buf, t, ber) : null;
}

/** AlgorithmIdentifier: SEQUENCE { OID, parameters OPTIONAL }; its OID. */
function algorithm(buf: Buffer, t: Tlv | undefined): string | null {
  const k = kids(buf, t, 0x30);
  if (!k || k.length < 1 || k.length > 2 || k[0]!.tag !== 0x06) return null;
  return oidString(buf.subarray(k[0]!.contentStart, k[0]!.contentEnd));
}

/** Attributes: SEQUENCE { type OID, values SET OF ANY } each, as pkijs's schema wants them. */
function attributesOf(buf: Buffer, field: Tlv): CmsAttribute[] | null {
  const attributes: CmsAttribute[] = [];
  for (const a of children(buf, field) ?? [null]) {
    const parts = a ? kids(buf, a, 0x30) : null;
    if (parts?.length !== 2 || parts[0]!.tag !== 0x06) return null;
    const type = oidString(buf.subarray(parts[0]!.contentStart, parts[0]!.contentEnd));
    const values = kids(buf, parts[1], 0x31);
    if (!type || !values) return null;
    attributes.push({ type, values: values.map((v) => buf.subarray(v.start, v.end)) });
  }
  return attributes;
}

function signerInfoParts(buf: Buffer): SignerInfoParts | null {
  const root = readTlv(buf, 0);
  if (root?.end !== buf.length) return null;
  const k = kids(buf, root, 0x30);
  if (!k || k.length < 5 || k[0]!.tag !== 0x02) return null;
  let i = 1;
  const sidTlv = k[i++]!;
  let sid: SignerInfoParts['sid'];
  if (sidTlv.tag === 0x30) {
    const ias = children(buf, sidTlv);
    if (ias?.length !== 2 || ias[0]!.tag !== 0x30 || ias[1]!.tag !== 0x02) return null;
    sid = {
      issuer: buf.subarray(ias[0]!.start, ias[0]!.end),
      serial: buf.subarray(ias[1]!.contentStart, ias[1]!.contentEnd),
    };
  } else if (sidTlv.tag === 0x80) sid = { keyId: buf.subarray(sidTlv.contentStart, sidTlv.contentEnd) };
  else return null;
  const digestAlgorithm = algorithm(buf, k[i++]);
  if (!digestAlgorithm) return null;
  let signedAttrs: SignerInfoParts['signedAttrs'] = null;
  if (k[i]?.tag === 0xa0) {
    const field = k[i++]!;
    const attributes = attributesOf(buf, field);
    if (!attributes) return null;
    // A copy: the [0] IMPLICIT tag becomes the SET OF tag it stands for, the bytes otherwise as sent.
    const der = Buffer.from(buf.subarray(field.start, field.end));
    der[0] = 0x31;
    signedAttrs = { der, attributes };
  }
  const signatureAlgorithm = algorithm(buf, k[i++]);
  const signature = k[i++];
  if (!signatureAlgorithm || signature?.tag !== 0x04) return null;
  if (k[i]?.tag === 0xa1 && !attributesOf(buf, k[i++]!)) return null;
  if (i !== k.length) return null;
  return {
    der: buf,
    sid,
    digestAlgorithm,
    signedAttrs,
    signatureAlgorithm,
    signature: buf.subarray(signature.contentStart, signature.contentEnd),
  };
}

/**
 * A DER SignedData cut into the bytes of its signature check, the certificates shared with earlier
 * messages; null for anything the walk does not read plainly (BER, unusual fields, a certificate
 * pkijs cannot read), which readSignedData and pkijs then handle as before.
 */
export function readSignedParts(der: Buffer): SignedParts | null {
  try {
    // Indefinite lengths too (InfoCert's Legalmail wraps its signatures so); the signer info itself
    // must be DER, as what it signs is.
    const parts = signedDataParts(der, true);
    if (!parts) return null;
    const encap = parts.encapContentInfo;
    const ek = kids(encap, readTlv(encap, 0, true) ?? undefined, 0x30, true);
    if (!ek || ek.length < 1 || ek.length > 2 || ek[0]!.tag !== 0x06) return null;
    const eContentType = oidString(encap.subarray(ek[0]!.contentStart, ek[0]!.contentEnd));
    if (!eContentType) return null;
    let eContent: Buffer | null | undefined = null;
    if (ek[1]) {
      const inner = kids(encap, ek[1], 0xa0, true);
      if (inner?.length !== 1) return null;
      eContent =
        inner[0]!.tag === 0x04 ? encap.subarray(inner[0]!.contentStart, inner[0]!.contentEnd) : undefined;
    }
    const signerInfos: SignerInfoParts[] = [];
    for (const b of parts.signerInfos) {
      const info = signerInfoParts(b);
      if (!info) return null;
      signerInfos.push(info);
    }
    return { eContentType, eContent, certificates: parts.certificates.map(cachedCertificate), signerInfos };
  } catch {
    return null;
  }
}
