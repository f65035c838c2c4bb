/**
 * Owner-only files and folders: the archive (every subject, every message) and the secrets must not
 * be readable by the other users of the machine or of the NAS. Folders 0700, files 0600, set
 * explicitly so the process's umask does not decide.
 *
 * Windows has no POSIX modes: there the archive and the config folder live under the user's profile
 * (%APPDATA%), whose inherited ACL grants the user, SYSTEM and Administrators only; these functions
 * do nothing there. An archive put elsewhere on Windows (--archive D:\shared) keeps that folder's ACL.
 */
import {
  chmodSync,
  closeSync,
  constants,
  type Dirent,
  fchmodSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const enforced = process.platform !== 'win32';
const STICKY = 0o1000;

/** mkdir -p; every folder it creates is 0700 whatever the umask. Existing folders are left as they are. */
export function makePrivateDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!first || !enforced) return;
  for (let level = dir; ; level = dirname(level)) {
    chmodSync(level, PRIVATE_DIR_MODE);
    if (level === first || level === dirname(level)) break;
  }
}

export type Restricted = 'ok' | 'missing' | 'skipped';

/**
 * Sets `mode` on one file or folder, only when this user owns it and never through a symbolic link:
 * an archive prepared by someone else could hold a link to a system file, and a process running as
 * root must not make /etc/passwd owner-only. Folders with the sticky bit (/tmp) are shared by design
 * and are left alone. 'skipped' says the path was not ours to change.
 */
export function restrictPath(path: string, mode: number): Restricted {
  if (!enforced) return 'ok';
  // Already right: nothing is opened. Opening and closing a database file or its -wal/-shm in a
  // process that has it open drops that process's SQLite locks on it (POSIX advisory locks belong to
  // the process, any close releases them: sqlite.org, "How To Corrupt Your Database Files" §2.2),
  // and another process may then reset the shared memory under it (SIGBUS). lstat opens nothing.
  try {
    const st = lstatSync(path);
    if (!st.isSymbolicLink() && (st.mode & 0o7777) === mode && st.uid === process.getuid?.()) return 'ok';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
  }
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO put in the folder must not hang the open.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ELOOP' || code === 'EACCES' || code === 'EPERM') return 'skipped';
    throw error;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() && !st.isDirectory()) return 'skipped';
    if (st.uid !== process.getuid?.()) return 'skipped';
    if (st.isDirectory() && st.mode & STICKY) return 'skipped';
    if ((st.mode & 0o7777) !== mode) fchmodSync(fd, mode);
    return 'ok';
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes an archive folder owner-only: the folder, the files directly in it (archive.db and its WAL,
 * secrets.enc.json, config.json…) and everything under objects/. Other subfolders are not walked:
 * they are not the archive's, and a folder given by mistake (--archive ~) must not be rewritten
 * through and through. Returns how many entries could not be made private.
 */
export function restrictArchiveTree(dir: string, open: readonly string[] = []): { skipped: string[] } {
  const skipped: string[] = [];
  if (!enforced) return { skipped };
  const one = (path: string, mode: number) => {
    if (restrictPath(path, mode) === 'skipped') skipped.push(path);
  };
  one(dir, PRIVATE_DIR_MODE);
  for (const entry of entries(dir)) {
    const path = join(dir, entry.name);
    // Files SQLite holds open in this process (the database and its sidecars) are made private
    // before it opens them, never while it has them (see restrictPath).
    if (open.includes(entry.name)) continue;
    if (entry.isFile()) one(path, PRIVATE_FILE_MODE);
    else if (entry.isDirectory() && entry.name === 'objects') walk(path);
  }
  function walk(folder: string) {
    one(folder, PRIVATE_DIR_MODE);
    for (const entry of entries(folder)) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) one(path, PRIVATE_FILE_MODE);
      // Links and special files are not the archive's: left alone, and reported.
      else skipped.push(path);
    }
  }
  return { skipped };
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
