/**
 * A real IMAP server: Debian's Dovecot, started in the foreground on 127.0.0.1 with a config
 * generated into its own folder (ENVIRONMENT.md), with QUOTA, CONDSTORE/QRESYNC and IDLE, implicit
 * TLS and STARTTLS ports, users added on demand. The tests start one in a temporary folder; the PEC
 * provider simulator (main/sim/) keeps its own in a folder that survives restarts, with the same
 * certificate and mail. Stop and start keep the mail, so a test can kill the server mid-sync and
 * bring it back.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import forge from 'node-forge';

export interface DovecotUser {
  user: string;
  password: string;
}

export interface DovecotStartOptions {
  /**
   * The server's folder (config, certificate, mail). Made when missing; an existing one keeps its
   * certificate and mail. Without it, a new temporary folder.
   */
  dir?: string;
  /** Ports to listen on when they are free (a restarted simulator keeps its ports); else free ones. */
  tlsPort?: number;
  starttlsPort?: number;
}

export interface AddUserOptions {
  /** The mailbox's own quota in bytes (Dovecot's default here is 1 GB). */
  quotaBytes?: number;
}

export const dovecotAvailable = existsSync('/usr/sbin/dovecot');

/** A free port on 127.0.0.1, or `wanted` when it is free. */
export async function freePort(wanted?: number): Promise<number> {
  if (wanted && (await portFree(wanted))) return wanted;
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function selfSignedCert(): { cert: string; key: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: 'localhost' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
      ],
    },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}

function dovecotIds(): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', 'dovecot']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'dovecot']).toString().trim()),
  };
}

export class DovecotServer {
  private child: ChildProcess | null = null;
  readonly users: DovecotUser[] = [];

  private constructor(
    readonly dir: string,
    readonly tlsPort: number,
    readonly starttlsPort: number,
    readonly caPem: string,
  ) {}

  /** PEM of the server's self-signed certificate, for the client's `--ca`. */
  get caFile(): string {
    return join(this.dir, 'cert.pem');
  }

  /** The master process's pid while it runs (its pid file), for checks that it is gone. */
  get pidFile(): string {
    return join(this.dir, 'run', 'master.pid');
  }

