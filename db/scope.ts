/**
 * Which mailboxes (accounts) a message or a thread belongs to, for permission checks: the accounts
 * of the folders its copies sit in. A PEC thread belongs to the mailboxes of all its members.
 */
import type { Db } from './database.ts';
import { prepared } from './database.ts';

export function accountsOfMessage(db: Db, messageId: number): number[] {
  return prepared(
    db,
    `SELECT DISTINCT b.account_id FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id
      WHERE l.message_id = ?`,
  )
    .pluck()
    .all(messageId) as number[];
}

export function accountsOfThread(db: Db, threadId: number): number[] {
  return prepared(
    db,
    `SELECT DISTINCT b.account_id FROM messages m JOIN message_locations l ON l.message_id = m.id
       JOIN mailboxes b ON b.id = l.mailbox_id WHERE m.thread_id = ?`,
  )
    .pluck()
    .all(threadId) as number[];
}

export function messageExists(db: Db, messageId: number): boolean {
  return prepared(db, 'SELECT 1 FROM messages WHERE id = ?').pluck().get(messageId) === 1;
}

/**
 * SQL that keeps only list rows (message `m`, thread `t`) of the given accounts: the row's own
 * copies or those of any member of its thread sit in a folder of one of them. The accounts are a
 * JSON array parameter (json_each), so the statement is prepared once whatever they are.
 */
export const ROW_IN_ACCOUNTS = `EXISTS (SELECT 1 FROM messages x JOIN message_locations l ON l.message_id = x.id
  JOIN mailboxes b ON b.id = l.mailbox_id
  WHERE (x.id = m.id OR (m.thread_id IS NOT NULL AND x.thread_id = m.thread_id))
    AND b.account_id IN (SELECT value FROM json_each(?)))`;
