/**
 * First contact with an office server: the certificate it presents (fingerprint, subject, expiry),
 * read from the TLS handshake alone. Nothing is written to the connection, so nothing of the
 * person's (no name, no password) reaches a server before its fingerprint is confirmed.
 */
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { fingerprintOfDer } from '../client/fingerprint.ts';
import { parseServerUrl, RemoteError } from '../client/remote.ts';

export interface CertificateSeen {
  url: string;
  fingerprint: string;
  subject: string | null;
  validTo: string | null;
}

export function probeCertificate(url: string, timeoutMs = 10_000): Promise<CertificateSeen> {
  const target = parseServerUrl(url);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: target.host,
      port: target.port,
      ...(isIP(target.host) ? {} : { servername: target.host }),
      // A self-signed certificate is what is being looked at: checked by the person, then pinned.
      rejectUnauthorized: false,
    });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new RemoteError('unreachable', `${target.origin} did not answer within ${timeoutMs} ms`));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new RemoteError('unreachable', `${target.origin} cannot be reached (${error.code ?? error.message})`),
      );
    });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      if (!cert?.raw) return reject(new RemoteError('protocol', `${target.origin} presented no certificate`));
      const validTo = cert.valid_to ? new Date(cert.valid_to) : null;
      const cn = cert.subject?.CN;
      resolve({
        url: target.origin,
        fingerprint: fingerprintOfDer(cert.raw),
        subject: (Array.isArray(cn) ? cn[0] : cn) ?? null,
        validTo: validTo && !Number.isNaN(validTo.getTime()) ? validTo.toISOString() : null,
      });
    });
  });
}
