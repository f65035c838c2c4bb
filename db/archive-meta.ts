/** Facts about the archive itself, kept in its `meta` table. */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from './database.ts';
import { meta } from './schema.ts';

const ARCHIVE_ID = /^[0-9a-f]{32}$/;

/**
 * The archive's own random id, made once. Mailbox passwords are bound to it (main/secrets), so a
 * password confirmed in one archive is never used by another one that names the same address. A value
 * that is not a well-formed id (an archive prepared by hand) was never one a password was bound to:
 * it is replaced.
 */
export function archiveId(db: Db): string {
  const read = () => db.select().from(meta).where(eq(meta.key, 'archive_id')).get()?.value;
  const current = read();
  if (current !== undefined && ARCHIVE_ID.test(current)) return current;
  const id = randomBytes(16).toString('hex');
  if (current === undefined) {
    // Two processes opening a new archive at once (the app and the CLI) agree on the first id written.
    db.insert(meta).values({ key: 'archive_id', value: id }).onConflictDoNothing().run();
    return read()!;
  }
  db.update(meta).set({ value: id }).where(eq(meta.key, 'archive_id')).run();
  return id;
}
