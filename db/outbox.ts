/**
 * The outbox's SQL (main/send/outbox-service.ts): rows written before any SMTP exchange, claimed
 * with a lease so that two processes on one archive (the app and the CLI) never send the same row,
 * and what each row's PEC became, from its thread (threads.msgid = the Message-ID PecDesk set).
 */
import { type Db, prepared } from './database.ts';
import { outbox } from './schema.ts';

export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = Omit<typeof outbox.$inferInsert, 'id'>;
export type OutboxState = OutboxRow['state'];

const COLUMNS = `o.id, o.account_id AS accountId, o.from_address AS fromAddress, o.message_id AS messageId,
  o.object_hash AS objectHash, o.size, o.subject, o.recipients, o.receipt_type AS receiptType, o.state,
  o.phase, o.attempts, o.attempt_started_at AS attemptStartedAt, o.next_attempt_at AS nextAttemptAt,
  o.lease_owner AS leaseOwner, o.lease_until AS leaseUntil, o.last_error_code AS lastErrorCode,
  o.last_error AS lastError, o.sent_at AS sentAt, o.sent_by AS sentBy,
  o.archived_message_id AS archivedMessageId, o.sent_copy AS sentCopy, o.campaign_id AS campaignId,
  o.created_at AS createdAt, o.created_by AS createdBy`;

export function insertOutbox(db: Db, row: NewOutboxRow): number {
  return db.insert(outbox).values(row).returning({ id: outbox.id }).get().id;
}

export function getOutbox(db: Db, id: number): OutboxRow | undefined {
  return prepared(db, `SELECT ${COLUMNS} FROM outbox o WHERE o.id = ?`).get(id) as OutboxRow | undefined;
}

export function outboxByMessageId(db: Db, messageId: string): OutboxRow | undefined {
  return prepared(db, `SELECT ${COLUMNS} FROM outbox o WHERE o.message_id = ?`).get(messageId) as
    | OutboxRow
    | undefined;
}

/** A row with what its PEC became: the thread's state and counts (null before any copy is archived). */
export interface OutboxListRow extends OutboxRow {
  threadId: number | null;
  threadState: string | null;
  acceptedAt: string | null;
  recipientCount: number;
  recipientTotal: number;
  deliveredCount: number;
  failedCount: number;
  noProofCount: number;
}

const LIST_SELECT = `SELECT ${COLUMNS}, t.id AS threadId, t.state AS threadState, t.accepted_at AS acceptedAt,
  coalesce(t.recipient_count, 0) AS recipientCount, coalesce(t.recipient_total, 0) AS recipientTotal,
  coalesce(t.delivered_count, 0) AS deliveredCount, coalesce(t.failed_count, 0) AS failedCount,
  coalesce(t.no_proof_count, 0) AS noProofCount
  FROM outbox o LEFT JOIN threads t ON t.msgid = o.message_id`;

/**
 * Rows newest first (a campaign's only, with campaignId). `accounts`: only rows of these mailboxes (the caller's readable ones; null:
 * every row, for the owner and administrators, rows of removed mailboxes included).
 */
