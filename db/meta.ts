/**
 * Small facts about the archive kept in `meta` (versions of derived data, progress markers, the
 * work settings ingest reads at every batch): statements prepared once per connection.
 */
import { type Db, prepared } from './database.ts';

export function getMeta(db: Db, key: string): string | undefined {
  return prepared(db, 'SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
}

export function setMeta(db: Db, key: string, value: string): void {
  prepared(
    db,
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function deleteMeta(db: Db, key: string): void {
  prepared(db, 'DELETE FROM meta WHERE key = ?').run(key);
}
