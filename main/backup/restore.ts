/**
 * `pecdesk restore` and `pecdesk backup verify`: a backup file read in one pass, every entry hashed
 * as it goes by. An object's path is its SHA-256, so each object checks itself; the database and the
 * other files are checked against SHA256SUMS, which is checked against the manifest, the database's
 * rows are counted again and every object its rows name must be there. A restore writes into a
 * staging folder inside the target and moves the archive into place only when all of that held, so a
 * damaged backup leaves the target as empty as it was.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { type FileHandle, mkdir, mkdtemp, open, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { checkIntegrity, openSnapshot, referencedObjects, tableCounts } from '../../db/backup.ts';
import { makePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../private-files.ts';
import {
  allowedPath,
  type BackupManifest,
  DATABASE_PATH,
  FORMAT,
  FORMAT_VERSION,
  hashOfObjectPath,
  MANIFEST_PATH,
  objectPath,
  SUMS_PATH,
  sha256,
} from './manifest.ts';
import { Sums } from './sums.ts';
import { readTar, type TarEntry } from './tar.ts';

/** Something in the backup that does not hold, named by its path inside the backup. */
export class BackupProblem extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export interface BackupSummary {
  manifest: BackupManifest;
  objects: number;
  bytes: number;
}

/** Where a restore writes what it reads; a verify writes nothing. */
interface Sink {
  object(path: string, bytes: Buffer): Promise<void>;
  file(path: string, chunks: AsyncIterable<Buffer>, onChunk: (chunk: Buffer) => void): Promise<void>;
}

/** No single object (a PEC is at most 100 MB at any provider) is read whole past this. */
const MAX_OBJECT = 512 * 1024 * 1024;
const MAX_MANIFEST = 256 * 1024 * 1024;

async function gather(entry: TarEntry, limit: number): Promise<Buffer> {
  if (entry.size > limit) throw new BackupProblem(entry.name, `too large (${entry.size} bytes)`);
  const parts: Buffer[] = [];
  for await (const chunk of entry.content) parts.push(chunk);
  return Buffer.concat(parts);
}

function parseManifest(bytes: Buffer): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as BackupManifest;
  } catch (error) {
    throw new BackupProblem(MANIFEST_PATH, `not JSON (${(error as Error).message})`);
  }
  if (manifest?.format !== FORMAT) throw new BackupProblem(MANIFEST_PATH, 'not a PecDesk backup manifest');
  if (manifest.formatVersion > FORMAT_VERSION)
    throw new BackupProblem(
      MANIFEST_PATH,
      `made by a newer PecDesk (format ${manifest.formatVersion}, ${manifest.pecdeskVersion}): update PecDesk first`,
    );
  return manifest;
}

/** The first line where two SHA256SUMS files differ, for an error that names a file. */
async function firstDifference(ours: string, theirs: string): Promise<string | null> {
  const a = createInterface({ input: createReadStream(ours), crlfDelay: Number.POSITIVE_INFINITY });
  const b = createInterface({ input: createReadStream(theirs), crlfDelay: Number.POSITIVE_INFINITY })[
    Symbol.asyncIterator
  ]();
  try {
    for await (const line of a) {
      const other = await b.next();
      if (other.done) return line.slice(66);
      if (other.value !== line) return other.value.slice(66) || line.slice(66);
    }
    const extra = await b.next();
    return extra.done ? null : extra.value.slice(66);
  } finally {
    a.close();
  }
}

