/**
 * The signed file inside a .p7m (CAdES, CMS SignedData with the content attached), as Italian
 * signed documents and FatturaPA invoices travel. The signature itself is not judged here: search
 * needs the text, the PEC signature check is main/pec/signature.ts.
 */
import { readSignedData } from '../../pec/cms-parse.ts';

/** DER, or the same in Base64 (SdI and some signing tools send it that way), or PEM. */
function derOf(bytes: Uint8Array): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0x30) return buf;
  const text = buf.subarray(0, Math.min(buf.length, 64)).toString('latin1');
  if (/^\s*(-----BEGIN [A-Z0-9 ]+-----)?\s*[A-Za-z0-9+/=\s]+/.test(text)) {
    const body = buf
      .toString('latin1')
      .replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '')
      .replace(/\s+/g, '');
    if (/^[A-Za-z0-9+/]+=*$/.test(body)) return Buffer.from(body, 'base64');
  }
  return buf;
}

/** The signed content, or null when the file is not a SignedData with attached content. */
export function unwrapP7m(bytes: Uint8Array): Buffer | null {
  let der = derOf(bytes);
  // A file signed more than once (countersignature as a new envelope) nests SignedData.
  for (let depth = 0; depth < 4; depth++) {
    const sd = readSignedData(der);
    const content = sd?.encapContentInfo.eContent;
    if (!content) return null;
    const inner = Buffer.from(content.getValue());
    if (inner[0] !== 0x30 || !readSignedData(inner)) return inner;
    der = inner;
  }
  return null;
}
