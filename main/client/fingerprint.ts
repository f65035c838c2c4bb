/**
 * Certificate fingerprints as people compare them: SHA-256 of the DER certificate, written as
 * colon-separated uppercase hex ("AB:CD:…"), the way browsers and `openssl x509 -fingerprint` show it.
 */
import { createHash, X509Certificate } from 'node:crypto';

/** The SHA-256 fingerprint of a DER certificate, colon-separated uppercase hex. */
export function fingerprintOfDer(der: Buffer): string {
  return formatFingerprint(createHash('sha256').update(der).digest('hex'));
}

/** The SHA-256 fingerprint of a PEM certificate (its first certificate). */
export function fingerprintOfPem(pem: string | Buffer): string {
  return fingerprintOfDer(new X509Certificate(pem).raw);
}

/**
 * Any way a person may paste a fingerprint (colons or not, spaces, lower case, a "SHA256" or
 * "sha256=" prefix) to the one canonical form; null when it is not 32 bytes of hex.
 */
export function normalizeFingerprint(text: string): string | null {
  const hex = text
    .trim()
    .replace(/^sha-?256\s*(fingerprint)?\s*[=:]?\s*/i, '')
    .replace(/[\s:-]/g, '')
    .toUpperCase();
  return /^[0-9A-F]{64}$/.test(hex) ? formatFingerprint(hex) : null;
}

function formatFingerprint(hex: string): string {
  return hex.toUpperCase().match(/.{2}/g)!.join(':');
}