/** Reads and checks the whole backup; `sink` receives the archive's files when restoring. */
async function readBackup(file: string, workDir: string, sink: Sink | null): Promise<BackupSummary> {
  const ownSumsFile = join(workDir, 'sums.read');
  const theirSumsFile = join(workDir, 'sums.listed');
  const own = new Sums(createWriteStream(ownSumsFile, { flags: 'wx', mode: PRIVATE_FILE_MODE }));
  let theirs: { sha256: string } | null = null;
  let manifest: BackupManifest | null = null;
  const files = new Map<string, { sha256: string; size: number }>();
  let objects = 0;
  let bytes = 0;
  try {
    for await (const entry of readTar(file)) {
      if (!allowedPath(entry.name)) throw new BackupProblem(entry.name, 'not a file a PecDesk backup holds');
      if (manifest) throw new BackupProblem(entry.name, 'found after the manifest, which comes last');
      if (entry.name === MANIFEST_PATH) {
        manifest = parseManifest(await gather(entry, MAX_MANIFEST));
        continue;
      }
      if (entry.name === SUMS_PATH) {
        const hash = createHash('sha256');
        const out = createWriteStream(theirSumsFile, { flags: 'wx', mode: PRIVATE_FILE_MODE });
        const written = finished(out);
        for await (const chunk of entry.content) {
          hash.update(chunk);
          if (!out.write(chunk)) await Promise.race([once(out, 'drain'), written]);
        }
        out.end();
        await written;
        theirs = { sha256: hash.digest('hex') };
        continue;
      }
      if (files.has(entry.name)) throw new BackupProblem(entry.name, 'appears twice');
      const objectHash = hashOfObjectPath(entry.name);
      if (objectHash) {
        const content = await gather(entry, MAX_OBJECT);
        if (sha256(content) !== objectHash)
          throw new BackupProblem(entry.name, 'its bytes do not match its SHA-256 (the backup is damaged)');
        await sink?.object(entry.name, content);
        await own.add(objectHash, entry.name);
        objects += 1;
        bytes += content.length;
        continue;
      }
      const hash = createHash('sha256');
      let size = 0;
      const onChunk = (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      };
      if (sink) await sink.file(entry.name, entry.content, onChunk);
      else for await (const chunk of entry.content) onChunk(chunk);
      if (size !== entry.size) throw new BackupProblem(entry.name, 'cut short');
      const digest = hash.digest('hex');
      files.set(entry.name, { sha256: digest, size });
      await own.add(digest, entry.name);
    }
  } catch (error) {
    own.destroy();
    if (error instanceof BackupProblem) throw error;
    throw new BackupProblem(file, (error as Error).message);
  }
  const read = await own.close();
  if (!manifest)
    throw new BackupProblem(MANIFEST_PATH, 'missing: not a PecDesk backup, or a backup cut short');
  if (!theirs) throw new BackupProblem(SUMS_PATH, 'missing');
  if (theirs.sha256 !== manifest.sums.sha256)
    throw new BackupProblem(SUMS_PATH, 'does not match the SHA-256 the manifest gives it');
  if (read.sha256 !== manifest.sums.sha256) {
    const differing = await firstDifference(ownSumsFile, theirSumsFile);
    throw new BackupProblem(
      differing ?? SUMS_PATH,
      'is not the file the backup lists (changed, added or missing)',
    );
  }
  // SHA256SUMS matched line for line: every file is there with its hash. The manifest's figures
  // must agree with it too.
  const db = files.get(DATABASE_PATH);
  if (!db || db.sha256 !== manifest.database.sha256)
    throw new BackupProblem(DATABASE_PATH, 'does not match the SHA-256 the manifest gives it');
  if (objects !== manifest.objects.count || bytes !== manifest.objects.bytes)
    throw new BackupProblem(
      'objects/',
      `${objects} objects, ${bytes} bytes read; the manifest says ${manifest.objects.count}, ${manifest.objects.bytes}`,
    );
  for (const listed of manifest.files) {
    const found = files.get(listed.path);
    if (!found || found.sha256 !== listed.sha256)
      throw new BackupProblem(listed.path, 'does not match the SHA-256 the manifest gives it');
  }
  return { manifest, objects, bytes };
}

