/** Small facts about the archive kept in `meta` (versions of derived data, progress markers). */
import { eq } from 'drizzle-orm';
import type { Db } from './database.ts';
import { meta } from './schema.ts';

export function getMeta(db: Db, key: string): string | undefined {
  return db.select().from(meta).where(eq(meta.key, key)).get()?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } }).run();
}

export function deleteMeta(db: Db, key: string): void {
  db.delete(meta).where(eq(meta.key, key)).run();
}
