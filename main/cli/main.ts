/**
 * `pecdesk <command>`: the same core the app uses, from a terminal. Each command is a module in
 * commands/ exporting a CliCommand; this file only routes and turns errors into exit codes.
 */

import { resolve } from 'node:path';
import { remoteVariant, SERVER_COMMANDS } from '../client/cli-remote.ts';
import { resolveArchiveDir } from '../paths.ts';
import { VERSION } from '../version.ts';
import { type CliCommand, type CliContext, CliError, type CliIo } from './command.ts';
import { accountCommand } from './commands/account.ts';
import { auditCommand } from './commands/audit.ts';
import { backupCommand, restoreCommand } from './commands/backup.ts';
import { campaignCommand } from './commands/campaign.ts';
import { grantCommand, revokeCommand } from './commands/grant.ts';
import { inspectCommand } from './commands/inspect.ts';
import { mailboxCommand } from './commands/mailbox.ts';
import { messagesCommand } from './commands/messages.ts';
import { officeCommand } from './commands/office.ts';
import { outboxCommand } from './commands/outbox.ts';
import { packageCommand } from './commands/package.ts';
import { proofCommand } from './commands/proof.ts';
import { ruleCommand } from './commands/rule.ts';
import { searchCommand } from './commands/search.ts';
import { sendCommand } from './commands/send.ts';
import { serverCommand } from './commands/server.ts';
import { syncCommand } from './commands/sync.ts';
import { tagCommand } from './commands/tag.ts';
import { threadCommand } from './commands/thread.ts';
import { exportCommand, importCommand } from './commands/transfer.ts';
import { userCommand } from './commands/user.ts';
import { workCommand } from './commands/work.ts';
import { terminalText, tty } from './terminal-text.ts';

const COMMANDS: CliCommand[] = [
  accountCommand,
  syncCommand,
  messagesCommand,
  threadCommand,
  searchCommand,
  inspectCommand,
  sendCommand,
  outboxCommand,
  campaignCommand,
  userCommand,
  officeCommand,
  grantCommand,
  revokeCommand,
  auditCommand,
  tagCommand,
  ruleCommand,
  workCommand,
  mailboxCommand,
  proofCommand,
  packageCommand,
  exportCommand,
  importCommand,
  serverCommand,
  backupCommand,
  restoreCommand,
];

export function usage(): string {
  const lines = COMMANDS.map((c) => `  ${c.usage.padEnd(44)} ${c.summary}`);
  return [
    'PecDesk: archivio e ricevute PEC',
    '',
    'Usage: pecdesk [--archive DIR] <command> [options]',
    '       pecdesk --server URL [--fingerprint SHA256 | --ca FILE] --user U <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  --archive DIR                                the archive folder (default: PECDESK_ARCHIVE, else the user data folder)',
    '  --server URL                                 run the command on an office server (pecdesk server), as --user:',
    `                                               ${SERVER_COMMANDS.join(', ')}`,
    "  --fingerprint SHA256                         the server's certificate fingerprint, as it prints it at start",
    "  --ca FILE                                    or the office CA's certificate (PEM) that signed the server's",
    '  --user U                                     the person signing in (password: PECDESK_USER_PASSWORD, else asked)',
    '  -h, --help                                   show help (also after a command)',
    '  --version                                    print the version',
    '',
  ].join('\n');
}

const GLOBAL_VALUES = ['archive', 'server', 'fingerprint', 'ca', 'user'] as const;
type GlobalName = (typeof GLOBAL_VALUES)[number];

/** Splits `[--archive DIR] [--server URL --user U …] <command> args…`. */
export function globalOptions(argv: string[], env: CliIo['env']): { ctx: CliContext; rest: string[] } {
  const given: Partial<Record<GlobalName, string>> = {};
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    const name = GLOBAL_VALUES.find((g) => a === `--${g}` || a.startsWith(`--${g}=`));
    if (!name) break;
    if (a === `--${name}`) {
      const value = argv[i + 1];
      if (!value || value.startsWith('--')) throw new CliError(`--${name} needs a value`, 2);
      given[name] = value;
      i += 2;
    } else {
      given[name] = a.slice(`--${name}=`.length);
      i += 1;
    }
  }
  const ctx: CliContext = { archiveDir: resolve(resolveArchiveDir(given.archive, env as NodeJS.ProcessEnv)) };
  if (given.server !== undefined) {
    if (given.archive !== undefined)
      throw new CliError("--archive and --server exclude each other: the archive is the server's", 2);
    if (!given.user) throw new CliError('--server needs --user: the person signing in', 2);
    if (given.fingerprint !== undefined && given.ca !== undefined)
      throw new CliError('give either --fingerprint or --ca, not both', 2);
    ctx.server = {
      url: given.server,
      user: given.user,
      ...(given.fingerprint !== undefined ? { fingerprint: given.fingerprint } : {}),
      ...(given.ca !== undefined ? { ca: resolve(given.ca) } : {}),
    };
  } else if (given.user !== undefined || given.fingerprint !== undefined || given.ca !== undefined) {
    throw new CliError('--user, --fingerprint and --ca go with --server URL', 2);
  }
  return { ctx, rest: argv.slice(i) };
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof globalOptions>;
  try {
    parsed = globalOptions(argv, io.env);
  } catch (error) {
    io.err(`pecdesk: ${terminalText((error as Error).message)}\n`);
    return 2;
  }
  const { ctx } = parsed;
  const [name, ...rest] = parsed.rest;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const local = COMMANDS.find((c) => c.name === name);
  if (!local) {
    io.err(tty`pecdesk: unknown command "${name}"\n\n` + usage());
    return 2;
  }
  if (ctx.server && !SERVER_COMMANDS.includes(name)) {
    io.err(
      tty`pecdesk: "${name}" runs where the archive is, not through --server (these do: ${SERVER_COMMANDS.join(', ')})\n`,
    );
    return 2;
  }
  // Through --server, the commands whose local form reads the archive directly have their own.
  const command = ctx.server ? (remoteVariant(name) ?? local) : local;
  try {
    return await command.run(rest, io, ctx);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`pecdesk ${name}: ${terminalText(error.message)}\n`);
      return error.exitCode;
    }
    io.err(`pecdesk ${name}: unexpected error: ${terminalText((error as Error).stack ?? String(error))}\n`);
    return 1;
  }
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  },
  env: process.env,
  isTerminal: Boolean(process.stderr.isTTY),
  askSecret: (prompt) => askSecretOnTerminal(prompt),
};

/** Reads a line from the terminal with echo off (raw mode); null without a terminal. */
function askSecretOnTerminal(prompt: string): Promise<string | null> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.resolve(null);
  process.stderr.write(prompt);
  return new Promise((resolvePrompt) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (result: string | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      resolvePrompt(result);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003') return done(null);
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
