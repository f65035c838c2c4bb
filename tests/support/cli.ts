import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testPki } from '../factory/pki.ts';
import { tempDir } from './archive.ts';

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

/**
 * A fresh archive used through the CLI: passwords in the encrypted file (no keychain needed), the
 * test CA trusted for PEC signatures. `pecdesk` runs the CLI on it, with extra environment; `env`
 * is the environment, for `serve` on the same archive.
 */
export function cliArchive(prefix: string) {
  const dir = tempDir(prefix);
  const archive = join(dir, 'archive');
  const anchor = join(dir, 'ca.pem');
  writeFileSync(anchor, testPki().rootPem);
  const env = {
    ...process.env,
    // Never the real user's config folder (the secrets key would live there).
    XDG_CONFIG_HOME: join(dir, 'config'),
    PECDESK_SECRETS: 'file',
    PECDESK_SECRET_KEY: prefix,
    PECDESK_PEC_TRUST_ANCHORS: anchor,
  };
  const pecdesk = (args: string[], extra: Record<string, string> = {}) =>
    runPecdesk(['--archive', archive, ...args], { ...env, ...extra });
  return { archive, env, pecdesk };
}
