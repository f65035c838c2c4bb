/**
 * What makes a message safe (DESIGN.md "Storage"): its raw bytes fsynced in the object store, file
 * and folder, before the transaction that references them commits; the folder's last UID in that
 * same transaction; the same message seen twice stored once; an object, once written, never
 * rewritten. Each test here fails if one line of that goes (tried: dropping the in-batch
 * bookkeeping, writing the objects after the commit, skipping the file or the folder fsync, writing
 * an existing object again).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readlinkSync, statSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findAccount, mailboxesOf, recordMailboxProgress } from '../../db/accounts.ts';
import { countMessages, messageLocationsOf } from '../../db/messages.ts';
import type { Archive } from '../../main/archive/archive.ts';
import { ObjectStore } from '../../main/archive/object-store.ts';
import { buildOrdinary, pecOf, scenario } from '../factory/pec-factory.ts';
import { studioInbox, tempDir, testArchive } from '../support/archive.ts';
import { DovecotServer, dovecotAvailable } from '../support/dovecot.ts';
import { archiveWithAccount } from '../support/imap-archive.ts';

/** What an open descriptor points at (Linux): the file or folder being fsynced. */
const pathOfFd = (fd: number) => readlinkSync(`/proc/self/fd/${fd}`);

/** FileHandle is not exported: its prototype is reached through an open handle. */
async function fileHandlePrototype(): Promise<{ sync: () => Promise<void> }> {
  const handle = await open(join(tempDir(), 'probe'), 'w');
  await handle.close();
  return Object.getPrototypeOf(handle);
}

function mailboxIn(archive: Archive) {
  return studioInbox(archive.db).inbox;
}

describe('ingest: the same message twice in one batch', () => {
  it('is one row; the second is known, not a UNIQUE failure of the whole batch', async () => {
    const archive = testArchive();
    try {
      const raw = pecOf(scenario(), 'posta-certificata');
      const other = buildOrdinary({ subject: 'Un altro' });
      const outcomes = await archive.ingest([{ raw }, { raw: other }, { raw }]);
      expect(outcomes.map((o) => o.created)).toEqual([true, true, false]);
      expect(outcomes[2]!.messageId).toBe(outcomes[0]!.messageId);
      expect(countMessages(archive.db)).toBe(2);
    } finally {
      archive.close();
    }
  });
});

