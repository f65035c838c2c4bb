/**
 * A local RFC 3161 timestamp authority for tests: OpenSSL's own `openssl ts -reply` behind a tiny
 * HTTP handler on 127.0.0.1 (POST application/timestamp-query → application/timestamp-reply,
 * RFC 3161 §3.4), with a test CA and a TSA certificate made as ../shared/conservation/README.md
 * §3.1 shows. Also an owner certificate and its .p12, for signing packages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CONFIG = `oid_section = new_oids
[ new_oids ]
tsa_policy1 = 1.2.3.4.1
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = Test TSA
[ v3_ca ]
basicConstraints = critical,CA:true
keyUsage = critical,cRLSign,keyCertSign
subjectKeyIdentifier = hash
[ tsa_cert ]
basicConstraints = CA:FALSE
keyUsage = critical,nonRepudiation,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
[ signer_cert ]
basicConstraints = CA:FALSE
keyUsage = critical,nonRepudiation,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = @DIR@
serial = $dir/tsaserial
signer_cert = $dir/tsa.crt
certs = $dir/ca.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = tsa_policy1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

function openssl(dir: string, args: string[], input?: Buffer): Buffer {
  return execFileSync('openssl', args, { cwd: dir, input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface TestPki {
  dir: string;
  caCert: string;
  /** The owner's .p12 (RSA key and certificate under the test CA) and its password. */
  p12: Buffer;
  p12Password: string;
}

/** A test CA, a TSA certificate and an owner certificate in a .p12 (OpenSSL 3 defaults: AES, SHA-256). */
export function makeTestPki(options: { legacyP12?: boolean } = {}): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'pecdesk-tsa-'));
  writeFileSync(join(dir, 'tsa.cnf'), CONFIG.replace('@DIR@', dir));
  const cnf = join(dir, 'tsa.cnf');
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '3650',
    '-subj',
    '/CN=Test Root CA',
    '-config',
    cnf,
    '-extensions',
    'v3_ca',
  ]);
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'tsa.key',
    '-out',
    'tsa.csr',
    '-subj',
    '/CN=Test TSA',
    '-config',
    cnf,
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'tsa.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'tsa.crt',
    '-days',
    '825',
    '-extfile',
    cnf,
    '-extensions',
    'tsa_cert',
  ]);
  writeFileSync(join(dir, 'tsaserial'), '01\n');
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'owner.key',
    '-out',
    'owner.csr',
    '-subj',
    '/CN=Giulia Bianchi/O=Studio Bianchi Commercialisti',
    '-config',
    cnf,
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'owner.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'owner.crt',
    '-days',
    '825',
    '-extfile',
    cnf,
    '-extensions',
    'signer_cert',
  ]);
  const password = 'pàssword-123';
  openssl(dir, [
    'pkcs12',
    '-export',
    ...(options.legacyP12 ? ['-legacy'] : []),
    '-inkey',
    'owner.key',
    '-in',
    'owner.crt',
    '-certfile',
    'ca.crt',
    '-out',
    'owner.p12',
    '-passout',
    `pass:${password}`,
  ]);
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    p12: readFileSync(join(dir, 'owner.p12')),
    p12Password: password,
  };
}

export interface LocalTsa {
  url: string;
  requests: number;
  close(): Promise<void>;
}

/** Starts the TSA on 127.0.0.1 (a free port); every request is answered by `openssl ts -reply`. */
export async function startTsa(pki: TestPki): Promise<LocalTsa> {
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
        res.writeHead(400).end();
        return;
      }
      state.requests++;
      const query = join(pki.dir, `q${state.requests}.tsq`);
      writeFileSync(query, Buffer.concat(chunks));
      try {
        const reply = openssl(pki.dir, [
          'ts',
          '-reply',
          '-config',
          join(pki.dir, 'tsa.cnf'),
          '-queryfile',
          query,
        ]);
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(reply);
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    get requests() {
      return state.requests;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
