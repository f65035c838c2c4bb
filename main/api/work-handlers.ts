/**
 * The handlers of working on PEC as a team (main/api/work-contract.ts): each change runs in one
 * transaction with its history line and its audit entry (caller.audit), through main/work/.
 * Lists are scoped to the caller's mailboxes in db/.
 */
import { findAccount, listAccounts } from '../../db/accounts.ts';
import {
  countPendingApprovals,
  decideApproval,
  getApproval,
  listApprovals,
  pendingWith,
  setRequireApproval,
} from '../../db/approvals.ts';
import type { Db } from '../../db/database.ts';
import { rowSubject } from '../../db/messages.ts';
import { getOutbox } from '../../db/outbox.ts';
import { findOffice, findUserByName, getUser, listUsers, officesOf, setOfficeHead } from '../../db/people.ts';
import type { Scope } from '../../db/scope.ts';
import { rebuildDocs } from '../../db/search.ts';
import {
  defaultState,
  deleteTag,
  eventsOf,
  findTag,
  getItem,
  getTag,
  headOfRow,
  headsWithTag,
  insertTag,
  listTags,
  type RowRef,
  rowKeyOf,
  rowOfMessage,
  type TagRow,
  tagsOfItem,
  updateTag,
} from '../../db/work.ts';
import { factRows, messageIdsAfter } from '../../db/work-facts.ts';
import { agendaRows, officeRows, rowsOfMessages, tagCounts, workRows } from '../../db/work-queries.ts';
import {
  deleteRule,
  getRule,
  insertRule,
  listRules,
  listTerms,
  replaceTerms,
  updateRule,
} from '../../db/work-rules.ts';
import type { Archive } from '../archive/archive.ts';
import { accountsWith, has, readScope } from '../auth/rights.ts';
import type { OutboxService } from '../send/outbox-service.ts';
import { romeDay, romeDayStart } from '../work/calendar.ts';
import { fold } from '../work/match.ts';
import { reportCsv, workReport } from '../work/reports.ts';
import { factsOf, proposal, routeMessages, ruleMatchesIn, termFor } from '../work/router.ts';
import type { RuleDefinition } from '../work/rules.ts';
import { readWorkSettings, writeWorkSettings } from '../work/settings.ts';
import {
  addComment,
  changeState,
  setDeadline,
  setPriority,
  tagRow,
  type WorkActor,
  type WorkContext,
  WorkError,
} from '../work/work.ts';
import { ApiFailure } from './contract.ts';
import type { EventBus } from './events.ts';
import type { Handler, HandlerContext } from './registry.ts';
import type { ApprovalView, RuleView, TagView, WorkMethod, WorkView } from './work-contract.ts';

type WorkHandlers = { [M in WorkMethod]: Handler<M> };

export interface WorkDeps {
  archive(): Archive;
  outbox(): OutboxService | undefined;
  events(): EventBus | undefined;
  /** The work clock (tests move it). */
  clock?: () => Date;
}

/** A pleasant, readable set of tag colours, taken in turn. */
export const TAG_COLORS = [
  '#1f6feb',
  '#2da44e',
  '#bf3989',
  '#d1242f',
  '#9a6700',
  '#8250df',
  '#0a7d8c',
  '#57606a',
];

function refOf(db: Db, args: { id?: number; threadId?: number }): RowRef {
  if (args.threadId !== undefined) return { threadId: args.threadId };
  const ref = args.id !== undefined ? rowOfMessage(db, args.id) : undefined;
  if (!ref) throw new ApiFailure('not-found', `no message ${args.id}`);
  return ref;
}

function failure(error: unknown): never {
  if (error instanceof WorkError)
    throw new ApiFailure(
      error.code === 'not-found' ? 'not-found' : error.code === 'conflict' ? 'conflict' : 'invalid-arguments',
      error.message,
    );
  throw error;
}

function actorOf(db: Db, caller: HandlerContext): WorkActor {
  const p = caller.principal;
  const user = p.userId !== null ? getUser(db, p.userId) : undefined;
  return {
    actor: p.actor.actor,
    actorName: p.actor.actorName,
    person: { userId: p.userId, name: user ? (user.displayName ?? user.name) : p.name },
  };
}

