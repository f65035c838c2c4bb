/**
 * `npm run sim -- [--dir DIR] [--domains N] [...]`: starts the simulated PEC providers on 127.0.0.1
 * and prints one line of JSON on stdout when they are ready (SimInfo: the contract scripts and
 * tests parse). Logs go to stderr. SIGTERM or SIGINT stops the SMTP service and its Dovecot.
 * The npm script runs it with `exec node --import tsx`: one process, the shell's own, so the
 * SIGTERM npm forwards reaches it (tsx's CLI wrapper SIGKILLs a child that does not acknowledge a
 * signal within 30 ms, which would leave its Dovecot running).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS, DEFAULT_SLOW_DELAY_MS, PROVIDER_NAMES, type SimLimits } from './config.ts';
import { startSimulator } from './simulator.ts';

const USAGE = `Usage: npm run sim -- [options]

Starts simulated PEC providers on 127.0.0.1 (SMTP submission + IMAP) and prints one line of JSON
when ready. SIGTERM or Ctrl-C stops them.

Options:
  --dir DIR               keep the simulator's world here (PKI, mailboxes, mail, ports); reused when
                          started again. Default: a temporary folder removed at exit
  --domains N             regular PEC providers, 2-${PROVIDER_NAMES.length} (default 2), plus the slow one
  --slow-delay-ms MS      how late the slow provider (pec.lenta.test) answers (default ${DEFAULT_SLOW_DELAY_MS})
  --max-recipients N      recipients per message (default ${DEFAULT_LIMITS.maxRecipients})
  --max-size BYTES        message size × recipients (default ${DEFAULT_LIMITS.maxTotalBytes})
  --rate N                messages per mailbox per minute; more get SMTP 451 (default ${DEFAULT_LIMITS.messagesPerWindow})
  --rate-window-ms MS     the rate's window (default ${DEFAULT_LIMITS.windowMs}: a minute)
  --quiet                 only errors on stderr
  -h, --help              this help
`;

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not "${value}"`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string' },
        domains: { type: 'string' },
        'slow-delay-ms': { type: 'string' },
        'max-recipients': { type: 'string' },
        'max-size': { type: 'string' },
        rate: { type: 'string' },
        'rate-window-ms': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const str = (k: string) => values[k] as string | undefined;
  let limits: Partial<SimLimits>;
  let domains: number | undefined;
  let slowDelayMs: number | undefined;
  try {
    const entries: [keyof SimLimits, number | undefined][] = [
      ['maxRecipients', positiveInt('max-recipients', str('max-recipients'))],
      ['maxTotalBytes', positiveInt('max-size', str('max-size'))],
      ['messagesPerWindow', positiveInt('rate', str('rate'))],
      ['windowMs', positiveInt('rate-window-ms', str('rate-window-ms'))],
    ];
    limits = Object.fromEntries(entries.filter(([, v]) => v !== undefined));
    domains = positiveInt('domains', str('domains'));
    slowDelayMs = positiveInt('slow-delay-ms', str('slow-delay-ms'));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const sim = await startSimulator({
    ...(str('dir') !== undefined && { dir: str('dir') }),
    ...(domains !== undefined && { domains }),
    ...(slowDelayMs !== undefined && { slowDelayMs }),
    limits,
    // Quiet keeps the errors: nothing goes wrong unsaid.
    ...(values.quiet && {
      log: (line: string) => {
        if (line.startsWith('error')) process.stderr.write(`[sim] ${line}\n`);
      },
    }),
  });
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      if (!values.quiet) process.stderr.write(`[sim] ${signal}: stopping\n`);
      sim.stop().then(resolve, (e: Error) => {
        process.stderr.write(`[sim] error while stopping: ${e.message}\n`);
        resolve();
      });
    };
    // Ctrl-C reaches it twice (from the terminal and forwarded by npm): stopping is idempotent, and
    // the handlers stay so that a second signal does not kill it before its Dovecot is stopped.
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
  process.stdout.write(`${JSON.stringify(sim.info)}\n`);
  await stopped;
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`[sim] ${e.message}\n`);
    process.exit(1);
  },
);
