/**
 * What the message list shows: one row per PEC thread (its head: the sent copy, the envelope, or a
 * receipt when nothing else is there) and one per message outside any thread, in smart views or a
 * folder, newest first, paged.
 */

import { DELIVERY_DEADLINE_MS, deliveryOverdue } from '../main/pec/reconcile.ts';
import type { Db } from './database.ts';
import { rowScope, type Scope } from './scope.ts';
import {
  JOIN_WORK,
  NO_VIEWER,
  type RowWork,
  rowWork,
  type Viewer,
  WORK_COLUMNS,
  workViewFilter,
} from './work-sql.ts';

export type { RowWork, Viewer } from './work-sql.ts';

export const SMART_VIEWS = [
  'all',
  'to-handle',
  // Issue 14's work views: mine, my office's, nobody's, past their due day.
  'mine',
  'office',
  'unassigned',
  'past-due',
  'awaiting-delivery',
  'no-delivery',
  'delivery-failures',
  'anomalies',
] as const;
export type SmartView = (typeof SMART_VIEWS)[number];
export type ViewRef =
  | { kind: 'smart'; view: SmartView }
  | { kind: 'mailbox'; mailboxId: number }
  /** The rows with this tag (issue 14). */
  | { kind: 'tag'; tagId: number };

export interface ListRow {
  id: number;
  threadId: number | null;
  kind: string;
  subject: string | null;
  /** Who it is from (received) or to (sent), as a person reads it. */
  correspondent: string | null;
  date: string;
  hasAttachments: boolean;
  signatureVerdict: string;
  anomalyCount: number;
  seen: boolean;
  threadState: string | null;
  direction: string | null;
  /** Certified recipients, and every recipient (ordinary addresses too). */
  recipientCount: number;
  recipientTotal: number;
  deliveredCount: number;
  failedCount: number;
  warningCount: number;
  pendingCount: number;
  noProofCount: number;
  /** Receipts of the PEC whose signature does not verify. */
  unverifiedCount: number;
  acceptanceMissing: boolean;
  acceptedAt: string | null;
  lastActivityAt: string | null;
  /** Accepted more than 24 hours ago and still without every delivery receipt. */
  overdue: boolean;
  /** The PEC mailbox (account) the row belongs to: its address and display name. */
  mailbox: string | null;
  mailboxName: string | null;
  /** Its work (issue 14): state, assignee, due day, tags; null when it is not work and has none. */
  work: RowWork | null;
}

/** A row as SQLite returns it: booleans as 0/1, overdue not yet computed, work as JSON. */
export type RawListRow = Omit<
  ListRow,
  'hasAttachments' | 'seen' | 'acceptanceMissing' | 'overdue' | 'work'
> & {
  hasAttachments: number;
  seen: number;
  acceptanceMissing: number;
  work: string | null;
  workDefault: number;
};

/** Booleans from SQLite's 0/1, and the 24-hour flag, which depends on the time of asking. */
export function toListRow(r: RawListRow, now = new Date()): ListRow {
  const { workDefault, ...rest } = r;
  const row = {
    ...rest,
    hasAttachments: Boolean(r.hasAttachments),
    seen: Boolean(r.seen),
    acceptanceMissing: Boolean(r.acceptanceMissing),
    work: rowWork(r.work, workDefault),
  };
  return {
    ...row,
    overdue: deliveryOverdue(
      {
        direction: r.direction,
        state: r.threadState,
        acceptedAt: r.acceptedAt,
        lastActivityAt: r.lastActivityAt,
        pendingCount: r.pendingCount,
        warningCount: r.warningCount,
      },
      now,
    ),
  };
}

