/**
 * `serve` as a separate process, for attacks whose harm is that process stopping (a crash takes
 * every browser tab down with it) or a file it writes. Output is captured to explain a failure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/archive.ts';

const SERVE = new URL('../../main/server/serve.ts', import.meta.url).pathname;

export interface ServeRun {
  code: number | null;
  output: string;
}

export interface RunningServe {
  url: string;
  port: number;
  token: string;
  urlFile: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<ServeRun>;
}

/** The environment of a throw-away archive: encrypted-file secrets, no keychain asked. */
export function serveEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PECDESK_SECRETS: 'file', PECDESK_SECRET_KEY: 'bridge-tests' };
}

function spawnServe(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, ...args], {
    env: serveEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<ServeRun>((resolve) => child.on('exit', (code) => resolve({ code, output })));
  return { child, output: () => output, exited };
}

/** Runs serve until it exits by itself (a refusal), or kills it after `ms`. */
export async function runServe(args: string[], ms = 30_000): Promise<ServeRun> {
  const { child, exited } = spawnServe(args);
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const run = await exited;
  clearTimeout(timer);
  return run;
}

/** Starts serve on a free port over a new archive and waits for the URL it writes. */
export async function startServeProcess(): Promise<RunningServe> {
  const dir = tempDir('pecdesk-serve-');
  const urlFile = join(dir, 'url.txt');
  const { child, output, exited } = spawnServe([
    '--port',
    '0',
    '--archive',
    join(dir, 'archive'),
    '--url-file',
    urlFile,
  ]);
  const started = Date.now();
  while (!existsSync(urlFile) || readFileSync(urlFile, 'utf8') === '') {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}:\n${output()}`);
    if (Date.now() - started > 60_000) throw new Error(`serve did not start in 60 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = new URL(readFileSync(urlFile, 'utf8'));
  return {
    url: url.href,
    port: Number(url.port),
    token: new URLSearchParams(url.hash.slice(1)).get('token') ?? '',
    urlFile,
    child,
    output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
