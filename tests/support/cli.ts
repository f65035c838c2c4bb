import { spawn } from 'node:child_process';

const BIN = new URL('../../bin/pecdesk.mjs', import.meta.url).pathname;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `pecdesk` as a person would (node bin/pecdesk.mjs …); optionally SIGKILLs it after a delay. */
export function runPecdesk(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  killAfterMs?: number,
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : null;
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `account add` arguments for a test Dovecot user (implicit TLS unless STARTTLS is asked for). */
export function accountAddArgs(
  server: { tlsPort: number; starttlsPort: number; caFile: string },
  email: string,
  security: 'tls' | 'starttls' = 'tls',
): string[] {
  const port = security === 'tls' ? server.tlsPort : server.starttlsPort;
  return [
    'account',
    'add',
    '--email',
    email,
    '--imap-host',
    '127.0.0.1',
    '--imap-port',
    String(port),
    '--security',
    security,
    '--ca',
    server.caFile,
  ];
}
