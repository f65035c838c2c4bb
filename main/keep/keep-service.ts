/**
 * Emptying by itself: after a sync of a mailbox whose policy the person turned on, the policy runs
 * (at most once a day), and a run a stopped process left half-way is resumed. Runs of the app are
 * logged as 'system' (the policy's own); those a person starts go through the API with their name.
 */
import { type AccountRow, findAccount } from '../../db/accounts.ts';
import { enabledKeepPolicies, keepPolicyOf, saveKeepPolicy, unfinishedRuns } from '../../db/keep.ts';
import type { Archive } from '../archive/archive.ts';
import { type AuditActor, appendAudit } from '../auth/audit.ts';
import type { CoreEvents } from '../common/core-events.ts';
import type { EventSource } from '../common/event-bus.ts';
import { readMailboxPassword } from '../secrets/mailbox-passwords.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { connectImap } from '../sync/imap-connect.ts';
import { type EmptyingContext, type EmptyingPolicy, resumeEmptying, runEmptying } from './emptying.ts';

/** The actor of runs the app starts by itself, following a policy. */
export const POLICY_ACTOR: AuditActor = { actor: 'system', actorName: 'PecDesk', origin: 'policy' };

/** A policy runs by itself at most this often. */
const AUTO_EVERY_MS = 23 * 3_600_000;

/** The engine's context for one account: its own IMAP session, the log through `audit`. */
export function emptyingContext(
  archive: Archive,
  secrets: SecretStore,
  account: AccountRow,
  actor: AuditActor,
  audit: EmptyingContext['audit'],
): EmptyingContext {
  return {
    archive,
    account,
    actor,
    audit,
    connect: async () => {
      const password = await readMailboxPassword(secrets, archive.db, account);
      if (!password)
        throw new Error(
          `no password confirmed for ${account.email} in this archive: enter it again (pecdesk account password --email ${account.email})`,
        );
      return connectImap(account, password, { timeoutMs: 30_000 });
    },
  };
}

export function policyFromRow(row: NonNullable<ReturnType<typeof keepPolicyOf>>): EmptyingPolicy {
  return {
    mode: row.mode,
    olderThanDays: row.olderThanDays,
    untilPercent: row.untilPercent,
    folder: row.folder,
    action: row.action,
    moveTo: row.moveTo,
    includeUnhandled: row.includeUnhandled,
  };
}

export class KeepService {
  private readonly busy = new Set<number>();
  private readonly tasks = new Set<Promise<unknown>>();
  private off: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly archive: Archive,
    private readonly secrets: SecretStore,
    private readonly events: EventSource<Pick<CoreEvents, 'sync.state'>>,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  /** Runs each enabled policy after its mailbox's sync, and resumes unfinished runs. */
  start(): this {
    this.off = this.events.on('sync.state', (e) => {
      if (e.state === 'idle') this.afterSync(e.accountId);
    });
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.off?.();
    await Promise.allSettled([...this.tasks]);
  }

  /** Accounts with an enabled policy or a run to resume. */
  pending(): number[] {
    const ids = new Set(enabledKeepPolicies(this.archive.db).map((p) => p.accountId));
    for (const r of unfinishedRuns(this.archive.db)) ids.add(r.accountId);
    return [...ids];
  }

  afterSync(accountId: number, now = new Date()): void {
    if (this.stopped || this.busy.has(accountId)) return;
    const task = this.runFor(accountId, now);
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  private async runFor(accountId: number, now: Date): Promise<void> {
    const db = this.archive.db;
    const account = findAccount(db, accountId);
    if (!account) return;
    const policy = keepPolicyOf(db, accountId);
    const unfinished = unfinishedRuns(db, accountId).length > 0;
    const due =
      policy?.enabled &&
      (!policy.lastAutoRunAt || now.getTime() - Date.parse(policy.lastAutoRunAt) >= AUTO_EVERY_MS);
    if (!unfinished && !due) return;
    this.busy.add(accountId);
    const ctx = emptyingContext(this.archive, this.secrets, account, POLICY_ACTOR, (e) =>
      appendAudit(db, POLICY_ACTOR, e),
    );
    try {
      if (unfinished) await resumeEmptying(ctx);
      if (due && policy) {
        saveKeepPolicy(db, accountId, { lastAutoRunAt: now.toISOString() });
        const result = await runEmptying(ctx, policyFromRow(policy), { dryRun: false });
        if (result.deleted > 0 || result.skipped.length > 0)
          this.log(
            `emptying ${account.email}: ${result.deleted} removed from the server, ${result.skipped.length} kept`,
          );
      }
    } catch (error) {
      this.log(`emptying ${account.email} stopped: ${(error as Error).message}`);
    } finally {
      this.busy.delete(accountId);
    }
  }
}
