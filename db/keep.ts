/**
 * The SQL of keeping a mailbox (main/keep/): quota samples, emptying policies, runs and their items,
 * and the copies on the server a policy may remove.
 */
import { and, asc, desc, eq, gte } from 'drizzle-orm';
import { type Db, prepared } from './database.ts';
import { emptyingItems, emptyingRuns, keepPolicies, quotaSamples } from './schema.ts';

export type QuotaSampleRow = typeof quotaSamples.$inferSelect;
export type KeepPolicyRow = typeof keepPolicies.$inferSelect;
export type EmptyingRunRow = typeof emptyingRuns.$inferSelect;
export type EmptyingItemRow = typeof emptyingItems.$inferSelect;

export interface NewQuotaSample {
  at: string;
  usedBytes: number;
  limitBytes: number;
  messagesUsed: number | null;
  messagesLimit: number | null;
}

/**
 * Keeps one sample per hour at most: a sync every five minutes would otherwise write 288 rows a
 * day saying the same thing. A sample younger than `mergeMs` is replaced by the newer reading.
 */
export function saveQuotaSample(db: Db, accountId: number, s: NewQuotaSample, mergeMs = 3_600_000): void {
  const last = latestQuotaSample(db, accountId);
  if (last && Date.parse(s.at) - Date.parse(last.at) < mergeMs && Date.parse(s.at) >= Date.parse(last.at)) {
    db.update(quotaSamples).set(s).where(eq(quotaSamples.id, last.id)).run();
    return;
  }
  db.insert(quotaSamples)
    .values({ accountId, ...s })
    .run();
}

export function latestQuotaSample(db: Db, accountId: number): QuotaSampleRow | undefined {
  return db
    .select()
    .from(quotaSamples)
    .where(eq(quotaSamples.accountId, accountId))
    .orderBy(desc(quotaSamples.at), desc(quotaSamples.id))
    .limit(1)
    .get();
}

/** Samples since `since` (ISO), oldest first. */
export function quotaSamplesSince(db: Db, accountId: number, since: string): QuotaSampleRow[] {
  return db
    .select()
    .from(quotaSamples)
    .where(and(eq(quotaSamples.accountId, accountId), gte(quotaSamples.at, since)))
    .orderBy(asc(quotaSamples.at), asc(quotaSamples.id))
    .all();
}

export function keepPolicyOf(db: Db, accountId: number): KeepPolicyRow | undefined {
  return db.select().from(keepPolicies).where(eq(keepPolicies.accountId, accountId)).get();
}

export function saveKeepPolicy(
  db: Db,
  accountId: number,
  values: Partial<Omit<KeepPolicyRow, 'accountId'>>,
): KeepPolicyRow {
  return db
    .insert(keepPolicies)
    .values({ accountId, ...values })
    .onConflictDoUpdate({ target: keepPolicies.accountId, set: values })
    .returning()
    .get();
}

/** Policies a sync may run by itself. */
export function enabledKeepPolicies(db: Db): KeepPolicyRow[] {
  return db.select().from(keepPolicies).where(eq(keepPolicies.enabled, true)).all();
}

/** A copy of a message on the server that emptying may consider. */
export interface ServerCopy {
  mailboxId: number;
  path: string;
  uid: number;
  messageId: number;
  objectHash: string;
  size: number;
  /** The server's arrival date (INTERNALDATE), else the message's own date. */
  date: string;
  kind: string;
  threadId: number | null;
  subject: string | null;
  from: string | null;
}

/**
 * The account's copies still on the server (not removed, not in a folder of the archive only),
 * oldest first; one folder when `folder` is given. What is old is the server's INTERNALDATE, the
 * date the copy has taken space there, else the message's own date.
 */
export function serverCopies(db: Db, accountId: number, folder: string | null): ServerCopy[] {
  return prepared(
    db,
    `SELECT l.mailbox_id AS mailboxId, b.path AS path, l.uid AS uid, m.id AS messageId,
            m.object_hash AS objectHash, m.size AS size,
            COALESCE(NULLIF(l.internal_date, ''), NULLIF(m.sort_date, ''), m.archived_at) AS date,
            m.kind AS kind, m.thread_id AS threadId,
            COALESCE(m.original_subject, m.subject) AS subject,
            COALESCE(m.certified_sender, m.original_from, m.from_address) AS "from"
       FROM message_locations l
       JOIN mailboxes b ON b.id = l.mailbox_id
       JOIN messages m ON m.id = l.message_id
      WHERE b.account_id = ? AND b.local = 0 AND l.removed_at IS NULL AND (? IS NULL OR b.path = ?)
      ORDER BY date ASC, l.mailbox_id ASC, l.uid ASC`,
  ).all(accountId, folder, folder) as ServerCopy[];
}

export function insertEmptyingRun(
  db: Db,
  run: Pick<EmptyingRunRow, 'accountId' | 'policy' | 'startedAt' | 'actor' | 'actorName' | 'origin'>,
): number {
  return db
    .insert(emptyingRuns)
    .values({ ...run, state: 'running' })
    .returning({ id: emptyingRuns.id })
    .get().id;
}

