/**
 * PEC threads: find or create by the sender's Message-ID, store what reconcile() computed.
 */
import { asc, eq, gt } from 'drizzle-orm';
import type { ThreadSummary } from '../main/pec/reconcile.ts';
import { type Db, nextSeq, prepared } from './database.ts';
import { insertRow, rowColumns, toRow } from './rows.ts';
import { threadRecipients, threads } from './schema.ts';

export type ThreadRow = typeof threads.$inferSelect;

/*
 * Ingest finds, creates and recomputes a thread for every PEC it archives: these statements are
 * prepared once per connection (prepared, rows.ts), not built through drizzle per message (issue 11).
 */
const THREAD_BY = (column: 'msgid' | 'identificativo') =>
  `SELECT ${rowColumns(threads, 't')} FROM threads t WHERE t.${column} = ? LIMIT 1`;

function threadBy(db: Db, column: 'msgid' | 'identificativo', value: string): ThreadRow | undefined {
  const raw = prepared(db, THREAD_BY(column)).get(value) as Record<string, unknown> | undefined;
  return raw ? toRow(threads, raw) : undefined;
}

export function findThread(
  db: Db,
  msgid: string | null,
  identificativo: string | null,
): ThreadRow | undefined {
  if (msgid) {
    const byMsgid = threadBy(db, 'msgid', msgid);
    if (byMsgid) return byMsgid;
  }
  if (identificativo) return threadBy(db, 'identificativo', identificativo);
  return undefined;
}

export function createThread(db: Db, msgid: string, identificativo: string | null): number {
  return insertRow(db, threads, {
    msgid,
    identificativo,
    direction: 'received',
    state: 'received',
    seq: nextSeq(db),
  });
}

export function setThreadMsgid(db: Db, threadId: number, msgid: string): void {
  const seq = nextSeq(db);
  prepared(db, 'UPDATE threads SET msgid = ?, seq = ? WHERE id = ?').run(msgid, seq, threadId);
}

export function saveThreadSummary(db: Db, threadId: number, s: ThreadSummary): void {
  const seq = nextSeq(db);
  prepared(
    db,
    `UPDATE threads SET identificativo = ?, subject = ?, sender = ?, direction = ?, state = ?, accepted_at = ?,
        acceptance_missing = ?, last_activity_at = ?, recipient_count = ?, recipient_total = ?, delivered_count = ?,
        failed_count = ?, warning_count = ?, pending_count = ?, no_proof_count = ?, unverified_count = ?,
        head_message_id = ?, seq = ?
      WHERE id = ?`,
  ).run(
    s.identificativo,
    s.subject,
    s.sender,
    s.direction,
    s.state,
    s.acceptedAt,
    s.acceptanceMissing ? 1 : 0,
    s.lastActivityAt,
    s.certifiedCount,
    s.recipientTotal,
    s.deliveredCount,
    s.failedCount,
    s.warningCount,
    s.pendingCount,
    s.noProofCount,
    s.unverifiedCount,
    s.headMessageId,
    seq,
    threadId,
  );
  prepared(db, 'DELETE FROM thread_recipients WHERE thread_id = ?').run(threadId);
  for (const r of s.recipients) insertRow(db, threadRecipients, { threadId, ...r });
}

export function getThread(db: Db, id: number): ThreadRow | undefined {
  const raw = prepared(db, `SELECT ${rowColumns(threads, 't')} FROM threads t WHERE t.id = ?`).get(id) as
    | Record<string, unknown>
    | undefined;
  return raw ? toRow(threads, raw) : undefined;
}

export function threadRecipientsOf(db: Db, threadId: number) {
  return db
    .select()
    .from(threadRecipients)
    .where(eq(threadRecipients.threadId, threadId))
    .orderBy(asc(threadRecipients.address))
    .all();
}

/** Thread ids after `afterId`, in order: batches for re-reconciling an archive. */
export function threadIdsAfter(db: Db, afterId: number, limit: number): number[] {
  return db
    .select({ id: threads.id })
    .from(threads)
    .where(gt(threads.id, afterId))
    .orderBy(asc(threads.id))
    .limit(limit)
    .all()
    .map((r) => r.id);
}

export function countThreadsAfter(db: Db, afterId: number): number {
  return db.$client.prepare('SELECT count(*) FROM threads WHERE id > ?').pluck().get(afterId) as number;
}
