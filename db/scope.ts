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
 * The mailboxes (account ids) a caller may read: 'all' for the owner, administrators and the CLI
 * (no condition at all: archived messages of a removed mailbox stay theirs), else exactly these.
 * Every list-type query takes one, so a row of another mailbox is never read, let alone sent.
 */
export type Scope = 'all' | readonly number[];

/** A scope's condition on list rows (message `m`, thread `t`), and its parameter. */
export function rowScope(scope: Scope): { sql: string; params: unknown[] } {
  return scope === 'all'
    ? { sql: '1', params: [] }
    : { sql: ROW_IN_ACCOUNTS, params: [JSON.stringify(scope)] };
}

/** Whether the scope reaches this account. */
export function inScope(scope: Scope, accountId: number): boolean {
  return scope === 'all' || scope.includes(accountId);
}

/** Of these messages, those with a copy in a mailbox of the scope. */
export function messagesInScope(db: Db, ids: readonly number[], scope: Scope): Set<number> {
  if (scope === 'all') return new Set(ids);
  return new Set(
    prepared(
      db,
      `SELECT DISTINCT l.message_id FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id
        WHERE l.message_id IN (SELECT value FROM json_each(?)) AND b.account_id IN (SELECT value FROM json_each(?))`,
    )
      .pluck()
      .all(JSON.stringify(ids), JSON.stringify(scope)) as number[],
  );
}

/** Of these threads, those with a member in a mailbox of the scope. */
export function threadsInScope(db: Db, ids: readonly number[], scope: Scope): number[] {
  if (scope === 'all' || ids.length === 0) return [...ids];
  return prepared(
    db,
    `SELECT DISTINCT m.thread_id FROM messages m JOIN message_locations l ON l.message_id = m.id
       JOIN mailboxes b ON b.id = l.mailbox_id
      WHERE m.thread_id IN (SELECT value FROM json_each(?)) AND b.account_id IN (SELECT value FROM json_each(?))`,
  )
    .pluck()
    .all(JSON.stringify(ids), JSON.stringify(scope)) as number[];
}

/** The account a folder (mailboxes.id) belongs to. */
export function accountOfFolder(db: Db, mailboxId: number): number | undefined {
  return prepared(db, 'SELECT account_id FROM mailboxes WHERE id = ?').pluck().get(mailboxId) as
    | number
    | undefined;
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
