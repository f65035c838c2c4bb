import { describe, expect, it } from 'vitest';
import { readSignedData, signedDataParts } from '../../../main/pec/cms-parse.ts';
import { cmsSign } from '../../factory/pec-factory.ts';
import { testPki } from '../../factory/pki.ts';

/** Re-encodes the outer ContentInfo SEQUENCE with an indefinite length (BER), as some signers do. */
function toIndefinite(der: Buffer): Buffer {
  const lenBytes = der[1]! & 0x80 ? (der[1]! & 0x7f) + 1 : 1;
  return Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(1 + lenBytes), Buffer.from([0, 0])]);
}

describe('CMS parsing', () => {
  const signer = testPki().providers.alfa;
  const der = cmsSign('contenuto firmato', signer, new Date(), true);

  it('cuts a DER SignedData into its pieces and shares the certificates between messages', () => {
    const parts = signedDataParts(der)!;
    expect(parts.version).toBe(1);
    expect(parts.signerInfos).toHaveLength(1);
    expect(parts.certificates).toHaveLength(2);
    const a = readSignedData(der)!;
    const b = readSignedData(cmsSign('altro', signer, new Date(), true))!;
    expect(a.certificates![0]).toBe(b.certificates![0]);
  });

  it('parses BER with indefinite lengths through pkijs as a whole', async () => {
    const ber = toIndefinite(der);
    expect(signedDataParts(ber)).toBeNull();
    const sd = readSignedData(ber)!;
    const data = Buffer.from('contenuto firmato', 'latin1');
    const result = await sd.verify({
      signer: 0,
      data: data.buffer.slice(data.byteOffset, data.byteOffset + data.length),
      extendedMode: true,
    });
    expect(result.signatureVerified).toBe(true);
  });

  it('refuses what is not a SignedData', () => {
    expect(readSignedData(Buffer.alloc(0))).toBeNull();
    expect(readSignedData(Buffer.from('3003020101', 'hex'))).toBeNull();
    expect(readSignedData(der.subarray(0, der.length - 10))).toBeNull();
  });
});
