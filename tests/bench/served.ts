/**
 * What the startup benchmark drives: a server started as a person starts it (its own process
 * group, so `npm run` and whatever it starts stop together), ready when it writes its URL file,
 * and Debian's chromium launched as the e2e tests launch it (playwright.config.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from '@playwright/test';
import config from '../../playwright.config.ts';

export function launchChromium(): Promise<Browser> {
  const launch = config.use?.launchOptions ?? {};
  return chromium.launch({ executablePath: launch.executablePath, args: launch.args });
}

export interface Served {
  url: string;
  /** From the spawn to the URL file written: the server's own start. */
  readyMs: number;
  stop(): Promise<void>;
}

/** Starts `command args…`; `{url-file}` in args is replaced by a fresh file name. */
export async function startServed(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; scratch: string; t0?: number },
): Promise<Served> {
  const urlFile = join(
    options.scratch,
    `url-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  );
  rmSync(urlFile, { force: true });
  const t0 = options.t0 ?? performance.now();
  const child: ChildProcess = spawn(
    command,
    args.map((a) => (a === '{url-file}' ? urlFile : a)),
    { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await exited;
    }
  };
  for (;;) {
    if (existsSync(urlFile) && readFileSync(urlFile, 'utf8') !== '') break;
    if (child.exitCode !== null)
      throw new Error(`${command} ${args.join(' ')} exited ${child.exitCode}: ${stderr}`);
    if (performance.now() - t0 > 120_000) {
      await stop();
      throw new Error(`${command} wrote no URL in 120 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { url: readFileSync(urlFile, 'utf8'), readyMs: performance.now() - t0, stop };
}

/**
 * The floor any served page pays on this machine: a Node process that answers one static page
 * holding one list row, written like serve's URL file, so the same steps are timed.
 */
export const STATIC_SERVER = `
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
const page = '<!doctype html><div data-testid="message-list" role="listbox"><div role="option"><span class="row-subject">Circolare</span></div></div>';
const server = createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(page); });
server.listen(0, '127.0.0.1', () => writeFileSync(process.argv.at(-1), 'http://127.0.0.1:' + server.address().port + '/'));
process.on('SIGTERM', () => process.exit(0));
`;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
