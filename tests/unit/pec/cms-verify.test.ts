/**
 * The CMS signature checked with node:crypto (main/pec/cms-verify.ts) says exactly what pkijs says:
 * report for report on the real messages and on every kind of signature the factory makes, and
 * pkijs is not asked at all when a signature verifies.
 */
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { YEARS } from '../../../main/demo/demo-pki.ts';
import { readSignedData, readSignedParts } from '../../../main/pec/cms-parse.ts';
import { verifySignedParts } from '../../../main/pec/cms-verify.ts';
import { inspectMessage } from '../../../main/pec/inspect.ts';
import { ENVELOPE_KINDS, RECEIPT_KINDS } from '../../../main/pec/kinds.ts';
import { checkCms, toCrlf, verifySignature } from '../../../main/pec/signature.ts';
import { headerAddress, readStructure } from '../../../main/pec/structure.ts';
import { ERA_DOMAINS, eraPki } from '../../factory/era-pki.ts';
import { buildOrdinary, cmsSign, pecOf, scenario } from '../../factory/pec-factory.ts';
import { testPki } from '../../factory/pki.ts';
import { readRealFixture, realFixtureNames, realFixturesPresent } from '../../support/fixtures.ts';
import { testAnchors } from '../../support/pec.ts';
import { seededRandom } from '../../support/random.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

async function bothEngines(raw: Buffer, anchors = testAnchors()) {
  const node = await inspectMessage(raw, { anchors });
  const pkijsOnly = await inspectMessage(raw, { anchors, cmsEngine: 'pkijs' });
  return { node, pkijsOnly };
}

function factoryMessages(): [string, Buffer][] {
  const pki = testPki();
  const s = scenario();
  const raw = pecOf(s, 'accettazione').toString('latin1');
  const p7s = raw.indexOf('filename="smime.p7s"');
  const garbage = raw.slice(0, p7s + 30) + 'QUJDREVGR0g=\r\n' + raw.slice(raw.lastIndexOf('\r\n------'));
  return [
    ...[...ENVELOPE_KINDS, ...RECEIPT_KINDS].map((kind) => [kind, pecOf(s, kind)] as [string, Buffer]),
    ['opaque', pecOf(s, 'posta-certificata', { signing: { mode: 'opaque' } })],
    ['bare LF', pecOf(s, 'accettazione', { lineEnding: 'lf' })],
    ['tampered', pecOf(s, 'accettazione', { signing: { mode: 'tampered' } })],
    ['garbage signature', Buffer.from(garbage, 'latin1')],
    ['unsigned', pecOf(s, 'accettazione', { signing: { mode: 'none' } })],
    ['expired', pecOf(s, 'accettazione', { signing: { mode: 'valid', by: pki.expired } })],
    ['impostor', pecOf(s, 'accettazione', { signing: { mode: 'valid', by: pki.impostor } })],
    ['ordinary', buildOrdinary({ subject: 'Ordinaria' })],
  ];
}

describe('CMS check: node:crypto and pkijs say the same', () => {
  it.each(realFixtureNames())('real message %s: the same signature report', async (name) => {
    const { node, pkijsOnly } = await bothEngines(readRealFixture(name));
    expect(node.signature).toEqual(pkijsOnly.signature);
    expect(node.anomalies).toEqual(pkijsOnly.anomalies);
  });

  it.each(factoryMessages())('%s: the same signature report', async (_name, raw) => {
    const { node, pkijsOnly } = await bothEngines(raw);
    expect(node.signature).toEqual(pkijsOnly.signature);
  });

  it('eras: the same reports for an old chain and outside its years', async () => {
    const era = eraPki();
    const old = scenario({
      provider: era.oldProvider,
      recipientProvider: era.oldProvider,
      sender: `studio@${ERA_DOMAINS.old}`,
      date: new Date(YEARS(-10).getTime() + 86_400_000 * 100),
    });
    for (const signingTime of [old.date, new Date()]) {
      const raw = pecOf(old, 'posta-certificata', { signing: { mode: 'valid', signingTime } });
      const { node, pkijsOnly } = await bothEngines(raw, era.anchors);
      expect(node.signature).toEqual(pkijsOnly.signature);
    }
  });

  it('pkijs is not asked for a signature that verifies, and is for one that does not', async () => {
    const verify = vi.spyOn(pkijs.SignedData.prototype, 'verify');
    const s = scenario();
    expect(
      (await inspectMessage(pecOf(s, 'accettazione'), { anchors: testAnchors() })).signature.verdict,
    ).toBe('valid');
    expect(verify).not.toHaveBeenCalled();
    const tampered = pecOf(s, 'accettazione', { signing: { mode: 'tampered' } });
    const r = await inspectMessage(tampered, { anchors: testAnchors() });
    expect([r.signature.verdict, r.signature.reasonCode]).toEqual(['tampered', 'digest-mismatch']);
    expect(verify).toHaveBeenCalled();
  });

  it('the real messages that verify are checked by node:crypto alone', async () => {
    const verify = vi.spyOn(pkijs.SignedData.prototype, 'verify');
    const valid = [];
    for (const name of realFixtureNames()) {
      verify.mockClear();
      const r = await inspectMessage(readRealFixture(name));
      if (r.signature.verdict === 'valid') {
        valid.push(name);
        expect(verify, name).not.toHaveBeenCalled();
      }
    }
    if (realFixtureNames().length > 0) expect(valid.length).toBeGreaterThan(0);
  });
});

