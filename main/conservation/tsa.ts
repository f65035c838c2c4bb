/**
 * RFC 3161 timestamps: a request to a timestamp authority (TSA) over HTTP (RFC 3161 §3.4: POST
 * application/timestamp-query, answer application/timestamp-reply), and the offline check of a
 * token: its TSTInfo names the SHA-256 of exactly these bytes, and the TSA's signature over it
 * verifies with the certificate the token carries (asked for with certReq).
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readSignedParts } from '../pec/cms-parse.ts';
import { structureProblem, verifySignerInfo } from './cms-check.ts';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

const SHA256 = '2.16.840.1.101.3.4.2.1';
const TST_INFO = '1.2.840.113549.1.9.16.1.4';

export class TimestampError extends Error {}

const ab = (b: Uint8Array): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** Asks the TSA at `url` to timestamp `data` (its SHA-256); returns the whole response (DER). */
export async function requestTimestamp(url: string, data: Uint8Array, timeoutMs = 30_000): Promise<Buffer> {
  const nonce = randomBytes(8);
  nonce[0]! &= 0x7f;
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: ab(createHash('sha256').update(data).digest()) }),
    }),
    nonce: new asn1js.Integer({ valueHex: ab(nonce) }),
    certReq: true,
  });
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: Buffer.from(request.toSchema().toBER()),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new TimestampError(
      `the timestamp authority at ${url} could not be reached: ${(error as Error).message}`,
    );
  }
  if (!response.ok) throw new TimestampError(`the timestamp authority answered HTTP ${response.status}`);
  const der = Buffer.from(await response.arrayBuffer());
  const parsed = parseResponse(der);
  if (!parsed.token)
    throw new TimestampError(`the timestamp authority refused the request: ${parsed.status}`);
  // The answer must be for this request: the same nonce, the same imprint.
  const info = tstInfo(parsed.token);
  if (!info) throw new TimestampError('the timestamp authority answered without a readable token');
  const answeredNonce = info.nonce ? Buffer.from(info.nonce.valueBlock.valueHexView) : null;
  if (!answeredNonce || !stripZeros(answeredNonce).equals(stripZeros(nonce)))
    throw new TimestampError('the timestamp authority answered another request (nonce)');
  return der;
}

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** A TimeStampResp: its status and token (ContentInfo DER) when granted. */
export function parseResponse(der: Buffer): { status: string; token: Buffer | null } {
  const asn = asn1js.fromBER(ab(der));
  if (asn.offset === -1) return { status: 'unreadable', token: null };
  const resp = new pkijs.TimeStampResp({ schema: asn.result });
  const status = resp.status.status;
  const token = resp.timeStampToken ? Buffer.from(resp.timeStampToken.toSchema().toBER()) : null;
  // 0 granted, 1 grantedWithMods.
  return { status: status === 0 || status === 1 ? 'granted' : `status ${status}`, token };
}

function tstInfo(token: Buffer): pkijs.TSTInfo | null {
  const parts = readSignedParts(token);
  if (!parts || parts.eContentType !== TST_INFO || !parts.eContent) return null;
  try {
    return pkijs.TSTInfo.fromBER(ab(parts.eContent));
  } catch {
    return null;
  }
}

export type TimestampCheck =
  | { ok: true; genTime: string; tsa: string }
  /** `failed`: 'token' when the token itself does not hold, 'data' when it stamps other bytes. */
  | { ok: false; failed: 'token' | 'data'; reason: string };

/** The token (ContentInfo DER) stamps exactly `data`, and the TSA's signature over it holds. */
export function verifyTimestampToken(token: Buffer, data: Uint8Array): TimestampCheck {
  const parts = readSignedParts(token);
  const info = parts ? tstInfo(token) : null;
  if (!parts?.eContent || !info)
    return { ok: false, failed: 'token', reason: 'the timestamp token cannot be read' };
  const problem = structureProblem(token, TST_INFO);
  if (problem) return { ok: false, failed: 'token', reason: `the timestamp token ${problem}` };
  // The TSA's signature first: when it holds, the imprint inside is the TSA's word.
  const signer = verifySignerInfo(parts, parts.eContent);
  if (!signer.ok)
    return { ok: false, failed: 'token', reason: `the timestamp authority's signature ${signer.reason}` };
  if (info.messageImprint.hashAlgorithm.algorithmId !== SHA256)
    return { ok: false, failed: 'token', reason: 'the timestamp is not over a SHA-256 digest' };
  const stamped = Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (!stamped.equals(createHash('sha256').update(data).digest()))
    return {
      ok: false,
      failed: 'data',
      reason: 'the timestamp is over other bytes (the stamped file changed)',
    };
  return { ok: true, genTime: info.genTime.toISOString(), tsa: signer.subject };
}

/** A response file (.tsr): its token checked as above. */
export function verifyTimestampResponse(der: Buffer, data: Uint8Array): TimestampCheck {
  let parsed: ReturnType<typeof parseResponse>;
  try {
    parsed = parseResponse(der);
  } catch {
    return { ok: false, failed: 'token', reason: 'the timestamp response cannot be read' };
  }
  if (!parsed.token)
    return { ok: false, failed: 'token', reason: `the timestamp was not granted (${parsed.status})` };
  return verifyTimestampToken(parsed.token, data);
}
