/**
 * The events the core's own parts emit (sync, archive, sending), with their payloads. The API's
 * event map (main/api/contract.ts ApiEvents) is these plus the features' own (keeping, work, the
 * office link); who receives each is declared there (eventRules).
 */

export interface SyncProgress {
  accountId: number;
  email: string;
  folder: string;
  /** Messages of this folder handled so far in this pass, and how many it had to fetch. */
  done: number;
  total: number;
  /** Messages per second over this pass. */
  rate: number;
}

export type SyncErrorCode =
  | 'auth-failed'
  | 'connection-failed'
  | 'tls-failed'
  | 'timeout'
  | 'server-error'
  | 'no-password';

export interface SyncStateEvent {
  accountId: number;
  email: string;
  state: 'idle' | 'syncing' | 'error';
  errorCode: SyncErrorCode | null;
  error: string | null;
}

export interface CoreEvents {
  'app.notice': { level: 'info' | 'warning' | 'error'; message: string };
  /** New messages (created) and threads whose rows changed: lists and counts to read again. */
  'archive.changed': { created: number; threads: number[] };
  'sync.progress': SyncProgress;
  'sync.state': SyncStateEvent;
  /** Messages archived before the full-text index existed, being added to it. */
  'search.backfill': { done: number; total: number };
  /** Steps of building the demo archive (keys, messages, archive, opening), while demo.open runs. */
  'demo.progress': { done: number; total: number };
  /** Outbox rows of a mailbox changed state (queued, sending, sent, failed…). */
  'outbox.changed': { accountId: number | null; ids: number[] };
}
