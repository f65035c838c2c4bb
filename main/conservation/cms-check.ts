/**
 * The check of one CMS signer (a CAdES signature of the index, a TSA's signature of its token) with
 * node:crypto, told apart the way a package's verification must name what failed: the signature
 * over the signed attributes (the .p7s itself damaged, or not made by the certificate it carries),
 * or the message digest (the signed bytes changed).
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import type * as pkijs from 'pkijs';
import {
  certificateDer,
  children,
  oidString,
  readSignedParts,
  readTlv,
  type SignedParts,
  type SignerInfoParts,
  type Tlv,
} from '../pec/cms-parse.ts';

const MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithms: rsaEncryption takes the digest algorithm's hash; the others name theirs. */
const SIGNATURE_HASH: Record<string, string | null> = {
  '1.2.840.113549.1.1.1': null,
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

export type SignerCheck =
  | { ok: true; subject: string; certificate: pkijs.Certificate; signature: Buffer }
  | { ok: false; failed: 'signature' | 'digest'; reason: string };

export function subjectOf(cert: pkijs.Certificate): string {
  const names: Record<string, string> = {
    '2.5.4.3': 'CN',
    '2.5.4.10': 'O',
    '2.5.4.6': 'C',
    '2.5.4.5': 'SERIALNUMBER',
  };
  return cert.subject.typesAndValues
    .filter((tv) => names[tv.type])
    .map((tv) => `${names[tv.type]}=${String(tv.value.valueBlock.value)}`)
    .join(', ');
}

function signerCertificate(parts: SignedParts, info: SignerInfoParts): pkijs.Certificate | null {
  if (!('issuer' in info.sid)) return null;
  const sid = info.sid;
  return (
    parts.certificates.find((c) => {
      const serial = Buffer.from(c.serialNumber.valueBlock.valueHexView);
      const issuer = Buffer.from(c.issuer.toSchema().toBER());
      return serial.equals(sid.serial) && issuer.equals(sid.issuer);
    }) ?? null
  );
}

/** The first signer of `parts` over `content` (the detached content, or the encapsulated one). */
export function verifySignerInfo(parts: SignedParts, content: Uint8Array): SignerCheck {
  const info = parts.signerInfos[0];
  if (!info?.signedAttrs) return { ok: false, failed: 'signature', reason: 'has no signed attributes' };
  const digest = DIGESTS[info.digestAlgorithm];
  if (!digest) return { ok: false, failed: 'signature', reason: 'uses an unknown digest algorithm' };
  const cert = signerCertificate(parts, info);
  if (!cert) return { ok: false, failed: 'signature', reason: 'does not carry its signer’s certificate' };
  let key: ReturnType<typeof createPublicKey>;
  try {
    key = createPublicKey({
      key: Buffer.from(cert.subjectPublicKeyInfo.toSchema().toBER()),
      format: 'der',
      type: 'spki',
    });
  } catch {
    return { ok: false, failed: 'signature', reason: 'carries an unreadable certificate' };
  }
  if (!(info.signatureAlgorithm in SIGNATURE_HASH))
    return { ok: false, failed: 'signature', reason: 'uses an unknown signature algorithm' };
  const hash = SIGNATURE_HASH[info.signatureAlgorithm] ?? digest;
  // The signed attributes first: when they verify, the message digest among them is the signer's.
  let signed = false;
  try {
    signed = verify(hash, info.signedAttrs.der, key, info.signature);
  } catch {
    signed = false;
  }
  if (!signed) return { ok: false, failed: 'signature', reason: 'does not verify' };
  const md = info.signedAttrs.attributes.find((a) => a.type === MESSAGE_DIGEST)?.values[0];
  // An OCTET STRING of the digest's length.
  const value = md && md[0] === 0x04 ? md.subarray(2) : null;
  if (!value?.equals(createHash(digest).update(content).digest()))
    return { ok: false, failed: 'digest', reason: 'is over other bytes (the signed file changed)' };
  return { ok: true, subject: subjectOf(cert), certificate: cert, signature: info.signature };
}

const DATA = '1.2.840.113549.1.7.1';
const SIGNED_DATA_OID = '2a864886f70d010702';

function oidOf(buf: Buffer, t: Tlv | undefined): string | null {
  return t?.tag === 0x06 ? oidString(buf.subarray(t.contentStart, t.contentEnd)) : null;
}

/** An AlgorithmIdentifier as CMS writes it: an OID, and no parameters or exactly NULL. */
function plainAlgorithm(buf: Buffer, t: Tlv | undefined): boolean {
  const k = t?.tag === 0x30 ? children(buf, t) : null;
  if (k?.[0]?.tag !== 0x06 || k.length > 2) return false;
  return k.length === 1 || (k[1]!.tag === 0x05 && k[1]!.contentEnd === k[1]!.contentStart);
}

/** AlgorithmIdentifier's OID. */
function algOf(buf: Buffer, t: Tlv | undefined): string | null {
  const k = t?.tag === 0x30 ? children(buf, t) : null;
  return k ? oidOf(buf, k[0]) : null;
}

/** Certificate → [tbs, signatureAlgorithm, signature] TLVs, and its issuer and subject Names. */
function certParts(der: Buffer) {
  const root = readTlv(der, 0);
  const k = root?.tag === 0x30 && root.end === der.length ? children(der, root) : null;
  if (k?.length !== 3 || k[0]!.tag !== 0x30 || k[2]!.tag !== 0x03) return null;
  // A signature BIT STRING has no unused bits.
  if (der[k[2]!.contentStart] !== 0) return null;
  const tbs = children(der, k[0]!);
  if (!tbs) return null;
  const at = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const [, sigAlg, issuer, , subject, spki] = tbs.slice(at);
  if (!sigAlg || !issuer || !subject || !spki) return null;
  const slice = (t: Tlv) => der.subarray(t.start, t.end);
  const extField = tbs.find((t) => t.tag === 0xa3);
  const extList = extField ? children(der, extField)?.[0] : undefined;
  const extensions = (extList ? children(der, extList) : null) ?? [];
  const hasAki = extensions.some((e) => oidOf(der, children(der, e)?.[0]) === '2.5.29.35');
  return {
    hasAki,
    tbs: slice(k[0]!),
    innerAlg: slice(sigAlg),
    outerAlg: slice(k[1]!),
    signature: der.subarray(k[2]!.contentStart + 1, k[2]!.contentEnd),
    issuer: slice(issuer),
    subject: slice(subject),
    spki: slice(spki),
    alg: algOf(der, k[1]),
  };
}

type CertParts = NonNullable<ReturnType<typeof certParts>>;

function signedBy(child: CertParts, issuer: CertParts): boolean {
  const hash = child.alg ? SIGNATURE_HASH[child.alg] : undefined;
  if (!hash || !child.innerAlg.equals(child.outerAlg)) return false;
  try {
    return verify(
      hash,
      child.tbs,
      createPublicKey({ key: issuer.spki, format: 'der', type: 'spki' }),
      child.signature,
    );
  } catch {
    return false;
  }
}

/**
 * The certificates a signature carries form the signer's chain and nothing else: from the
 * signer (whose bytes its signed attributes vouch for, signingCertificateV2) each one is signed
 * by the next it carries, up to a root that signs itself or to one whose issuer is not carried.
 * A changed byte in them shows. Which root to trust is the reader's call; that the file is as its
 * makers left it is checked here.
 */
function certificatesProblem(certs: Buffer[], signer: Buffer): string | null {
  const parts = certs.map(certParts);
  if (parts.some((p) => !p)) return 'carries an unreadable certificate';
  const all = parts as CertParts[];
  const start = certs.findIndex((c) => c.equals(signer));
  if (start < 0) return 'does not carry its signer’s certificate';
  const onChain = new Set<number>([start]);
  let at = start;
  for (;;) {
    const cert = all[at]!;
    if (cert.issuer.equals(cert.subject)) {
      if (!signedBy(cert, cert)) return 'carries a root certificate that does not sign itself (changed)';
      break;
    }
    const next = all.findIndex((q, i) => !onChain.has(i) && q.subject.equals(cert.issuer));
    if (next < 0) {
      // Its issuer is not carried. RFC 5280 §4.2.1.1: every certificate names its issuer's key
      // (authorityKeyIdentifier) except a self-signed one; one without it must sign itself.
      if (!cert.hasAki && !signedBy(cert, cert))
        return 'carries a root certificate that does not sign itself (changed)';
      break;
    }
    if (!signedBy(cert, all[next]!)) return 'carries a certificate that its issuer did not sign (changed)';
    onChain.add(next);
    at = next;
  }
  if (onChain.size !== all.length) return 'carries a certificate outside its signer’s chain (changed)';
  return null;
}

const SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';
const SIGNING_CERTIFICATE = '1.2.840.113549.1.9.16.2.12';

/**
 * The signer's certificate as its signed attributes name it (RFC 5035 ESSCertIDv2, SHA-256 by
 * default; RFC 2634 ESSCertID, SHA-1): the hash of its first ESSCertID must be this certificate's.
 */
function essProblem(info: SignerInfoParts, signer: Buffer): string | null {
  const attrs = info.signedAttrs?.attributes ?? [];
  const v2 = attrs.find((a) => a.type === SIGNING_CERTIFICATE_V2)?.values[0];
  const v1 = attrs.find((a) => a.type === SIGNING_CERTIFICATE)?.values[0];
  const value = v2 ?? v1;
  if (!value) return 'does not name its signer’s certificate (signingCertificate)';
  // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), … }
  const outer = readTlv(value, 0);
  const list = outer ? children(value, outer)?.[0] : undefined;
  const first = list ? children(value, list)?.[0] : undefined;
  const fields = first ? children(value, first) : null;
  if (!fields?.length) return 'names its signer’s certificate unreadably';
  let hashName = v2 ? 'sha256' : 'sha1';
  let at = 0;
  // ESSCertIDv2 may open with the hash algorithm (absent for SHA-256).
  if (v2 && fields[0]!.tag === 0x30) {
    const alg = algOf(value, fields[0]);
    hashName = (alg && DIGESTS[alg]) || '';
    at = 1;
  }
  const hash = fields[at];
  if (!hashName || hash?.tag !== 0x04) return 'names its signer’s certificate unreadably';
  const expected = value.subarray(hash.contentStart, hash.contentEnd);
  return createHash(hashName).update(signer).digest().equals(expected)
    ? null
    : 'names another certificate than the one it carries (changed)';
}

/**
 * The parts of a SignedData no signature covers, held to what PecDesk and RFC 3161 TSAs write:
 * DER to the last byte, id-signedData, version 1 (data) or 3 (a timestamp's TSTInfo), the one
 * digest algorithm its signer uses, the content type expected, certificates consistent.
 */
export function structureProblem(der: Buffer, eContentType: string): string | null {
  const ci = readTlv(der, 0);
  if (ci?.tag !== 0x30 || ci.end !== der.length) return 'is not one DER structure';
  const ciKids = children(der, ci);
  if (
    ciKids?.length !== 2 ||
    ciKids[0]!.tag !== 0x06 ||
    der.subarray(ciKids[0]!.contentStart, ciKids[0]!.contentEnd).toString('hex') !== SIGNED_DATA_OID
  )
    return 'is not a CMS SignedData';
  const sd = children(der, ciKids[1]!)?.[0];
  const kids = sd?.tag === 0x30 ? children(der, sd) : null;
  const parts = readSignedParts(der);
  if (!kids || !parts || parts.signerInfos.length !== 1) return 'is not a SignedData with one signer';
  const version = kids[0]!;
  const expectedVersion = eContentType === DATA ? 1 : 3;
  if (version.contentEnd - version.contentStart !== 1 || der[version.contentStart] !== expectedVersion)
    return 'has an unexpected version';
  const algTlvs = children(der, kids[1]!) ?? [];
  if (!algTlvs.every((t) => plainAlgorithm(der, t))) return 'lists a digest algorithm with odd parameters';
  const algs = algTlvs.map((t) => algOf(der, t));
  const info = parts.signerInfos[0]!;
  if (algs.length !== 1 || algs[0] !== info.digestAlgorithm)
    return 'lists other digest algorithms than its signer’s';
  if (parts.eContentType !== eContentType) return 'signs another kind of content';
  if (eContentType === DATA && parts.eContent !== null) return 'is not detached';
  const signerKids = children(info.der, readTlv(info.der, 0)!);
  const signerAlgs = signerKids?.filter((t, i) => i > 1 && t.tag === 0x30) ?? [];
  if (signerAlgs.length !== 2 || !signerAlgs.every((t) => plainAlgorithm(info.der, t)))
    return 'has a signer with odd algorithm parameters';
  if (
    signerKids?.[0]?.tag !== 0x02 ||
    info.der[signerKids[0].contentStart] !== 1 ||
    signerKids[0].contentEnd - signerKids[0].contentStart !== 1
  )
    return 'has a signer of an unexpected version';
  const signer = signerCertificate(parts, info);
  if (!signer) return 'does not carry its signer’s certificate';
  const signerDer = certificateDer(signer);
  return (
    essProblem(info, signerDer) ?? certificatesProblem(parts.certificates.map(certificateDer), signerDer)
  );
}