export function insertEmptyingItems(
  db: Db,
  runId: number,
  items: Pick<EmptyingItemRow, 'mailboxId' | 'uid' | 'messageId' | 'objectHash' | 'size'>[],
): void {
  for (let i = 0; i < items.length; i += 200) {
    db.insert(emptyingItems)
      .values(items.slice(i, i + 200).map((it) => ({ ...it, runId, state: 'planned' as const })))
      .run();
  }
}

export function getEmptyingRun(db: Db, id: number): EmptyingRunRow | undefined {
  return db.select().from(emptyingRuns).where(eq(emptyingRuns.id, id)).get();
}

/** Runs left 'running' by a process that stopped, for this account (or every account). */
export function unfinishedRuns(db: Db, accountId?: number): EmptyingRunRow[] {
  return db
    .select()
    .from(emptyingRuns)
    .where(
      accountId === undefined
        ? eq(emptyingRuns.state, 'running')
        : and(eq(emptyingRuns.state, 'running'), eq(emptyingRuns.accountId, accountId)),
    )
    .orderBy(asc(emptyingRuns.id))
    .all();
}

export function recentRuns(db: Db, accountId: number, limit = 20): EmptyingRunRow[] {
  return db
    .select()
    .from(emptyingRuns)
    .where(eq(emptyingRuns.accountId, accountId))
    .orderBy(desc(emptyingRuns.id))
    .limit(limit)
    .all();
}

export function runItems(db: Db, runId: number): EmptyingItemRow[] {
  return db
    .select()
    .from(emptyingItems)
    .where(eq(emptyingItems.runId, runId))
    .orderBy(asc(emptyingItems.mailboxId), asc(emptyingItems.uid))
    .all();
}

export function setItemState(
  db: Db,
  runId: number,
  mailboxId: number,
  uid: number,
  state: EmptyingItemRow['state'],
  reason: string | null,
  at: string | null,
): void {
  db.update(emptyingItems)
    .set({ state, reason, doneAt: at })
    .where(
      and(eq(emptyingItems.runId, runId), eq(emptyingItems.mailboxId, mailboxId), eq(emptyingItems.uid, uid)),
    )
    .run();
}

/** The run's counts from its items, and its end. */
export function finishEmptyingRun(
  db: Db,
  runId: number,
  state: 'done' | 'failed',
  at: string,
  error: string | null,
): void {
  const counts = prepared(
    db,
    `SELECT count(*) AS candidates, sum(state = 'deleted') AS deleted, sum(state = 'skipped') AS skipped
       FROM emptying_items WHERE run_id = ?`,
  ).get(runId) as { candidates: number; deleted: number | null; skipped: number | null };
  db.update(emptyingRuns)
    .set({
      state,
      finishedAt: at,
      error,
      candidates: counts.candidates,
      deleted: counts.deleted ?? 0,
      skipped: counts.skipped ?? 0,
    })
    .where(eq(emptyingRuns.id, runId))
    .run();
}

/**
 * The copy is gone from the server: its location is kept (the message still belongs to this
 * folder in the archive) and marked removed; read states waiting for it have nowhere to go.
 */
export function markLocationRemoved(db: Db, mailboxId: number, uid: number, at: string): void {
  prepared(db, 'UPDATE message_locations SET removed_at = ? WHERE mailbox_id = ? AND uid = ?').run(
    at,
    mailboxId,
    uid,
  );
  prepared(db, 'DELETE FROM flag_changes WHERE mailbox_id = ? AND uid = ?').run(mailboxId, uid);
}

/** The folder's UIDVALIDITY as the archive recorded it (null before the first sync). */
export function folderUidValidity(db: Db, mailboxId: number): string | null {
  return (
    (prepared(db, 'SELECT uid_validity FROM mailboxes WHERE id = ?').pluck().get(mailboxId) as
      | string
      | null
      | undefined) ?? null
  );
}

/** How many copies of the account were removed from its server by emptying. */
export function countRemovedCopies(db: Db, accountId: number): number {
  return db.$client
    .prepare(
      `SELECT count(*) FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id
        WHERE b.account_id = ? AND l.removed_at IS NOT NULL`,
    )
    .pluck()
    .get(accountId) as number;
}

/** Every copy of the mailbox's messages in the archive's folders, as the emptying preview lists them. */
export interface ArchivedCopy {
  mailboxId: number;
  uid: number;
  subject: string | null;
  from: string | null;
  date: string;
}

export function archivedCopies(db: Db, accountId: number): ArchivedCopy[] {
  return prepared(
    db,
    `SELECT l.mailbox_id AS mailboxId, l.uid AS uid, COALESCE(m.original_subject, m.subject) AS subject,
            COALESCE(m.certified_sender, m.original_from, m.from_address) AS "from",
            COALESCE(NULLIF(l.internal_date, ''), NULLIF(m.sort_date, ''), m.archived_at) AS date
       FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id JOIN messages m ON m.id = l.message_id
      WHERE b.account_id = ?`,
  ).all(accountId) as ArchivedCopy[];
}
