/**
 * What a backup file holds and says about itself. The tar's entries carry the archive folder's own
 * paths (archive.db, objects/ab/cdef….eml, secrets.enc.json, server-tls/…), so even without
 * PecDesk `tar -xf` into an empty folder gives a working archive, and
 * `sha256sum -c pecdesk-backup/SHA256SUMS` checks it. The manifest comes last: it names hashes and
 * counts only known once everything before it is written, and a backup is streamed in one pass.
 */
import { createHash } from 'node:crypto';

export const FORMAT = 'pecdesk-backup';
export const FORMAT_VERSION = 1;
export const DATABASE_PATH = 'archive.db';
export const SUMS_PATH = 'pecdesk-backup/SHA256SUMS';
export const MANIFEST_PATH = 'pecdesk-backup/manifest.json';
export const SECRETS_FILE = 'secrets.enc.json';

export interface BackupManifest {
  format: typeof FORMAT;
  formatVersion: number;
  createdAt: string;
  pecdeskVersion: string;
  /** The archive folder it was taken from (for the person reading it; restore goes anywhere). */
  sourceArchive: string;
  database: {
    path: typeof DATABASE_PATH;
    sha256: string;
    size: number;
    /** Rows per table of the snapshot. */
    counts: Record<string, number>;
    /** SQLite's quick_check of the snapshot: 'ok' or its findings. */
    check: string;
  };
  objects: {
    count: number;
    bytes: number;
    /** Named by the database but absent from the archive's objects/ when the backup was made. */
    missing: string[];
    /** Present but with other bytes than their name (their SHA-256) says: left out. */
    damaged: string[];
  };
  /** The other files of the archive folder (settings, the server's TLS identity, the secrets). */
  files: { path: string; sha256: string; size: number }[];
  secrets: {
    included: boolean;
    /** What sealed the file: PECDESK_SECRET_KEY (scrypt), or a key file of the user who made it. */
    sealedWith: 'PECDESK_SECRET_KEY' | 'key-file' | null;
  };
  /** SHA256SUMS: one line per file above, `<sha256>  <path>`, in the tar's order. */
  sums: { sha256: string; lines: number };
}

/** The archive's folders and files a backup may carry, by path: nothing else is ever restored. */
const ALLOWED = [
  /^archive\.db$/,
  /^objects\/[0-9a-f]{2}\/[0-9a-f]{62}\.eml$/,
  /^pecdesk-backup\/(manifest\.json|SHA256SUMS)$/,
  /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/,
  /^server-tls\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/,
];

export function allowedPath(path: string): boolean {
  return !path.includes('..') && ALLOWED.some((re) => re.test(path));
}

export function objectPath(hash: string): string {
  return `objects/${hash.slice(0, 2)}/${hash.slice(2)}.eml`;
}

/** The hash an object's path names, or null when the path is not an object's. */
export function hashOfObjectPath(path: string): string | null {
  const m = /^objects\/([0-9a-f]{2})\/([0-9a-f]{62})\.eml$/.exec(path);
  return m ? m[1]! + m[2]! : null;
}

export function sumsLine(sha256: string, path: string): string {
  return `${sha256}  ${path}\n`;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
