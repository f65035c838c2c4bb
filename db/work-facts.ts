/**
 * What routing rules look at in a message (main/work/rules.ts MessageFacts), read in batches: its
 * mailboxes, senders, recipients, subject, attachments and, only when a rule asks, its text.
 */
import { type Db, prepared } from './database.ts';

export interface MessageFactRow {
  id: number;
  threadId: number | null;
  kind: string;
  subject: string | null;
  certifiedSender: string | null;
  originalFrom: string | null;
  fromAddress: string | null;
  certRecipients: string;
  sortDate: string;
  direction: string | null;
  mailboxes: string | null;
  attachments: string | null;
  /** The recipients as full-text search keeps them (To and Cc of ordinary mail too). */
  textRecipients: string | null;
}

const FACTS = `SELECT m.id, m.thread_id AS threadId, m.kind, coalesce(m.original_subject, m.subject) AS subject,
    m.certified_sender AS certifiedSender, m.original_from AS originalFrom, m.from_address AS fromAddress,
    m.cert_recipients AS certRecipients, m.sort_date AS sortDate, t.direction,
    (SELECT json_group_array(DISTINCT a.email) FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id
       JOIN accounts a ON a.id = b.account_id WHERE l.message_id = m.id) AS mailboxes,
    (SELECT json_group_array(json_object('name', coalesce(x.filename, ''), 'type', x.content_type))
       FROM attachments x WHERE x.message_id = m.id) AS attachments,
    (SELECT recipients FROM message_text WHERE message_id = m.id) AS textRecipients
  FROM messages m LEFT JOIN threads t ON t.id = m.thread_id`;

export function factRows(db: Db, ids: readonly number[]): MessageFactRow[] {
  if (ids.length === 0) return [];
  return prepared(db, `${FACTS} WHERE m.id IN (SELECT value FROM json_each(?)) ORDER BY m.id`).all(
    JSON.stringify(ids),
  ) as MessageFactRow[];
}

/** Message ids after `after`, in order, a page at a time (a rule tried on the whole archive). */
export function messageIdsAfter(
  db: Db,
  after: number,
  limit: number,
  accounts: readonly number[] | null,
): number[] {
  return (
    accounts === null
      ? prepared(db, 'SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT ?').pluck().all(after, limit)
      : prepared(
          db,
          `SELECT m.id FROM messages m WHERE m.id > ? AND EXISTS (SELECT 1 FROM message_locations l
             JOIN mailboxes b ON b.id = l.mailbox_id WHERE l.message_id = m.id
               AND b.account_id IN (SELECT value FROM json_each(?))) ORDER BY m.id LIMIT ?`,
        )
          .pluck()
          .all(after, JSON.stringify(accounts), limit)
  ) as number[];
}

/** The body and attachment text full-text search reads (db/search.ts message_text). */
export function messageBody(db: Db, id: number): string {
  const row = prepared(db, 'SELECT body, attachments FROM message_text WHERE message_id = ?').get(id) as
    | { body: string; attachments: string }
    | undefined;
  return row ? `${row.body}\n${row.attachments}` : '';
}