/** A person's display name for a log actor 'user:<id>'; undefined for the CLI, rules, PecDesk. */
function personName(db: Db, actor: string): string | undefined {
  const id = /^user:(\d+)$/.exec(actor)?.[1];
  const user = id ? getUser(db, Number(id)) : undefined;
  return user ? (user.displayName ?? user.name) : undefined;
}

export function workView(db: Db, ref: RowRef): WorkView {
  const item = getItem(db, ref);
  const head = headOfRow(db, ref);
  const subject = head ? rowSubject(db, head) : null;
  const user = item?.assigneeUserId ? getUser(db, item.assigneeUserId) : undefined;
  const office = item?.assigneeOfficeId
    ? officeRows(db).find((o) => o.id === item.assigneeOfficeId)
    : undefined;
  return {
    key: rowKeyOf(ref),
    threadId: 'threadId' in ref ? ref.threadId : null,
    messageId: 'messageId' in ref ? ref.messageId : null,
    headId: head,
    subject,
    state: item ? (item.state ?? defaultState(db, ref)) : defaultState(db, ref),
    assignee: user ? { type: 'user', id: user.id, name: user.name, displayName: user.displayName } : null,
    office: office ? { id: office.id, name: office.name } : null,
    claimedBy: item?.claimedByName ?? null,
    claimedAt: item?.claimedAt ?? null,
    doneAt: item?.doneAt ?? null,
    doneBy: item?.doneByName ?? null,
    priority: item?.priority ?? null,
    deadline:
      item?.dueDate && item.dueSource
        ? { due: item.dueDate, source: item.dueSource, note: item.dueNote }
        : null,
    tags: item ? tagsOfItem(db, item.id) : [],
    escalatedAt: item?.escalatedAt ?? null,
    history: item
      ? eventsOf(db, item.id).map((e) => ({
          at: e.at,
          actor: e.actor,
          // People by the name they are known by in the office; the log keeps the login name.
          actorName: personName(db, e.actor) ?? e.actorName,
          action: e.action,
          from: e.fromState,
          to: e.toState,
          comment: e.comment,
          details: JSON.parse(e.details) as Record<string, unknown>,
        }))
      : [],
  };
}

function tagView(t: TagRow, counts: Map<number, number>): TagView {
  return { id: t.id, name: t.name, color: t.color, category: t.category, count: counts.get(t.id) ?? 0 };
}

function ruleView(db: Db, id: number): RuleView {
  const r = getRule(db, id);
  if (!r) throw new ApiFailure('not-found', `no rule ${id}`);
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    enabled: r.enabled,
    rule: JSON.parse(r.definition) as RuleDefinition,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    updatedAt: r.updatedAt,
  };
}

/** Every message id of the archive the scope reaches, in order. */
function allMessageIds(db: Db, scope: Scope): number[] {
  const out: number[] = [];
  let after = 0;
  for (;;) {
    const page = messageIdsAfter(db, after, 5_000, scope === 'all' ? null : scope);
    if (page.length === 0) return out;
    out.push(...page);
    after = page.at(-1)!;
  }
}

