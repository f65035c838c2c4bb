/**
 * The index's signature: CAdES-BES detached (CMS SignedData with contentType, signingTime,
 * messageDigest and signingCertificateV2, RFC 5035) made with the owner's certificate and key from
 * a .p12 file, and CAdES-T when a timestamp authority is given (RFC 3161 token over the signature
 * value, as the unsigned attribute id-aa-signatureTimeStampToken, ETSI EN 319 122-1). pkijs builds
 * and signs the structure on Node's WebCrypto; node-forge reads the .p12 (PKCS#12).
 */
import { createHash, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { children, oidString, readSignedParts, readTlv } from '../pec/cms-parse.ts';
import { structureProblem, verifySignerInfo } from './cms-check.ts';
import { parseResponse, requestTimestamp, type TimestampCheck, verifyTimestampToken } from './tsa.ts';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
};

export class SigningError extends Error {}

const ab = (b: Uint8Array): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export interface OwnerKey {
  key: webcrypto.CryptoKey;
  certificate: pkijs.Certificate;
  /** The rest of the chain the .p12 carries, put in the signature for verifiers. */
  chain: pkijs.Certificate[];
  subject: string;
  /** CN and O of the certificate: who signs, for the index's AuthorizedSigner and Holder. */
  commonName: string | null;
  organization: string | null;
}

/**
 * PKCS#12 takes the password in two encodings: the MAC and the older PBE schemes (3DES, RC2) as
 * BMPString, which forge derives from the string; PBES2 (AES, what OpenSSL 3 writes by default)
 * as its UTF-8 octets (RFC 8018), which forge takes as given. A password with accented letters
 * thus opens in two steps: the MAC checked with the string, the contents read with its UTF-8.
 */
function openPfx(p12: Buffer, password: string): forge.pkcs12.Pkcs12Pfx {
  const read = () => forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
  try {
    return forge.pkcs12.pkcs12FromAsn1(read(), false, password);
  } catch (error) {
    const utf8 = forge.util.encodeUtf8(password);
    // Only after the MAC held (forge checks it first), and only where UTF-8 differs.
    if (utf8 === password || !/decrypt/i.test((error as Error).message)) throw error;
    const asn = read();
    // PFX ::= SEQUENCE { version, authSafe, macData OPTIONAL }: the MAC was verified just now.
    (asn.value as forge.asn1.Asn1[]).splice(2);
    return forge.pkcs12.pkcs12FromAsn1(asn, false, utf8);
  }
}

/** Reads the owner's key and certificate from a .p12 (RSA keys; the password as given). */
export async function readP12(p12: Buffer, password: string): Promise<OwnerKey> {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = openPfx(p12, password);
  } catch (error) {
    throw new SigningError(
      `the .p12 file cannot be opened (wrong password, or not a PKCS#12 file): ${(error as Error).message}`,
    );
  }
  const keyBag = [
    ...(pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ??
      []),
    ...(pfx.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ].find((b) => b.key);
  if (!keyBag?.key)
    throw new SigningError('the .p12 file holds no private key (PecDesk signs with RSA keys)');
  const rsa = keyBag.key as forge.pki.rsa.PrivateKey;
  const certs = (pfx.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [])
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => Boolean(c));
  const own = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.equals(rsa.n) && pub.e?.equals(rsa.e);
  });
  if (!own) throw new SigningError('the .p12 file holds no certificate for its private key');
  const toPkijs = (c: forge.pki.Certificate) =>
    pkijs.Certificate.fromBER(
      ab(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary')),
    );
  const pkcs8 = Buffer.from(
    forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(rsa))).getBytes(),
    'binary',
  );
  const key = await webcrypto.subtle.importKey(
    'pkcs8',
    pkcs8,
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const attr = (name: string) => {
    const v = own.subject.getField(name)?.value;
    return typeof v === 'string' ? v : null;
  };
  const certificate = toPkijs(own);
  return {
    key,
    certificate,
    chain: certs.filter((c) => c !== own).map(toPkijs),
    subject: own.subject.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', '),
    commonName: attr('CN'),
    organization: attr('O'),
  };
}

/** RFC 5035 SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 { certHash, issuerSerial } } (SHA-256 default). */
function signingCertificateV2(cert: pkijs.Certificate): asn1js.Sequence {
  const certHash = createHash('sha256').update(Buffer.from(cert.toSchema().toBER())).digest();
  return new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.OctetString({ valueHex: ab(certHash) }),
              new asn1js.Sequence({
                value: [
                  new asn1js.Sequence({
                    value: [new pkijs.GeneralName({ type: 4, value: cert.issuer }).toSchema()],
                  }),
                  cert.serialNumber,
                ],
              }),
            ],
          }),
        ],
      }),
    ],
  });
}

