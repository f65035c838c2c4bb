/**
 * `npm run sim` as a process: one line of JSON on stdout when ready (the contract scripts parse),
 * a working SMTP and IMAP, SIGTERM stopping it and its Dovecot, the same world (PEC root,
 * passwords, ports, mail) when started again on the same folder, and one simulator per folder.
 * The process is `node --import tsx main/sim/cli.ts`, what the npm script execs after checking the
 * dependencies (checked below), started directly so that a test never runs `npm ci`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimInfo } from '../../main/sim/simulator.ts';
import { tempDir } from '../support/archive.ts';
import { dovecotAvailable, messagesIn } from '../support/sim.ts';

const root = join(import.meta.dirname, '..', '..');
const children: ChildProcess[] = [];

interface Cli {
  child: ChildProcess;
  info: Promise<SimInfo>;
  exit: Promise<number | null>;
  stderr: () => string;
}

function startCli(args: string[]): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/sim/cli.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const info = new Promise<SimInfo>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as SimInfo);
    });
    void exit.then((code) => reject(new Error(`sim exited (${code}) before it was ready: ${stderr}`)));
  });
  info.catch(() => {}); // awaited by the tests that expect it
  return { child, info, exit, stderr: () => stderr };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function inbox(info: SimInfo, box: { address: string; password: string }): Promise<number> {
  return messagesIn({ info, ca: readFileSync(info.ca, 'utf8') }, box);
}

// A test that failed half-way leaves its simulator running: SIGTERM lets it stop its Dovecot too.
afterAll(async () => {
  await Promise.all(
    children
      .filter((c) => c.exitCode === null && c.signalCode === null)
      .map(
        (c) =>
          new Promise<void>((resolve) => {
            const force = setTimeout(() => c.kill('SIGKILL'), 15_000);
            c.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
  );
}, 20_000);

describe('npm run sim', () => {
  it('is node --import tsx main/sim/cli.ts, exec-ed after the dependency check', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(pkg.scripts.sim).toBe('node scripts/ensure-deps.mjs && exec node --import tsx main/sim/cli.ts');
    expect(pkg.dependencies['smtp-server']).toBeDefined();
  });

  it('refuses unknown options and bad numbers (exit 2)', async () => {
    expect(await startCli(['--frobnicate']).exit).toBe(2);
    expect(await startCli(['--domains', 'due']).exit).toBe(2);
  });
});

describe.runIf(dovecotAvailable)('npm run sim: the process', () => {
  it('prints its JSON line, serves SMTP and IMAP, stops with its Dovecot on SIGTERM, starts again with the same world', async () => {
    const dir = tempDir('pecdesk-sim-cli-');
    chmodSync(dir, 0o755);
    const first = startCli(['--dir', dir, '--domains', '3', '--quiet']);
    const info = await first.info;

    // The contract (README): these names, these shapes.
    expect(info.imap).toMatchObject({ host: '127.0.0.1', security: 'tls' });
    expect(info.smtp).toMatchObject({ host: '127.0.0.1', security: 'tls' });
    for (const port of [info.imap.port, info.imap.starttlsPort, info.smtp.port, info.smtp.starttlsPort])
      expect(port).toBeGreaterThan(0);
    expect(readFileSync(info.ca, 'utf8')).toContain('BEGIN CERTIFICATE');
    const anchor = readFileSync(info.trustAnchor, 'utf8');
    expect(anchor).toContain('BEGIN CERTIFICATE');
    const domains = [...new Set(info.mailboxes.map((m) => m.address.split('@')[1]))];
    expect(domains).toEqual(['pec.alfa.test', 'pec.beta.test', 'pec.gamma.test', 'pec.lenta.test']);
    for (const d of domains)
      expect(info.mailboxes.filter((m) => m.address.endsWith(`@${d}`))).toHaveLength(3);
    expect(info.mailboxes.every((m) => m.password.length >= 8)).toBe(true);
    expect(info.unknownRecipient).toMatch(/@pec\.beta\.test$/);
    expect(info.mailboxes.map((m) => m.address)).not.toContain(info.unknownRecipient);
    expect(info.pid).toBe(first.child.pid);

    // It works: a PEC from alfa to gamma, its acceptance and delivery receipt in the sender's INBOX.
    const [from, to] = [info.mailboxes[0]!, info.mailboxes.find((m) => m.domain === 'pec.gamma.test')!];
    const smtp = nodemailer.createTransport({
      host: info.smtp.host,
      port: info.smtp.port,
      secure: true,
      auth: { user: from.address, pass: from.password },
      tls: { ca: [readFileSync(info.ca, 'utf8')], servername: 'localhost' },
    });
    await smtp.sendMail({ from: from.address, to: to.address, subject: 'Prova', text: 'x' });
    for (let i = 0; i < 100 && (await inbox(info, from)) < 2; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await inbox(info, from)).toBe(2);
    expect(await inbox(info, to)).toBe(1);

    // One simulator per folder.
    const second = startCli(['--dir', dir, '--domains', '3']);
    await expect(second.info).rejects.toThrow(/another simulator/);

    const dovecotPid = Number(readFileSync(join(info.dir, 'dovecot', 'run', 'master.pid'), 'utf8'));
    expect(alive(dovecotPid)).toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(alive(dovecotPid)).toBe(false);
    expect(existsSync(join(info.dir, 'dovecot', 'run', 'master.pid'))).toBe(false);
    for (const port of [info.imap.port, info.imap.starttlsPort, info.smtp.port, info.smtp.starttlsPort])
      expect(await portOpen(port)).toBe(false);

    // Again on the same folder: the same PEC root, mailboxes, passwords, ports, and the mail.
    const again = startCli(['--dir', dir, '--domains', '3', '--quiet']);
    const info2 = await again.info;
    expect(readFileSync(info2.trustAnchor, 'utf8')).toBe(anchor);
    expect(info2.mailboxes).toEqual(info.mailboxes);
    expect([info2.imap, info2.smtp]).toEqual([info.imap, info.smtp]);
    expect(await inbox(info2, from)).toBe(2);
    // Ctrl-C arrives twice (the terminal and npm): it still stops cleanly, its Dovecot with it.
    again.child.kill('SIGINT');
    again.child.kill('SIGINT');
    expect(await again.exit).toBe(0);
    expect(existsSync(join(info.dir, 'dovecot', 'run', 'master.pid'))).toBe(false);
    // --quiet: nothing went wrong, so nothing was said.
    expect(first.stderr()).toBe('');
    expect(again.stderr()).toBe('');

    // Other domains on the same folder are refused, not silently mixed.
    await expect(startCli(['--dir', dir, '--domains', '2']).info).rejects.toThrow(/--domains/);
  }, 45_000);
});
