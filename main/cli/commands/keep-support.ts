/** What the CLI's keeping commands share: the log entry as the CLI, folders written safely. */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { archiveGuard } from '../../api/guard.ts';
import type { Archive } from '../../archive/archive.ts';
import { type AuditEvent, recordAudit } from '../../auth/audit.ts';
import { CliError } from '../command.ts';

/** Appends an entry as the CLI's caller (cli:<os user>), as the API's registry would. */
export function auditAsCli(archive: Archive, event: AuditEvent): void {
  const principal = archiveGuard(() => archive).identify({ transport: 'cli' });
  if (!principal) throw new Error('the CLI could not be identified');
  recordAudit(archive.db, principal.actor, event);
}

/** A folder that must be new or empty: a package or an export never mixes with other files. */
export async function emptyFolder(dir: string): Promise<string> {
  const path = resolve(dir);
  const entries = await readdir(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw new CliError(`${dir}: ${e.message}`);
  });
  if (entries.length > 0) throw new CliError(`${dir} is not empty: choose a new folder`, 2);
  await mkdir(path, { recursive: true });
  return path;
}

/** Writes `rel` (with '/') under `root`, never outside it. */
export function folderSink(root: string): (rel: string, bytes: Buffer) => Promise<void> {
  return async (rel, bytes) => {
    const target = join(root, ...rel.split('/'));
    if (!target.startsWith(root + sep)) throw new Error(`refusing to write outside ${root}: ${rel}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes, { flag: 'wx' });
  };
}