export function listOutbox(
  db: Db,
  f: { accounts: number[] | null; campaignId?: number; offset: number; limit: number },
): { total: number; rows: OutboxListRow[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.accounts) {
    where.push('o.account_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(f.accounts));
  }
  if (f.campaignId !== undefined) {
    where.push('o.campaign_id = ?');
    params.push(f.campaignId);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = db.$client
    .prepare(`SELECT count(*) FROM outbox o ${clause}`)
    .pluck()
    .get(...params) as number;
  const rows = db.$client
    .prepare(`${LIST_SELECT} ${clause} ORDER BY o.id DESC LIMIT ? OFFSET ?`)
    .all(...params, f.limit, f.offset) as OutboxListRow[];
  return { total, rows };
}

export function outboxListRow(db: Db, id: number): OutboxListRow | undefined {
  return prepared(db, `${LIST_SELECT} WHERE o.id = ?`).get(id) as OutboxListRow | undefined;
}

/** Rows still to be handed to the provider (queued or being sent), of these mailboxes. */
export function countWaiting(db: Db, accounts: number[] | null): number {
  return (
    accounts
      ? prepared(
          db,
          `SELECT count(*) FROM outbox WHERE state IN ('queued','sending')
             AND account_id IN (SELECT value FROM json_each(?))`,
        )
          .pluck()
          .get(JSON.stringify(accounts))
      : prepared(db, `SELECT count(*) FROM outbox WHERE state IN ('queued','sending')`).pluck().get()
  ) as number;
}

/**
 * Mailboxes with work now: queued rows that are due (their campaign not paused), or rows left
 * 'sending' whose lease ran out (a process that stopped or died).
 */
export function accountsWithWork(db: Db, now: string, only?: number[]): number[] {
  return (
    prepared(
      db,
      `SELECT DISTINCT o.account_id FROM outbox o LEFT JOIN campaigns c ON c.id = o.campaign_id
        WHERE o.account_id IS NOT NULL
          AND ((o.state = 'queued' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
                AND (o.campaign_id IS NULL OR c.state = 'sending'))
            OR (o.state = 'sending' AND o.lease_until < ?))
          AND (? IS NULL OR o.id IN (SELECT value FROM json_each(?)))`,
    )
      .pluck()
      .all(now, now, only ? 1 : null, JSON.stringify(only ?? [])) as number[]
  ).filter((id) => id !== null);
}

/** When the next queued row of any mailbox becomes due (backoff), if any is waiting. */
export function nextDueAt(db: Db, only?: number[]): string | null {
  return (prepared(
    db,
    `SELECT min(o.next_attempt_at) FROM outbox o LEFT JOIN campaigns c ON c.id = o.campaign_id
      WHERE o.state = 'queued' AND o.next_attempt_at IS NOT NULL
        AND (o.campaign_id IS NULL OR c.state = 'sending')
        AND (? IS NULL OR o.id IN (SELECT value FROM json_each(?)))`,
  )
    .pluck()
    .get(only ? 1 : null, JSON.stringify(only ?? [])) ?? null) as string | null;
}

/** Rows 'sending' under a lease (to check whether their owner still lives). */
export function leasedRows(db: Db): Pick<OutboxRow, 'id' | 'leaseOwner' | 'leaseUntil'>[] {
  return prepared(
    db,
    `SELECT id, lease_owner AS leaseOwner, lease_until AS leaseUntil FROM outbox WHERE state = 'sending'`,
  ).all() as Pick<OutboxRow, 'id' | 'leaseOwner' | 'leaseUntil'>[];
}

/** A dead owner's lease ends now: its row can be taken over (and verified) at once. */
export function expireLease(db: Db, id: number, owner: string, now: string): void {
  prepared(
    db,
    `UPDATE outbox SET lease_until = ? WHERE id = ? AND state = 'sending' AND lease_owner = ?`,
  ).run(now, id, owner);
}

/**
 * Takes the next row of a mailbox for this process: first one left 'sending' by a process that
 * stopped (it must be verified before anything is sent again), else the oldest due queued row.
 * One UPDATE with its condition: two processes can never take the same row.
 */
export function claimNext(
  db: Db,
  accountId: number,
  owner: string,
  now: string,
  leaseUntil: string,
  only?: number[],
): OutboxRow | undefined {
  return db.$client.transaction(() => {
    const onlyArgs = [only ? 1 : null, JSON.stringify(only ?? [])];
    const stale = prepared(
      db,
      `SELECT id FROM outbox WHERE account_id = ? AND state = 'sending' AND lease_until < ?
         AND (? IS NULL OR id IN (SELECT value FROM json_each(?))) ORDER BY id LIMIT 1`,
    ).get(accountId, now, ...onlyArgs) as { id: number } | undefined;
    if (stale) {
      const took = prepared(
        db,
        `UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ? AND state = 'sending' AND lease_until < ?`,
      ).run(owner, leaseUntil, stale.id, now).changes;
      return took ? getOutbox(db, stale.id) : undefined;
    }
    const due = prepared(
      db,
      `SELECT o.id FROM outbox o LEFT JOIN campaigns c ON c.id = o.campaign_id
        WHERE o.account_id = ? AND o.state = 'queued' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
          AND (o.campaign_id IS NULL OR c.state = 'sending')
          AND (? IS NULL OR o.id IN (SELECT value FROM json_each(?)))
        ORDER BY o.id LIMIT 1`,
    ).get(accountId, now, ...onlyArgs) as { id: number } | undefined;
    if (!due) return undefined;
    const took = prepared(
      db,
      `UPDATE outbox SET state = 'sending', phase = NULL, lease_owner = ?, lease_until = ?
        WHERE id = ? AND state = 'queued'`,
    ).run(owner, leaseUntil, due.id).changes;
    return took ? getOutbox(db, due.id) : undefined;
  })();
}

/** Extends this process's lease on a row; false when it is no longer ours. */
export function renewLease(db: Db, id: number, owner: string, leaseUntil: string): boolean {
  return (
    prepared(
      db,
      `UPDATE outbox SET lease_until = ? WHERE id = ? AND state = 'sending' AND lease_owner = ?`,
    ).run(leaseUntil, id, owner).changes > 0
  );
}

/** A new attempt starts (committed before connecting, so a crash leaves its trace). */
export function startAttempt(db: Db, id: number, owner: string, at: string): boolean {
  return (
    prepared(
      db,
      `UPDATE outbox SET attempts = attempts + 1, attempt_started_at = ?, phase = 'connecting',
              last_error_code = NULL, last_error = NULL
        WHERE id = ? AND state = 'sending' AND lease_owner = ?`,
    ).run(at, id, owner).changes > 0
  );
}

/** From MAIL FROM on, the provider may end up with the message: committed before it is said. */
export function enterDataPhase(db: Db, id: number, owner: string): boolean {
  return (
    prepared(
      db,
      `UPDATE outbox SET phase = 'data' WHERE id = ? AND state = 'sending' AND lease_owner = ?`,
    ).run(id, owner).changes > 0
  );
}

/** An attempt that may have reached the provider: said while its proof is looked for. */
export function noteInterrupted(db: Db, id: number, owner: string, message: string): void {
  prepared(
    db,
    `UPDATE outbox SET last_error_code = 'interrupted', last_error = ?
      WHERE id = ? AND state = 'sending' AND lease_owner = ?`,
  ).run(message, id, owner);
}

export function markSent(
  db: Db,
  id: number,
  owner: string,
  sentAt: string,
  by: 'smtp' | 'acceptance' | 'sent-folder',
): boolean {
  return (
    prepared(
      db,
      `UPDATE outbox SET state = 'sent', sent_at = ?, sent_by = ?, lease_owner = NULL, lease_until = NULL,
              next_attempt_at = NULL, last_error_code = NULL, last_error = NULL
        WHERE id = ? AND state = 'sending' AND lease_owner = ?`,
    ).run(sentAt, by, id, owner).changes > 0
  );
}

/** Back to the queue, to be tried again at `nextAttemptAt` (null: at once), with what went wrong. */
export function requeue(
  db: Db,
  id: number,
  owner: string,
  nextAttemptAt: string | null,
  error: { code: string; message: string } | null,
): boolean {
  return (
    prepared(
      db,
      `UPDATE outbox SET state = 'queued', phase = NULL, lease_owner = NULL, lease_until = NULL,
              next_attempt_at = ?, last_error_code = ?, last_error = ?
        WHERE id = ? AND state = 'sending' AND lease_owner = ?`,
    ).run(nextAttemptAt, error?.code ?? null, error?.message ?? null, id, owner).changes > 0
  );
}

export function markFailed(
  db: Db,
  id: number,
  owner: string,
  error: { code: string; message: string },
): boolean {
  return (
    prepared(
      db,
      `UPDATE outbox SET state = 'failed', lease_owner = NULL, lease_until = NULL, next_attempt_at = NULL,
              last_error_code = ?, last_error = ?
        WHERE id = ? AND state = 'sending' AND lease_owner = ?`,
    ).run(error.code, error.message, id, owner).changes > 0
  );
}

/** A failed or waiting row the person sends again (failed) or stops (cancel). */
export function retryFailed(db: Db, id: number): boolean {
  return (
    prepared(
      db,
      `UPDATE outbox SET state = 'queued', phase = NULL, next_attempt_at = NULL WHERE id = ? AND state = 'failed'`,
    ).run(id).changes > 0
  );
}

/**
 * Only a row that never reached the provider can be cancelled: queued, and its last attempt (if
 * any) did not get to MAIL FROM.
 */
export function cancelQueued(db: Db, id: number): boolean {
  return (
    prepared(
      db,
      `UPDATE outbox SET state = 'cancelled', next_attempt_at = NULL
        WHERE id = ? AND (state = 'failed' OR (state = 'queued' AND coalesce(phase, '') <> 'data'))`,
    ).run(id).changes > 0
  );
}

export function setArchivedMessage(db: Db, id: number, messageId: number): void {
  prepared(db, 'UPDATE outbox SET archived_message_id = ? WHERE id = ?').run(messageId, id);
}

export function setSentCopy(db: Db, id: number, state: 'done' | 'failed', error?: string): void {
  prepared(
    db,
    `UPDATE outbox SET sent_copy = ?, last_error = CASE WHEN ? IS NULL THEN last_error ELSE ? END WHERE id = ?`,
  ).run(state, error ?? null, error ?? null, id);
}

/** Sent rows whose copy is not in the archive yet (the process stopped right after sending). */
export function sentWithoutArchivedCopy(db: Db): number[] {
  return prepared(db, `SELECT id FROM outbox WHERE archived_message_id IS NULL AND state = 'sent'`)
    .pluck()
    .all() as number[];
}

/** Mailboxes with sent rows whose copy is not yet in their Sent folder. */
export function accountsWithPendingSentCopy(db: Db): number[] {
  return prepared(
    db,
    `SELECT DISTINCT account_id FROM outbox WHERE state = 'sent' AND sent_copy = 'pending' AND account_id IS NOT NULL`,
  )
    .pluck()
    .all() as number[];
}

/** Sent rows whose copy still has to be put in the mailbox's Sent folder. */
export function rowsWithoutSentCopy(db: Db, accountId: number): OutboxRow[] {
  return prepared(
    db,
    `SELECT ${COLUMNS} FROM outbox o WHERE o.account_id = ? AND o.state = 'sent' AND o.sent_copy = 'pending' ORDER BY o.id`,
  ).all(accountId) as OutboxRow[];
}

/**
 * Attempts of a mailbox started since `since` (ISO), oldest first: what the provider counts
 * against its messages-per-minute limit, across processes and restarts.
 */
export function attemptsSince(db: Db, accountId: number, since: string): string[] {
  return prepared(
    db,
    `SELECT attempt_started_at FROM outbox WHERE account_id = ? AND attempt_started_at > ?
      ORDER BY attempt_started_at`,
  )
    .pluck()
    .all(accountId, since) as string[];
}

/** Rows of a mailbox that was removed, still waiting: they cannot be sent any more. */
export function failOrphans(db: Db, message: string): number {
  return prepared(
    db,
    `UPDATE outbox SET state = 'failed', last_error_code = 'no-account', last_error = ?, lease_owner = NULL,
            lease_until = NULL WHERE account_id IS NULL AND state = 'queued'`,
  ).run(message).changes;
}

/** How many of these rows are still to be handed to the provider (queued or being sent). */
export function countUnsettled(db: Db, ids: number[]): number {
  return prepared(
    db,
    `SELECT count(*) FROM outbox WHERE state IN ('queued','sending') AND id IN (SELECT value FROM json_each(?))`,
  )
    .pluck()
    .get(JSON.stringify(ids)) as number;
}

/** Every row to be handed to the provider (queued or left 'sending'), of any mailbox still here. */
export function unsettledIds(db: Db): number[] {
  return prepared(
    db,
    `SELECT id FROM outbox WHERE state IN ('queued','sending') AND account_id IS NOT NULL ORDER BY id`,
  )
    .pluck()
    .all() as number[];
}
