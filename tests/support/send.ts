/**
 * Sending against the PEC provider simulator: PecDesk's own core (main/core.ts, as the app and the
 * browser bridge run it) on a new archive whose account is a simulated mailbox with its SMTP
 * server, and a way to count what reached a mailbox on the simulator's Dovecot.
 */
import { join } from 'node:path';
import type { ApiArgs, ApiMethod, ApiResults } from '../../main/api/contract.ts';
import type { Caller } from '../../main/api/registry.ts';
import { type Core, openCore } from '../../main/core.ts';
import type { SimMailbox } from '../../main/sim/simulator.ts';
import { tempDir } from './archive.ts';
import { mailboxClient, type TestSim } from './sim.ts';

export const CLI: Caller = { transport: 'cli' };

export interface SendingCore {
  core: Core;
  dir: string;
  env: NodeJS.ProcessEnv;
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResults[M]>;
  close(): Promise<void>;
}

/** The env a PecDesk process needs for an archive on the simulator (its PEC root, secrets in a file). */
export function simEnv(sim: TestSim, dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: join(dir, 'config'),
    PECDESK_SECRETS: 'file',
    PECDESK_SECRET_KEY: 'send-tests',
    PECDESK_PEC_TRUST_ANCHORS: sim.info.trustAnchor,
    ...extra,
  };
}

/** The account arguments for a simulated mailbox, IMAP and SMTP over implicit TLS. */
export function simAccount(sim: TestSim, box: SimMailbox, security: 'tls' | 'starttls' = 'tls') {
  return {
    email: box.address,
    password: box.password,
    imapHost: sim.info.imap.host,
    imapPort: sim.info.imap.port,
    security: 'tls' as const,
    caPem: sim.ca,
    smtpHost: sim.info.smtp.host,
    smtpPort: security === 'tls' ? sim.info.smtp.port : sim.info.smtp.starttlsPort,
    smtpSecurity: security,
  };
}

export async function sendingCore(
  sim: TestSim,
  options: { env?: NodeJS.ProcessEnv; dir?: string; watch?: boolean } = {},
): Promise<SendingCore> {
  const dir = options.dir ?? tempDir('pecdesk-send-');
  const env = simEnv(sim, dir, options.env);
  const core = await openCore({ archiveDir: join(dir, 'archive'), env, watch: options.watch ?? false });
  const call = async <M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResults[M]> => {
    const r = await core.registry.call(method, args, CLI);
    if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
    return r.value as ApiResults[M];
  };
  return { core, dir, env, call, close: () => core.close() };
}

/** Waits until `check` holds (polling), or fails with what it last saw. */
export async function until<T>(
  what: string,
  get: () => T | Promise<T>,
  check: (v: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const started = Date.now();
  let last: T = await get();
  while (!check(last)) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await get();
  }
  return last;
}

/** The Message-IDs (X-Riferimento-Message-ID) of the envelopes in a mailbox's INBOX, with repeats. */
export async function envelopeRefs(
  sim: TestSim,
  box: { address: string; password: string },
): Promise<string[]> {
  const client = await mailboxClient(sim, box);
  const refs: string[] = [];
  try {
    const lock = await client.getMailboxLock('INBOX', { readOnly: true });
    try {
      for await (const m of client.fetch(
        '1:*',
        { headers: ['x-riferimento-message-id', 'x-trasporto'] },
        { uid: true },
      )) {
        const text = m.headers?.toString('utf8') ?? '';
        if (!/x-trasporto:\s*posta-certificata/i.test(text)) continue;
        const ref = /x-riferimento-message-id:\s*(\S+)/i.exec(text)?.[1];
        if (ref) refs.push(ref);
      }
    } catch (e) {
      // An empty mailbox has no "1:*".
      if (!/Invalid messageset|No matching messages/i.test((e as Error).message)) throw e;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
  return refs;
}
