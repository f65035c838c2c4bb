/**
 * A PEC is sent exactly once whatever moment the process dies: `pecdesk send` is SIGKILLed at 20
 * random moments after its outbox write (the "Queued" line: message and row committed) and before
 * its SMTP exchange is over, then `pecdesk outbox resume` runs, as a restart would. Each PEC written
 * to the outbox reaches each recipient's mailbox exactly once (the envelopes are counted there),
 * and nothing else arrives. The seed is fixed so a failure reproduces (PECDESK_CRASH_SEED).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxView } from '../../main/api/send-contract.ts';
import type { SimMailbox } from '../../main/sim/simulator.ts';
import { tempDir } from '../support/archive.ts';
import { runPecdesk } from '../support/cli.ts';
import { seededRandom } from '../support/random.ts';
import { envelopeRefs, simEnv } from '../support/send.ts';
import { dovecotAvailable, startTestSim, type TestSim } from '../support/sim.ts';

const KILLS = 20;
const SEED = Number(process.env.PECDESK_CRASH_SEED ?? 12);
const BIN = new URL('../../bin/pecdesk.mjs', import.meta.url).pathname;

/** Runs `pecdesk`, and SIGKILLs it `killAfterMs` after it printed its "Queued" line (if it does). */
function sendKilled(args: string[], env: NodeJS.ProcessEnv, killAfterMs: number | null) {
  return new Promise<{
    code: number | null;
    signal: string | null;
    stderr: string;
    queuedAt: number | null;
    endedAt: number;
  }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let queuedAt: number | null = null;
    let timer: NodeJS.Timeout | null = null;
    child.stdout.resume();
    child.stderr.on('data', (d) => {
      stderr += d;
      if (queuedAt === null && /Queued as outbox/.test(stderr)) {
        queuedAt = Date.now();
        if (killAfterMs !== null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr, queuedAt, endedAt: Date.now() });
    });
  });
}

describe.runIf(dovecotAvailable)('sending survives SIGKILL', () => {
  let sim: TestSim;
  let from: SimMailbox;
  let recipients: SimMailbox[];
  let pecdesk: (args: string[], extra?: NodeJS.ProcessEnv) => ReturnType<typeof runPecdesk>;
  let env: NodeJS.ProcessEnv;
  let archive: string;
  beforeAll(async () => {
    sim = await startTestSim();
    const box = (address: string) => sim.info.mailboxes.find((m) => m.address === address)!;
    from = box('protocollo@pec.alfa.test');
    recipients = [box('protocollo@pec.beta.test'), box('studio.bianchi@pec.alfa.test')];
    const dir = tempDir('pecdesk-send-crash-');
    archive = join(dir, 'archive');
    env = simEnv(sim, dir, { PECDESK_SEND_VERIFY_MS: '1500' });
    pecdesk = (args, extra = {}) => runPecdesk(['--archive', archive, ...args], { ...env, ...extra });
    const caFile = join(dir, 'sim-ca.pem');
    (await import('node:fs')).writeFileSync(caFile, sim.ca);
    const add = await pecdesk(
      [
        'account',
        'add',
        '--email',
        from.address,
        '--imap-host',
        '127.0.0.1',
        '--imap-port',
        String(sim.info.imap.port),
        '--security',
        'tls',
        '--ca',
        caFile,
        '--smtp-host',
        '127.0.0.1',
        '--smtp-port',
        String(sim.info.smtp.port),
        '--smtp-security',
        'tls',
      ],
      { PECDESK_PASSWORD: from.password },
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`sends through 127.0.0.1:${sim.info.smtp.port}, tls`);
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

  const sendArgs = (i: number) => [
    '--archive',
    archive,
    'send',
    '--from',
    from.address,
    '--to',
    recipients.map((r) => r.address).join(','),
    '--subject',
    `Comunicazione n. ${i}`,
    '--body',
    `Testo della comunicazione n. ${i}.`,
    '--json',
  ];

  it(`${KILLS} SIGKILLs between the outbox write and the end of SMTP: each PEC reaches each recipient exactly once`, async () => {
    // How long the SMTP part takes here: the kills land inside it.
    const calibration = await sendKilled(sendArgs(0), env, null);
    expect(calibration.code, calibration.stderr).toBe(0);
    const window = Math.max(50, calibration.endedAt - calibration.queuedAt!);
    const random = seededRandom(SEED);
    let killed = 0;
    for (let i = 1; i <= KILLS; i++) {
      const run = await sendKilled(sendArgs(i), env, Math.floor(random() * window));
      expect(run.queuedAt, run.stderr).not.toBeNull();
      if (run.signal === 'SIGKILL') killed++;
      else expect(run.code, run.stderr).toBe(0);
      // The restart: whatever the killed process left is sent (or found sent) now.
      const resume = await pecdesk(['outbox', 'resume']);
      expect(resume.code, resume.stderr).toBe(0);
    }
    expect(killed).toBeGreaterThanOrEqual(KILLS / 2);
    await sim.whenIdle();
    const listed = await pecdesk(['outbox', '--json']);
    const rows = JSON.parse(listed.stdout) as OutboxView[];
    expect(rows).toHaveLength(KILLS + 1);
    expect(rows.every((r) => r.state !== 'queued' && r.state !== 'failed' && r.state !== 'sending')).toBe(
      true,
    );
    const sentIds = rows.map((r) => r.messageId).sort();
    for (const r of recipients) {
      const refs = (await envelopeRefs(sim, r)).sort();
      // Exactly the outbox's PEC, each once: nothing lost, nothing twice.
      expect(refs).toEqual(sentIds);
    }
  }, 600_000);
});