export const ROW_SELECT = `
  m.id, m.thread_id AS threadId, m.kind, coalesce(m.original_subject, m.subject) AS subject,
  CASE WHEN t.direction = 'sent' THEN (SELECT group_concat(address, ', ') FROM thread_recipients r WHERE r.thread_id = t.id)
       ELSE coalesce(m.certified_sender, m.original_from, m.from_address) END AS correspondent,
  m.sort_date AS date, m.has_attachments AS hasAttachments, m.signature_verdict AS signatureVerdict,
  json_array_length(m.anomalies) AS anomalyCount,
  EXISTS (SELECT 1 FROM message_locations l WHERE l.message_id = m.id AND l.flags LIKE '%\\Seen%') AS seen,
  t.state AS threadState, t.direction, coalesce(t.recipient_count, 0) AS recipientCount,
  coalesce(t.recipient_total, 0) AS recipientTotal,
  coalesce(t.delivered_count, 0) AS deliveredCount, coalesce(t.failed_count, 0) AS failedCount,
  coalesce(t.warning_count, 0) AS warningCount, coalesce(t.pending_count, 0) AS pendingCount,
  coalesce(t.no_proof_count, 0) AS noProofCount, coalesce(t.unverified_count, 0) AS unverifiedCount,
  coalesce(t.acceptance_missing, 0) AS acceptanceMissing, t.accepted_at AS acceptedAt,
  t.last_activity_at AS lastActivityAt,
  (SELECT a.email FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id JOIN accounts a ON a.id = b.account_id
     WHERE l.message_id = m.id ORDER BY l.mailbox_id LIMIT 1) AS mailbox,
  (SELECT a.display_name FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id JOIN accounts a ON a.id = b.account_id
     WHERE l.message_id = m.id ORDER BY l.mailbox_id LIMIT 1) AS mailboxName,
  ${WORK_COLUMNS}`;

/** Heads of threads and unthreaded messages: one list row per conversation. */
const LISTED = '(m.thread_id IS NULL OR t.head_message_id = m.id)';

/** A PEC thread with a failed or refused delivery (thread `t`). */
export const THREAD_FAILED = `(t.state IN ('failed', 'partial', 'rejected') OR t.failed_count > 0)`;
/** A sent PEC still waiting for its receipts (thread `t`). */
export const THREAD_PENDING = `(t.direction = 'sent' AND t.state IN ('sent', 'accepted'))`;
/**
 * A sent PEC still without every delivery receipt 24 hours after its acceptance (thread `t`; the
 * parameter is the instant 24 hours ago, ISO): main/pec/reconcile.ts deliveryOverdue in SQL.
 */
const THREAD_OVERDUE = `(t.direction = 'sent' AND t.state NOT IN ('sent', 'rejected')
  AND t.pending_count + t.warning_count > 0 AND coalesce(t.accepted_at, t.last_activity_at) <= ?)`;

const PEC_KINDS = `('posta-certificata','errore','accettazione','non-accettazione','presa-in-carico','avvenuta-consegna','errore-consegna','preavviso-errore-consegna','rilevazione-virus')`;

function viewFilter(view: ViewRef, viewer: Viewer): { sql: string; params: unknown[] } {
  if (view.kind === 'tag')
    return {
      sql: 'EXISTS (SELECT 1 FROM work_tags wt WHERE wt.item_id = w.id AND wt.tag_id = ?)',
      params: [view.tagId],
    };
  if (view.kind === 'mailbox') {
    return {
      sql: 'EXISTS (SELECT 1 FROM message_locations l JOIN messages x ON x.id = l.message_id WHERE l.mailbox_id = ? AND (x.id = m.id OR (m.thread_id IS NOT NULL AND x.thread_id = m.thread_id)))',
      params: [view.mailboxId],
    };
  }
  switch (view.view) {
    case 'all':
      return { sql: '1', params: [] };
    // Work not handled yet (issue 14): opening a message changes nothing, handling it does.
    case 'to-handle':
    case 'mine':
    case 'office':
    case 'unassigned':
    case 'past-due':
      return workViewFilter(view.view, viewer, romeToday());
    case 'awaiting-delivery':
      return { sql: THREAD_PENDING, params: [] };
    case 'no-delivery':
      return {
        sql: THREAD_OVERDUE,
        params: [new Date(Date.now() - DELIVERY_DEADLINE_MS).toISOString()],
      };
    case 'delivery-failures':
      return {
        sql: `t.direction = 'sent' AND ${THREAD_FAILED}`,
        params: [],
      };
    case 'anomalies':
      return {
        sql: `(m.kind IN ('errore', 'unparseable') OR (m.kind IN ${PEC_KINDS} AND m.signature_verdict <> 'valid') OR EXISTS (SELECT 1 FROM messages y WHERE y.thread_id = m.thread_id AND y.kind IN ${PEC_KINDS} AND y.signature_verdict <> 'valid'))`,
        params: [],
      };
  }
}

