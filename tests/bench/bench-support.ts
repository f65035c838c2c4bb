/** What the benchmarks share: their arguments, percentiles, and a measured side in its own process. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Of a list sorted ascending. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * This process's resident memory by kind, in MiB (Linux; null elsewhere): anonymous (heaps,
 * buffers, SQLite's page cache and sorts) and file pages (code, and the archive's pages SQLite
 * reads through its memory map: the operating system's cache, shared and given back under
 * pressure).
 */
export function residentMiB(): { anon: number; file: number } | null {
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return null;
  }
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { anon: field('RssAnon'), file: field('RssFile') };
}

/** Runs node with these arguments; resolves with the last line it printed (its JSON result). */
export function runChild(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) =>
      code === 0
        ? resolve(out.trim().split('\n').at(-1) ?? '')
        : reject(new Error(`${args.find((a) => /\.[mc]?[jt]s$/.test(a)) ?? 'benchmark'} exited ${code}`)),
    );
  });
}
