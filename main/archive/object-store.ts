/**
 * Raw messages, content-addressed by SHA-256: objects/ab/cdef….eml. Written to a temporary file,
 * fsynced, renamed into place, the folder fsynced: after put() returns, the bytes survive a crash.
 * Objects are write-once; the same bytes seen twice are stored once. Folders are 0700 and objects
 * 0600 whatever the umask: the messages are the person's, not the other users' of the machine.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../private-files.ts';

export class ObjectStore {
  constructor(readonly root: string) {}

  static hash(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not an object hash: ${hash}`);
    return join(this.root, hash.slice(0, 2), `${hash.slice(2)}.eml`);
  }

  async has(hash: string): Promise<boolean> {
    return (await stat(this.pathOf(hash)).catch(() => null))?.isFile() ?? false;
  }

  /** Stores the bytes durably and returns their hash. */
  async put(bytes: Uint8Array, knownHash?: string): Promise<string> {
    const hash = knownHash ?? ObjectStore.hash(bytes);
    const dir = await this.write(bytes, hash);
    if (dir) syncDirectory(dir);
    return hash;
  }

  /**
   * Stores many objects durably: each file is written and fsynced, then each folder that got a new
   * entry is fsynced once, instead of once per object.
   */
  async putMany(items: { bytes: Uint8Array; hash: string }[], concurrency = 8): Promise<void> {
    const dirs = new Set<string>();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, items.length) }, async () => {
        while (next < items.length) {
          const item = items[next++]!;
          const dir = await this.write(item.bytes, item.hash);
          if (dir) dirs.add(dir);
        }
      }),
    );
    for (const dir of dirs) syncDirectory(dir);
  }

  /** Writes one object (temporary file, fsync, rename); returns its folder when it was new. */
  private async write(bytes: Uint8Array, hash: string): Promise<string | null> {
    const target = this.pathOf(hash);
    const existing = await stat(target).catch(() => null);
    if (existing?.size === bytes.byteLength) return null;
    const dir = join(this.root, hash.slice(0, 2));
    await this.privateDir(dir);
    const tmp = join(dir, `.${hash.slice(2, 14)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(tmp, 'wx', PRIVATE_FILE_MODE);
    try {
      if (process.platform !== 'win32') await handle.chmod(PRIVATE_FILE_MODE);
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, target);
    } catch (error) {
      await unlink(tmp).catch(() => {});
      throw error;
    }
    return dir;
  }

  /** objects/ and objects/ab/, made 0700 when this creates them (existing ones are fixed at open). */
  private async privateDir(dir: string): Promise<void> {
    const created = await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    if (!created || process.platform === 'win32') return;
    if (created === this.root) await chmod(this.root, PRIVATE_DIR_MODE);
    await chmod(dir, PRIVATE_DIR_MODE);
  }

  /**
   * Removes temporary files a killed writer left behind (one writer per archive, so at start-up
   * none is in use). Their bytes were never committed: the message is fetched again.
   */
  async sweepTemporary(): Promise<number> {
    let removed = 0;
    const dirs = await readdir(this.root).catch(() => [] as string[]);
    for (const dir of dirs) {
      if (!/^[0-9a-f]{2}$/.test(dir)) continue;
      for (const name of await readdir(join(this.root, dir)).catch(() => [] as string[])) {
        if (name.startsWith('.') && name.endsWith('.tmp')) {
          await unlink(join(this.root, dir, name)).catch(() => {});
          removed++;
        }
      }
    }
    return removed;
  }

  async get(hash: string): Promise<Buffer> {
    return readFile(this.pathOf(hash));
  }

  /** True when the object exists and its bytes still hash to its name. */
  async verify(hash: string): Promise<boolean> {
    const bytes = await readFile(this.pathOf(hash)).catch(() => null);
    return bytes !== null && ObjectStore.hash(bytes) === hash;
  }
}

/** The rename is durable only once its directory entry is: fsync the folder (no-op on Windows). */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
