/**
 * `pecdesk <command>`: the same core the app uses, from a terminal. Each command is a module in
 * commands/ exporting a CliCommand; this file only routes and turns errors into exit codes.
 */

import { VERSION } from '../version.ts';
import { type CliCommand, CliError, type CliIo } from './command.ts';
import { inspectCommand } from './commands/inspect.ts';

const COMMANDS: CliCommand[] = [inspectCommand];

export function usage(): string {
  const lines = COMMANDS.map((c) => `  ${c.usage.padEnd(44)} ${c.summary}`);
  return [
    'PecDesk: archivio e ricevute PEC',
    '',
    'Usage: pecdesk <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help                                   show help (also after a command)',
    '  --version                                    print the version',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`pecdesk: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`pecdesk ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    io.err(`pecdesk ${name}: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
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
};
