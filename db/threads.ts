/**
 * PEC threads: find or create by the sender's Message-ID, store what reconcile() computed.
 */
import { asc, eq, gt } from 'drizzle-orm';
import type { ThreadSummary } from '../main/pec/reconcile.ts';
import { type Db, nextSeq } from './database.ts';
import { threadRecipients, threads } from './schema.ts';

export type ThreadRow = typeof threads.$inferSelect;

export function findThread(
  db: Db,
  msgid: string | null,
  identificativo: string | null,
): ThreadRow | undefined {
  if (msgid) {
    const byMsgid = db.select().from(threads).where(eq(threads.msgid, msgid)).get();
    if (byMsgid) return byMsgid;
  }
  if (identificativo)
    return db.select().from(threads).where(eq(threads.identificativo, identificativo)).get();
  return undefined;
}

export function createThread(db: Db, msgid: string, identificativo: string | null): number {
  return db
    .insert(threads)
    .values({ msgid, identificativo, direction: 'received', state: 'received', seq: nextSeq(db) })
    .returning({ id: threads.id })
    .get().id;
}

export function setThreadMsgid(db: Db, threadId: number, msgid: string): void {
  db.update(threads)
    .set({ msgid, seq: nextSeq(db) })
    .where(eq(threads.id, threadId))
    .run();
}

export function saveThreadSummary(db: Db, threadId: number, s: ThreadSummary): void {
  db.update(threads)
    .set({
      identificativo: s.identificativo,
      subject: s.subject,
      sender: s.sender,
      direction: s.direction,
      state: s.state,
      acceptedAt: s.acceptedAt,
      acceptanceMissing: s.acceptanceMissing,
      lastActivityAt: s.lastActivityAt,
      recipientCount: s.certifiedCount,
      recipientTotal: s.recipientTotal,
      deliveredCount: s.deliveredCount,
      failedCount: s.failedCount,
      warningCount: s.warningCount,
      pendingCount: s.pendingCount,
      noProofCount: s.noProofCount,
      unverifiedCount: s.unverifiedCount,
      headMessageId: s.headMessageId,
      seq: nextSeq(db),
    })
    .where(eq(threads.id, threadId))
    .run();
  db.delete(threadRecipients).where(eq(threadRecipients.threadId, threadId)).run();
  if (s.recipients.length > 0) {
    db.insert(threadRecipients)
      .values(s.recipients.map((r) => ({ threadId, ...r })))
      .run();
  }
}

export function getThread(db: Db, id: number): ThreadRow | undefined {
  return db.select().from(threads).where(eq(threads.id, id)).get();
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