/** A detached CMS signature by a fresh P-256 key and its self-signed certificate, made by pkijs. */
async function ecdsaSignature(content: Buffer): Promise<Buffer> {
  const bytes = new Uint8Array(content);
  const crypto = webcrypto as unknown as Crypto;
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: 4242 });
  for (const name of [cert.issuer, cert.subject])
    name.typesAndValues.push(
      new pkijs.AttributeTypeAndValue({
        type: '2.5.4.3',
        value: new asn1js.Utf8String({ value: 'ECDSA PEC' }),
      }),
    );
  cert.notBefore.value = new Date(Date.now() - 86_400_000);
  cert.notAfter.value = new Date(Date.now() + 86_400_000);
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey, pkijs.getCrypto(true));
  await cert.sign(keys.privateKey, 'SHA-256', pkijs.getCrypto(true));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  const sd = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.3',
              values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })],
            }),
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.5',
              values: [new asn1js.UTCTime({ valueDate: new Date() })],
            }),
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.4',
              values: [new asn1js.OctetString({ valueHex: digest })],
            }),
          ],
        }),
      }),
    ],
    certificates: [cert],
  });
  await sd.sign(keys.privateKey, 0, 'SHA-256', bytes, pkijs.getCrypto(true));
  const info = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) });
  return Buffer.from(info.toSchema().toBER());
}

/** Re-encodes the outer ContentInfo SEQUENCE with an indefinite length (BER), as Legalmail does. */
function toIndefinite(der: Buffer): Buffer {
  const lenBytes = der[1]! & 0x80 ? (der[1]! & 0x7f) + 1 : 1;
  return Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(1 + lenBytes), Buffer.from([0, 0])]);
}

describe('CMS check: the same reports for damaged signatures', () => {
  const SEED = Number(process.env.PECDESK_FUZZ_SEED ?? 20261130);
  const bases = [
    pecOf(scenario(), 'accettazione'),
    ...realFixtureNames()
      .map(readRealFixture)
      .filter((raw) => readStructure(raw).signature.form === 'detached'),
  ];

  it('400 signatures with bytes changed (most in the signer info) or cut: pkijs and node:crypto agree', async () => {
    const rnd = seededRandom(SEED);
    let valid = 0;
    for (let i = 0; i < 400; i++) {
      const structure = readStructure(bases[i % bases.length]!);
      const container = structure.signature;
      if (container.form !== 'detached') throw new Error('a detached signature is expected');
      const der = Buffer.from(container.der);
      // The signer info sits at the end of the DER: half of the changes land in its last 700 bytes.
      const at = () =>
        rnd() < 0.5
          ? der.length - 1 - Math.floor(rnd() * Math.min(700, der.length))
          : Math.floor(rnd() * der.length);
      let bytes: Buffer = der;
      const how = Math.floor(rnd() * 4);
      if (how === 0) bytes = der.subarray(0, at());
      else if (how === 3) bytes = i % 2 ? toIndefinite(der) : der;
      else for (let k = 0; k <= how; k++) der[at()] = Math.floor(rnd() * 256);
      const damaged = { ...structure, signature: { ...container, der: bytes } };
      const from = headerAddress(structure.topHeaders, 'from');
      const anchors = realFixturesPresent && i % bases.length > 0 ? undefined : testAnchors();
      const node = await verifySignature(damaged, from, { ...(anchors && { anchors }) });
      const pkijsOnly = await verifySignature(damaged, from, {
        ...(anchors && { anchors }),
        cmsEngine: 'pkijs',
      });
      expect(node, `case ${i}`).toEqual(pkijsOnly);
      if (node.verdict === 'valid') valid++;
    }
    // Some changes land where they change nothing that is checked (an unsigned byte, BER framing).
    expect(valid).toBeGreaterThan(0);
  });
});

