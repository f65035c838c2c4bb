/**
 * An office for the office-server tests (issue 16): an archive with two PEC mailboxes on the
 * provider simulator (A and B, each with PEC sent from it), people with their own logins, and
 * `pecdesk server` run as a real process on 127.0.0.1 with its self-signed certificate.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import type { SimMailbox } from '../../main/sim/simulator.ts';
import { tempDir } from '../support/archive.ts';
import { runPecdesk } from '../support/cli.ts';
import { freePort } from '../support/dovecot.ts';
import { sendingCore, simAccount, until } from '../support/send.ts';
import type { TestSim } from '../support/sim.ts';

const BIN = new URL('../../bin/pecdesk.mjs', import.meta.url).pathname;

export const PASSWORD = 'una-password-lunga-2026';
export const A = 'mario.rossi@pec.alfa.test';
export const B = 'studio.bianchi@pec.alfa.test';
export const TO = 'protocollo@pec.beta.test';

export interface Office {
  archive: string;
  env: NodeJS.ProcessEnv;
  /** Thread ids of PEC sent from A (two) and from B (one). */
  threadsA: number[];
  threadB: number;
  box(address: string): SimMailbox;
}

/**
 * The office: A and B on the simulator, the owner "titolare", "lettore" reading A only,
 * "operatore" reading, routing and sending on A and B, and `operators` more with route on A.
 */
export async function makeOffice(sim: TestSim, operators: string[] = []): Promise<Office> {
  const dir = tempDir('pecdesk-office-');
  const box = (address: string) => sim.info.mailboxes.find((m) => m.address === address)!;
  const s = await sendingCore(sim, { dir });
  try {
    await s.call('accounts.add', simAccount(sim, box(A)));
    await s.call('accounts.add', simAccount(sim, box(B)));
    await s.call('auth.setup', { name: 'titolare', password: PASSWORD });
    await s.call('users.add', { name: 'lettore', role: 'reader', password: PASSWORD });
    await s.call('users.add', { name: 'operatore', role: 'operator', password: PASSWORD });
    await s.call('grants.put', { user: 'lettore', mailbox: A, rights: 'read' });
    for (const mailbox of [A, B])
      await s.call('grants.put', { user: 'operatore', mailbox, rights: 'read,route,send' });
    for (const name of operators) {
      await s.call('users.add', { name, role: 'operator', password: PASSWORD });
      await s.call('grants.put', { user: name, mailbox: A, rights: 'read,route' });
    }
    const send = (from: string, subject: string) =>
      s.call('outbox.send', {
        from,
        to: [TO],
        cc: [],
        subject,
        text: 'In allegato quanto richiesto.',
        receiptType: 'completa',
        attachments: [],
      });
    const sent = [
      await send(A, 'Pratica Alfa 1'),
      await send(A, 'Pratica Alfa 2'),
      await send(B, 'Riservato Beta'),
    ];
    await until(
      'the provider to take the three PEC',
      async () => (await s.call('outbox.list', { offset: 0, limit: 10 })).rows.map((r) => r.state),
      (states) => states.length === 3 && states.every((st) => st !== 'queued' && st !== 'sending'),
      60_000,
    );
    const threads = [];
    for (const x of sent) threads.push((await s.call('threads.get', { msgid: x.messageId })).id);
    return {
      archive: join(dir, 'archive'),
      env: s.env,
      threadsA: [threads[0]!, threads[1]!],
      threadB: threads[2]!,
      box,
    };
  } finally {
    await s.close();
  }
}

export interface RunningServer {
  url: string;
  port: number;
  fingerprint: string;
  process: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM (or the signal given); resolves with the exit code and signal. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `pecdesk server` and waits for its "listen" line. */
export async function startServer(
  office: { archive: string; env: NodeJS.ProcessEnv },
  options: { port?: number; args?: string[] } = {},
): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [BIN, 'server', '--archive', office.archive, '--listen', `127.0.0.1:${port}`, ...(options.args ?? [])],
    { env: office.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const started = Date.now();
  while (!/listen/.test(out)) {
    if (gone) throw new Error(`pecdesk server exited before listening:\n${out}`);
    if (Date.now() - started > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`pecdesk server did not listen:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const fingerprint = /SHA256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})/.exec(out)?.[1];
  if (!fingerprint) throw new Error(`no fingerprint printed:\n${out}`);
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    fingerprint,
    process: child,
    output: () => out,
    stop: (signal = 'SIGTERM') => {
      if (!gone) child.kill(signal);
      return exited;
    },
  };
}

/** `pecdesk --server URL --fingerprint FP --user U <args>` as a person runs it. */
export function remoteCli(server: { url: string; fingerprint: string }, env: NodeJS.ProcessEnv) {
  return (user: string, args: string[], extra: Record<string, string> = {}) =>
    runPecdesk(['--server', server.url, '--fingerprint', server.fingerprint, '--user', user, ...args], {
      ...env,
      PECDESK_USER_PASSWORD: PASSWORD,
      ...extra,
    });
}

/** GET path without a login (the certificate is the test's own: not verified here). */
export function getJson(url: string, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { rejectUnauthorized: false }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch (error) {
          reject(new Error(`${path}: ${text}: ${(error as Error).message}`));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
