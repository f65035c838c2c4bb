/**
 * Opens the archive database: SQLite in WAL mode with synchronous=FULL (a committed message must
 * survive a power cut, because only then may the provider's copy be deleted), foreign keys on,
 * migrations applied at start-up.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Next to this module in the sources; copied next to the bundle by scripts/build.mjs. */
export function migrationsFolder(): string {
  const local = fileURLToPath(new URL('./migrations/', import.meta.url));
  return existsSync(local) ? local : fileURLToPath(new URL('../../db/migrations/', import.meta.url));
}

export function openDatabase(file: string): Db {
  mkdirSync(dirname(file), { recursive: true });
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
  migrate(db, { migrationsFolder: migrationsFolder() });
  const broken = sqlite.pragma('foreign_key_check') as unknown[];
  if (broken.length > 0)
    throw new Error(`archive database has ${broken.length} broken references after migration`);
  sqlite.pragma('foreign_keys = ON');
  return db;
}

/** The change sequence: every insert or change of a message or thread takes the next number. */
export function nextSeq(db: Db): number {
  const row = db.$client
    .prepare(
      "INSERT INTO meta(key, value) VALUES ('seq', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value",
    )
    .get() as { value: string };
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
