/**
 * Full-text search (SQLite FTS5 in the archive db): the index is written with the message, and
 * queries combine the MATCH with filters in SQL. A hit on a receipt or an envelope stands for its
 * whole PEC thread: results are thread heads (or messages outside any thread).
 */
import type { SearchText } from '../main/archive/message-record.ts';
import type { SearchFilters } from '../main/search/query.ts';
import type { Db } from './database.ts';
import type { MessageRow } from './messages.ts';
import { type ListRow, ROW_SELECT } from './views.ts';

/**
 * The version of what ingest puts in the index: 2 added attachment text. Messages indexed by an
 * older version are re-indexed in the background (staleInIndex). The partial index
 * messages_search_stale (db/schema.ts) is written with this number: change both together.
 */
export const SEARCH_VERSION = 2;

/** At ingest, in the message's transaction; the row is inserted with searchVersion = SEARCH_VERSION. */
export function indexMessage(db: Db, messageId: number, text: SearchText): void {
  db.$client
    .prepare(
      'INSERT INTO message_fts(rowid, subject, sender, recipients, body, attachments) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(messageId, text.subject, text.sender, text.recipients, text.body, text.attachments);
}

export interface AttachmentTextStatus {
  textStatus: 'ok' | 'empty' | 'unsupported' | 'failed';
  textError: string | null;
}

/** Replaces a message's index entry (back-fill), with what extraction said of each attachment. */
export function reindexMessage(
  db: Db,
  messageId: number,
  text: SearchText,
  attachmentStatus: readonly AttachmentTextStatus[],
): void {
  db.$client.prepare('DELETE FROM message_fts WHERE rowid = ?').run(messageId);
  indexMessage(db, messageId, text);
  db.$client.prepare(`UPDATE messages SET search_version = ${SEARCH_VERSION} WHERE id = ?`).run(messageId);
  const ids = db.$client
    .prepare('SELECT id FROM attachments WHERE message_id = ? ORDER BY id')
    .pluck()
    .all(messageId) as number[];
  const update = db.$client.prepare('UPDATE attachments SET text_status = ?, text_error = ? WHERE id = ?');
  ids.forEach((id, i) => {
    const s = attachmentStatus[i];
    if (s) update.run(s.textStatus, s.textError, id);
  });
}

/** Messages indexed by an older version (or not at all), oldest first. */
export type StaleMessage = Pick<
  MessageRow,
  'id' | 'objectHash' | 'archivedAt' | 'subject' | 'originalSubject'
>;

export function staleInIndex(db: Db, limit: number): StaleMessage[] {
  return db.$client
    .prepare(
      `SELECT id, object_hash AS objectHash, archived_at AS archivedAt, subject, original_subject AS originalSubject
       FROM messages WHERE search_version < ${SEARCH_VERSION} ORDER BY id LIMIT ?`,
    )
    .all(limit) as StaleMessage[];
}

export function countStaleInIndex(db: Db): number {
  return (
    db.$client
      .prepare(`SELECT count(*) AS n FROM messages WHERE search_version < ${SEARCH_VERSION}`)
      .get() as {
      n: number;
    }
  ).n;
}

export function emptySearchText(subject: string | null): SearchText {
  return { subject: subject ?? '', sender: '', recipients: '', body: '', attachments: '' };
}

export interface SearchHit extends ListRow {
  /** Subject and body excerpt with matches between \u0002 and \u0003 (the UI highlights them). */
  subjectHighlight: string | null;
  snippet: string | null;
}

export interface SearchOptions {
  match: string | null;
  filters: SearchFilters;
  sort: 'date' | 'relevance';
  offset: number;
  limit: number;
}

function filterSql(filters: SearchFilters): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (filters.mailbox) {
    sql.push(
      `EXISTS (SELECT 1 FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id JOIN messages x ON x.id = l.message_id
        WHERE (b.path = ? OR b.name = ?) AND (x.id = m.id OR (m.thread_id IS NOT NULL AND x.thread_id = m.thread_id)))`,
    );
    params.push(filters.mailbox, filters.mailbox);
  }
  if (filters.after) {
    sql.push('m.sort_date >= ?');
    params.push(filters.after);
  }
  if (filters.before) {
    sql.push('m.sort_date < ?');
    params.push(filters.before);
  }
  if (filters.hasAttachment)
    sql.push(
      '(m.has_attachments = 1 OR EXISTS (SELECT 1 FROM messages y WHERE y.thread_id = m.thread_id AND y.has_attachments = 1))',
    );
  if (filters.state === 'failed')
    sql.push(`(t.state IN ('failed', 'partial', 'rejected') OR t.failed_count > 0)`);
  if (filters.state === 'delivered') sql.push(`t.state = 'delivered'`);
  if (filters.state === 'pending') sql.push(`t.direction = 'sent' AND t.state IN ('sent', 'accepted')`);
  return { sql, params };
}

export function searchMessages(db: Db, options: SearchOptions): { total: number; hits: SearchHit[] } {
  const f = filterSql(options.filters);
  const params: unknown[] = [];
  // Matching messages, each replaced by the head of its thread. (LIMIT -1 keeps SQLite from
  // flattening the FTS query into the aggregate, where bm25() may not run.)
  const matched = options.match
    ? `SELECT coalesce(t0.head_message_id, x.id) AS id, min(f.rank) AS rank
         FROM (SELECT rowid AS rid, bm25(message_fts, 10.0, 5.0, 5.0, 1.0, 3.0) AS rank FROM message_fts WHERE message_fts MATCH ? LIMIT -1) f
         JOIN messages x ON x.id = f.rid LEFT JOIN threads t0 ON t0.id = x.thread_id GROUP BY 1`
    : `SELECT coalesce(t0.head_message_id, x.id) AS id, 0 AS rank FROM messages x LEFT JOIN threads t0 ON t0.id = x.thread_id GROUP BY 1`;
  if (options.match) params.push(options.match);
  const where = f.sql.length ? `WHERE ${f.sql.join(' AND ')}` : '';
  const base = `FROM (${matched}) hit JOIN messages m ON m.id = hit.id LEFT JOIN threads t ON t.id = m.thread_id ${where}`;
  const total = (
    db.$client.prepare(`SELECT count(*) AS n ${base}`).get(...params, ...f.params) as { n: number }
  ).n;
  const order =
    options.sort === 'relevance' ? 'hit.rank ASC, m.sort_date DESC' : 'm.sort_date DESC, m.id DESC';
  const highlightSource = options.match
    ? `(SELECT highlight(message_fts, 0, char(2), char(3)) FROM message_fts WHERE message_fts MATCH ? AND rowid = m.id) AS subjectHighlight,
       (SELECT snippet(message_fts, 3, char(2), char(3), '…', 12) FROM message_fts WHERE message_fts MATCH ? AND rowid = m.id) AS snippet`
    : 'NULL AS subjectHighlight, NULL AS snippet';
  const rows = db.$client
    .prepare(`SELECT ${ROW_SELECT}, ${highlightSource} ${base} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(
      ...(options.match ? [options.match, options.match] : []),
      ...params,
      ...f.params,
      options.limit,
      options.offset,
    ) as (Omit<SearchHit, 'hasAttachments' | 'seen'> & {
    hasAttachments: number;
    seen: number;
  })[];
  return {
    total,
    hits: rows.map((r) => ({ ...r, hasAttachments: Boolean(r.hasAttachments), seen: Boolean(r.seen) })),
  };
}