describe('CMS check with node:crypto: the signatures themselves', () => {
  it('reads a signature wrapped in indefinite lengths (BER) and verifies it', () => {
    const signer = testPki().providers.alfa;
    const content = Buffer.from('contenuto firmato\r\n');
    const ber = toIndefinite(cmsSign(content.toString('latin1'), signer, new Date(), true));
    const parts = readSignedParts(ber)!;
    expect(parts).not.toBeNull();
    expect(verifySignedParts(parts, [content]).ok).toBe(true);
  });

  it('ECDSA P-256: verified as pkijs verifies it, a changed byte fails in both', async () => {
    const content = Buffer.from('Content-Type: text/plain\r\n\r\nfirmato con ECDSA\r\n');
    const der = await ecdsaSignature(content);
    const parts = readSignedParts(der)!;
    expect(parts.signerInfos[0]!.signatureAlgorithm).toBe('1.2.840.10045.4.3.2');
    const fast = verifySignedParts(parts, [content]);
    const slow = await checkCms(readSignedData(der)!, [content]);
    expect(fast.ok && slow.ok && fast.signer === slow.signer).toBe(true);

    const changed = Buffer.from(content);
    changed[changed.length - 3] = changed[changed.length - 3]! ^ 1;
    expect(verifySignedParts(parts, [changed])).toEqual({ ok: false, unsupported: false });
    expect((await checkCms(readSignedData(der)!, [changed])).ok).toBe(false);
  });

  it('RSA: a signature over other signed attributes fails, and the digest is checked first', () => {
    const signer = testPki().providers.alfa;
    const content = Buffer.from('contenuto firmato\r\n');
    const der = cmsSign(content.toString('latin1'), signer, new Date(), true);
    const parts = readSignedParts(der)!;
    expect(verifySignedParts(parts, [content]).ok).toBe(true);
    // The signature of another message, over its own signed attributes.
    const other = readSignedParts(cmsSign('altro', signer, new Date(), true))!;
    const swapped = {
      ...parts,
      signerInfos: [{ ...parts.signerInfos[0]!, signature: other.signerInfos[0]!.signature }],
    };
    expect(verifySignedParts(swapped, [content])).toEqual({ ok: false, unsupported: false });
    expect(verifySignedParts(parts, [Buffer.from('altro contenuto')])).toEqual({
      ok: false,
      unsupported: false,
    });
  });

  it('leaves to pkijs what it does not read plainly: a signer named by key identifier, no signed attributes', () => {
    const signer = testPki().providers.alfa;
    const content = Buffer.from('contenuto firmato\r\n');
    const parts = readSignedParts(cmsSign(content.toString('latin1'), signer, new Date(), true))!;
    const info = parts.signerInfos[0]!;
    expect(
      verifySignedParts({ ...parts, signerInfos: [{ ...info, sid: { keyId: Buffer.from('01', 'hex') } }] }, [
        content,
      ]),
    ).toEqual({
      ok: false,
      unsupported: true,
    });
    expect(verifySignedParts({ ...parts, signerInfos: [{ ...info, signedAttrs: null }] }, [content])).toEqual(
      {
        ok: false,
        unsupported: true,
      },
    );
    expect(
      verifySignedParts({ ...parts, signerInfos: [{ ...info, digestAlgorithm: '1.2.3.4' }] }, [content]),
    ).toEqual({
      ok: false,
      unsupported: true,
    });
  });

  it('canonical CRLF: bare LF (also first and last) become CRLF, CRLF stays, no LF is the same buffer', () => {
    const reference = (buf: Buffer) => {
      const out: number[] = [];
      buf.forEach((b, i) => {
        if (b === 0x0a && (i === 0 || buf[i - 1] !== 0x0d)) out.push(0x0d);
        out.push(b);
      });
      return Buffer.from(out);
    };
    for (const text of ['\nuno\r\ndue\nTre\n\n', 'a\r\nb\r\n', 'niente', '\r\n\n\r\r\n', '']) {
      const buf = Buffer.from(text, 'latin1');
      expect(toCrlf(buf).toString('latin1')).toBe(reference(buf).toString('latin1'));
    }
    const plain = Buffer.from('senza a capo');
    expect(toCrlf(plain)).toBe(plain);
  });
});
