import { parseArgs } from 'node:util';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<Buffer>;
  /** Asks for a secret on the terminal without echo; null when there is no terminal. */
  askSecret(prompt: string): Promise<string | null>;
  /** True when standard error is a terminal (progress bars). */
  isTerminal: boolean;
  env: Record<string, string | undefined>;
}

/** Options given before the command, for every command. */
export interface CliContext {
  /** --archive DIR, else PECDESK_ARCHIVE, else the user-data folder. */
  archiveDir: string;
  /** --server URL …: the command runs against an office server, as --user (issue 16). */
  server?: ServerTarget;
}

/** `pecdesk --server URL [--fingerprint SHA256 | --ca FILE] --user U`. */
export interface ServerTarget {
  url: string;
  fingerprint?: string;
  /** The CA file's path (read when connecting). */
  ca?: string;
  user: string;
}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  help: string;
  run(args: string[], io: CliIo, ctx: CliContext): Promise<number>;
}

/** An error the user can act on: printed as one line, with its exit code (2: usage, 1: failure). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/**
 * node:util parseArgs for a command: wrong options become a usage error (exit 2) with the help.
 */
export function parseCommandArgs<O extends ParseOptions>(
  args: string[],
  options: O,
  help: string,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${help}`, 2);
  }
}
