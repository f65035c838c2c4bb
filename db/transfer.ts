/** The SQL of importing into a folder that lives only in the archive (main/transfer/import.ts). */
import { type Db, prepared } from './database.ts';

export class LocalFolderError extends Error {}

/**
 * The account's archive-only folder at `path`, made when missing; refused when the server has a
 * folder of that path (the sync owns it).
 */
export function localFolder(
  db: Db,
  accountId: number,
  path: string,
  name: string,
): { id: number; lastUid: number } {
  const found = prepared(
    db,
    'SELECT id, local, last_uid AS lastUid FROM mailboxes WHERE account_id = ? AND path = ?',
  ).get(accountId, path) as { id: number; local: number; lastUid: number } | undefined;
  if (found && !found.local)
    throw new LocalFolderError(`the mailbox already has a folder ${path} on its server`);
  if (found) return { id: found.id, lastUid: found.lastUid };
  const id = prepared(
    db,
    'INSERT INTO mailboxes (account_id, path, name, local, uid_validity) VALUES (?, ?, ?, 1, ?) RETURNING id',
  )
    .pluck()
    .get(accountId, path, name, 'local') as number;
  return { id, lastUid: 0 };
}

/** Of these object hashes, those already in the folder (an import run again adds nothing). */
export function hashesInFolder(db: Db, mailboxId: number, hashes: string[]): Set<string> {
  if (hashes.length === 0) return new Set();
  return new Set(
    prepared(
      db,
      `SELECT m.object_hash FROM message_locations l JOIN messages m ON m.id = l.message_id
        WHERE l.mailbox_id = ? AND m.object_hash IN (SELECT value FROM json_each(?))`,
    )
      .pluck()
      .all(mailboxId, JSON.stringify(hashes)) as string[],
  );
}
