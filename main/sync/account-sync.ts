/**
 * One account: every folder once, then (watching) IDLE on INBOX for new messages and a periodic
 * pass over the other folders. A dropped connection is re-made with exponential backoff; a refused
 * login is not retried in a loop (the password must change first).
 */
import type { ImapFlow } from 'imapflow';
import { type AccountRow, type MailboxRow, mailboxesOf, upsertMailbox } from '../../db/accounts.ts';
import type { Archive } from '../archive/archive.ts';
import { pushFlagChanges } from './flag-push.ts';
import { type FolderProgress, syncFolder } from './folder-sync.ts';
import { classifyImapError, connectImap, SyncError } from './imap-connect.ts';

export interface AccountSyncHooks {
  progress?(p: FolderProgress): void;
  /** Each successful pass over all folders. */
  passDone?(): void;
  /**
   * After each pass, with the session still open: the mailbox's quota is read here (issue 15,
   * main/keep/quota.ts); it must not throw.
   */
  afterPass?(client: ImapFlow): Promise<void>;
  /** A failure; `willRetry` is false when the account stops (watching ends only on stop()). */
  failed?(error: SyncError, willRetry: boolean): void;
}

export interface AccountSyncOptions {
  watch: boolean;
  /** How often the folders other than INBOX are looked at while watching. */
  fullPassEveryMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Attempts of a one-shot sync before it gives up (transient failures only). */
  attempts?: number;
}

/** Folders that hold no mail of their own. */
function selectable(flags: Set<string>): boolean {
  return !flags.has('\\Noselect') && !flags.has('\\NonExistent');
}

export class AccountSync {
  private stopped = false;
  private client: ImapFlow | null = null;
  private wake: (() => void) | null = null;
  /** The person changed a read state here: write it to the server at the next chance. */
  private flagsPending = false;

  constructor(
    private readonly archive: Archive,
    private readonly account: AccountRow,
    private readonly password: string,
    private readonly options: AccountSyncOptions,
    private readonly hooks: AccountSyncHooks = {},
  ) {}

  /** Read states changed here: a watching session writes them now, a one-shot pass before it reads. */
  flagsChanged(): void {
    this.flagsPending = true;
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
    this.client?.close();
  }

  /** One pass (or, watching, until stop()). Rejects with a SyncError when it gives up. */
  async run(): Promise<void> {
    const backoff = this.options.backoff ?? { initialMs: 1000, maxMs: 60_000 };
    const attempts = this.options.attempts ?? 5;
    let delay = backoff.initialMs;
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.session();
        if (!this.options.watch) return;
        delay = backoff.initialMs;
        failures = 0;
      } catch (raw) {
        if (this.stopped) return;
        const error = classifyImapError(raw);
        failures++;
        const permanent = error.code === 'auth-failed' || error.code === 'tls-failed';
        const willRetry = !permanent && (this.options.watch || failures < attempts);
        this.hooks.failed?.(error, willRetry);
        if (!willRetry) throw error;
        await this.sleep(delay);
        delay = Math.min(backoff.maxMs, delay * 2);
      }
    }
  }

  private async session(): Promise<void> {
    const client = await connectImap(
      this.account,
      this.password,
      this.options.watch ? { idleDelayMs: 200 } : {},
    );
    this.client = client;
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    try {
      // Changes made here first: the folders' flags read next then already agree with them.
      this.flagsPending = false;
      await pushFlagChanges(client, this.archive, this.account.id);
      await this.pass(client);
      this.hooks.passDone?.();
      if (!this.options.watch) return;
      await this.watch(client, closed);
    } finally {
      this.client = null;
      if (client.usable) await client.logout().catch(() => client.close());
      else client.close();
    }
  }

  private async pass(client: ImapFlow): Promise<void> {
    const listed = await client.list();
    for (const box of listed) {
      if (!selectable(box.flags)) continue;
      upsertMailbox(this.archive.db, this.account.id, box.path, box.name, box.specialUse ?? null);
    }
    const rows = mailboxesOf(this.archive.db, this.account.id).filter((r) =>
      listed.some((l) => l.path === r.path && selectable(l.flags)),
    );
    // INBOX first: that is where new PEC and receipts arrive.
    rows.sort((a, b) => (a.path === 'INBOX' ? -1 : b.path === 'INBOX' ? 1 : a.path.localeCompare(b.path)));
    for (const row of rows) {
      if (this.stopped) return;
      await syncFolder(client, this.archive, row, (p) => this.hooks.progress?.(p));
    }
    await this.hooks.afterPass?.(client);
  }

  /** IDLE on INBOX: imapflow idles on its own while the folder is selected; EXISTS wakes us. */
  private async watch(client: ImapFlow, closed: Promise<void>): Promise<void> {
    const inbox = (): MailboxRow | undefined =>
      mailboxesOf(this.archive.db, this.account.id).find((r) => r.path === 'INBOX');
    let pending = false;
    client.on('exists', () => {
      pending = true;
      this.wake?.();
    });
    let lastFull = Date.now();
    const every = this.options.fullPassEveryMs ?? 5 * 60_000;
    await client.mailboxOpen('INBOX', { readOnly: true });
    while (!this.stopped) {
      // New mail (EXISTS) or a read state that came while the last round was busy is handled now:
      // waiting first would leave it until the next message or the next full pass.
      const woke = await Promise.race([
        new Promise<'wake'>((resolve) => {
          this.wake = () => resolve('wake');
          if (pending || this.flagsPending) resolve('wake');
        }),
        closed.then(() => 'closed' as const),
        new Promise<'timer'>((resolve) =>
          setTimeout(() => resolve('timer'), Math.max(1000, every - (Date.now() - lastFull))).unref(),
        ),
      ]);
      this.wake = null;
      if (this.stopped) return;
      if (woke === 'closed') throw new SyncError('connection-failed', 'the server closed the connection');
      if (this.flagsPending) {
        this.flagsPending = false;
        await pushFlagChanges(client, this.archive, this.account.id);
      }
      if (pending) {
        pending = false;
        const row = inbox();
        if (row) await syncFolder(client, this.archive, row, (p) => this.hooks.progress?.(p));
      }
      if (Date.now() - lastFull >= every) {
        await this.pass(client);
        lastFull = Date.now();
        this.hooks.passDone?.();
      }
      if (client.mailbox === false || (client.mailbox && client.mailbox.path !== 'INBOX')) {
        await client.mailboxOpen('INBOX', { readOnly: true });
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}
