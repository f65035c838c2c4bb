/**
 * The outbox: sends what outbox-write.ts committed, so that each PEC reaches its provider exactly
 * once, whatever happens to the connection or to the process.
 *
 * - A row is taken with a lease (db/outbox.ts claimNext): two processes on one archive (the app
 *   and the CLI) never send the same row; a process that dies leaves its lease to expire (or, on
 *   this machine, is seen dead at once) and another takes over.
 * - Each attempt is committed before connecting, and again right before MAIL FROM ("data"): an
 *   attempt interrupted before that handed nothing over and is simply made again; one interrupted
 *   after it may have reached the provider, so PecDesk looks for the proof first (the provider's
 *   acceptance or non-acceptance in the archive or in INBOX, or its own copy in Sent, written only
 *   after the provider took the message) and waits for it (verifyGraceMs from the start of that
 *   attempt) before sending again.
 * - Connection errors and "try later" (4xx, e.g. 451 over the rate) are retried with exponential
 *   backoff, the mailbox paused meanwhile; a refusal (5xx, a wrong password) fails the row with the
 *   server's words. Each mailbox sends at most its messages-per-minute (limits.ts), counted in the
 *   database, so restarts and a second process count too.
 * - Once sent, the copy enters the archive (its PEC thread shows it at once, and the receipts that
 *   sync brings join it) and is put in the mailbox's Sent folder (providers keep no copy).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type AccountRow, findAccount, upsertMailbox } from '../../db/accounts.ts';
import { getMessage, threadMembers, upsertLocation } from '../../db/messages.ts';
import {
  accountsWithPendingSentCopy,
  accountsWithWork,
  attemptsSince,
  claimNext,
  enterDataPhase,
  expireLease,
  failOrphans,
  getOutbox,
  leasedRows,
  markFailed,
  markSent,
  nextDueAt,
  noteInterrupted,
  type OutboxRow,
  renewLease,
  requeue,
  rowsWithoutSentCopy,
  sentWithoutArchivedCopy,
  setArchivedMessage,
  setSentCopy,
  startAttempt,
} from '../../db/outbox.ts';
import { rebuildDocs } from '../../db/search.ts';
import { createThread, findThread } from '../../db/threads.ts';
import type { Archive } from '../archive/archive.ts';
import type { CoreEvents } from '../common/core-events.ts';
import type { EventSink } from '../common/event-bus.ts';
import { isReceiptKind } from '../pec/kinds.ts';
import { readMailboxPassword } from '../secrets/mailbox-passwords.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { limitsOf } from './limits.ts';
import { appendSentCopy, findEvidence, withMailbox } from './mailbox-copy.ts';
import { rowRecipients } from './outbox-write.ts';
import { SmtpFailure, submit } from './smtp.ts';
import { readSmtpPassword, smtpEndpoint } from './smtp-password.ts';

export interface OutboxOptions {
  /** The window the messages-per-minute limit counts over (a minute; shorter with a simulated clock). */
  rateWindowMs?: number;
  /** Retry delays after a temporary failure: doubling from initialMs up to maxMs. */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * How long, from the start of an interrupted attempt that may have reached the provider, PecDesk
   * waits for the provider's proof before it sends again (providers answer in seconds).
   */
  verifyGraceMs?: number;
  /** How often it looks for that proof meanwhile. */
  verifyEveryMs?: number;
  /** A row's lease; renewed while it is being sent. */
  leaseMs?: number;
  /** SMTP connection and greeting timeout. */
  timeoutMs?: number;
  /** How often the queue is looked at without being woken (rows due after a backoff, expired leases). */
  pollMs?: number;
  /** Only these rows (the CLI's `send` handles its own message, not the whole queue). */
  only?: number[];
  /** Called after a row was handed to the provider (the core then syncs the mailbox for its receipts). */
  onSent?(accountId: number): void;
  log?(line: string): void;
}