const WORK_VIEWS = new Set<SmartView>(['to-handle', 'mine', 'office', 'unassigned', 'past-due']);

/** Today in Rome, the day due dates are compared with. */
function romeToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
}

function viewFrom(
  view: ViewRef,
  scope: Scope,
  viewer: Viewer = NO_VIEWER,
): { from: string; params: unknown[] } {
  const filter = viewFilter(view, viewer);
  const mine = rowScope(scope);
  // Only the work views read the row's work item: the others count 100k rows without the join.
  const work = view.kind === 'tag' || (view.kind === 'smart' && WORK_VIEWS.has(view.view)) ? JOIN_WORK : '';
  return {
    from: `FROM messages m LEFT JOIN threads t ON t.id = m.thread_id ${work} WHERE ${LISTED} AND ${filter.sql} AND ${mine.sql}`,
    params: [...filter.params, ...mine.params],
  };
}

/** How many list rows a view has, without reading them. */
export function countView(db: Db, view: ViewRef, scope: Scope, viewer: Viewer = NO_VIEWER): number {
  const { from, params } = viewFrom(view, scope, viewer);
  return (db.$client.prepare(`SELECT count(*) AS n ${from}`).get(...params) as { n: number }).n;
}

export function listView(
  db: Db,
  view: ViewRef,
  offset: number,
  limit: number,
  scope: Scope,
  viewer: Viewer = NO_VIEWER,
): { total: number; rows: ListRow[] } {
  const { from, params } = viewFrom(view, scope, viewer);
  const total = countView(db, view, scope, viewer);
  const rows = db.$client
    .prepare(`SELECT ${ROW_SELECT} ${from} ORDER BY m.sort_date DESC, m.id DESC LIMIT ? OFFSET ?`)
    .all(...params, limit, offset) as RawListRow[];
  const now = new Date();
  return { total, rows: rows.map((r) => toListRow(r, now)) };
}

/**
 * How many messages the rows of a view hold: a PEC thread is one row with its sent copy and
 * receipts, so "22 messaggi in 20 conversazioni" explains a folder's count beside the list's.
 */
export function countViewMessages(db: Db, view: ViewRef, scope: Scope, viewer: Viewer = NO_VIEWER): number {
  const { from, params } = viewFrom(view, scope, viewer);
  return (
    db.$client
      .prepare(
        `SELECT coalesce(sum(CASE WHEN m.thread_id IS NULL THEN 1
           ELSE (SELECT count(*) FROM messages y WHERE y.thread_id = m.thread_id) END), 0) AS n ${from}`,
      )
      .get(...params) as { n: number }
  ).n;
}

export interface ViewCount {
  view: SmartView;
  total: number;
}

export function smartViewCounts(db: Db, scope: Scope, viewer: Viewer = NO_VIEWER): ViewCount[] {
  // "Del mio ufficio" only for people in an office.
  return SMART_VIEWS.filter((view) => view !== 'office' || viewer.offices.length > 0).map((view) => ({
    view,
    total: countView(db, { kind: 'smart', view }, scope, viewer),
  }));
}

export interface MailboxEntry {
  id: number;
  accountId: number;
  email: string;
  path: string;
  name: string;
  specialUse: string | null;
  messageCount: number;
}

/** The folders of the mailboxes in the scope. */
export function mailboxEntries(db: Db, scope: Scope): MailboxEntry[] {
  return db.$client
    .prepare(
      `SELECT b.id, b.account_id AS accountId, a.email, b.path, b.name, b.special_use AS specialUse,
              (SELECT count(*) FROM message_locations l WHERE l.mailbox_id = b.id) AS messageCount
       FROM mailboxes b JOIN accounts a ON a.id = b.account_id
       WHERE ? IS NULL OR b.account_id IN (SELECT value FROM json_each(?))
       ORDER BY a.email, CASE WHEN b.path = 'INBOX' THEN 0 ELSE 1 END, b.path`,
    )
    .all(...Array(2).fill(scope === 'all' ? null : JSON.stringify(scope))) as MailboxEntry[];
}
