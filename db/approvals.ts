/** Outgoing PEC waiting for approval (issue 14): the queue and its decisions. */
import { type Db, prepared } from './database.ts';

export interface ApprovalRow {
  outboxId: number;
  state: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedByName: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  comment: string | null;
}

const COLUMNS = `a.outbox_id AS outboxId, a.state, a.requested_by AS requestedBy, a.requested_by_name AS requestedByName,
  a.requested_at AS requestedAt, a.decided_by AS decidedBy, a.decided_by_name AS decidedByName,
  a.decided_at AS decidedAt, a.comment`;

/** Outbox rows just written in the approval state: each gets its pending request. */
export function requestApprovals(db: Db, outboxIds: readonly number[], by: string, at: string): void {
  for (const id of outboxIds)
    prepared(
      db,
      `INSERT INTO approvals (outbox_id, state, requested_by, requested_by_name, requested_at)
       VALUES (?, 'pending', ?, ?, ?)`,
    ).run(id, by, by.replace(/^(user|cli):/, ''), at);
}

export function getApproval(db: Db, outboxId: number): ApprovalRow | undefined {
  return prepared(db, `SELECT ${COLUMNS} FROM approvals a WHERE a.outbox_id = ?`).get(outboxId) as
    | ApprovalRow
    | undefined;
}

export interface ApprovalListRow extends ApprovalRow {
  accountId: number | null;
  fromAddress: string;
  subject: string | null;
  recipients: string;
  size: number;
  campaignId: number | null;
  outboxState: string;
}

/** The queue (pending first, then the last decisions), of these mailboxes (null: all). */
export function listApprovals(db: Db, accounts: readonly number[] | null, limit: number): ApprovalListRow[] {
  return prepared(
    db,
    `SELECT ${COLUMNS}, o.account_id AS accountId, o.from_address AS fromAddress, o.subject, o.recipients, o.size,
            o.campaign_id AS campaignId, o.state AS outboxState
       FROM approvals a JOIN outbox o ON o.id = a.outbox_id
      WHERE (? IS NULL OR o.account_id IN (SELECT value FROM json_each(?)))
      ORDER BY CASE a.state WHEN 'pending' THEN 0 ELSE 1 END, coalesce(a.decided_at, a.requested_at) DESC
      LIMIT ?`,
  ).all(...Array(2).fill(accounts === null ? null : JSON.stringify(accounts)), limit) as ApprovalListRow[];
}

export function countPendingApprovals(db: Db, accounts: readonly number[] | null): number {
  return prepared(
    db,
    `SELECT count(*) FROM approvals a JOIN outbox o ON o.id = a.outbox_id
      WHERE a.state = 'pending' AND (? IS NULL OR o.account_id IN (SELECT value FROM json_each(?)))`,
  )
    .pluck()
    .get(...Array(2).fill(accounts === null ? null : JSON.stringify(accounts))) as number;
}

/** Pending rows decided together: the row itself, or every pending row of its campaign. */
export function pendingWith(db: Db, outboxId: number): number[] {
  return prepared(
    db,
    `SELECT a.outbox_id FROM approvals a JOIN outbox o ON o.id = a.outbox_id
      WHERE a.state = 'pending' AND (o.id = ? OR (o.campaign_id IS NOT NULL
        AND o.campaign_id = (SELECT campaign_id FROM outbox WHERE id = ?)))
      ORDER BY a.outbox_id`,
  )
    .pluck()
    .all(outboxId, outboxId) as number[];
}

/** Approved: the outbox row is queued for sending. Rejected: it is never sent. */
export function decideApproval(
  db: Db,
  outboxId: number,
  d: { approve: boolean; by: string; byName: string; at: string; comment: string | null },
): boolean {
  const moved = prepared(db, `UPDATE outbox SET state = ? WHERE id = ? AND state = 'approval'`).run(
    d.approve ? 'queued' : 'rejected',
    outboxId,
  ).changes;
  if (moved === 0) return false;
  prepared(
    db,
    `UPDATE approvals SET state = ?, decided_by = ?, decided_by_name = ?, decided_at = ?, comment = ?
      WHERE outbox_id = ? AND state = 'pending'`,
  ).run(d.approve ? 'approved' : 'rejected', d.by, d.byName, d.at, d.comment, outboxId);
  return true;
}

export function setRequireApproval(db: Db, accountId: number, required: boolean): void {
  prepared(db, 'UPDATE accounts SET require_approval = ? WHERE id = ?').run(required ? 1 : 0, accountId);
}
