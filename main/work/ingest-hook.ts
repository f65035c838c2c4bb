/**
 * What the archive runs in each ingest transaction for work (issue 14, main/archive/archive.ts
 * onIngest): a lone message that joined a thread brings its work along, and the new messages go
 * through the routing rules (and get their proposed deadline) before the transaction commits.
 */
import type { Db } from '../../db/database.ts';
import { adoptIntoThreads } from '../../db/work.ts';
import type { IngestOutcome } from '../archive/archive.ts';
import { routeMessages } from './router.ts';

export function workOnIngest(
  clock: () => Date = () => new Date(),
  log?: (line: string) => void,
): (db: Db, outcomes: readonly IngestOutcome[]) => void {
  return (db, outcomes) => {
    const created = outcomes.filter((o) => o.created);
    if (created.length === 0) return;
    adoptIntoThreads(db, [...new Set(created.map((o) => o.threadId).filter((t): t is number => t !== null))]);
    routeMessages(
      db,
      created.map((o) => o.messageId),
      { now: clock(), origin: 'ingest', propose: true, ...(log ? { log } : {}) },
    );
  };
}
