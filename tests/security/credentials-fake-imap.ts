/**
 * A server that speaks just enough IMAP over TLS on 127.0.0.1 to receive a login: greeting,
 * CAPABILITY, ID, LOGIN or AUTHENTICATE PLAIN (recorded), then NO and BYE. It stands for the
 * attacker's server named by a prepared archive, or for the provider's.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import forge from 'node-forge';

export interface RecordedLogin {
  user: string;
  password: string;
}

function selfSigned(): { cert: string; key: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(key);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  cert.serialNumber = '0a';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: 'commonName', value: '127.0.0.1' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key };
}

/** IMAP astring: atom or quoted string (the tests' passwords need no literal). */
function astrings(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of text.matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

export class FakeImapServer {
  readonly logins: RecordedLogin[] = [];
  connections = 0;
  private readonly sockets = new Set<TLSSocket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    /** The server's self-signed certificate: the CA an account names to trust it. */
    readonly caPem: string,
  ) {}

  static async start(): Promise<FakeImapServer> {
    const { cert, key } = selfSigned();
    const server = createServer({ cert, key }, (socket) => fake.session(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeImapServer(server, (server.address() as AddressInfo).port, cert);
    return fake;
  }

  private session(socket: TLSSocket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // A client that gives up mid-handshake is not a failure of the test.
    socket.on('error', () => {});
    const send = (line: string) => {
      if (!socket.destroyed) socket.write(`${line}\r\n`);
    };
    const refuse = (tag: string, login: RecordedLogin) => {
      this.logins.push(login);
      send(`${tag} NO [AUTHENTICATIONFAILED] Authentication failed.`);
      send('* BYE');
      socket.end();
    };
    let pendingPlain: string | null = null;
    let buffer = '';
    send('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake ready');
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (pendingPlain !== null) {
          const tag = pendingPlain;
          pendingPlain = null;
          const [, user = '', password = ''] = Buffer.from(line, 'base64').toString('utf8').split('\0');
          refuse(tag, { user, password });
          continue;
        }
        const [tag = '*', command = '', ...rest] = line.split(' ');
        const args = rest.join(' ');
        switch (command.toUpperCase()) {
          case 'CAPABILITY':
            send('* CAPABILITY IMAP4rev1 AUTH=PLAIN');
            send(`${tag} OK done`);
            break;
          case 'ID':
            send('* ID NIL');
            send(`${tag} OK done`);
            break;
          case 'LOGIN': {
            const [user = '', password = ''] = astrings(args);
            refuse(tag, { user, password });
            break;
          }
          case 'AUTHENTICATE': {
            const [, initial] = args.split(' ');
            if (initial && initial !== '=') {
              const [, user = '', password = ''] = Buffer.from(initial, 'base64')
                .toString('utf8')
                .split('\0');
              refuse(tag, { user, password });
            } else {
              pendingPlain = tag;
              send('+ ');
            }
            break;
          }
          case 'LOGOUT':
            send('* BYE');
            send(`${tag} OK done`);
            socket.end();
            break;
          default:
            send(`${tag} BAD not here`);
        }
      }
    });
  }

  /** The passwords received, from login number `since` on (each test looks at its own). */
  passwordsSeen(since = 0): string[] {
    return this.logins.slice(since).map((l) => l.password);
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
