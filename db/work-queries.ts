/**
 * The reads of work across the archive (issue 14): reminders and escalations due, the "Scadenze"
 * agenda, `work list`, and the reports. Every list a person sees is scoped by their mailboxes.
 */
import { type Db, prepared } from './database.ts';
import { rowScope, type Scope } from './scope.ts';
import { type ListRow, type RawListRow, ROW_SELECT, toListRow } from './views.ts';
import { DEFAULT_NEW, JOIN_WORK, WORK_STATE } from './work-sql.ts';

const LISTED = '(m.thread_id IS NULL OR t.head_message_id = m.id)';
const FROM_ROWS = `FROM messages m LEFT JOIN threads t ON t.id = m.thread_id ${JOIN_WORK} WHERE ${LISTED}`;

export interface DueItem {
  itemId: number;
  threadId: number | null;
  messageId: number | null;
  headId: number;
  subject: string | null;
  dueDate: string;
  remindedFor: number | null;
  assigneeUserId: number | null;
  assigneeOfficeId: number | null;
  claimedBy: number | null;
  accountId: number | null;
}

/** Items not handled whose due day is on or before `until` (reminders, overdue notices). */
export function dueItems(db: Db, until: string): DueItem[] {
  return prepared(
    db,
    `SELECT w.id AS itemId, w.thread_id AS threadId, w.message_id AS messageId,
            coalesce(w.message_id, t.head_message_id) AS headId,
            coalesce(t.subject, (SELECT coalesce(original_subject, subject) FROM messages WHERE id = w.message_id)) AS subject,
            w.due_date AS dueDate, w.reminded_for AS remindedFor, w.assignee_user_id AS assigneeUserId,
            w.assignee_office_id AS assigneeOfficeId, w.claimed_by AS claimedBy,
            (SELECT b.account_id FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id
              WHERE l.message_id = coalesce(w.message_id, t.head_message_id) LIMIT 1) AS accountId
       FROM work_items w LEFT JOIN threads t ON t.id = w.thread_id
      WHERE w.due_date IS NOT NULL AND w.due_date <= ? AND coalesce(w.state, '') <> 'done'`,
  ).all(until) as DueItem[];
}

export interface EscalationCandidate {
  headId: number;
  threadId: number | null;
  subject: string | null;
  arrivedAt: string;
  state: string;
  assigneeUserId: number | null;
  assigneeOfficeId: number | null;
  accountId: number | null;
}

/**
 * Incoming PEC nobody took in charge (new or assigned) that arrived between `since` and `before`
 * and were not escalated yet.
 */
export function escalationCandidates(db: Db, since: string, before: string): EscalationCandidate[] {
  return prepared(
    db,
    `SELECT m.id AS headId, m.thread_id AS threadId, coalesce(m.original_subject, m.subject) AS subject,
            m.sort_date AS arrivedAt, ${WORK_STATE} AS state, w.assignee_user_id AS assigneeUserId,
            w.assignee_office_id AS assigneeOfficeId,
            (SELECT b.account_id FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id
              WHERE l.message_id = m.id LIMIT 1) AS accountId
       ${FROM_ROWS} AND m.kind IN ('posta-certificata', 'errore') AND m.sort_date >= ? AND m.sort_date <= ?
        AND w.escalated_at IS NULL AND ${WORK_STATE} IN ('new', 'assigned')`,
  ).all(since, before) as EscalationCandidate[];
}

/** List rows with a due day in [from, to] (the agenda), and those overdue before `from`, not handled. */
export function agendaRows(db: Db, from: string, to: string, scope: Scope): ListRow[] {
  const mine = rowScope(scope);
  return (
    db.$client
      .prepare(
        `SELECT ${ROW_SELECT} ${FROM_ROWS} AND w.due_date IS NOT NULL AND w.due_date <= ?
           AND (w.due_date >= ? OR coalesce(w.state, '') <> 'done') AND ${mine.sql}
         ORDER BY w.due_date, m.sort_date DESC LIMIT 2000`,
      )
      .all(to, from, ...mine.params) as RawListRow[]
  ).map((r) => toListRow(r));
}

/** `work list`: rows by state (any work state when none), overdue only if asked, scoped. */
export function workRows(
  db: Db,
  f: { state?: string; overdueBefore?: string; scope: Scope; limit: number },
): { total: number; rows: ListRow[] } {
  const mine = rowScope(f.scope);
  const where = [
    f.state ? `${WORK_STATE} = ?` : `${WORK_STATE} IS NOT NULL`,
    f.overdueBefore ? `w.due_date < ? AND coalesce(w.state, '') <> 'done'` : '1',
    mine.sql,
  ].join(' AND ');
  const params = [
    ...(f.state ? [f.state] : []),
    ...(f.overdueBefore ? [f.overdueBefore] : []),
    ...mine.params,
  ];
  const total = db.$client
    .prepare(`SELECT count(*) ${FROM_ROWS} AND ${where}`)
    .pluck()
    .get(...params) as number;
  const rows = (
    db.$client
      .prepare(`SELECT ${ROW_SELECT} ${FROM_ROWS} AND ${where} ORDER BY m.sort_date DESC, m.id DESC LIMIT ?`)
      .all(...params, f.limit) as RawListRow[]
  ).map((r) => toListRow(r));
  return { total, rows };
}

