/**
 * The read state of a message, kept as IMAP's \Seen flag on each place it sits, and the changes
 * made here that the server has not been told yet (flag_changes). A local change waits in
 * flag_changes until the account's sync writes it (UID STORE); meanwhile flags read from the
 * server do not undo it.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from './database.ts';
import { flagChanges, messageLocations } from './schema.ts';

export const SEEN = '\\Seen';

interface PlaceRow {
  mailboxId: number;
  uid: number;
  flags: string;
  accountId: number;
  writeSeen: number;
}

function withFlag(flags: string[], flag: string, on: boolean): string[] {
  const without = flags.filter((f) => f.toLowerCase() !== flag.toLowerCase());
  return on ? [...without, flag] : without;
}

/**
 * Marks a message read or unread in every folder it sits in, and queues the change for the
 * servers of the accounts that write \Seen back (the person's choice per account). Returns those
 * accounts' ids, whose sync should run the change.
 */
export function setMessageSeen(db: Db, messageId: number, seen: boolean, at = new Date()): number[] {
  const places = db.$client
    .prepare(
      `SELECT l.mailbox_id AS mailboxId, l.uid, l.flags, b.account_id AS accountId, a.write_seen AS writeSeen
         FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id JOIN accounts a ON a.id = b.account_id
        WHERE l.message_id = ?`,
    )
    .all(messageId) as PlaceRow[];
  const accounts = new Set<number>();
  db.$client.transaction(() => {
    for (const p of places) {
      db.update(messageLocations)
        .set({ flags: JSON.stringify(withFlag(JSON.parse(p.flags) as string[], SEEN, seen)) })
        .where(and(eq(messageLocations.mailboxId, p.mailboxId), eq(messageLocations.uid, p.uid)))
        .run();
      if (!p.writeSeen) continue;
      db.insert(flagChanges)
        .values({ mailboxId: p.mailboxId, uid: p.uid, flag: SEEN, value: seen, changedAt: at.toISOString() })
        .onConflictDoUpdate({
          target: [flagChanges.mailboxId, flagChanges.uid, flagChanges.flag],
          set: { value: seen, changedAt: at.toISOString() },
        })
        .run();
      accounts.add(p.accountId);
    }
  })();
  return [...accounts];
}

/** Whether any place of the message has \Seen. */
export function isMessageSeen(db: Db, messageId: number): boolean {
  return (
    db.$client
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM message_locations WHERE message_id = ? AND flags LIKE '%\\Seen%')`,
      )
      .pluck()
      .get(messageId) === 1
  );
}

export interface PendingFlagChange {
  mailboxId: number;
  path: string;
  uid: number;
  flag: string;
  value: boolean;
  changedAt: string;
}

/** The changes an account's server has not been told yet, folder by folder. */
export function pendingFlagChanges(db: Db, accountId: number): PendingFlagChange[] {
  return (
    db.$client
      .prepare(
        `SELECT c.mailbox_id AS mailboxId, b.path, c.uid, c.flag, c.value, c.changed_at AS changedAt
           FROM flag_changes c JOIN mailboxes b ON b.id = c.mailbox_id
          WHERE b.account_id = ? ORDER BY b.path, c.uid`,
      )
      .all(accountId) as (Omit<PendingFlagChange, 'value'> & { value: number })[]
  ).map((c) => ({ ...c, value: Boolean(c.value) }));
}

/** The server was told: forget the change, unless the person changed it again meanwhile. */
export function clearFlagChange(db: Db, change: PendingFlagChange): void {
  db.$client
    .prepare('DELETE FROM flag_changes WHERE mailbox_id = ? AND uid = ? AND flag = ? AND changed_at = ?')
    .run(change.mailboxId, change.uid, change.flag, change.changedAt);
}

/**
 * Flags as the server reports them, with the changes made here and not yet written applied on
 * top: a flag sync that runs before the write must not undo what the person just did.
 */
export function withPendingChanges(db: Db, mailboxId: number, uid: number, flags: string[]): string[] {
  const pending = db.$client
    .prepare('SELECT flag, value FROM flag_changes WHERE mailbox_id = ? AND uid = ?')
    .all(mailboxId, uid) as { flag: string; value: number }[];
  return pending.reduce((acc, p) => withFlag(acc, p.flag, Boolean(p.value)), flags);
}
