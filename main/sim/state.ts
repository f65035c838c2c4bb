/**
 * The simulator's folder: what it keeps between starts (state.json: domains, passwords, ports),
 * the claim that one simulator runs on it, and the check that Dovecot's user can reach it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface SimState {
  version: 1;
  domains: string[];
  passwords: Record<string, string>;
  ports: { imapTls?: number; imapStarttls?: number; smtpTls?: number; smtpStarttls?: number };
}

const STATE_FILE = 'state.json';

export function newPassword(): string {
  return randomBytes(9).toString('base64url');
}

export function readState(dir: string): SimState | null {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return null;
  const state = JSON.parse(readFileSync(file, 'utf8')) as SimState;
  if (state.version !== 1) throw new Error(`${file}: unknown version ${String(state.version)}`);
  return state;
}

export function writeState(dir: string, state: SimState): void {
  // It holds the passwords: owner only.
  writeFileSync(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** Dovecot's processes run as the dovecot user: every folder above the mail must let it through. */
export function assertTraversable(dir: string): void {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0)
      throw new Error(
        `Dovecot (user dovecot) cannot enter ${d}: choose a --dir it can reach (e.g. under /tmp) or run chmod o+x ${d}`,
      );
    if (dirname(d) === d) return;
  }
}

/**
 * One simulator per folder: a second one would stop the first one's Dovecot and share its mail.
 * Returns the claim's file, to remove when the simulator stops.
 */
export function claimDir(dir: string): string {
  const file = join(dir, 'sim.pid');
  let pid = 0;
  try {
    pid = Number(readFileSync(file, 'utf8').trim());
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
    throw new Error(
      `another simulator (pid ${pid}) runs on ${dir}; stop it, or remove ${file} if that process is not a simulator`,
    );
  writeFileSync(file, `${process.pid}\n`);
  return file;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
