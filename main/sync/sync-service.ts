/**
 * Syncs every account concurrently; one failing account (bad password, server down) does not stop
 * the others. State and progress go to the db (for the next start) and to the event bus (for the
 * UI and the CLI's progress bar).
 */
import { type AccountRow, listAccounts, setAccountSyncState } from '../../db/accounts.ts';
import type { Archive } from '../archive/archive.ts';
import type { CoreEvents } from '../common/core-events.ts';
import type { EventSink } from '../common/event-bus.ts';
import type { QuotaAlert } from '../keep/quota.ts';
import { sampleQuota } from '../keep/quota.ts';
import { readMailboxPassword } from '../secrets/mailbox-passwords.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { AccountSync, type AccountSyncOptions } from './account-sync.ts';
import { SyncError } from './imap-connect.ts';

export interface AccountResult {
  accountId: number;
  email: string;
  ok: boolean;
  errorCode: string | null;
  error: string | null;
}

export class SyncService {
  private readonly running = new Map<number, AccountSync>();
  /** Each account's sync as a promise, so stop() can wait for the last write to the archive. */
  private readonly tasks = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly archive: Archive,
    private readonly secrets: SecretStore,
    private readonly events: EventSink<
      Pick<CoreEvents, 'sync.progress' | 'sync.state'> & { 'quota.alert': QuotaAlert }
    >,
    private readonly options: Partial<AccountSyncOptions> = {},
  ) {}

  /** One pass over every account, or (watch) until stop(). */
  async syncAll(watch = false): Promise<AccountResult[]> {
    const accounts = listAccounts(this.archive.db);
    return Promise.all(accounts.map((a) => this.syncAccount(a, watch)));
  }

  syncAccount(account: AccountRow, watch = false): Promise<AccountResult> {
    const task = this.runAccount(account, watch);
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
    return task;
  }

  private async runAccount(account: AccountRow, watch: boolean): Promise<AccountResult> {
    const result = (ok: boolean, e: SyncError | null): AccountResult => ({
      accountId: account.id,
      email: account.email,
      ok,
      errorCode: e?.code ?? null,
      error: e?.message ?? null,
    });
    if (this.running.has(account.id) || this.stopped) return result(true, null);
    // Only a password confirmed for this server in this archive (mailbox-passwords.ts).
    let unreadable = '';
    const password = await readMailboxPassword(this.secrets, this.archive.db, account).catch(
      (error: Error) => {
        unreadable = ` (the secret store could not be read: ${error.message})`;
        return null;
      },
    );
    if (!password) {
      const e = new SyncError(
        'no-password',
        `no password confirmed for ${account.imapUser} at ${account.imapHost}:${account.imapPort} in this archive${unreadable}: enter it again (pecdesk account password --email ${account.email})`,
      );
      this.setState(account, 'error', e);
      return result(false, e);
    }
    if (this.stopped) return result(true, null);
    const sync = new AccountSync(
      this.archive,
      account,
      password,
      { watch, ...this.options },
      {
        progress: (p) =>
          this.events.emit('sync.progress', { accountId: account.id, email: account.email, ...p }),
        passDone: () => this.setState(account, 'idle', null, new Date().toISOString()),
        afterPass: (client) => sampleQuota(client, this.archive.db, account, this.events),
        failed: (e, willRetry) => this.setState(account, 'error', e, undefined, willRetry),
      },
    );
    this.running.set(account.id, sync);
    this.setState(account, 'syncing', null);
    try {
      await sync.run();
      return result(true, null);
    } catch (error) {
      const e = error instanceof SyncError ? error : new SyncError('server-error', (error as Error).message);
      this.setState(account, 'error', e);
      return result(false, e);
    } finally {
      this.running.delete(account.id);
    }
  }

  /**
   * Stops every account and waits (at most `waitMs`) until their syncs have let go of the
   * archive: closing the database under a sync still writing loses its last batch's bookkeeping
   * and throws "database connection is not open" in the background.
   */
  async stop(waitMs = 10_000): Promise<void> {
    this.stopped = true;
    for (const sync of this.running.values()) sync.stop();
    const settled = Promise.allSettled([...this.tasks]);
    await Promise.race([settled, new Promise((r) => setTimeout(r, waitMs).unref())]);
  }

  /** Read states of this account's messages changed here: its running sync writes them back. */
  flagsChanged(accountId: number): void {
    this.running.get(accountId)?.flagsChanged();
  }

  stopAccount(accountId: number): void {
    this.running.get(accountId)?.stop();
  }

  private setState(
    account: AccountRow,
    state: AccountRow['syncState'],
    error: SyncError | null,
    syncedAt?: string,
    retrying = false,
  ) {
    // The account's last error reaches every client (accounts.list): the archive's own paths
    // (an object that could not be written) are not theirs to see.
    const message = error ? error.message.split(this.archive.dir).join('<archivio>') : null;
    if (error && message !== error.message) console.error(`sync ${account.email}: ${error.message}`);
    setAccountSyncState(
      this.archive.db,
      account.id,
      state,
      error ? { code: error.code, message: message! } : null,
      syncedAt,
    );
    this.events.emit('sync.state', {
      accountId: account.id,
      email: account.email,
      state,
      errorCode: error?.code ?? null,
      error: error ? `${message}${retrying ? ' (retrying)' : ''}` : null,
    });
  }
}