/**
 * Signs `content` (detached): a DER .p7s. With `tsaUrl` the signature value is timestamped and the
 * token added as an unsigned attribute (CAdES-T).
 */
export async function signDetached(
  content: Uint8Array,
  owner: OwnerKey,
  tsaUrl?: string,
  now = new Date(),
): Promise<Buffer> {
  const digest = createHash('sha256').update(content).digest();
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: owner.certificate.issuer,
          serialNumber: owner.certificate.serialNumber,
        }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({
              type: OID.contentType,
              values: [new asn1js.ObjectIdentifier({ value: OID.data })],
            }),
            new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: now })] }),
            new pkijs.Attribute({
              type: OID.messageDigest,
              values: [new asn1js.OctetString({ valueHex: ab(digest) })],
            }),
            new pkijs.Attribute({
              type: OID.signingCertificateV2,
              values: [signingCertificateV2(owner.certificate)],
            }),
          ],
        }),
      }),
    ],
    certificates: [owner.certificate, ...owner.chain],
  });
  await signedData.sign(owner.key as CryptoKey, 0, 'SHA-256');
  const signerInfo = signedData.signerInfos[0]!;
  if (tsaUrl) {
    const signatureValue = Buffer.from(signerInfo.signature.valueBlock.valueHexView);
    const response = await requestTimestamp(tsaUrl, signatureValue);
    const token = parseResponse(response).token!;
    const tokenAsn = asn1js.fromBER(ab(token));
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [new pkijs.Attribute({ type: OID.signatureTimeStampToken, values: [tokenAsn.result] })],
    });
  }
  const contentInfo = new pkijs.ContentInfo({
    contentType: OID.signedData,
    content: signedData.toSchema(true),
  });
  return Buffer.from(contentInfo.toSchema().toBER());
}

/**
 * The first value of an unsigned attribute of a SignerInfo, as the bytes stand in the file (a
 * library's re-encoding would tidy a changed length away).
 */
function unsignedAttribute(signerInfo: Buffer, type: string): Buffer | null | 'unreadable' {
  const root = readTlv(signerInfo, 0);
  const fields = root ? children(signerInfo, root) : null;
  const unsigned = fields?.find((f) => f.tag === 0xa1);
  if (!unsigned) return null;
  for (const attr of children(signerInfo, unsigned) ?? []) {
    const parts = attr.tag === 0x30 ? children(signerInfo, attr) : null;
    if (parts?.length !== 2 || parts[0]!.tag !== 0x06 || parts[1]!.tag !== 0x31) return 'unreadable';
    if (oidString(signerInfo.subarray(parts[0]!.contentStart, parts[0]!.contentEnd)) !== type) continue;
    const values = children(signerInfo, parts[1]!);
    if (values?.length !== 1) return 'unreadable';
    return signerInfo.subarray(values[0]!.start, values[0]!.end);
  }
  return null;
}

export type CadesCheck =
  | { ok: true; signer: string; timestamp: TimestampCheck | null }
  /** `failed`: 'content' when the signed file changed, 'signature' when the .p7s does not hold. */
  | { ok: false; failed: 'content' | 'signature'; reason: string };

/** Checks a detached .p7s over `content`, and its signature timestamp when it has one. */
export function verifyDetached(p7s: Buffer, content: Uint8Array): CadesCheck {
  const parts = readSignedParts(p7s);
  if (!parts) return { ok: false, failed: 'signature', reason: 'the signature file cannot be read' };
  const problem = structureProblem(p7s, OID.data);
  if (problem) return { ok: false, failed: 'signature', reason: `the signature ${problem}` };
  const check = verifySignerInfo(parts, content);
  if (!check.ok)
    return {
      ok: false,
      failed: check.failed === 'digest' ? 'content' : 'signature',
      reason: `the signature ${check.reason}`,
    };
  let timestamp: TimestampCheck | null = null;
  const token = unsignedAttribute(parts.signerInfos[0]!.der, OID.signatureTimeStampToken);
  if (token === 'unreadable')
    return { ok: false, failed: 'signature', reason: 'the signature’s unsigned attributes cannot be read' };
  if (token) {
    timestamp = verifyTimestampToken(token, check.signature);
    if (!timestamp.ok) return { ok: false, failed: 'signature', reason: timestamp.reason };
  }
  return { ok: true, signer: check.subject, timestamp };
}
