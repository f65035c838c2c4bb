/**
 * Opens the archive database: SQLite in WAL mode with synchronous=FULL (a committed message must
 * survive a power cut, because only then may the provider's copy be deleted), foreign keys on,
 * migrations applied at start-up. The archive folder is owner-only (main/private-files.ts).
 */
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import {
  makePrivateDir,
  PRIVATE_FILE_MODE,
  restrictArchiveTree,
  restrictPath,
} from '../main/private-files.ts';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Next to this module in the sources; copied next to the bundle by scripts/build.mjs. */
export function migrationsFolder(): string {
  const local = fileURLToPath(new URL('./migrations/', import.meta.url));
  return existsSync(local) ? local : fileURLToPath(new URL('../../db/migrations/', import.meta.url));
}

export function openDatabase(file: string): Db {
  const loose = prepareDatabaseFile(file);
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 10000');
  // Search reads the index and the text of a page at random places in a db of hundreds of MiB:
  // a 64 MiB page cache and memory-mapped reads keep them off the disk (SQLite's default is 2 MiB).
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  // A migration that rebuilds a table inside drizzle's transaction would cascade-delete rows with
  // foreign keys on (ENVIRONMENT.md): off while migrating, checked after.
  sqlite.pragma('foreign_keys = OFF');
  const db = drizzle(sqlite, { schema }) as Db;
  const before = appliedMigrations(sqlite);
  migrate(db, { migrationsFolder: migrationsFolder() });
  // Only after a migration ran: the check reads every reference of the archive (1.3 s at a
  // million messages with the file cached, 20 s from a cold disk), and with foreign keys on
  // nothing else can break one.
  if (appliedMigrations(sqlite) !== before) {
    const broken = sqlite.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0)
      throw new Error(`archive database has ${broken.length} broken references after migration`);
  }
  sqlite.pragma('foreign_keys = ON');
  restrictArchive(sqlite, file, loose);
  return db;
}

/**
 * A read of the whole archive (the suggestion layer's first build) on a connection of its own, in
 * one read transaction, with a small page cache and no memory map: the pages it reads once go
 * through the operating system's cache instead of this process's memory, and they do not push
 * the pages search keeps out of the archive connection's cache (README "Benchmarks": the layer's
 * build on an archive that had read nothing yet). A db in memory is read on its own connection.
 */
export function readApart<T>(db: Db, read: (reader: Db) => T): T {
  const sqlite = db.$client;
  if (sqlite.memory) return read(db);
  const reader = new Database(sqlite.name, { fileMustExist: true });
  try {
    reader.pragma('query_only = 1');
    reader.pragma('busy_timeout = 10000');
    reader.pragma('cache_size = -2048');
    reader.pragma('mmap_size = 0');
    const readerDb = drizzle(reader, { schema }) as Db;
    return reader.transaction(() => read(readerDb))();
  } finally {
    reader.close();
  }
}

/** How many migrations drizzle recorded as applied (0 for a new database). */
function appliedMigrations(sqlite: Database.Database): number {
  const table = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  return table ? (sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number) : 0;
}

/** The db's sidecar files: SQLite creates them with the database file's mode. */
const SIDECARS = ['-wal', '-shm', '-journal'];

/**
 * Before SQLite opens the file: the folder is made (0700) and a new database file is created 0600,
 * so its WAL and shared-memory files, which SQLite gives the database file's mode, are 0600 from the
 * first byte. True when an existing database was readable by others (an archive from before, or a
 * copy made with `cp -r`): then everything in the folder is made private again.
 */
function prepareDatabaseFile(file: string): boolean {
  makePrivateDir(dirname(file));
  if (!existsSync(file)) {
    closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
    restrictPath(file, PRIVATE_FILE_MODE);
    return false;
  }
  if (process.platform === 'win32') return false;
  const loose = (statSync(file).mode & 0o077) !== 0;
  for (const path of [file, ...SIDECARS.map((s) => file + s)]) restrictPath(path, PRIVATE_FILE_MODE);
  return loose;
}

/** Version of the one-time walk that makes an archive folder owner-only; in meta. */
const PRIVATE_MODES = '1';

/**
 * Archives made before folders were 0700 and files 0600: the walk over objects/ (100k files is about
 * a second) runs once, recorded in meta, and again whenever the database itself is found readable by
 * others (a copy of the folder made with the umask's modes).
 */
function restrictArchive(sqlite: Database.Database, file: string, loose: boolean): void {
  // The database and its sidecars were made private before SQLite opened them (prepareDatabaseFile)
  // and SQLite gives the sidecars the database file's mode: they are not touched now that it holds
  // them (closing any descriptor of them would drop its locks).
  const done = sqlite.prepare("SELECT value FROM meta WHERE key = 'private_modes'").get() as
    | { value: string }
    | undefined;
  if (!loose && done?.value === PRIVATE_MODES) return;
  const base = basename(file);
  const { skipped } = restrictArchiveTree(dirname(file), [base, ...SIDECARS.map((s) => base + s)]);
  if (skipped.length > 0) {
    // Not this user's files (or links): they stay as they are, and the person is told where.
    console.warn(
      `Warning: ${skipped.length} entries of the archive folder are not this user's and were left readable as they are, e.g. ${skipped[0]}`,
    );
  }
  sqlite
    .prepare(
      "INSERT INTO meta(key, value) VALUES ('private_modes', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .run(PRIVATE_MODES);
}

/** The change sequence: every insert or change of a message or thread takes the next number. */
export function nextSeq(db: Db): number {
  // Taken several times per ingested message: prepared once (see prepared below).
  const row = prepared(
    db,
    "INSERT INTO meta(key, value) VALUES ('seq', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value",
  ).get() as { value: string };
  return Number(row.value);
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement, prepared once per connection: preparing costs tens of microseconds, which
 * adds up on paths that run per row (search pages, document rebuilds).
 */
export function prepared(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db.$client);
  if (!cache) {
    cache = new Map();
    statements.set(db.$client, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.$client.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}
