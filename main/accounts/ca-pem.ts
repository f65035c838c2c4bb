/**
 * The extra CA a self-hosted (or test) IMAP server's certificate chains to, kept as PEM text in the
 * account row. The API takes the PEM itself, never a path: a path would make the core read any file
 * a client names (telling whether it exists, or reading /dev/zero until memory runs out). The CLI's
 * `--ca FILE` reads the file on the CLI's side.
 */
import { X509Certificate } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** A CA bundle of a few certificates is a few KiB; this leaves room and bounds what is read. */
export const MAX_CA_PEM_BYTES = 256 * 1024;
export const MAX_CA_CERTIFICATES = 50;

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export type CaPemResult = { ok: true; pem: string } | { ok: false; reason: string };

/**
 * PEM text → the same certificates, re-encoded by Node (nothing else of the text is kept). Refused:
 * too large, no certificate, a block that is not a certificate (a private key pasted by mistake must
 * not land in the archive), a certificate that does not parse.
 */
export function parseCaPem(text: string): CaPemResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_CA_PEM_BYTES)
    return { ok: false, reason: `the CA certificates are larger than ${MAX_CA_PEM_BYTES / 1024} KiB` };
  const certificates: string[] = [];
  for (const [, label, body] of text.matchAll(BLOCK)) {
    if (label !== 'CERTIFICATE')
      return { ok: false, reason: `the CA text holds a ${label} block; only certificates are accepted` };
    if (certificates.length >= MAX_CA_CERTIFICATES)
      return { ok: false, reason: `more than ${MAX_CA_CERTIFICATES} CA certificates` };
    const der = Buffer.from((body ?? '').replace(/\s+/g, ''), 'base64');
    try {
      certificates.push(new X509Certificate(der).toString().trim());
    } catch {
      return { ok: false, reason: `CA certificate ${certificates.length + 1} is not a valid certificate` };
    }
  }
  if (certificates.length === 0) return { ok: false, reason: 'no PEM certificate in the CA text' };
  return { ok: true, pem: `${certificates.join('\n')}\n` };
}

/**
 * Reads a CA file for the CLI (`--ca FILE`) and for archives made before the PEM was kept in the db:
 * a regular file, at most MAX_CA_PEM_BYTES (a FIFO or /dev/zero is refused before any read).
 */
export function readCaFile(path: string): CaPemResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, reason: `cannot open the CA file: ${(error as NodeJS.ErrnoException).code}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'the CA file is not a regular file' };
    if (st.size > MAX_CA_PEM_BYTES)
      return { ok: false, reason: `the CA file is larger than ${MAX_CA_PEM_BYTES / 1024} KiB` };
    const buffer = Buffer.alloc(MAX_CA_PEM_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n)
      n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_CA_PEM_BYTES)
      return { ok: false, reason: `the CA file is larger than ${MAX_CA_PEM_BYTES / 1024} KiB` };
    return parseCaPem(buffer.subarray(0, length).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}
