/**
 * `pecdesk backup`: one file holding a consistent snapshot of an archive that is in use (the server
 * or the app keeps syncing, sending and writing while it runs), verified by counts and hashes.
 *
 * 1. The database: SQLite's online backup copies it as of one instant (db/backup.ts).
 * 2. The objects that snapshot's rows name, read from objects/ AFTER the snapshot. That is safe
 *    because objects are content-addressed and write-once: a name (the SHA-256 of the bytes) can
 *    only ever hold those bytes; ingest fsyncs an object before any row naming it commits, so every
 *    object the snapshot names was complete on disk before the snapshot was taken; and nothing in
 *    PecDesk rewrites or deletes an archived object (emptying removes the provider's copy, never
 *    ours). What ingest adds meanwhile is not named by the snapshot and goes in the next backup.
 *    Each object's bytes are hashed again as they are copied, so a damaged file is not passed on.
 * 3. The folder's other files: config.json, the server's TLS certificate and key (so a restored
 *    server keeps the fingerprint its clients pinned), and secrets.enc.json, the mailbox passwords
 *    encrypted exactly as they are: the key is NOT in the backup (PECDESK_SECRET_KEY, or the key file
 *    in the config folder of the user who made it). A legacy secrets.key is never copied.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { link, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  checkIntegrity,
  openSnapshot,
  referencedObjects,
  snapshotDatabase,
  tableCounts,
} from '../../db/backup.ts';
import { syncDirectory } from '../common/fsync.ts';
import { VERSION } from '../version.ts';
import {
  type BackupManifest,
  DATABASE_PATH,
  FORMAT,
  FORMAT_VERSION,
  MANIFEST_PATH,
  objectPath,
  SECRETS_FILE,
  SUMS_PATH,
  sha256,
} from './manifest.ts';
import { hashFile, Sums } from './sums.ts';
import { TarWriter } from './tar.ts';

export interface BackupOptions {
  archiveDir: string;
  out: string;
  /** Progress for a terminal: objects copied so far of all. */
  onProgress?: (done: number) => void;
}

export interface BackupResult {
  out: string;
  manifest: BackupManifest;
  /** Problems of the archive itself, copied as they are (missing or damaged objects, database check). */
  problems: string[];
}

/** Objects read ahead of the one being written: the disk reads while the tar is written. */
const READ_AHEAD = 8;

const DB_FILES = new Set(['archive.db', 'archive.db-wal', 'archive.db-shm', 'archive.db-journal']);

/**
 * The folder's files besides the database and objects: top-level files and server-tls/. Not the
 * database's own files, not a legacy secrets.key (it would decrypt the secrets), not a backup or a
 * partial file someone keeps beside the archive.
 */
async function sideFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const name = entry.name;
    if (entry.isFile()) {
      if (DB_FILES.has(name) || name === 'secrets.key' || name.startsWith('.')) continue;
      if (/\.(partial|tar|tgz|gz)$/.test(name)) continue;
      out.push(name);
    } else if (entry.isDirectory() && name === 'server-tls') {
      for (const inner of await readdir(join(dir, name), { withFileTypes: true }))
        if (inner.isFile() && !inner.name.startsWith('.')) out.push(`${name}/${inner.name}`);
    }
  }
  return out.sort();
}

function sealedWith(bytes: Buffer): BackupManifest['secrets']['sealedWith'] {
  try {
    const kdf = (JSON.parse(bytes.toString('utf8')) as { kdf?: string }).kdf;
    return kdf === 'scrypt' ? 'PECDESK_SECRET_KEY' : kdf === 'key-file' ? 'key-file' : null;
  } catch {
    return null;
  }
}