  static async start(options: DovecotStartOptions = {}): Promise<DovecotServer> {
    if (!dovecotAvailable) throw new Error('Dovecot is not installed: apt-get install -y dovecot-imapd');
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'pecdesk-dovecot-'));
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    if (!existsSync(join(dir, 'cert.pem')) || !existsSync(join(dir, 'key.pem'))) {
      const { cert, key } = selfSignedCert();
      writeFileSync(join(dir, 'key.pem'), key, { mode: 0o600 });
      writeFileSync(join(dir, 'cert.pem'), cert);
    }
    const ids = dovecotIds();
    for (const sub of ['mail', 'run', 'state', 'passwd']) {
      mkdirSync(join(dir, sub), { recursive: true });
      if (sub === 'mail') chownSync(join(dir, sub), ids.uid, ids.gid);
    }
    const tlsPort = await freePort(options.tlsPort);
    let starttlsPort = await freePort(options.starttlsPort);
    while (starttlsPort === tlsPort) starttlsPort = await freePort();
    const server = new DovecotServer(dir, tlsPort, starttlsPort, readFileSync(join(dir, 'cert.pem'), 'utf8'));
    const template = readFileSync(fileURLToPath(new URL('./dovecot.conf.template', import.meta.url)), 'utf8');
    writeFileSync(
      join(dir, 'dovecot.conf'),
      template
        .replaceAll('@DIR@', dir)
        .replaceAll('@TLS_PORT@', String(server.tlsPort))
        .replaceAll('@STARTTLS_PORT@', String(server.starttlsPort))
        .replaceAll('@INSTANCE@', `pecdesk-${server.tlsPort}`),
    );
    server.stopLeftover();
    await server.resume();
    return server;
  }

  /**
   * A master left running by an earlier process on this folder (killed before it could stop its
   * Dovecot) holds the folder's pid file: stop it, or the new master refuses to start.
   */
  private stopLeftover(): void {
    let pid: number;
    try {
      pid = Number(readFileSync(this.pidFile, 'utf8').trim());
    } catch {
      return;
    }
    if (!Number.isInteger(pid) || pid <= 0) return;
    try {
      process.kill(pid, 0);
    } catch {
      return; // not running
    }
    try {
      // doveadm reads the same base_dir: it stops only this folder's master.
      execFileSync('/usr/bin/doveadm', ['-c', join(this.dir, 'dovecot.conf'), 'stop'], { stdio: 'ignore' });
    } catch (e) {
      throw new Error(
        `a Dovecot (pid ${pid}) still runs on ${this.dir} and did not stop: ${(e as Error).message}`,
      );
    }
  }

  addUser(user: string, password = `pw-${user.split('@')[0]}`, options: AddUserOptions = {}): DovecotUser {
    // passwd-file: user:password:uid:gid:gecos:home:shell:extra fields (userdb_* apply at login).
    const extra = options.quotaBytes ? `userdb_quota_rule=*:storage=${options.quotaBytes}B` : '';
    writeFileSync(join(this.dir, 'passwd', user), `${user}:{PLAIN}${password}::::::${extra}\n`, {
      mode: 0o644,
    });
    const u = { user, password };
    const known = this.users.findIndex((x) => x.user === user);
    if (known >= 0) this.users[known] = u;
    else this.users.push(u);
    return u;
  }

  /** Starts (again) on the same ports and mail folders. */
  async resume(): Promise<void> {
    const conf = join(this.dir, 'dovecot.conf');
    this.child = spawn('/usr/sbin/dovecot', ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    this.child.stderr?.on('data', (d) => (stderr += d));
    const started = Date.now();
    while (!(await portOpen(this.tlsPort)) || !(await portOpen(this.starttlsPort))) {
      if (this.child.exitCode !== null) throw new Error(`dovecot exited: ${stderr}`);
      if (Date.now() - started > 15_000) throw new Error(`dovecot did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Kills the server at once, as a crash would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    // The master's children (imap, imap-login) die with it once their master is gone; wait for the port.
    const started = Date.now();
    while ((await portOpen(this.tlsPort)) && Date.now() - started < 5000)
      await new Promise((r) => setTimeout(r, 50));
    try {
      execFileSync('pkill', ['-9', '-f', `pecdesk-${this.tlsPort}`]);
    } catch {
      // nothing left to kill
    }
  }

  async stop(): Promise<void> {
    try {
      execFileSync('/usr/bin/doveadm', ['-c', join(this.dir, 'dovecot.conf'), 'stop'], { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    await this.kill();
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** An IMAP client as the given user, for filling mailboxes. */
  async client(user: DovecotUser): Promise<ImapFlow> {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: this.tlsPort,
      secure: true,
      auth: { user: user.user, pass: user.password },
      tls: { ca: [this.caPem], servername: 'localhost' },
      logger: false,
    });
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (e) {
      const err = e as { message: string; responseText?: string; serverResponseCode?: string };
      throw new Error(
        `test IMAP login as ${user.user} failed: ${err.message} ${err.serverResponseCode ?? ''} ${err.responseText ?? ''}`,
      );
    }
    return client;
  }

  /**
   * Bulk delivery for benchmarks: writes the messages straight into the user's Maildir INBOX, as
   * an LDA would; Dovecot assigns UIDs when the folder is next opened. Far faster than APPEND.
   */
  deliverToMaildir(user: DovecotUser, messages: Buffer[]): void {
    const ids = dovecotIds();
    const root = join(this.dir, 'mail', user.user);
    for (const sub of ['', 'cur', 'new', 'tmp']) {
      mkdirSync(join(root, sub), { recursive: true });
      chownSync(join(root, sub), ids.uid, ids.gid);
    }
    const stamp = Math.floor(Date.now() / 1000);
    messages.forEach((raw, i) => {
      const file = join(root, 'cur', `${stamp}.M${i}P${process.pid}.pecdesk,S=${raw.length}:2,`);
      writeFileSync(file, raw);
      chownSync(file, ids.uid, ids.gid);
    });
  }

  /** APPENDs messages to a folder (created when missing), in order. */
  async append(user: DovecotUser, folder: string, messages: Buffer[], flags: string[] = []): Promise<void> {
    const client = await this.client(user);
    try {
      if (folder !== 'INBOX') await client.mailboxCreate(folder).catch(() => {});
      for (const raw of messages) {
        await client
          .append(folder, raw, flags)
          .catch((e: { message: string; responseText?: string; serverResponseCode?: string }) => {
            throw new Error(
              `APPEND to ${user.user}/${folder} failed: ${e.message} ${e.serverResponseCode ?? ''} ${e.responseText ?? ''}`,
            );
          });
      }
    } finally {
      await client.logout();
    }
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(port, '127.0.0.1');
  });
}
