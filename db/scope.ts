/**
 * Which mailboxes (accounts) a message or a thread belongs to, for permission checks: the accounts
 * of the folders its copies sit in, and, for a PEC PecDesk sent, the sending mailbox (its copy is in
 * the archive at once, in the Sent folder only once the server has it). A PEC thread belongs to the
 * mailboxes of all its members.
 */
import type { Db } from './database.ts';
import { prepared } from './database.ts';

/** (message, account) pairs: folders, and the outbox's sent copies. */
const HOMES = `SELECT l.message_id AS message_id, b.account_id AS account_id
    FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id
  UNION SELECT o.archived_message_id, o.account_id FROM outbox o
    WHERE o.archived_message_id IS NOT NULL AND o.account_id IS NOT NULL`;

export function accountsOfMessage(db: Db, messageId: number): number[] {
  return prepared(
    db,
    `SELECT b.account_id FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id WHERE l.message_id = ?
     UNION SELECT account_id FROM outbox WHERE archived_message_id = ? AND account_id IS NOT NULL`,
  )
    .pluck()
    .all(messageId, messageId) as number[];
}

export function accountsOfThread(db: Db, threadId: number): number[] {
  return prepared(
    db,
    `SELECT DISTINCT h.account_id FROM messages m JOIN (${HOMES}) h ON h.message_id = m.id WHERE m.thread_id = ?`,
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
    : { sql: ROW_IN_ACCOUNTS, params: [JSON.stringify(scope), JSON.stringify(scope)] };
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
      `SELECT DISTINCT h.message_id FROM (${HOMES}) h
        WHERE h.message_id IN (SELECT value FROM json_each(?)) AND h.account_id IN (SELECT value FROM json_each(?))`,
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
    `SELECT DISTINCT m.thread_id FROM messages m JOIN (${HOMES}) h ON h.message_id = m.id
      WHERE m.thread_id IN (SELECT value FROM json_each(?)) AND h.account_id IN (SELECT value FROM json_each(?))`,
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
 * copies or those of any member of its thread sit in a folder of one of them, or were sent from one
 * of them. The accounts are a JSON array parameter (json_each), given twice (rowScope: plain `?`,
 * so the condition goes anywhere among others'), and the statement is prepared once whatever they are.
 */
export const ROW_IN_ACCOUNTS = `EXISTS (SELECT 1 FROM messages x
  WHERE (x.id = m.id OR (m.thread_id IS NOT NULL AND x.thread_id = m.thread_id))
    AND (EXISTS (SELECT 1 FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id
                  WHERE l.message_id = x.id AND b.account_id IN (SELECT value FROM json_each(?)))
      OR EXISTS (SELECT 1 FROM outbox o
                  WHERE o.archived_message_id = x.id AND o.account_id IN (SELECT value FROM json_each(?)))))`;