describe.runIf(dovecotAvailable)('sync: an IMAP folder holding the same message twice', () => {
  let server: DovecotServer;
  beforeAll(async () => {
    server = await DovecotServer.start();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('syncs: one message, two locations, the folder read to its last UID', async () => {
    const user = server.addUser('doppio@pec.alfa.test');
    const raw = pecOf(scenario(), 'accettazione');
    await server.append(user, 'INBOX', [raw, raw, buildOrdinary({ subject: 'dopo' })]);
    const { archive, sync: service } = await archiveWithAccount(server, user, {
      backoff: { initialMs: 50, maxMs: 200 },
      attempts: 1,
    });
    try {
      const [result] = await service.syncAll();
      expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
      expect(countMessages(archive.db)).toBe(2);
      const [first] = await archive.ingest([{ raw }]);
      expect(first!.created).toBe(false);
      expect(messageLocationsOf(archive.db, first!.messageId).length).toBe(2);
      const inbox = mailboxesOf(archive.db, findAccount(archive.db, user.user)!.id).find(
        (m) => m.path === 'INBOX',
      );
      expect(inbox!.lastUid).toBe(3);
    } finally {
      archive.close();
    }
  });
});

describe.runIf(process.platform === 'linux')('ingest: raw bytes durable before the commit', () => {
  it('a failed object write commits nothing: no row, the last UID does not move', async () => {
    const archive = testArchive();
    const proto = await fileHandlePrototype();
    const sync = vi
      .spyOn(proto, 'sync')
      .mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    try {
      const inbox = mailboxIn(archive);
      const raw = buildOrdinary({ subject: 'Disco pieno' });
      await expect(
        archive.ingest(
          [{ raw, location: { mailboxId: inbox.id, uid: 7, flags: [], modseq: null, internalDate: null } }],
          (db) => recordMailboxProgress(db, inbox.id, { lastUid: 7 }),
        ),
      ).rejects.toThrow(/EIO/);
      expect(countMessages(archive.db)).toBe(0);
      expect(mailboxesOf(archive.db, inbox.accountId)[0]!.lastUid).toBe(0);
      // The next attempt (the same UID, fetched again) archives it.
      const [out] = await archive.ingest([{ raw }], (db) =>
        recordMailboxProgress(db, inbox.id, { lastUid: 7 }),
      );
      expect(out!.created).toBe(true);
      expect(mailboxesOf(archive.db, inbox.accountId)[0]!.lastUid).toBe(7);
    } finally {
      sync.mockRestore();
      archive.close();
    }
  });

  it('each object file and its folder are fsynced, and in place, before the commit', async () => {
    const archive = testArchive();
    const proto = await fileHandlePrototype();
    const events: string[] = [];
    const original = proto.sync;
    // Files and folders are both fsynced through an open handle (object-store.ts).
    const fsync = vi.spyOn(proto, 'sync').mockImplementation(function (this: { fd: number }) {
      const path = pathOfFd(this.fd);
      events.push(`${statSync(path).isDirectory() ? 'dir' : 'file'} ${path}`);
      return original.call(this);
    });
    try {
      const raws = [1, 2, 3].map((n) => buildOrdinary({ subject: `Messaggio ${n}` }));
      const paths = raws.map((raw) => archive.objects.pathOf(ObjectStore.hash(raw)));
      await archive.ingest(
        raws.map((raw) => ({ raw })),
        () => {
          // Inside the transaction, just before COMMIT: the objects are already where they go.
          for (const p of paths) expect(statSync(p).size).toBeGreaterThan(0);
          events.push('commit');
        },
      );
      const commitAt = events.indexOf('commit');
      for (const p of paths) {
        // Written as objects/ab/.cdef…(12 hex).<pid>.<random>.tmp, fsynced, renamed into place.
        const tmpPrefix = `file ${join(dirname(p), `.${basename(p).slice(0, 12)}.`)}`;
        const fileAt = events.findIndex((e) => e.startsWith(tmpPrefix));
        const dirAt = events.indexOf(`dir ${dirname(p)}`);
        expect(fileAt, `fsync of ${p}`).toBeGreaterThanOrEqual(0);
        expect(dirAt, `fsync of ${dirname(p)}`).toBeGreaterThan(fileAt);
        expect(dirAt).toBeLessThan(commitAt);
      }
      // A new objects/ab/ is a new name in objects/: that folder is fsynced too, before the commit.
      const objectsAt = events.indexOf(`dir ${dirname(dirname(paths[0]!))}`);
      expect(objectsAt, 'fsync of objects/').toBeGreaterThanOrEqual(0);
      expect(objectsAt).toBeLessThan(commitAt);
    } finally {
      fsync.mockRestore();
      archive.close();
    }
  });

  it('a batch is fsynced together: every object file before any of them is renamed into place', async () => {
    const store = new ObjectStore(join(tempDir(), 'objects'));
    const bytes = Array.from({ length: 24 }, (_, n) => buildOrdinary({ subject: `Lotto ${n}` }));
    const targets = bytes.map((b) => store.pathOf(ObjectStore.hash(b)));
    const proto = await fileHandlePrototype();
    const original = proto.sync;
    const inPlaceAtFileSync: number[] = [];
    const fsync = vi.spyOn(proto, 'sync').mockImplementation(function (this: { fd: number }) {
      if (!statSync(pathOfFd(this.fd)).isDirectory())
        inPlaceAtFileSync.push(targets.filter((t) => existsSync(t)).length);
      return original.call(this);
    });
    try {
      await store.putMany(bytes.map((b) => ({ bytes: b, hash: ObjectStore.hash(b) })));
      expect(inPlaceAtFileSync).toEqual(Array(24).fill(0));
      for (const b of bytes) expect(await store.verify(ObjectStore.hash(b))).toBe(true);
    } finally {
      fsync.mockRestore();
    }
  });

  it('a failed fsync in a batch leaves no object in place and no temporary file behind', async () => {
    const store = new ObjectStore(join(tempDir(), 'objects'));
    const proto = await fileHandlePrototype();
    const sync = vi
      .spyOn(proto, 'sync')
      .mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    const bytes = [1, 2, 3, 4].map((n) => buildOrdinary({ subject: `Guasto ${n}` }));
    try {
      await expect(
        store.putMany(bytes.map((b) => ({ bytes: b, hash: ObjectStore.hash(b) }))),
      ).rejects.toThrow(/EIO/);
      for (const b of bytes) expect(await store.has(ObjectStore.hash(b))).toBe(false);
      expect(await store.sweepTemporary()).toBe(0);
    } finally {
      sync.mockRestore();
    }
  });
});

describe('object store: write-once', () => {
  it('an existing object is not written again: same inode, same mtime', async () => {
    const store = new ObjectStore(join(tempDir(), 'objects'));
    const bytes = buildOrdinary({ subject: 'Una volta sola' });
    const hash = await store.put(bytes);
    const before = statSync(store.pathOf(hash));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await store.put(bytes);
    await store.putMany([{ bytes, hash }]);
    const after = statSync(store.pathOf(hash));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });
});

describe('object store: leftovers of a killed writer', () => {
  it('are swept at start-up; a file another running process is writing is left alone', async () => {
    const root = join(tempDir(), 'objects');
    const store = new ObjectStore(root);
    const bytes = buildOrdinary({ subject: 'Avanzi' });
    await store.putMany([{ bytes, hash: ObjectStore.hash(bytes) }]);
    const folder = join(root, ObjectStore.hash(bytes).slice(0, 2));
    // A pid that ran and ended: its writer is gone.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const dead = join(folder, `.abcdef012345.${gone}.0a1b2c3d.tmp`);
    const live = join(folder, `.abcdef012345.${process.ppid}.0a1b2c3d.tmp`);
    await writeFile(dead, 'a metà');
    await writeFile(live, 'in scrittura');
    expect(await store.sweepTemporary()).toBe(1);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});
