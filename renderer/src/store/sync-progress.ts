/**
 * Sync progress as the person sees it, from the core's events: `sync.progress` comes per folder
 * (messages done of the folder's total, rate), `sync.state` per account. An account's progress is
 * the sum over the folders of its current pass; a new pass, or its end, starts again from zero.
 */
import type { PublicAccount, SyncProgress, SyncStateEvent } from '../../../main/api/contract.ts';

export interface FolderProgress {
  done: number;
  total: number;
  rate: number;
}

export interface AccountProgress {
  email: string;
  state: 'idle' | 'syncing' | 'error';
  /** The folder the last event came from: the one being fetched now. */
  folder: string | null;
  folders: Record<string, FolderProgress>;
}

export type SyncProgressState = Record<number, AccountProgress>;

export interface ProgressSummary {
  /** How many accounts are syncing. */
  accounts: number;
  /** The account (when only one is syncing) and its current folder. */
  email: string | null;
  folder: string | null;
  done: number;
  total: number;
  /** Messages per second now (the current folders' rates, summed). */
  rate: number;
  /** null while nothing is known to estimate from. */
  secondsLeft: number | null;
}

const empty = (email: string, state: AccountProgress['state']): AccountProgress => ({
  email,
  state,
  folder: null,
  folders: {},
});

/** The accounts as listed (at start, or after one is added or removed). */
export function seedAccounts(state: SyncProgressState, accounts: PublicAccount[]): SyncProgressState {
  const next: SyncProgressState = {};
  for (const a of accounts) {
    const known = state[a.id];
    next[a.id] =
      known && known.state === a.syncState ? { ...known, email: a.email } : empty(a.email, a.syncState);
  }
  return next;
}

export function applyProgress(state: SyncProgressState, p: SyncProgress): SyncProgressState {
  const known = state[p.accountId] ?? empty(p.email, 'syncing');
  return {
    ...state,
    [p.accountId]: {
      ...known,
      folder: p.folder,
      folders: { ...known.folders, [p.folder]: { done: p.done, total: p.total, rate: p.rate } },
    },
  };
}

/** A pass starts (syncing) or ends (idle, error): either way its folder counts start over. */
export function applyState(state: SyncProgressState, e: SyncStateEvent): SyncProgressState {
  return { ...state, [e.accountId]: empty(e.email, e.state) };
}

function unfinished(a: AccountProgress): boolean {
  return Object.values(a.folders).some((f) => f.done < f.total);
}

/** An account is shown as syncing during its first pass, and while any folder is being fetched. */
export function isActive(a: AccountProgress): boolean {
  return a.state === 'syncing' || unfinished(a);
}

export function summarize(accounts: AccountProgress[]): ProgressSummary | null {
  const active = accounts.filter(isActive);
  if (active.length === 0) return null;
  let done = 0;
  let total = 0;
  let rate = 0;
  for (const a of active) {
    for (const f of Object.values(a.folders)) {
      done += f.done;
      total += f.total;
    }
    const current = a.folder ? a.folders[a.folder] : undefined;
    if (current && current.done < current.total) rate += current.rate;
  }
  const only = active.length === 1 ? active[0]! : null;
  return {
    accounts: active.length,
    email: only?.email ?? null,
    folder: only?.folder ?? null,
    done,
    total,
    rate,
    secondsLeft: rate > 0 && total > done ? (total - done) / rate : null,
  };
}
