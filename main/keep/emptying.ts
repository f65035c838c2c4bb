/**
 * Emptying the provider's mailbox, verified (issue 15). A policy picks copies on the server (older
 * than N days, or the oldest until usage is under P %); each one goes only when the archive's own
 * copy was just re-read and checked (server-copies.ts checkCopy) and it is not a message still to
 * be handled (db/work-handled.ts) unless the person chose so. A dry run does every check and stops
 * before the server is touched, so it lists exactly what a run would remove.
 *
 * A real run is journaled before anything is deleted (db/keep.ts: the run and its items), each
 * batch is marked 'deleting' before the server is told, and each removal is recorded with its
 * audit entry (the object's SHA-256) in one transaction once the server no longer lists the copy.
 * A run stopped at any moment (a crash, SIGKILL) is found 'running' and resumed: copies the server
 * already removed are recorded then, the others checked again and removed.
 */
import type { ImapFlow } from 'imapflow';
import { type AccountRow, mailboxesOf } from '../../db/accounts.ts';
import {
  archivedCopies,
  type EmptyingItemRow,
  finishEmptyingRun,
  folderUidValidity,
  getEmptyingRun,
  insertEmptyingItems,
  insertEmptyingRun,
  markLocationRemoved,
  runItems,
  type ServerCopy,
  serverCopies,
  setItemState,
  unfinishedRuns,
} from '../../db/keep.ts';
import { unhandledMessages } from '../../db/work-handled.ts';
import type { Archive } from '../archive/archive.ts';
import type { AuditActor, AuditEvent } from '../auth/audit.ts';
import { readServerQuota } from './quota.ts';
import { checkCopy, fetchSizes, readFolderFacts, type SkipReason } from './server-copies.ts';

export interface EmptyingPolicy {
  mode: 'older-than' | 'until-percent';
  olderThanDays?: number | null;
  untilPercent?: number | null;
  /** One folder's path, or null for every folder of the mailbox on the server. */
  folder: string | null;
  /** delete: UID EXPUNGE; move: UID MOVE to `moveTo`, a folder of the provider. */
  action: 'delete' | 'move';
  moveTo?: string | null;
  includeUnhandled: boolean;
}

export interface EmptyingItemView {
  uid: number;
  folder: string;
  messageId: number;
  subject: string | null;
  from: string | null;
  date: string;
  size: number;
  sha256: string;
}

export interface EmptyingSkip {
  uid: number;
  folder: string;
  messageId: number;
  reason: SkipReason;
}

export interface EmptyingResult {
  dryRun: boolean;
  /** The journaled run (null for a dry run). */
  runId: number | null;
  /** Copies the policy picked. */
  candidates: number;
  /** Removed from the server (0 in a dry run). */
  deleted: number;
  skipped: EmptyingSkip[];
  /** What would go (dry run) or went. */
  items: EmptyingItemView[];
  /** The server's usage at the start, for until-percent. */
  quota: { used: number; limit: number } | null;
}

export interface EmptyingContext {
  archive: Archive;
  account: AccountRow;
  /** A new IMAP session for the account (closed by the engine). */
  connect(): Promise<ImapFlow>;
  /** Who runs it, for the journal. */
  actor: AuditActor;
  /** Appends an audit entry; called inside the transaction of the change it records. */
  audit(event: AuditEvent): void;
  now?: () => Date;
  /** Copies removed per server command (one transaction records each batch). */
  batchSize?: number;
}

export class EmptyingError extends Error {
  constructor(
    readonly code: 'no-quota' | 'bad-policy' | 'folder-missing' | 'server',
    message: string,
  ) {
    super(message);
  }
}

const DAY_MS = 86_400_000;

function describePolicy(p: EmptyingPolicy): string {
  const what =
    p.mode === 'older-than' ? `older than ${p.olderThanDays} days` : `until under ${p.untilPercent} %`;
  return `${what}${p.folder ? ` in ${p.folder}` : ''}${p.action === 'move' ? `, moved to ${p.moveTo}` : ''}`;
}