const DEFAULTS = {
  rateWindowMs: 60_000,
  backoff: { initialMs: 5_000, maxMs: 10 * 60_000 },
  verifyGraceMs: 3 * 60_000,
  verifyEveryMs: 5_000,
  leaseMs: 60_000,
  timeoutMs: 60_000,
  pollMs: 1_000,
};

/** This process, as lease owner: `host:pid:random`. */
function newOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** A lease held by a process of this machine that no longer runs. */
function ownerIsDead(owner: string | null): boolean {
  if (!owner) return true;
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** What sending tells the front ends: rows that changed state, and the archive when a copy is kept. */
export type OutboxEvents = EventSink<Pick<CoreEvents, 'outbox.changed' | 'archive.changed'>>;

export class OutboxService {
  private readonly owner = newOwner();
  private readonly o: Required<Omit<OutboxOptions, 'only' | 'onSent' | 'log'>>;
  private stopped = false;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly workers = new Map<number, Promise<void>>();
  /** Mailboxes waiting (backoff after a connection error, or their per-minute limit) until then. */
  private readonly pausedUntil = new Map<number, number>();
  private readonly copying = new Map<number, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly archive: Archive,
    private readonly secrets: SecretStore,
    private readonly events: OutboxEvents | undefined,
    private readonly options: OutboxOptions = {},
  ) {
    this.o = {
      rateWindowMs: options.rateWindowMs ?? DEFAULTS.rateWindowMs,
      backoff: options.backoff ?? DEFAULTS.backoff,
      verifyGraceMs: options.verifyGraceMs ?? DEFAULTS.verifyGraceMs,
      verifyEveryMs: options.verifyEveryMs ?? DEFAULTS.verifyEveryMs,
      leaseMs: options.leaseMs ?? DEFAULTS.leaseMs,
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      pollMs: options.pollMs ?? DEFAULTS.pollMs,
    };
  }

  private get db() {
    return this.archive.db;
  }

  private log(line: string) {
    (this.options.log ?? ((l: string) => console.error(`outbox: ${l}`)))(line);
  }

  /** Starts sending: first what a stopped process left half done, then the queue. */
  start(): void {
    if (this.running || this.stopped) return;
    this.running = this.loop().catch((e: Error) => {
      if (!this.stopped) this.log(`stopped by an error: ${e.stack ?? e.message}`);
    });
  }

  /** Looks at the queue now (a row was added, a campaign resumed). */
  kick(): void {
    this.wake?.();
  }

  /**
   * Stops: no new attempt starts; an attempt under way is interrupted (before MAIL FROM it is
   * simply queued again; after it, the row is left to be verified at the next start).
   */
  async stop(waitMs = 15_000): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    const all = Promise.allSettled([this.running, ...this.workers.values(), ...this.copying.values()]);
    await Promise.race([all, new Promise((r) => setTimeout(r, waitMs).unref())]);
  }

  private changed(ids: number[], accountId: number | null = null) {
    const rowAccount = ids.length === 1 ? (getOutbox(this.db, ids[0]!)?.accountId ?? null) : null;
    this.events?.emit('outbox.changed', { accountId: accountId ?? rowAccount, ids });
  }

  private async loop(): Promise<void> {
    await this.recover();
    while (!this.stopped) {
      const now = Date.now();
      this.reapDeadLeases(now);
      for (const accountId of accountsWithWork(this.db, iso(now), this.options.only)) {
        if (this.workers.has(accountId)) continue;
        if ((this.pausedUntil.get(accountId) ?? 0) > now) continue;
        const worker = this.runAccount(accountId)
          .catch((e: Error) => this.log(`mailbox ${accountId}: ${e.stack ?? e.message}`))
          .finally(() => {
            this.workers.delete(accountId);
            this.kick();
          });
        this.workers.set(accountId, worker);
      }
      await this.sleep(this.nextWake(now));
    }
  }

  /** Until the next thing to do: a backoff or a rate pause ending, or the poll. */
  private nextWake(now: number): number {
    let wait = this.o.pollMs;
    const due = nextDueAt(this.db, this.options.only);
    if (due) wait = Math.min(wait, Math.max(0, Date.parse(due) - now));
    for (const until of this.pausedUntil.values()) if (until > now) wait = Math.min(wait, until - now);
    return Math.max(10, wait);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  /** Leases of processes of this machine that died: their rows are taken over at once. */
  private reapDeadLeases(now: number): void {
    for (const r of leasedRows(this.db))
      if (
        r.leaseOwner !== this.owner &&
        r.leaseUntil &&
        Date.parse(r.leaseUntil) > now &&
        ownerIsDead(r.leaseOwner)
      )
        expireLease(this.db, r.id, r.leaseOwner!, iso(now - 1));
  }

  /** What a stopped process left: sent messages whose copy is not archived or not in Sent yet. */
  private async recover(): Promise<void> {
    const orphans = failOrphans(this.db, 'the mailbox was removed from PecDesk');
    if (orphans > 0) this.changed([]);
    for (const id of sentWithoutArchivedCopy(this.db)) {
      if (this.stopped) return;
      await this.archiveCopy(id).catch((e: Error) =>
        this.log(`archiving the copy of row ${id}: ${e.message}`),
      );
    }
    for (const accountId of accountsWithPendingSentCopy(this.db)) this.copyToSent(accountId);
  }

  private async runAccount(accountId: number): Promise<void> {
    while (!this.stopped) {
      const account = findAccount(this.db, accountId);
      if (!account) return;
      const now = Date.now();
      const wait = this.rateWait(account, now);
      if (wait > 0) {
        this.pausedUntil.set(accountId, now + wait);
        return;
      }
      const row = claimNext(
        this.db,
        accountId,
        this.owner,
        iso(now),
        iso(now + this.o.leaseMs),
        this.options.only,
      );
      if (!row) return;
      await this.handle(account, row);
    }
  }

  /** How long until the mailbox may start another attempt under its messages-per-minute limit. */
  private rateWait(account: AccountRow, now: number): number {
    const { perMinute } = limitsOf(account);
    const recent = attemptsSince(this.db, account.id, iso(now - this.o.rateWindowMs));
    if (recent.length < perMinute) return 0;
    const oldest = Date.parse(recent[recent.length - perMinute]!);
    return Math.max(1, oldest + this.o.rateWindowMs - now);
  }

  /** One claimed row, until it is sent, failed, queued again, or left for verification. */
  private async handle(account: AccountRow, claimed: OutboxRow): Promise<void> {
    const renew = setInterval(
      () => renewLease(this.db, claimed.id, this.owner, iso(Date.now() + this.o.leaseMs)),
      Math.max(50, this.o.leaseMs / 3),
    );
    try {
      let row = claimed;
      for (;;) {
        if (row.phase === 'data') {
          const verdict = await this.verify(account, row);
          if (verdict !== 'resend') return;
        }
        const outcome = await this.attempt(account, row);
        if (outcome !== 'unknown') return;
        const fresh = getOutbox(this.db, row.id);
        if (fresh?.state !== 'sending' || fresh.leaseOwner !== this.owner) return;
        row = fresh;
      }
    } finally {
      clearInterval(renew);
      const left = getOutbox(this.db, claimed.id);
      // Stopping in the middle: the next process takes over at once, and verifies if it must.
      if (left?.state === 'sending' && left.leaseOwner === this.owner)
        expireLease(this.db, left.id, this.owner, iso(Date.now() - 1));
      this.changed([claimed.id]);
    }
  }

  private backoffMs(attempts: number): number {
    const { initialMs, maxMs } = this.o.backoff;
    return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempts - 1));
  }

  /** One SMTP attempt. 'unknown': interrupted after MAIL FROM (verify before anything else). */
  private async attempt(account: AccountRow, row: OutboxRow): Promise<'done' | 'unknown'> {
    const now = Date.now();
    if (!startAttempt(this.db, row.id, this.owner, iso(now))) return 'done';
    this.changed([row.id]);
    const endpoint = smtpEndpoint(account);
    if (!endpoint) {
      markFailed(this.db, row.id, this.owner, {
        code: 'no-smtp',
        message: `${account.email} has no SMTP server: set it in the mailbox settings`,
      });
      return 'done';
    }
    const password = await readSmtpPassword(this.secrets, this.db, account).catch(() => null);
    if (!password) {
      markFailed(this.db, row.id, this.owner, {
        code: 'no-password',
        message: `no password confirmed for ${endpoint.user} at ${endpoint.host}:${endpoint.port} in this archive: enter it again (pecdesk account password --email ${account.email})`,
      });
      return 'done';
    }
    const raw = await this.archive.objects.get(row.objectHash);
    try {
      const result = await submit(
        endpoint,
        password,
        { from: row.fromAddress, to: rowRecipients(row).map((r) => r.address) },
        raw,
        {
          timeoutMs: this.o.timeoutMs,
          signal: this.abort.signal,
          beforeData: () => {
            if (!enterDataPhase(this.db, row.id, this.owner))
              throw new SmtpFailure('temporary', 'interrupted', 'the row is no longer this process’s');
          },
        },
      );
      const sentAt = new Date().toISOString();
      // The copy first, so that a row said 'sent' is in its thread already (a crash in between is
      // recovered by the proof the provider sends, which finds the row still 'sending').
      await this.archiveCopy(row.id).catch((e: Error) =>
        this.log(`archiving the copy of row ${row.id}: ${e.message}`),
      );
      if (markSent(this.db, row.id, this.owner, sentAt, 'smtp')) {
        this.pausedUntil.delete(account.id);
        if (result.rejected.length > 0)
          this.log(`${row.messageId}: the server refused ${result.rejected.join(', ')}`);
        await this.afterSent(account, row.id);
      }
      return 'done';
    } catch (error) {
      const failure =
        error instanceof SmtpFailure
          ? error
          : new SmtpFailure('unknown', 'interrupted', (error as Error).message ?? String(error));
      if (failure.kind === 'unknown') {
        this.log(
          `${row.messageId}: ${failure.message}; looking for the provider's proof before sending again`,
        );
        return 'unknown';
      }
      if (failure.kind === 'permanent') {
        markFailed(this.db, row.id, this.owner, { code: failure.code, message: failure.message });
        return 'done';
      }
      if (this.stopped) {
        requeue(this.db, row.id, this.owner, null, null);
        return 'done';
      }
      const fresh = getOutbox(this.db, row.id);
      const delay = this.backoffMs(fresh?.attempts ?? 1);
      requeue(this.db, row.id, this.owner, iso(Date.now() + delay), {
        code: failure.code,
        message: failure.message,
      });
      // The mailbox waits as a whole: its other rows would meet the same server.
      this.pausedUntil.set(account.id, Date.now() + delay);
      return 'done';
    }
  }

  /**
   * An attempt that may have reached the provider: sent when its proof is found, 'resend' once
   * the grace period from that attempt's start has passed without any, 'stopped' when stopping.
   */
  private async verify(account: AccountRow, row: OutboxRow): Promise<'sent' | 'resend' | 'stopped'> {
    const started = Date.parse(row.attemptStartedAt ?? new Date(0).toISOString());
    noteInterrupted(
      this.db,
      row.id,
      this.owner,
      row.lastError ??
        'the sending was interrupted: looking for the provider’s acceptance before sending again',
    );
    this.changed([row.id]);
    for (;;) {
      if (this.stopped) return 'stopped';
      const proof = await this.findProof(account, row.messageId).catch((e: Error) => {
        this.log(`${row.messageId}: the mailbox could not be looked at (${e.message}); waiting`);
        return 'unreachable' as const;
      });
      if (proof === 'acceptance' || proof === 'sent-folder') {
        if (markSent(this.db, row.id, this.owner, new Date().toISOString(), proof)) {
          this.log(`${row.messageId}: the provider had it (${proof}); not sent again`);
          await this.afterSent(account, row.id);
        }
        return 'sent';
      }
      // Never sent again without having looked: an unreachable mailbox keeps the row waiting.
      if (proof === 'none' && Date.now() - started >= this.o.verifyGraceMs) return 'resend';
      await new Promise((r) => setTimeout(r, this.o.verifyEveryMs));
    }
  }

  private async findProof(
    account: AccountRow,
    messageId: string,
  ): Promise<'acceptance' | 'sent-folder' | 'none'> {
    const thread = findThread(this.db, messageId, null);
    if (thread && threadMembers(this.db, thread.id).some((m) => isReceiptKind(m.kind))) return 'acceptance';
    const password = await readMailboxPassword(this.secrets, this.db, account);
    if (!password) throw new Error('no password confirmed for its IMAP server');
    const evidence = await withMailbox(account, password, (client) => findEvidence(client, messageId));
    return evidence.notice ? 'acceptance' : evidence.sentCopy ? 'sent-folder' : 'none';
  }

  private async afterSent(account: AccountRow, id: number): Promise<void> {
    this.changed([id]);
    await this.archiveCopy(id).catch((e: Error) => this.log(`archiving the copy of row ${id}: ${e.message}`));
    this.copyToSent(account.id);
    this.options.onSent?.(account.id);
  }

  /**
   * The sent copy into the archive, in its PEC thread (made now when no receipt made it first), so
   * the PEC is there at once and its receipts join it as sync brings them.
   */
  async archiveCopy(id: number): Promise<void> {
    const row = getOutbox(this.db, id);
    if (!row || row.archivedMessageId !== null) return;
    const raw = await this.archive.objects.get(row.objectHash);
    this.db.$client
      .transaction(() => {
        if (!findThread(this.db, row.messageId, null)) createThread(this.db, row.messageId, null);
      })
      .immediate();
    const [outcome] = await this.archive.ingest([{ raw }]);
    if (outcome) setArchivedMessage(this.db, id, outcome.messageId);
  }

  /** PecDesk's copies into the mailbox's Sent folder, in the background, one connection for all. */
  copyToSent(accountId: number): void {
    if (this.copying.has(accountId) || this.stopped) return;
    const task = this.copyAll(accountId)
      .catch((e: Error) => this.log(`copy to Sent of mailbox ${accountId}: ${e.message}`))
      .finally(() => this.copying.delete(accountId));
    this.copying.set(accountId, task);
  }

  private async copyAll(accountId: number): Promise<void> {
    const account = findAccount(this.db, accountId);
    if (!account) return;
    const password = await readMailboxPassword(this.secrets, this.db, account);
    if (!password) return;
    for (;;) {
      const rows = rowsWithoutSentCopy(this.db, accountId);
      if (rows.length === 0 || this.stopped) return;
      await withMailbox(account, password, async (client) => {
        for (const row of rows) {
          if (this.stopped) return;
          if (row.archivedMessageId === null) await this.archiveCopy(row.id);
          const fresh = getOutbox(this.db, row.id)!;
          const raw = await this.archive.objects.get(row.objectHash);
          const copy = await appendSentCopy(client, raw, row.messageId);
          this.db.$client.transaction(() => {
            const box = upsertMailbox(
              this.db,
              accountId,
              copy.folder.path,
              copy.folder.name,
              copy.folder.specialUse ?? null,
            );
            const messageId = fresh.archivedMessageId;
            // Where the copy sits, when the server said it (UIDPLUS) for the folder as PecDesk knows
            // it; otherwise the next sync of Sent finds it by its bytes.
            if (
              messageId !== null &&
              getMessage(this.db, messageId) &&
              copy.uid !== null &&
              (box.uidValidity === null || box.uidValidity === copy.uidValidity)
            ) {
              upsertLocation(this.db, messageId, { mailboxId: box.id, uid: copy.uid, flags: ['\\Seen'] });
              rebuildDocs(this.db, [messageId]);
            }
            setSentCopy(this.db, row.id, 'done');
          })();
        }
      });
      this.events?.emit('archive.changed', { created: 0, threads: [] });
    }
  }
}