export function createWorkHandlers(deps: WorkDeps): WorkHandlers {
  const clock = deps.clock ?? (() => new Date());
  const db = () => deps.archive().db;
  const changed = (ref: RowRef) =>
    deps.events()?.emit('archive.changed', { created: 0, threads: 'threadId' in ref ? [ref.threadId] : [] });
  /** One change of a row, in its transaction, answered with the row's work. */
  const onRow = (
    args: { id?: number; threadId?: number },
    caller: HandlerContext,
    run: (ctx: WorkContext, ref: RowRef) => void,
  ): WorkView => {
    const d = db();
    const ref = refOf(d, args);
    try {
      d.$client.transaction(() => {
        run({ db: d, now: clock(), actor: actorOf(d, caller), audit: caller.audit }, ref);
        const head = headOfRow(d, ref);
        // Tags are search facets: the row's document follows.
        if (head !== null) rebuildDocs(d, [head]);
      })();
    } catch (error) {
      failure(error);
    }
    changed(ref);
    return workView(d, ref);
  };
  const createTag = (
    d: Db,
    caller: HandlerContext,
    name: string,
    color?: string,
    category?: string | null,
  ): TagRow => {
    const key = fold(name.trim());
    if (findTag(d, key)) throw new ApiFailure('conflict', `exists: the tag ${name} exists already`);
    const tag = insertTag(d, {
      name: name.trim(),
      nameKey: key,
      color: color ?? TAG_COLORS[listTags(d).length % TAG_COLORS.length]!,
      category: category ?? null,
      createdAt: clock().toISOString(),
      createdBy: caller.principal.actor.actorName,
    });
    caller.audit({
      action: 'tag.create',
      targetType: 'tag',
      targetId: tag.id,
      details: { name: tag.name, color: tag.color },
    });
    return tag;
  };
  const assignee = (d: Db, user?: string | null, office?: string | null) => {
    const u = user ? findUserByName(d, user) : null;
    if (user && (!u || u.disabledAt)) throw new ApiFailure('not-found', `no person ${user}`);
    const o = office ? findOffice(d, office) : null;
    if (office && !o) throw new ApiFailure('not-found', `no office ${office}`);
    return { user: u?.id ?? null, office: o ? o.id : user ? undefined : null };
  };
  return {
    'tags.list': async (_args, caller) => {
      const d = db();
      const counts = tagCounts(d, readScope(caller.principal.rights));
      return listTags(d).map((t) => tagView(t, counts));
    },
    'tags.create': async ({ name, color, category }, caller) => {
      const d = db();
      const rights = caller.principal.rights;
      const routers =
        readWorkSettings(d).tagCreators === 'routers' && accountsWith(rights, 'route').length > 0;
      if (!rights.administers && !routers)
        throw new ApiFailure(
          'forbidden',
          'tags.create: only administrators create tags (see the work settings)',
        );
      const tag = d.$client.transaction(() => createTag(d, caller, name, color, category))();
      return tagView(tag, new Map());
    },
    'tags.update': async ({ id, name, color, category }, caller) => {
      const d = db();
      const tag = getTag(d, id);
      if (!tag) throw new ApiFailure('not-found', `no tag ${id}`);
      if (name && fold(name) !== tag.nameKey && findTag(d, fold(name)))
        throw new ApiFailure('conflict', `exists: the tag ${name} exists already`);
      d.$client.transaction(() => {
        const renamed = name !== undefined && fold(name) !== tag.nameKey;
        updateTag(d, id, {
          ...(name ? { name, nameKey: fold(name) } : {}),
          ...(color ? { color } : {}),
          category,
        });
        caller.audit({
          action: 'tag.update',
          targetType: 'tag',
          targetId: id,
          details: { name, color, category },
        });
        // tag:NAME finds rows by their folded name: their documents follow a rename.
        if (renamed) rebuildDocs(d, headsWithTag(d, id));
      })();
      deps.events()?.emit('archive.changed', { created: 0, threads: [] });
      return tagView(getTag(d, id)!, tagCounts(d, readScope(caller.principal.rights)));
    },
    'tags.remove': async ({ id }, caller) => {
      const d = db();
      const tag = getTag(d, id);
      if (!tag) throw new ApiFailure('not-found', `no tag ${id}`);
      d.$client.transaction(() => {
        const heads = headsWithTag(d, id);
        deleteTag(d, id);
        rebuildDocs(d, heads);
        caller.audit({ action: 'tag.remove', targetType: 'tag', targetId: id, details: { name: tag.name } });
      })();
      deps.events()?.emit('archive.changed', { created: 0, threads: [] });
      return { removed: id };
    },
    'work.get': async (args) => workView(db(), refOf(db(), args)),
    'work.assign': async ({ user, office, comment, ...args }, caller) => {
      const who = assignee(db(), user, office);
      return onRow(args, caller, (ctx, ref) => changeState(ctx, ref, { type: 'assign', ...who }, comment));
    },
    'work.claim': async ({ comment, force, ...args }, caller) =>
      onRow(args, caller, (ctx, ref) =>
        changeState(ctx, ref, { type: 'claim', by: ctx.actor.person, ...(force ? { force } : {}) }, comment),
      ),
    'work.wait': async ({ comment, ...args }, caller) =>
      onRow(args, caller, (ctx, ref) => changeState(ctx, ref, { type: 'wait' }, comment)),
    'work.done': async ({ comment, ...args }, caller) =>
      onRow(args, caller, (ctx, ref) =>
        changeState(ctx, ref, { type: 'done', by: ctx.actor.person }, comment),
      ),
    'work.reopen': async ({ comment, ...args }, caller) =>
      onRow(args, caller, (ctx, ref) => changeState(ctx, ref, { type: 'reopen' }, comment)),
    'work.comment': async ({ text, ...args }, caller) =>
      onRow(args, caller, (ctx, ref) => addComment(ctx, ref, text)),
    'work.tag': async ({ tag, add, ...args }, caller) =>
      onRow(args, caller, (ctx, ref) => {
        if (!tagRow(ctx, ref, tag, add))
          // Nothing changed, and the registry wants its entry: say so in the log.
          ctx.audit({ action: add ? 'work.tag-add' : 'work.tag-remove', details: { tag, unchanged: true } });
      }),
    'work.setDeadline': async ({ due, note, ...args }, caller) =>
      onRow(args, caller, (ctx, ref) => {
        const before = getItem(ctx.db, ref);
        setDeadline(ctx, ref, due, 'manual', note ?? null);
        if (before?.dueDate === due && before.dueSource === 'manual')
          ctx.audit({ action: 'work.deadline', details: { due, unchanged: true } });
      }),
    'work.proposeDeadline': async (args) => {
      const d = db();
      const ref = refOf(d, args);
      const head = headOfRow(d, ref);
      const row = head !== null ? factRows(d, [head])[0] : undefined;
      if (!row) return null;
      const term = termFor(listTerms(d), factsOf(d, row));
      return term ? { ...proposal(term, new Date(row.sortDate)), label: term.label } : null;
    },
    'work.setPriority': async ({ priority, ...args }, caller) =>
      onRow(args, caller, (ctx, ref) => {
        const before = getItem(ctx.db, ref);
        setPriority(ctx, ref, priority);
        if ((before?.priority ?? null) === priority)
          ctx.audit({ action: 'work.priority', details: { priority, unchanged: true } });
      }),
    'work.list': async ({ state, overdue, limit }, caller) =>
      workRows(db(), {
        ...(state ? { state } : {}),
        ...(overdue ? { overdueBefore: romeDay(clock()) } : {}),
        scope: readScope(caller.principal.rights),
        limit,
      }),
    'work.agenda': async ({ from, to }, caller) => ({
      rows: agendaRows(db(), from, to, readScope(caller.principal.rights)),
    }),
    'work.people': async (_args, caller) => {
      const d = db();
      const users = listUsers(d);
      const names = new Map(users.map((u) => [u.id, u.displayName ?? u.name]));
      return {
        users: users.map((u) => ({ id: u.id, name: u.name, displayName: u.displayName })),
        offices: officeRows(d).map((o) => ({
          id: o.id,
          name: o.name,
          head: o.headUserId !== null ? (names.get(o.headUserId) ?? null) : null,
        })),
        me: { userId: caller.principal.userId, name: actorOf(d, caller).person.name },
      };
    },
    'work.settings': async () => readWorkSettings(db()),
    'work.setSettings': async (next, caller) => {
      const d = db();
      const before = readWorkSettings(d);
      const settings = {
        ...next,
        // Escalation counts from when it was turned on: what arrived before is history.
        escalateSince:
          next.escalateAfterHours === null
            ? null
            : before.escalateAfterHours === null || !before.escalateSince
              ? clock().toISOString()
              : before.escalateSince,
      };
      d.$client.transaction(() => {
        writeWorkSettings(d, settings);
        caller.audit({ action: 'work.settings', details: { ...next } });
      })();
      return readWorkSettings(d);
    },
    'work.terms': async () => listTerms(db()),
    'work.setTerms': async ({ terms }, caller) => {
      const d = db();
      d.$client.transaction(() => {
        replaceTerms(d, terms);
        caller.audit({ action: 'work.terms', details: { terms: terms.length } });
      })();
      return listTerms(d);
    },
    'offices.setHead': async ({ office, user }, caller) => {
      const d = db();
      const o = findOffice(d, office);
      if (!o) throw new ApiFailure('not-found', `no office ${office}`);
      const u = user ? findUserByName(d, user) : null;
      if (user && !u) throw new ApiFailure('not-found', `no person ${user}`);
      d.$client.transaction(() => {
        setOfficeHead(d, o.id, u?.id ?? null);
        caller.audit({
          action: 'office.head',
          targetType: 'office',
          targetId: o.id,
          details: { head: u?.name ?? null },
        });
      })();
      return { ok: true };
    },
    'rules.list': async () => {
      const d = db();
      return listRules(d).map((r) => ruleView(d, r.id));
    },
    'rules.test': async ({ rule, limit }, caller) => {
      const d = db();
      const ids = ruleMatchesIn(
        d,
        { id: 0, name: rule.name, position: 0, enabled: true, definition: rule },
        allMessageIds(d, readScope(caller.principal.rights)),
      );
      return {
        matches: ids.length,
        ids: ids.slice(0, limit),
        rows: rowsOfMessages(d, ids.slice(-200).reverse()),
      };
    },
    'rules.save': async ({ id, rule, position }, caller) => {
      const d = db();
      if (id !== undefined && !getRule(d, id)) throw new ApiFailure('not-found', `no rule ${id}`);
      const now = clock().toISOString();
      const saved = d.$client.transaction(() => {
        // The tags a rule puts are part of the taxonomy from now on.
        for (const action of rule.actions)
          if (action.type === 'tag')
            for (const name of action.tags) if (!findTag(d, fold(name.trim()))) createTag(d, caller, name);
        const definition = JSON.stringify(rule);
        const ruleId =
          id ??
          insertRule(d, {
            name: rule.name,
            enabled: rule.enabled ?? true,
            definition,
            at: now,
            by: caller.principal.actor.actorName,
            ...(position !== undefined ? { position } : {}),
          });
        if (id !== undefined)
          updateRule(d, id, {
            name: rule.name,
            enabled: rule.enabled ?? true,
            definition,
            at: now,
            ...(position !== undefined ? { position } : {}),
          });
        caller.audit({
          action: 'rule.save',
          targetType: 'rule',
          targetId: ruleId,
          details: { name: rule.name, created: id === undefined, rule },
        });
        return ruleId;
      })();
      return ruleView(d, saved);
    },
    'rules.remove': async ({ id }, caller) => {
      const d = db();
      const r = getRule(d, id);
      if (!r) throw new ApiFailure('not-found', `no rule ${id}`);
      d.$client.transaction(() => {
        deleteRule(d, id);
        caller.audit({ action: 'rule.remove', targetType: 'rule', targetId: id, details: { name: r.name } });
      })();
      return { removed: id };
    },
    'rules.apply': async ({ id, dryRun }, caller) => {
      const d = db();
      const view = ruleView(d, id);
      const ids = ruleMatchesIn(
        d,
        { id, name: view.name, position: view.position, enabled: true, definition: view.rule },
        allMessageIds(d, readScope(caller.principal.rights)),
      );
      let touched: RowRef[] = [];
      d.$client.transaction(() => {
        if (!dryRun) {
          touched = routeMessages(d, ids, {
            now: clock(),
            origin: `apply by ${caller.principal.actor.actor}`,
            only: [id],
          });
          rebuildDocs(
            d,
            touched.map((r) => headOfRow(d, r)).filter((h): h is number => h !== null),
          );
        }
        caller.audit({
          action: 'rule.apply',
          targetType: 'rule',
          targetId: id,
          details: { name: view.name, matches: ids.length, dryRun },
        });
      })();
      if (!dryRun && touched.length > 0) deps.events()?.emit('archive.changed', { created: 0, threads: [] });
      return { matches: ids.length, changed: new Set(touched.map(rowKeyOf)).size, dryRun, ids };
    },
    'reports.get': async ({ since }, caller) =>
      workReport(db(), readScope(caller.principal.rights), romeDayStart(since), clock()),
    'reports.csv': async ({ since }, caller) => {
      const report = workReport(db(), readScope(caller.principal.rights), romeDayStart(since), clock());
      return {
        filename: `report-lavoro-dal-${since}.csv`,
        contentBase64: Buffer.from(reportCsv(report), 'utf8').toString('base64'),
      };
    },
    'approvals.list': async (_args, caller) => {
      const d = db();
      const p = caller.principal;
      const scope = readScope(p.rights);
      const accounts = scope === 'all' ? null : [...scope];
      const rows: ApprovalView[] = listApprovals(d, accounts, 300).map((a) => ({
        outboxId: a.outboxId,
        state: a.state,
        from: a.fromAddress,
        subject: a.subject,
        recipients: (JSON.parse(a.recipients) as { address: string }[]).map((r) => r.address),
        size: a.size,
        campaignId: a.campaignId,
        requestedBy: a.requestedByName,
        requestedAt: a.requestedAt,
        decidedBy: a.decidedByName,
        decidedAt: a.decidedAt,
        comment: a.comment,
        canDecide:
          a.state === 'pending' &&
          a.accountId !== null &&
          has(p.rights, 'manage', a.accountId) &&
          (a.requestedBy !== p.actor.actor || p.rights.role === 'owner'),
      }));
      const mailboxes = listAccounts(d)
        .filter((a) => p.rights.byAccount.has(a.id))
        .map((a) => ({
          email: a.email,
          required: a.requireApproval,
          canManage: has(p.rights, 'manage', a.id),
        }));
      return { pending: countPendingApprovals(d, accounts), rows, mailboxes };
    },
    'approvals.decide': async ({ id, approve, comment }, caller) => {
      const d = db();
      const p = caller.principal;
      const row = getOutbox(d, id);
      if (!row || row.accountId === null || !p.rights.byAccount.has(row.accountId))
        throw new ApiFailure('not-found', `no outgoing message ${id}`);
      if (!has(p.rights, 'manage', row.accountId))
        throw new ApiFailure('forbidden', 'approvals.decide: this needs the manage right on the mailbox');
      const pending = getApproval(d, id);
      const approval = pending?.state === 'pending' ? pending.requestedBy : undefined;
      if (!approval) throw new ApiFailure('conflict', `decided: message ${id} is not waiting for approval`);
      // Four eyes: nobody approves their own PEC, except the owner, who answers to nobody.
      if (approval === p.actor.actor && p.rights.role !== 'owner')
        throw new ApiFailure('forbidden', 'own: a message is approved by someone other than who wrote it');
      const now = clock().toISOString();
      const decided = d.$client.transaction(() => {
        const ids = pendingWith(d, id);
        const done: number[] = [];
        for (const outboxId of ids)
          if (
            decideApproval(d, outboxId, {
              approve,
              by: p.actor.actor,
              byName: p.actor.actorName,
              at: now,
              comment: comment ?? null,
            })
          ) {
            done.push(outboxId);
            caller.audit({
              action: approve ? 'message.approve' : 'message.reject',
              targetType: 'outbox',
              targetId: outboxId,
              accountId: row.accountId,
              details: { subject: getOutbox(d, outboxId)?.subject ?? null, ...(comment ? { comment } : {}) },
            });
          }
        return done;
      })();
      if (approve) deps.outbox()?.kick();
      deps.events()?.emit('outbox.changed', { accountId: row.accountId, ids: decided });
      return { decided, approved: approve };
    },
    'accounts.setApproval': async ({ email, required }, caller) => {
      const d = db();
      const account = findAccount(d, email);
      if (!account) throw new ApiFailure('not-found', `no mailbox ${email}`);
      d.$client.transaction(() => {
        setRequireApproval(d, account.id, required);
        caller.audit({
          action: 'account.approval',
          targetType: 'account',
          targetId: account.email,
          accountId: account.id,
          details: { required },
        });
      })();
      return { email: account.email, required };
    },
  };
}

/** The offices a person is in ("Del mio ufficio"). */
export function viewerOf(db: Db, userId: number | null): { userId: number | null; offices: number[] } {
  return { userId, offices: userId === null ? [] : officesOf(db, userId) };
}