/** Checks a backup file without writing anything but two temporary lists. */
export async function verifyBackup(file: string): Promise<BackupSummary> {
  const work = await mkdtemp(join(tmpdir(), 'pecdesk-verify-'));
  try {
    return await readBackup(file, work, null);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Objects are fsynced in groups: one wait for the disk per group, not per file. */
const SYNC_GROUP = 64;

class StagingSink implements Sink {
  private readonly folders = new Set<string>();
  private open: FileHandle[] = [];

  constructor(private readonly root: string) {}

  private async target(path: string): Promise<string> {
    const target = join(this.root, ...path.split('/'));
    const folder = dirname(target);
    if (!this.folders.has(folder)) {
      await mkdir(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
      this.folders.add(folder);
    }
    return target;
  }

  private async create(path: string): Promise<FileHandle> {
    const handle = await open(await this.target(path), 'wx', PRIVATE_FILE_MODE);
    await handle.chmod(PRIVATE_FILE_MODE);
    return handle;
  }

  async object(path: string, bytes: Buffer): Promise<void> {
    const handle = await this.create(path);
    this.open.push(handle);
    await handle.writeFile(bytes);
    if (this.open.length >= SYNC_GROUP) await this.flush();
  }

  async file(path: string, chunks: AsyncIterable<Buffer>, onChunk: (chunk: Buffer) => void): Promise<void> {
    const handle = await this.create(path);
    try {
      for await (const chunk of chunks) {
        onChunk(chunk);
        await handle.write(chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Every file written so far on disk, then the folders that name them. */
  async flush(folders = false): Promise<void> {
    const handles = this.open;
    this.open = [];
    try {
      await Promise.all(handles.map((h) => h.sync()));
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    if (folders && process.platform !== 'win32')
      for (const folder of this.folders) {
        const handle = await open(folder, 'r');
        await handle.sync().finally(() => handle.close());
      }
  }

  async close(): Promise<void> {
    await Promise.all(this.open.map((h) => h.close()));
    this.open = [];
  }
}

export interface RestoreResult extends BackupSummary {
  archiveDir: string;
  integrity: string;
  counts: Record<string, number>;
}

/** Where a restore writes until everything is checked; left behind only by a killed restore. */
export const RESTORE_STAGING = '.pecdesk-restore-partial';

/**
 * Restores a backup into `archiveDir`, which must be empty or new (a running archive is never
 * overwritten). Throws BackupProblem when anything does not hold; the target is then left empty.
 */
export async function restoreBackup(file: string, archiveDir: string): Promise<RestoreResult> {
  makePrivateDir(archiveDir);
  const staging = join(archiveDir, RESTORE_STAGING);
  await mkdir(staging, { mode: PRIVATE_DIR_MODE });
  const work = join(staging, '.work');
  await mkdir(work, { mode: PRIVATE_DIR_MODE });
  const sink = new StagingSink(staging);
  try {
    const summary = await readBackup(file, work, sink);
    await sink.flush(true);
    await rm(work, { recursive: true, force: true });
    const { integrity, counts } = checkRestored(staging, summary.manifest);
    for (const entry of await readdir(staging)) await rename(join(staging, entry), join(archiveDir, entry));
    await rmdir(staging);
    if (process.platform !== 'win32') {
      const handle = await open(archiveDir, 'r');
      await handle.sync().finally(() => handle.close());
    }
    return { ...summary, archiveDir, integrity, counts };
  } catch (error) {
    await sink.close();
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** The restored database: SQLite's full check, its rows as counted at backup, its objects there. */
function checkRestored(
  root: string,
  manifest: BackupManifest,
): { integrity: string; counts: Record<string, number> } {
  const db = openSnapshot(join(root, DATABASE_PATH));
  try {
    const integrity = checkIntegrity(db);
    if (integrity !== 'ok')
      throw new BackupProblem(
        DATABASE_PATH,
        `SQLite's integrity check: ${integrity}${manifest.database.check !== 'ok' ? ' (the archive was damaged already when the backup was made)' : ''}`,
      );
    const counts = tableCounts(db);
    for (const table of new Set([...Object.keys(counts), ...Object.keys(manifest.database.counts)]))
      if (counts[table] !== manifest.database.counts[table])
        throw new BackupProblem(
          DATABASE_PATH,
          `table ${table} has ${counts[table] ?? 'no'} rows; the backup counted ${manifest.database.counts[table] ?? 'none'}`,
        );
    const known = new Set([...manifest.objects.missing, ...manifest.objects.damaged]);
    for (const hash of referencedObjects(db)) {
      if (known.has(hash)) continue;
      const path = objectPath(hash);
      // Synchronous: the iterator holds the connection, and nothing else runs meanwhile.
      if (!existsSync(join(root, ...path.split('/'))))
        throw new BackupProblem(path, 'named by the database but not in the backup');
    }
    return { integrity, counts };
  } finally {
    db.close();
  }
}

export async function isEmptyFolder(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => null);
  if (!info) return true;
  if (!info.isDirectory()) return false;
  return (await readdir(dir)).length === 0;
}
