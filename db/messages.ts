/**
 * Message rows: insert once per object hash, where each copy sits on the server, attachments,
 * and the reads the CLI and the UI need.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { type Db, nextSeq, prepared } from './database.ts';
import { withPendingChanges } from './flags.ts';
import { insertRow, rowColumns, toRow } from './rows.ts';
import { attachments, mailboxes, messageLocations, messages } from './schema.ts';

export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = Omit<typeof messages.$inferInsert, 'id' | 'seq'>;
export type NewAttachment = Omit<typeof attachments.$inferInsert, 'id' | 'messageId'>;

export interface Location {
  mailboxId: number;
  uid: number;
  flags: string[];
  modseq?: string | null;
  internalDate?: string | null;
}

/**
 * The ingest writer's statements below (per batch: findMessageIdsByHash; per message: the insert,
 * its location, its thread, its thread's members) are prepared once per connection (prepared,
 * rows.ts): building them through drizzle and preparing them again per message was most of the
 * writer's time (issue 11).
 */
export function findMessageIdsByHash(db: Db, hashes: string[]): Map<string, number> {
  const out = new Map<string, number>();
  const byHash = prepared(
    db,
    'SELECT id, object_hash AS hash FROM messages WHERE object_hash IN (SELECT value FROM json_each(?))',
  );
  for (let i = 0; i < hashes.length; i += 500) {
    const chunk = hashes.slice(i, i + 500);
    for (const row of byHash.all(JSON.stringify(chunk)) as { id: number; hash: string }[])
      out.set(row.hash, row.id);
  }
  return out;
}

export function insertMessage(db: Db, row: NewMessage, files: NewAttachment[]): number {
  const id = insertRow(db, messages, { ...row, seq: nextSeq(db) });
  for (const f of files) insertRow(db, attachments, { ...f, messageId: id });
  return id;
}

export function upsertLocation(db: Db, messageId: number, loc: Location): void {
  const flags = JSON.stringify(loc.flags);
  const modseq = loc.modseq ?? null;
  prepared(
    db,
    `INSERT INTO message_locations (mailbox_id, uid, message_id, flags, modseq, internal_date) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (mailbox_id, uid) DO UPDATE SET message_id = ?, flags = ?, modseq = ?`,
  ).run(loc.mailboxId, loc.uid, messageId, flags, modseq, loc.internalDate ?? null, messageId, flags, modseq);
}

export function updateLocationFlags(
  db: Db,
  mailboxId: number,
  uid: number,
  flags: string[],
  modseq: string | null,
): void {
  db.update(messageLocations)
    .set({ flags: JSON.stringify(withPendingChanges(db, mailboxId, uid, flags)), modseq })
    .where(and(eq(messageLocations.mailboxId, mailboxId), eq(messageLocations.uid, uid)))
    .run();
}

export function setMessageThread(db: Db, messageId: number, threadId: number): void {
  const seq = nextSeq(db);
  prepared(db, 'UPDATE messages SET thread_id = ?, seq = ? WHERE id = ?').run(threadId, seq, messageId);
}

/** Messages not yet in a thread whose own Message-ID is the PEC's: a sent copy synced first. */
export function unthreadedByMessageId(db: Db, messageId: string): number[] {
  return prepared(db, 'SELECT id FROM messages WHERE message_id = ? AND thread_id IS NULL')
    .pluck()
    .all(messageId) as number[];
}

export function threadMembers(db: Db, threadId: number): MessageRow[] {
  return (
    prepared(
      db,
      `SELECT ${rowColumns(messages, 'm')} FROM messages m WHERE m.thread_id = ? ORDER BY m.cert_date, m.id`,
    ).all(threadId) as Record<string, unknown>[]
  ).map((r) => toRow(messages, r));
}

export interface MessageListItem {
  id: number;
  mailbox: string | null;
  account: number | null;
  kind: string;
  subject: string | null;
  date: string | null;
  threadId: number | null;
}

/** Every archived message with one of its folders, newest first. */
export function listMessages(db: Db, limit = 1_000_000, offset = 0): MessageListItem[] {
  return db
    .select({
      id: messages.id,
      kind: messages.kind,
      subject: sql<string | null>`coalesce(${messages.originalSubject}, ${messages.subject})`,
      date: sql<string | null>`coalesce(${messages.certDate}, ${messages.date}, ${messages.archivedAt})`,
      threadId: messages.threadId,
      // Column names written out: inside the subquery drizzle's bare "id" binds to mailboxes.id.
      mailbox: sql<
        string | null
      >`(select m.path from message_locations l join mailboxes m on m.id = l.mailbox_id where l.message_id = "messages"."id" order by l.mailbox_id limit 1)`,
      account: sql<
        number | null
      >`(select m.account_id from message_locations l join mailboxes m on m.id = l.mailbox_id where l.message_id = "messages"."id" order by l.mailbox_id limit 1)`,
    })
    .from(messages)
    .orderBy(
      desc(sql`coalesce(${messages.certDate}, ${messages.date}, ${messages.archivedAt})`),
      desc(messages.id),
    )
    .limit(limit)
    .offset(offset)
    .all();
}

export function getMessage(db: Db, id: number): MessageRow | undefined {
  return db.select().from(messages).where(eq(messages.id, id)).get();
}

export function messageAttachments(db: Db, messageId: number) {
  return db.select().from(attachments).where(eq(attachments.messageId, messageId)).all();
}

export function messageLocationsOf(db: Db, messageId: number) {
  return db
    .select({
      mailboxId: messageLocations.mailboxId,
      path: mailboxes.path,
      accountId: mailboxes.accountId,
      uid: messageLocations.uid,
      flags: messageLocations.flags,
    })
    .from(messageLocations)
    .innerJoin(mailboxes, eq(mailboxes.id, messageLocations.mailboxId))
    .where(eq(messageLocations.messageId, messageId))
    .all();
}

export function countMessages(db: Db): number {
  return db.select({ n: sql<number>`count(*)` }).from(messages).get()?.n ?? 0;
}

export function allObjectHashes(db: Db): string[] {
  return db
    .select({ h: messages.objectHash })
    .from(messages)
    .all()
    .map((r) => r.h);
}

/** The subject a list row shows: the original's for a receipt or an envelope, else its own. */
export function rowSubject(db: Db, messageId: number): string | null {
  return (
    (prepared(db, 'SELECT coalesce(original_subject, subject) FROM messages WHERE id = ?')
      .pluck()
      .get(messageId) as string | null | undefined) ?? null
  );
}