export function validatePolicy(p: EmptyingPolicy): void {
  if (
    p.mode === 'older-than' &&
    (p.olderThanDays === null || p.olderThanDays === undefined || p.olderThanDays < 0)
  )
    throw new EmptyingError('bad-policy', 'older-than needs a number of days (0 or more)');
  if (p.mode === 'until-percent' && (!p.untilPercent || p.untilPercent < 1 || p.untilPercent > 99))
    throw new EmptyingError('bad-policy', 'until-percent needs a percentage between 1 and 99');
  if (p.action === 'move' && !p.moveTo?.trim())
    throw new EmptyingError('bad-policy', 'moving needs the folder to move to');
}

function view(c: ServerCopy): EmptyingItemView {
  return {
    uid: c.uid,
    folder: c.path,
    messageId: c.messageId,
    subject: c.subject,
    from: c.from,
    date: c.date,
    size: c.size,
    sha256: c.objectHash,
  };
}

/** The copies a policy considers, oldest first (never those in the folder moved to). */
function consider(ctx: EmptyingContext, p: EmptyingPolicy, now: Date): ServerCopy[] {
  const all = serverCopies(ctx.archive.db, ctx.account.id, p.folder).filter(
    (c) => !(p.action === 'move' && c.path === p.moveTo),
  );
  if (p.mode === 'older-than') {
    const cutoff = now.getTime() - (p.olderThanDays ?? 0) * DAY_MS;
    return all.filter((c) => Date.parse(c.date) <= cutoff);
  }
  return all;
}

interface Plan {
  go: ServerCopy[];
  skipped: EmptyingSkip[];
  candidates: number;
  quota: { used: number; limit: number } | null;
}

/**
 * The checks of a run, dry or not: every copy picked is looked up on the server (its folder's
 * UIDVALIDITY, its RFC822.SIZE) and its archived object re-read; until-percent takes the oldest
 * copies that pass until enough space would be freed.
 */
async function plan(ctx: EmptyingContext, client: ImapFlow, p: EmptyingPolicy, now: Date): Promise<Plan> {
  const copies = consider(ctx, p, now);
  let quota: Plan['quota'] = null;
  let toFree = Number.POSITIVE_INFINITY;
  if (p.mode === 'until-percent') {
    const q = await readServerQuota(client, now);
    if (!q)
      throw new EmptyingError('no-quota', 'the server reports no quota: empty by age (older than N days)');
    quota = { used: q.usedBytes, limit: q.limitBytes };
    toFree = q.usedBytes - (q.limitBytes * (p.untilPercent ?? 0)) / 100;
    if (toFree <= 0) return { go: [], skipped: [], candidates: 0, quota };
  }
  const unhandled = p.includeUnhandled
    ? new Set<number>()
    : unhandledMessages(
        ctx.archive.db,
        copies.map((c) => c.messageId),
      );
  // What the server has, folder by folder (one FETCH of sizes each).
  const facts = new Map<number, Awaited<ReturnType<typeof readFolderFacts>>>();
  for (const [mailboxId, uids] of groupUids(copies)) {
    const path = copies.find((c) => c.mailboxId === mailboxId)!.path;
    facts.set(mailboxId, await readFolderFacts(client, path, uids));
  }
  const go: ServerCopy[] = [];
  const skipped: EmptyingSkip[] = [];
  let freed = 0;
  let candidates = 0;
  for (const c of copies) {
    if (freed >= toFree) break;
    candidates++;
    const skip = (reason: SkipReason) =>
      skipped.push({ uid: c.uid, folder: c.path, messageId: c.messageId, reason });
    if (unhandled.has(c.messageId)) {
      skip('not-handled');
      continue;
    }
    const f = facts.get(c.mailboxId);
    if (!f) {
      skip('folder-missing');
      continue;
    }
    if (f.uidValidity !== folderUidValidity(ctx.archive.db, c.mailboxId)) {
      skip('uidvalidity-changed');
      continue;
    }
    const reason = await checkCopy(ctx.archive.objects, c, f.sizes.get(c.uid));
    if (reason) {
      skip(reason);
      continue;
    }
    go.push(c);
    freed += c.size;
  }
  return { go, skipped, candidates, quota };
}