async function readObject(dir: string, hash: string): Promise<Buffer | null> {
  try {
    return await readFile(join(dir, ...objectPath(hash).split('/')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const { archiveDir, out } = options;
  const source = join(archiveDir, DATABASE_PATH);
  const partial = `${out}.${process.pid}.partial`;
  const snapshot = `${out}.${process.pid}.snapshot.partial`;
  const sumsFile = `${out}.${process.pid}.sums.partial`;
  const now = new Date();
  const mtime = Math.floor(now.getTime() / 1000);
  const problems: string[] = [];
  let tar: TarWriter | null = null;
  let sums: Sums | null = null;
  try {
    await snapshotDatabase(source, snapshot);
    const dbHash = await hashFile(snapshot);
    const dbSize = (await stat(snapshot)).size;
    sums = new Sums(createWriteStream(sumsFile, { flags: 'wx', mode: 0o600 }));
    tar = new TarWriter(partial, /\.(tgz|gz)$/.test(out));
    await tar.add({ name: DATABASE_PATH, size: dbSize, mode: 0o600, mtime }, createReadStream(snapshot));
    await sums.add(dbHash, DATABASE_PATH);

    const snap = openSnapshot(snapshot);
    let hashes: IterableIterator<string> | null = null;
    let counts: Record<string, number>;
    let check: string;
    const objects = { count: 0, bytes: 0, missing: [] as string[], damaged: [] as string[] };
    try {
      counts = tableCounts(snap);
      check = checkIntegrity(snap, true);
      if (check !== 'ok') problems.push(`the database's own check found: ${check}`);
      const pending: { hash: string; bytes: Promise<Buffer | null> }[] = [];
      const named = referencedObjects(snap);
      hashes = named;
      const refill = () => {
        while (pending.length < READ_AHEAD) {
          const next = named.next();
          if (next.done) break;
          const bytes = readObject(archiveDir, next.value);
          // Awaited in turn; one still pending when another fails is not an unhandled rejection.
          bytes.catch(() => {});
          pending.push({ hash: next.value, bytes });
        }
      };
      refill();
      while (pending.length > 0) {
        const { hash, bytes: reading } = pending.shift()!;
        refill();
        const bytes = await reading;
        if (!bytes) {
          objects.missing.push(hash);
          continue;
        }
        if (sha256(bytes) !== hash) {
          objects.damaged.push(hash);
          continue;
        }
        await tar.add({ name: objectPath(hash), size: bytes.length, mode: 0o600, mtime }, bytes);
        await sums.add(hash, objectPath(hash));
        objects.count += 1;
        objects.bytes += bytes.length;
        options.onProgress?.(objects.count);
      }
    } finally {
      // An iterator left open (a failure part-way) keeps the connection busy: close() would throw
      // over the failure itself.
      hashes?.return?.();
      snap.close();
    }
    if (objects.missing.length > 0)
      problems.push(
        `${objects.missing.length} objects named by the database are missing from ${join(archiveDir, 'objects')}, e.g. ${objectPath(objects.missing[0]!)}`,
      );
    if (objects.damaged.length > 0)
      problems.push(
        `${objects.damaged.length} objects do not match their SHA-256 and were left out, e.g. ${objectPath(objects.damaged[0]!)}`,
      );

    const files: BackupManifest['files'] = [];
    let secrets: BackupManifest['secrets'] = { included: false, sealedWith: null };
    for (const path of await sideFiles(archiveDir)) {
      // Read whole: small files, and the secrets file is replaced by rename, so one read is one version.
      const bytes = await readFile(join(archiveDir, ...path.split('/')));
      const hash = sha256(bytes);
      await tar.add({ name: path, size: bytes.length, mode: 0o600, mtime }, bytes);
      await sums.add(hash, path);
      files.push({ path, sha256: hash, size: bytes.length });
      if (path === SECRETS_FILE) secrets = { included: true, sealedWith: sealedWith(bytes) };
    }

    const list = await sums.close();
    sums = null;
    await tar.add({ name: SUMS_PATH, size: list.size, mode: 0o600, mtime }, createReadStream(sumsFile));
    const manifest: BackupManifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      createdAt: now.toISOString(),
      pecdeskVersion: VERSION,
      sourceArchive: archiveDir,
      database: { path: DATABASE_PATH, sha256: dbHash, size: dbSize, counts, check },
      objects,
      files,
      secrets,
      sums: { sha256: list.sha256, lines: list.lines },
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await tar.add({ name: MANIFEST_PATH, size: manifestBytes.length, mode: 0o600, mtime }, manifestBytes);
    await tar.finish();
    tar = null;
    const handle = await open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    // link() fails when `out` appeared meanwhile: a backup never replaces a file.
    await link(partial, out);
    await syncDirectory(dirname(out));
    return { out, manifest, problems };
  } finally {
    await tar?.abort();
    sums?.destroy();
    for (const file of [partial, snapshot, `${snapshot}-journal`, sumsFile]) await rm(file, { force: true });
  }
}
