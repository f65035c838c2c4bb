/**
 * Changing the work on a list row (issue 14): state changes, assignment, tags, deadlines, priority
 * and comments, each with its line in the row's history and its entry in the audit log, written
 * by the caller's transaction (every function here expects one open). Used by the API handlers
 * (a person), the router (a rule) and the scheduler (the system).
 */
import type { Db } from '../../db/database.ts';
import { accountsOfMessage, accountsOfThread } from '../../db/scope.ts';
import {
  addItemTag,
  ensureItem,
  findTag,
  insertEvent,
  type RowRef,
  removeItemTag,
  updateItem,
  type WorkItemRow,
} from '../../db/work.ts';
import type { AuditEvent } from '../auth/audit.ts';
import { fold } from './match.ts';
import type { Priority } from './rules.ts';
import { type Person, transition, type WorkChange, type WorkFacts } from './states.ts';

/** Who acts, as the log names them, and the person a claim is made by. */
export interface WorkActor {
  /** user:<id>, cli:<os user>, rule:<id>, system. */
  actor: string;
  actorName: string;
  person: Person;
}

export interface WorkContext {
  db: Db;
  now: Date;
  actor: WorkActor;
  /** Appends the audit entry inside the open transaction. */
  audit(event: AuditEvent): void;
}

/** A stable reason the UI says in Italian: not-found, already-claimed, done, not-done… */
export class WorkError extends Error {
  constructor(
    readonly code: 'not-found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

function target(db: Db, ref: RowRef): Pick<AuditEvent, 'targetType' | 'targetId' | 'accountId'> {
  const accounts =
    'threadId' in ref ? accountsOfThread(db, ref.threadId) : accountsOfMessage(db, ref.messageId);
  return 'threadId' in ref
    ? { targetType: 'thread', targetId: ref.threadId, accountId: accounts[0] ?? null }
    : { targetType: 'message', targetId: ref.messageId, accountId: accounts[0] ?? null };
}

function facts(item: WorkItemRow): WorkFacts {
  return {
    state: item.state,
    assigneeUserId: item.assigneeUserId,
    assigneeOfficeId: item.assigneeOfficeId,
    claimedBy: item.claimedBy,
    claimedByName: item.claimedByName,
    claimedAt: item.claimedAt,
    doneAt: item.doneAt,
    doneByName: item.doneByName,
  };
}

/** The history line and the audit entry of one change. */
function record(
  ctx: WorkContext,
  ref: RowRef,
  item: WorkItemRow,
  e: {
    action: string;
    from?: string | null;
    to?: string | null;
    comment?: string | null;
    details?: Record<string, unknown>;
  },
): void {
  const at = ctx.now.toISOString();
  insertEvent(ctx.db, {
    itemId: item.id,
    at,
    actor: ctx.actor.actor,
    actorName: ctx.actor.actorName,
    action: e.action,
    fromState: e.from ?? null,
    toState: e.to ?? null,
    comment: e.comment ?? null,
    details: JSON.stringify(e.details ?? {}),
  });
  ctx.audit({
    action: `work.${e.action}`,
    ...target(ctx.db, ref),
    details: {
      ...(e.from !== undefined || e.to !== undefined ? { from: e.from ?? null, to: e.to ?? null } : {}),
      ...(e.comment ? { comment: e.comment } : {}),
      ...e.details,
    },
  });
}

const ACTION_OF: Record<WorkChange['type'], string> = {
  assign: 'assign',
  claim: 'claim',
  wait: 'wait',
  done: 'done',
  reopen: 'reopen',
};

/** A state change (with its optional comment); false when it changed nothing (claimed twice). */
export function changeState(
  ctx: WorkContext,
  ref: RowRef,
  change: WorkChange,
  comment?: string | null,
): boolean {
  const item = ensureItem(ctx.db, ref, ctx.now.toISOString());
  const result = transition(facts(item), change, ctx.now.toISOString());
  if (!result.ok) throw new WorkError('conflict', result.message);
  if (!result.changed && !comment) return false;
  const next = result.next;
  updateItem(ctx.db, item.id, { ...next, updatedAt: ctx.now.toISOString() });
  const details: Record<string, unknown> = {};
  if (change.type === 'assign') {
    details.user = change.user ?? null;
    details.office = next.assigneeOfficeId;
  }
  if (change.type === 'claim') details.by = change.by.name;
  record(ctx, ref, item, {
    action: ACTION_OF[change.type],
    from: item.state ?? 'none',
    to: next.state,
    comment: comment ?? null,
    details,
  });
  return true;
}

export function addComment(ctx: WorkContext, ref: RowRef, text: string): void {
  const item = ensureItem(ctx.db, ref, ctx.now.toISOString());
  updateItem(ctx.db, item.id, { updatedAt: ctx.now.toISOString() });
  record(ctx, ref, item, { action: 'comment', comment: text });
}

/** Puts a tag (by name, folded) on the row; false when it was there already. */
export function tagRow(ctx: WorkContext, ref: RowRef, tagName: string, add: boolean): boolean {
  const tag = findTag(ctx.db, fold(tagName.trim()));
  if (!tag) throw new WorkError('not-found', `no tag ${tagName}`);
  const item = ensureItem(ctx.db, ref, ctx.now.toISOString());
  const changed = add
    ? addItemTag(ctx.db, item.id, tag.id, ctx.now.toISOString(), ctx.actor.actorName)
    : removeItemTag(ctx.db, item.id, tag.id);
  if (!changed) return false;
  updateItem(ctx.db, item.id, { updatedAt: ctx.now.toISOString() });
  record(ctx, ref, item, { action: add ? 'tag-add' : 'tag-remove', details: { tag: tag.name } });
  return true;
}

export function setDeadline(
  ctx: WorkContext,
  ref: RowRef,
  due: string | null,
  source: 'manual' | 'rule' | 'proposed',
  note: string | null,
): void {
  const item = ensureItem(ctx.db, ref, ctx.now.toISOString());
  if (item.dueDate === due && item.dueSource === (due ? source : null)) return;
  updateItem(ctx.db, item.id, {
    dueDate: due,
    dueSource: due ? source : null,
    dueNote: due ? note : null,
    remindedFor: null,
    updatedAt: ctx.now.toISOString(),
  });
  record(ctx, ref, item, {
    action: 'deadline',
    details: { due, previous: item.dueDate, source: due ? source : null, ...(note ? { note } : {}) },
  });
}

export function setPriority(ctx: WorkContext, ref: RowRef, priority: Priority | null): void {
  const item = ensureItem(ctx.db, ref, ctx.now.toISOString());
  if (item.priority === priority) return;
  updateItem(ctx.db, item.id, { priority, updatedAt: ctx.now.toISOString() });
  record(ctx, ref, item, { action: 'priority', details: { priority, previous: item.priority } });
}

/** A line in the history without a change of the row (a reminder, an escalation) and its audit entry. */
export function note(ctx: WorkContext, ref: RowRef, action: string, details: Record<string, unknown>): void {
  const item = ensureItem(ctx.db, ref, ctx.now.toISOString());
  record(ctx, ref, item, { action, details });
}