function groupUids<T extends { mailboxId: number; uid: number }>(items: T[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const c of items) {
    const list = out.get(c.mailboxId) ?? [];
    list.push(c.uid);
    out.set(c.mailboxId, list);
  }
  return out;
}

async function withClient<T>(ctx: EmptyingContext, work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = await ctx.connect();
  try {
    return await work(client);
  } finally {
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}

/**
 * Runs a policy once: a dry run lists, a real run removes. Runs this account left unfinished are
 * resumed first (a real run only), so two runs never work on the same copies.
 */
export async function runEmptying(
  ctx: EmptyingContext,
  policy: EmptyingPolicy,
  options: { dryRun: boolean },
): Promise<EmptyingResult> {
  validatePolicy(policy);
  const now = ctx.now?.() ?? new Date();
  return withClient(ctx, async (client) => {
    if (!options.dryRun) await resumeWith(ctx, client);
    const p = await plan(ctx, client, policy, now);
    if (options.dryRun) {
      return {
        dryRun: true,
        runId: null,
        candidates: p.candidates,
        deleted: 0,
        skipped: p.skipped,
        items: p.go.map(view),
        quota: p.quota,
      };
    }
    const db = ctx.archive.db;
    const runId = db.$client.transaction(() => {
      const id = insertEmptyingRun(db, {
        accountId: ctx.account.id,
        policy: JSON.stringify(policy),
        startedAt: now.toISOString(),
        actor: ctx.actor.actor,
        actorName: ctx.actor.actorName,
        origin: ctx.actor.origin,
      });
      insertEmptyingItems(
        db,
        id,
        p.go.map((c) => ({
          mailboxId: c.mailboxId,
          uid: c.uid,
          messageId: c.messageId,
          objectHash: c.objectHash,
          size: c.size,
        })),
      );
      const at = now.toISOString();
      // Skipped copies are journaled too, with their reason: the run says why each stayed.
      const byKey = new Map(consider(ctx, policy, now).map((c) => [`${c.path}\u0000${c.uid}`, c]));
      insertEmptyingItems(
        db,
        id,
        p.skipped.flatMap((s) => {
          const c = byKey.get(`${s.folder}\u0000${s.uid}`);
          return c
            ? [
                {
                  mailboxId: c.mailboxId,
                  uid: c.uid,
                  messageId: c.messageId,
                  objectHash: c.objectHash,
                  size: c.size,
                },
              ]
            : [];
        }),
      );
      for (const s of p.skipped) {
        const c = byKey.get(`${s.folder}\u0000${s.uid}`);
        if (c) setItemState(db, id, c.mailboxId, c.uid, 'skipped', s.reason, at);
      }
      return id;
    })();
    await executeRun(ctx, client, runId, policy);
    return resultOf(ctx, runId, p.quota);
  });
}

/** The run as the journal has it now. */
function resultOf(ctx: EmptyingContext, runId: number, quota: EmptyingResult['quota']): EmptyingResult {
  const db = ctx.archive.db;
  const items = runItems(db, runId);
  const copies = new Map(serverCopiesAll(ctx).map((c) => [`${c.mailboxId}\u0000${c.uid}`, c] as const));
  const paths = folderPaths(ctx);
  const asView = (it: EmptyingItemRow): EmptyingItemView => {
    const c = copies.get(`${it.mailboxId}\u0000${it.uid}`);
    return {
      uid: it.uid,
      folder: paths.get(it.mailboxId) ?? String(it.mailboxId),
      messageId: it.messageId,
      subject: c?.subject ?? null,
      from: c?.from ?? null,
      date: c?.date ?? '',
      size: it.size,
      sha256: it.objectHash,
    };
  };
  return {
    dryRun: false,
    runId,
    candidates: items.length,
    deleted: items.filter((i) => i.state === 'deleted').length,
    skipped: items
      .filter((i) => i.state === 'skipped')
      .map((i) => ({
        uid: i.uid,
        folder: paths.get(i.mailboxId) ?? String(i.mailboxId),
        messageId: i.messageId,
        reason: (i.reason ?? 'server-kept') as SkipReason,
      })),
    items: items.filter((i) => i.state === 'deleted').map(asView),
    quota,
  };
}

function serverCopiesAll(ctx: EmptyingContext) {
  return archivedCopies(ctx.archive.db, ctx.account.id);
}

function folderPaths(ctx: EmptyingContext): Map<number, string> {
  return new Map(mailboxesOf(ctx.archive.db, ctx.account.id).map((r) => [r.id, r.path]));
}

/** Resumes every run of this account a stopped process left 'running'; returns how many. */
export async function resumeEmptying(ctx: EmptyingContext): Promise<number> {
  if (unfinishedRuns(ctx.archive.db, ctx.account.id).length === 0) return 0;
  return withClient(ctx, (client) => resumeWith(ctx, client));
}

async function resumeWith(ctx: EmptyingContext, client: ImapFlow): Promise<number> {
  const runs = unfinishedRuns(ctx.archive.db, ctx.account.id);
  for (const run of runs) {
    await executeRun(ctx, client, run.id, JSON.parse(run.policy) as EmptyingPolicy, true);
  }
  return runs.length;
}

/**
 * Removes a journaled run's copies, folder by folder, in batches. Items 'deleting' were being
 * removed when a process stopped: those the server no longer lists are recorded as removed, the
 * others are checked again like 'planned' ones.
 */
async function executeRun(
  ctx: EmptyingContext,
  client: ImapFlow,
  runId: number,
  policy: EmptyingPolicy,
  resumed = false,
): Promise<void> {
  const db = ctx.archive.db;
  const now = () => (ctx.now?.() ?? new Date()).toISOString();
  const paths = folderPaths(ctx);
  const open = runItems(db, runId).filter((i) => i.state === 'planned' || i.state === 'deleting');
  try {
    for (const mailboxId of groupUids(open).keys()) {
      const path = paths.get(mailboxId);
      const items = open.filter((i) => i.mailboxId === mailboxId);
      const skipAll = (reason: SkipReason) =>
        db.$client.transaction(() => {
          for (const it of items) setItemState(db, runId, it.mailboxId, it.uid, 'skipped', reason, now());
        })();
      if (!path) {
        skipAll('folder-missing');
        continue;
      }
      await removeFromFolder(ctx, client, runId, policy, path, mailboxId, items, skipAll);
    }
    db.$client.transaction(() => {
      finishEmptyingRun(db, runId, 'done', now(), null);
      const run = getEmptyingRun(db, runId)!;
      ctx.audit({
        action: 'mailbox.empty',
        targetType: 'account',
        targetId: ctx.account.email,
        accountId: ctx.account.id,
        details: {
          run: runId,
          policy: describePolicy(policy),
          candidates: run.candidates,
          deleted: run.deleted,
          skipped: run.skipped,
          ...(resumed ? { resumed: true } : {}),
        },
      });
    })();
  } catch (error) {
    // The run stays 'running' for a connection lost half-way: the next run resumes it. Anything
    // else is recorded as the run's failure.
    if (!client.usable) throw error;
    db.$client.transaction(() => finishEmptyingRun(db, runId, 'failed', now(), (error as Error).message))();
    throw error;
  }
}

async function removeFromFolder(
  ctx: EmptyingContext,
  client: ImapFlow,
  runId: number,
  policy: EmptyingPolicy,
  path: string,
  mailboxId: number,
  items: EmptyingItemRow[],
  skipAll: (reason: SkipReason) => void,
): Promise<void> {
  const db = ctx.archive.db;
  const now = () => (ctx.now?.() ?? new Date()).toISOString();
  let lock: Awaited<ReturnType<ImapFlow['getMailboxLock']>>;
  try {
    lock = await client.getMailboxLock(path);
  } catch {
    skipAll('folder-missing');
    return;
  }
  try {
    const box = client.mailbox;
    if (!box || String(box.uidValidity) !== folderUidValidity(db, mailboxId)) {
      skipAll('uidvalidity-changed');
      return;
    }
    // RFC 4315 (UIDPLUS): UID EXPUNGE removes exactly the UIDs named. Without it only EXPUNGE
    // exists, which also removes messages another client (the webmail) flagged \Deleted and this
    // archive may never have read: nothing is deleted then. RFC 6851 (MOVE): UID MOVE moves
    // exactly the UIDs named; without MOVE, imapflow copies, flags \Deleted and expunges, which
    // again needs UIDPLUS to stay within these UIDs.
    const caps = client.capabilities;
    const canRemove =
      policy.action === 'move' ? caps.has('MOVE') || caps.has('UIDPLUS') : caps.has('UIDPLUS');
    if (!canRemove) {
      skipAll('no-uidplus');
      return;
    }
    const batch = ctx.batchSize ?? 50;
    for (let i = 0; i < items.length; i += batch) {
      const chunk = items.slice(i, i + batch);
      // Just before the server is told: what it lists now, and the archived objects re-read.
      const sizes = await fetchSizes(
        client,
        chunk.map((c) => c.uid),
      );
      const go: EmptyingItemRow[] = [];
      const gone: EmptyingItemRow[] = [];
      const skips: [EmptyingItemRow, SkipReason][] = [];
      for (const it of chunk) {
        if (it.state === 'deleting' && !sizes.has(it.uid)) {
          // Removed by the process that stopped, before it could record it.
          gone.push(it);
          continue;
        }
        const reason = await checkCopy(ctx.archive.objects, it, sizes.get(it.uid));
        if (reason) skips.push([it, reason]);
        else go.push(it);
      }
      db.$client.transaction(() => {
        for (const [it, reason] of skips)
          setItemState(db, runId, mailboxId, it.uid, 'skipped', reason, now());
        for (const it of go) setItemState(db, runId, mailboxId, it.uid, 'deleting', null, null);
      })();
      recordRemoved(ctx, runId, path, mailboxId, gone, policy, true);
      if (go.length === 0) continue;
      const range = go.map((g) => g.uid).join(',');
      if (policy.action === 'move') await client.messageMove(range, policy.moveTo!, { uid: true });
      else await client.messageDelete(range, { uid: true });
      // What the server still lists stays (and says so); the rest is recorded with its entry.
      const still = await fetchSizes(
        client,
        go.map((g) => g.uid),
      );
      db.$client.transaction(() => {
        for (const it of go)
          if (still.has(it.uid)) setItemState(db, runId, mailboxId, it.uid, 'skipped', 'server-kept', now());
      })();
      recordRemoved(
        ctx,
        runId,
        path,
        mailboxId,
        go.filter((g) => !still.has(g.uid)),
        policy,
        false,
      );
    }
  } finally {
    lock.release();
  }
}

/** Each removal, its location marked and its audit entry with the object's hash: one transaction. */
function recordRemoved(
  ctx: EmptyingContext,
  runId: number,
  path: string,
  mailboxId: number,
  items: EmptyingItemRow[],
  policy: EmptyingPolicy,
  foundOnResume: boolean,
): void {
  if (items.length === 0) return;
  const db = ctx.archive.db;
  const at = (ctx.now?.() ?? new Date()).toISOString();
  db.$client.transaction(() => {
    for (const it of items) {
      setItemState(db, runId, mailboxId, it.uid, 'deleted', null, at);
      markLocationRemoved(db, mailboxId, it.uid, at);
      ctx.audit({
        action: policy.action === 'move' ? 'message.server-move' : 'message.server-delete',
        targetType: 'message',
        targetId: it.messageId,
        accountId: ctx.account.id,
        details: {
          run: runId,
          folder: path,
          uid: it.uid,
          sha256: it.objectHash,
          size: it.size,
          ...(policy.action === 'move' ? { movedTo: policy.moveTo } : {}),
          ...(foundOnResume ? { confirmedOnResume: true } : {}),
        },
      });
    }
  })();
}
