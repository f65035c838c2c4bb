/**
 * Raw messages, content-addressed by SHA-256: objects/ab/cdef….eml. Written to a temporary file,
 * fsynced, renamed into place, the folder fsynced: after put() returns, the bytes survive a crash.
 * Objects are write-once; the same bytes seen twice are stored once. Folders are 0700 and objects
 * 0600 whatever the umask: the messages are the person's, not the other users' of the machine.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  chmod,
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  stat,
  unlink,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { syncDirectory } from '../common/fsync.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../private-files.ts';

export class ObjectStore {
  /** Folders made or seen by this store: not made again for every batch. */
  private readonly folders = new Set<string>();
  /**
   * Whether open(…, 0600) leaves exactly 0600 under this process's umask: learnt from the first
   * object written; until then (and when it does not) each object is chmodded.
   */
  private modeKept: boolean | null = null;

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
    await this.putMany([{ bytes, hash }]);
    return hash;
  }

  /**
   * Stores many objects durably, with the same guarantee as one by one (each object's bytes on disk
   * before its name, each name on disk before this returns) but without waiting for the disk once
   * per object: every new object is written to a temporary file, then all of them are fsynced at
   * once (the file system commits them together), renamed into place, and each folder that got a
   * new name is fsynced once. When anything fails, the temporary files are removed and it throws:
   * the caller commits nothing that names these objects.
   */
  async putMany(items: { bytes: Uint8Array; hash: string }[], concurrency = 16): Promise<void> {
    const unique = [...new Map(items.map((i) => [i.hash, i])).values()];
    const fresh = (
      await mapLimit(unique, concurrency, async (item) => {
        const existing = await stat(this.pathOf(item.hash)).catch(() => null);
        return existing?.size === item.bytes.byteLength ? null : item;
      })
    ).filter((i) => i !== null);
    if (fresh.length === 0) return;
    // Folders first: a new objects/ab/ is a new name in objects/, which must be on disk too.
    const folders = new Set<string>();
    for (const item of fresh) {
      const dir = dirname(this.pathOf(item.hash));
      if (!this.folders.has(dir)) {
        for (const created of await this.privateDir(dir)) folders.add(dirname(created));
        this.folders.add(dir);
      }
      folders.add(dir);
    }
    const written: { tmp: string; target: string; handle: FileHandle | null }[] = [];
    try {
      await mapLimit(fresh, concurrency, async (item) => {
        const target = this.pathOf(item.hash);
        const tmp = join(
          dirname(target),
          `.${item.hash.slice(2, 14)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
        );
        const handle = await this.openTemporary(tmp, folders);
        written.push({ tmp, target, handle: handle as FileHandle | null });
        await handle.writeFile(item.bytes);
      });
      // The bytes of every object on disk before any of them gets its name.
      await mapLimit(written, concurrency, (w) => w.handle!.sync());
      await mapLimit(written, concurrency, async (w) => {
        const handle = w.handle!;
        w.handle = null;
        await handle.close();
      });
      await mapLimit(written, concurrency, async (w) => {
        await rename(w.tmp, w.target);
        w.tmp = '';
      });
    } catch (error) {
      await Promise.all(
        written.map(async (w) => {
          await w.handle?.close().catch(() => {});
          if (w.tmp) await unlink(w.tmp).catch(() => {});
        }),
      );
      throw error;
    }
    // And every new name on disk before this returns.
    await mapLimit([...folders], concurrency, syncDirectory);
  }

  /**
   * A new temporary file, 0600 whatever the umask. Its folder is made again if it went missing
   * since this store saw it; the folders that then hold a new name join `toSync`.
   */
  private async openTemporary(tmp: string, toSync: Set<string>): Promise<FileHandle> {
    let handle: FileHandle;
    try {
      handle = await open(tmp, 'wx', PRIVATE_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      for (const created of await this.privateDir(dirname(tmp))) toSync.add(dirname(created));
      handle = await open(tmp, 'wx', PRIVATE_FILE_MODE);
    }
    if (process.platform === 'win32' || this.modeKept) return handle;
    try {
      if (this.modeKept === null) this.modeKept = ((await handle.stat()).mode & 0o777) === PRIVATE_FILE_MODE;
      if (!this.modeKept) await handle.chmod(PRIVATE_FILE_MODE);
    } catch (error) {
      await handle.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      throw error;
    }
    return handle;
  }

  /**
   * objects/ and objects/ab/, made 0700 when this creates them (existing ones are fixed at open);
   * returns the folders it created.
   */
  private async privateDir(dir: string): Promise<string[]> {
    const created = await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    if (!created) return [];
    const made = created === this.root && dir !== this.root ? [this.root, dir] : [dir];
    if (process.platform !== 'win32') for (const d of made) await chmod(d, PRIVATE_DIR_MODE);
    return made;
  }

  /**
   * Removes temporary files a killed writer left behind. Their bytes were never committed: the
   * message is fetched again. A file whose writer (the pid in its name) is still running is left
   * alone: another process of this archive (the app while `pecdesk sync` starts, a server while a
   * backup opens it) may be writing it at this very moment.
   */
  async sweepTemporary(): Promise<number> {
    let removed = 0;
    const dirs = await readdir(this.root).catch(() => [] as string[]);
    for (const dir of dirs) {
      if (!/^[0-9a-f]{2}$/.test(dir)) continue;
      for (const name of await readdir(join(this.root, dir)).catch(() => [] as string[])) {
        if (!name.startsWith('.') || !name.endsWith('.tmp')) continue;
        const pid = Number(/^\.[0-9a-f]+\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)?.[1]);
        if (Number.isInteger(pid) && pid > 0 && running(pid)) continue;
        await unlink(join(this.root, dir, name)).catch(() => {});
        removed++;
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

/** Whether a process with this pid exists (EPERM: it does, as another user's). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * fn over the list, at most `limit` at a time. On a failure no new item starts, and it throws the
 * first error only once every item already started has finished, so the caller cleans up after
 * work that is really over.
 */
async function mapLimit<T, R>(list: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(list.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  await Promise.all(
    Array.from({ length: Math.min(limit, list.length) }, async () => {
      while (next < list.length && !failure) {
        const i = next++;
        try {
          out[i] = await fn(list[i]!);
        } catch (error) {
          failure ??= { error };
        }
      }
    }),
  );
  if (failure) throw (failure as { error: unknown }).error;
  return out;
}
