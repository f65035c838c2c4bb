/** The SQL of conservation packages and exports (main/conservation/, main/transfer/). */
import { type Db, prepared } from './database.ts';

/**
 * The PEC threads whose head (sent copy, envelope, else a receipt) is dated in [from, to), oldest
 * first; only those with a copy in the account when one is given.
 */
export function threadsInPeriod(
  db: Db,
  from: string,
  to: string,
  accountId: number | null,
): { threadId: number; headId: number; date: string }[] {
  return prepared(
    db,
    `SELECT t.id AS threadId, h.id AS headId, h.sort_date AS date
       FROM threads t JOIN messages h ON h.id = t.head_message_id
      WHERE h.sort_date >= ? AND h.sort_date < ?
        AND (? IS NULL OR EXISTS (SELECT 1 FROM messages x JOIN message_locations l ON l.message_id = x.id
               JOIN mailboxes b ON b.id = l.mailbox_id WHERE x.thread_id = t.id AND b.account_id = ?))
      ORDER BY h.sort_date, t.id`,
  ).all(from, to, accountId, accountId) as { threadId: number; headId: number; date: string }[];
}

/** The accounts a thread's members sit in (their addresses), for the package's metadata. */
export function threadMailboxes(db: Db, threadId: number): string[] {
  return prepared(
    db,
    `SELECT DISTINCT a.email FROM messages m JOIN message_locations l ON l.message_id = m.id
       JOIN mailboxes b ON b.id = l.mailbox_id JOIN accounts a ON a.id = b.account_id
      WHERE m.thread_id = ? ORDER BY a.email`,
  )
    .pluck()
    .all(threadId) as string[];
}

/** A message to export: where it sits and what the CSV index says of it. */
export interface ExportRow {
  id: number;
  objectHash: string;
  size: number;
  date: string;
  kind: string;
  subject: string | null;
  from: string | null;
  identificativo: string | null;
  messageId: string | null;
  threadId: number | null;
  folder: string;
  uid: number;
  flags: string;
  removedAt: string | null;
}

/**
 * Every copy of the account's messages in a folder (or every folder), dated in [from, to) when
 * given, oldest first; one row per message and folder.
 */
export function exportRows(
  db: Db,
  accountId: number,
  folder: string | null,
  from: string | null,
  to: string | null,
  ids: readonly number[] | null,
): ExportRow[] {
  return prepared(
    db,
    `SELECT m.id AS id, m.object_hash AS objectHash, m.size AS size, m.sort_date AS date, m.kind AS kind,
            COALESCE(m.original_subject, m.subject) AS subject,
            COALESCE(m.certified_sender, m.original_from, m.from_address) AS "from",
            m.identificativo AS identificativo, m.message_id AS messageId, m.thread_id AS threadId,
            b.path AS folder, l.uid AS uid, l.flags AS flags, l.removed_at AS removedAt
       FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id JOIN messages m ON m.id = l.message_id
      WHERE b.account_id = ? AND (? IS NULL OR b.path = ?)
        AND (? IS NULL OR m.sort_date >= ?) AND (? IS NULL OR m.sort_date < ?)
        AND (? IS NULL OR m.id IN (SELECT value FROM json_each(?)))
      ORDER BY b.path, m.sort_date, m.id`,
  ).all(
    accountId,
    folder,
    folder,
    from,
    from,
    to,
    to,
    ids ? 1 : null,
    ids ? JSON.stringify(ids) : null,
  ) as ExportRow[];
}