/** Rows carrying each tag, scoped: the counts beside the tag views. */
export function tagCounts(db: Db, scope: Scope): Map<number, number> {
  const mine = rowScope(scope);
  const rows = db.$client
    .prepare(
      `SELECT wt.tag_id AS tagId, count(*) AS n
         FROM messages m LEFT JOIN threads t ON t.id = m.thread_id ${JOIN_WORK} JOIN work_tags wt ON wt.item_id = w.id
        WHERE ${LISTED} AND ${mine.sql} GROUP BY wt.tag_id`,
    )
    .all(...mine.params) as { tagId: number; n: number }[];
  return new Map(rows.map((r) => [r.tagId, r.n]));
}

export interface ReportItem {
  state: string | null;
  assigneeUserId: number | null;
  assigneeOfficeId: number | null;
  claimedBy: number | null;
  claimedByName: string | null;
  arrivedAt: string;
  claimedAt: string | null;
  doneAt: string | null;
  doneByName: string | null;
  dueDate: string | null;
  defaultNew: number;
}

/** Every work row (items, and incoming PEC of the work period without one), scoped, for reports. */
export function reportItems(db: Db, scope: Scope, since: string): ReportItem[] {
  const mine = rowScope(scope);
  return db.$client
    .prepare(
      `SELECT ${WORK_STATE} AS state, w.assignee_user_id AS assigneeUserId, w.assignee_office_id AS assigneeOfficeId,
              w.claimed_by AS claimedBy, w.claimed_by_name AS claimedByName, coalesce(w.arrived_at, m.sort_date) AS arrivedAt,
              w.claimed_at AS claimedAt, w.done_at AS doneAt, w.done_by_name AS doneByName, w.due_date AS dueDate,
              CASE WHEN w.id IS NULL THEN 1 ELSE 0 END AS defaultNew
         ${FROM_ROWS} AND (w.id IS NOT NULL OR ${DEFAULT_NEW}) AND ${WORK_STATE} IS NOT NULL
           AND (coalesce(w.arrived_at, m.sort_date) >= ? OR ${WORK_STATE} <> 'done') AND ${mine.sql}`,
    )
    .all(since, ...mine.params) as ReportItem[];
}

export interface SentByMailbox {
  email: string;
  sent: number;
  failed: number;
  delivered: number;
}

/** PEC sent per mailbox since a day, and how many had a failed or refused delivery. */
export function sentByMailbox(db: Db, scope: Scope, since: string): SentByMailbox[] {
  return db.$client
    .prepare(
      `SELECT a.email, count(DISTINCT t.id) AS sent,
              count(DISTINCT CASE WHEN t.state IN ('failed', 'partial', 'rejected') OR t.failed_count > 0 THEN t.id END) AS failed,
              count(DISTINCT CASE WHEN t.state = 'delivered' THEN t.id END) AS delivered
         FROM threads t JOIN messages m ON m.id = t.head_message_id
         JOIN message_locations l ON l.message_id = m.id JOIN mailboxes b ON b.id = l.mailbox_id
         JOIN accounts a ON a.id = b.account_id
        WHERE t.direction = 'sent' AND m.sort_date >= ?
          AND (? IS NULL OR a.id IN (SELECT value FROM json_each(?)))
        GROUP BY a.email ORDER BY a.email`,
    )
    .all(since, ...Array(2).fill(scope === 'all' ? null : JSON.stringify(scope))) as SentByMailbox[];
}

export function userNames(db: Db): Map<number, string> {
  return new Map(
    (
      prepared(db, 'SELECT id, coalesce(display_name, name) AS name FROM users').all() as {
        id: number;
        name: string;
      }[]
    ).map((u) => [u.id, u.name]),
  );
}

export function officeRows(db: Db): { id: number; name: string; headUserId: number | null }[] {
  return prepared(db, 'SELECT id, name, head_user_id AS headUserId FROM offices ORDER BY name').all() as {
    id: number;
    name: string;
    headUserId: number | null;
  }[];
}

/** Owner and administrators still active: who hears of what nobody else would. */
export function adminIds(db: Db): number[] {
  return prepared(
    db,
    "SELECT id FROM users WHERE role IN ('owner', 'admin') AND disabled_at IS NULL ORDER BY id",
  )
    .pluck()
    .all() as number[];
}

export function officeMemberIds(db: Db, officeId: number): number[] {
  return prepared(db, 'SELECT user_id FROM office_members WHERE office_id = ?')
    .pluck()
    .all(officeId) as number[];
}

/** The list rows of these messages (each message's row once, in the order given). */
export function rowsOfMessages(db: Db, ids: readonly number[]): ListRow[] {
  if (ids.length === 0) return [];
  const rows = (
    db.$client
      .prepare(
        `SELECT ${ROW_SELECT} FROM messages m LEFT JOIN threads t ON t.id = m.thread_id
          WHERE m.id IN (SELECT coalesce(t2.head_message_id, x.id) FROM messages x LEFT JOIN threads t2 ON t2.id = x.thread_id
                          WHERE x.id IN (SELECT value FROM json_each(?)))`,
      )
      .all(JSON.stringify(ids)) as RawListRow[]
  ).map((r) => toListRow(r));
  const byThread = new Map(rows.map((r) => [r.threadId ?? -r.id, r]));
  const order = prepared(db, 'SELECT thread_id FROM messages WHERE id = ?').pluck();
  const seen = new Set<ListRow>();
  const out: ListRow[] = [];
  for (const id of ids) {
    const thread = order.get(id) as number | null | undefined;
    const row = byThread.get(thread ?? -id);
    if (row && !seen.has(row)) {
      seen.add(row);
      out.push(row);
    }
  }
  return out;
}
