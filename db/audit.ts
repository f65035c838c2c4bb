/** The audit log's SQL (main/auth/audit.ts appends and verifies the chain). */
import { type Db, prepared } from './database.ts';
import { insertRow } from './rows.ts';
import { auditLog } from './schema.ts';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = Omit<typeof auditLog.$inferInsert, 'id'>;

/*
 * Appending (the last entry, then the new one) is prepared once per connection: routing rules
 * append an entry per action inside ingest (issue 11).
 */
export function lastAuditEntry(db: Db): Pick<AuditRow, 'id' | 'hash'> | undefined {
  return prepared(db, 'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    | Pick<AuditRow, 'id' | 'hash'>
    | undefined;
}

export function insertAuditEntry(db: Db, row: NewAuditRow): number {
  return insertRow(db, auditLog, row);
}

/** Every entry in order, a page at a time (the chain is checked from the first). */
export function auditEntriesAfter(db: Db, afterId: number, limit: number): AuditRow[] {
  return db.$client
    .prepare(
      `SELECT id, at, actor, actor_name AS actorName, origin, action, target_type AS targetType,
                target_id AS targetId, account_id AS accountId, details, prev_hash AS prevHash, hash
           FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`,
    )
    .all(afterId, limit) as AuditRow[];
}

export interface AuditFilter {
  actor?: string;
  actorName?: string;
  action?: string;
  since?: string;
  until?: string;
  targetType?: string;
  targetId?: string;
  accountIds?: number[];
  limit: number;
  offset: number;
}

/** Entries matching the filter, newest first, and how many match. */
export function findAuditEntries(db: Db, f: AuditFilter): { total: number; rows: AuditRow[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const when = (value: unknown, clause: string) => {
    if (value === undefined) return;
    where.push(clause);
    params.push(value);
  };
  when(f.actor, 'actor = ?');
  when(f.actorName, 'actor_name = ?');
  when(f.action, 'action = ?');
  when(f.since, 'at >= ?');
  when(f.until, 'at < ?');
  when(f.targetType, 'target_type = ?');
  when(f.targetId, 'target_id = ?');
  when(f.accountIds && JSON.stringify(f.accountIds), 'account_id IN (SELECT value FROM json_each(?))');
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = db.$client
    .prepare(`SELECT count(*) FROM audit_log ${clause}`)
    .pluck()
    .get(...params) as number;
  const rows = db.$client
    .prepare(
      `SELECT id, at, actor, actor_name AS actorName, origin, action, target_type AS targetType,
              target_id AS targetId, account_id AS accountId, details, prev_hash AS prevHash, hash
         FROM audit_log ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`,
    )
    .all(...params, f.limit, f.offset) as AuditRow[];
  return { total, rows };
}
