/**
 * The office server's certificate: the one the IT person gives (--tls-cert/--tls-key), else a
 * self-signed one made on first start and kept in DIR/server-tls (key owner-only), so its
 * fingerprint, once confirmed by every client, stays the same across restarts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { fingerprintOfPem } from '../client/fingerprint.ts';

export interface ServerTls {
  cert: string;
  key: string;
  fingerprint: string;
  /** Where it came from, for the log: "given" or the folder of the self-signed one. */
  source: 'given' | 'made' | 'kept';
  certFile: string;
}

export function tlsFolder(archiveDir: string): string {
  return join(archiveDir, 'server-tls');
}

/** Reads the given pair, or the kept self-signed one, or makes it (first start). */
export function loadServerTls(archiveDir: string, given?: { cert: string; key: string }): ServerTls {
  if (given) {
    const cert = readFileSync(given.cert, 'utf8');
    const key = readFileSync(given.key, 'utf8');
    return { cert, key, fingerprint: fingerprintOfPem(cert), source: 'given', certFile: given.cert };
  }
  const dir = tlsFolder(archiveDir);
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    return {
      cert,
      key: readFileSync(keyFile, 'utf8'),
      fingerprint: fingerprintOfPem(cert),
      source: 'kept',
      certFile,
    };
  }
  const made = selfSigned();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The key is written owner-only from its first byte, then renamed into place: a crash never
  // leaves half a key that a later start would take for a whole one.
  const tmpKey = `${keyFile}.${process.pid}.tmp`;
  writeFileSync(tmpKey, made.key, { mode: 0o600, flag: 'wx' });
  chmodSync(tmpKey, 0o600);
  renameSync(tmpKey, keyFile);
  const tmpCert = `${certFile}.${process.pid}.tmp`;
  writeFileSync(tmpCert, made.cert, { mode: 0o644, flag: 'wx' });
  renameSync(tmpCert, certFile);
  return { ...made, fingerprint: fingerprintOfPem(made.cert), source: 'made', certFile };
}

/**
 * A self-signed certificate for this machine: RSA 2048 (every client's TLS stack takes it), ten
 * years (clients pin it, so its dates are not what protects them), names: this host, localhost,
 * 127.0.0.1 and ::1 (a client with --ca checks the name; with a fingerprint it does not need to).
 */
function selfSigned(): { cert: string; key: string } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  // A positive random serial (the top bit clear).
  cert.serialNumber = `0${randomBytes(15).toString('hex')}`;
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 60 * 60 * 1000);
  const host = hostname() || 'pecdesk';
  const attrs = [
    { name: 'commonName', value: host },
    { name: 'organizationName', value: 'PecDesk server' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: host },
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}
