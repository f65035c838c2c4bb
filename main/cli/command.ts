export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<Buffer>;
  env: Record<string, string | undefined>;
}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
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
