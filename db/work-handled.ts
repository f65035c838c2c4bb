/**
 * Which messages are not yet handled, for emptying (main/keep/emptying.ts), which never removes
 * such a message from the server unless the person chose to include them. "Handled" is the work
 * state of the message's list row (issue 14, db/work-sql.ts): its PEC thread, or the message
 * itself outside any thread. Open work is what "Da gestire" shows (new, assigned, taken in charge,
 * waiting); receipts, one's own sent PEC and mail older than the mailbox's work period are not
 * work, so they never hold a copy back.
 */
import { type Db, prepared } from './database.ts';
import { JOIN_WORK, OPEN_WORK } from './work-sql.ts';

/** Of these messages, those whose row is open work. */
export function unhandledMessages(db: Db, ids: readonly number[]): Set<number> {
  if (ids.length === 0) return new Set();
  const rows = prepared(
    db,
    `SELECT m.id FROM messages m LEFT JOIN threads t ON t.id = m.thread_id ${JOIN_WORK}
      WHERE m.id IN (SELECT value FROM json_each(?)) AND ${OPEN_WORK}`,
  )
    .pluck()
    .all(JSON.stringify(ids)) as number[];
  return new Set(rows);
}
