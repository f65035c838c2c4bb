/**
 * The database side of backups (main/backup/): a consistent snapshot of a live archive.db, what it
 * holds (rows per table), which objects its rows name, and the checks a restore makes.
 */
import Database from 'better-sqlite3';

/**
 * Copies the live database into `dest` with SQLite's online backup API while other processes (the
 * server, the app, a sync) keep writing. The whole copy is one backup step: a step holds a read
 * transaction on the source, and in WAL mode readers never block writers, so the server keeps
 * committing while the copy sees one instant. Page-by-page steps (better-sqlite3's default) would
 * let another connection's commit land between two steps, and SQLite then restarts the backup from
 * the first page: under constant writing it might never finish.
 */
export async function snapshotDatabase(source: string, dest: string): Promise<void> {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    await db.backup(dest, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  // The copy is one self-contained file: rollback journal instead of the source's WAL, so nothing
  // beside it (-wal, -shm) is needed to read it. openDatabase sets WAL again once it is restored.
  const copy = new Database(dest);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** Opens a snapshot or a restored database for reading only. */
export function openSnapshot(file: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true });
}

/** Rows in every ordinary table (virtual tables are counted through their shadow tables). */
export function tableCounts(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  const counts: Record<string, number> = {};
  for (const name of tables)
    counts[name] = db
      .prepare(`SELECT count(*) FROM "${name.replaceAll('"', '""')}"`)
      .pluck()
      .get() as number;
  return counts;
}

/** Tables whose rows name an object of objects/ (object_hash), where they exist in this version. */
const OBJECT_COLUMNS = ['messages', 'outbox', 'emptying_items'];

/**
 * Every object hash the database's rows name, once each, in order, read row by row: an archive of
 * ten years does not need its hundreds of thousands of hashes in memory at once. The iterator holds
 * the connection until it is done.
 */
export function referencedObjects(db: Database.Database): IterableIterator<string> {
  const present = new Set(
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[],
  );
  const parts = OBJECT_COLUMNS.filter((t) => present.has(t)).map((t) => `SELECT object_hash AS h FROM ${t}`);
  if (parts.length === 0) return [][Symbol.iterator]();
  return db
    .prepare(`SELECT DISTINCT h FROM (${parts.join(' UNION ALL ')}) ORDER BY h`)
    .pluck()
    .iterate() as IterableIterator<string>;
}

/** 'ok', or SQLite's list of problems (quick: the cheaper check without index cross-checks). */
export function checkIntegrity(db: Database.Database, quick = false): string {
  const rows = db.pragma(quick ? 'quick_check' : 'integrity_check', { simple: false }) as Record<
    string,
    string
  >[];
  const lines = rows.map((r) => Object.values(r)[0] ?? '');
  return lines.length === 1 && lines[0] === 'ok' ? 'ok' : lines.join('; ');
}
