/**
 * The registry's guard over an archive (main/api/registry.ts Guard): who calls (the CLI on the
 * archive's machine, the owner in "solo io", a signed-in person), which mailboxes a call touches,
 * and the log.
 */
import { userInfo } from 'node:os';
import { findAccount } from '../../db/accounts.ts';
import { getCampaign } from '../../db/campaigns.ts';
import { getOutbox } from '../../db/outbox.ts';
import { accountsOfMessage, accountsOfThread, messageExists, threadsInScope } from '../../db/scope.ts';
import { findThread, getThread } from '../../db/threads.ts';
import { type RowRef, rowOfMessage, threadExists } from '../../db/work.ts';
import type { Archive } from '../archive/archive.ts';
import { appendAudit, recordAudit } from '../auth/audit.ts';
import { authMode, owner, People } from '../auth/people.ts';
import { allRights, readScope, rightsOf } from '../auth/rights.ts';
import type { Principal, Target } from './access.ts';
import type { Caller, Guard } from './registry.ts';

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function threadIdOf(archive: Archive, args: Record<string, unknown>): number | undefined {
  if (typeof args.id === 'number') return getThread(archive.db, args.id)?.id;
  if (typeof args.msgid === 'string') return findThread(archive.db, args.msgid, args.msgid)?.id;
  return undefined;
}

/** A work item's row (issue 14): args.threadId, else the row of message args.id. */
function rowOf(archive: Archive, args: Record<string, unknown>): RowRef | undefined {
  if (typeof args.threadId === 'number')
    return threadExists(archive.db, args.threadId) ? { threadId: args.threadId } : undefined;
  return typeof args.id === 'number' ? rowOfMessage(archive.db, args.id) : undefined;
}

/** `archive` is read per call: the core swaps archives (the demo and back). */
export function archiveGuard(current: () => Archive | undefined): Guard {
  const need = () => {
    const a = current();
    if (!a) throw new Error('no archive is open');
    return a;
  };
  return {
    identify(caller: Caller): Principal | null {
      const archive = current();
      // No archive open yet (the core is starting): nobody but the person at the machine.
      if (!archive)
        return {
          userId: null,
          name: 'owner',
          rights: { userId: null, role: 'owner', byAccount: new Map(), administers: true },
          actor: { actor: 'owner', actorName: osUser(), origin: caller.origin ?? caller.transport },
        };
      const db = archive.db;
      const origin = caller.origin ?? caller.transport;
      if (caller.transport === 'cli') {
        // The CLI runs on the archive's own machine, as its OS user: the owner's rights, and the
        // log says who it was ("cli:<os user>").
        const name = osUser();
        return {
          userId: owner(db)?.id ?? null,
          name: `cli:${name}`,
          rights: allRights(db),
          actor: { actor: `cli:${name}`, actorName: name, origin: 'cli' },
        };
      }
      if (authMode(db) === 'single') {
        const o = owner(db);
        return {
          userId: o?.id ?? null,
          name: o?.name ?? 'owner',
          rights: allRights(db, o?.id ?? null),
          actor: o
            ? { actor: `user:${o.id}`, actorName: o.name, origin }
            : { actor: 'owner', actorName: osUser(), origin },
        };
      }
      if (!caller.session) return null;
      const found = new People(db).resolve(caller.session);
      if (!found) return null;
      const { user, session } = found;
      return {
        userId: user.id,
        name: user.name,
        rights: rightsOf(db, user),
        actor: {
          actor: `user:${user.id}`,
          actorName: user.name,
          origin: `${origin} ${session.origin}`.trim(),
        },
      };
    },
    targets(target: Target, args: Record<string, unknown>): number[] {
      const archive = need();
      if ('message' in target) {
        const id = args[target.message];
        return typeof id === 'number' ? accountsOfMessage(archive.db, id) : [];
      }
      if ('thread' in target) {
        const id = threadIdOf(archive, args);
        return id === undefined ? [] : accountsOfThread(archive.db, id);
      }
      if ('item' in target) {
        const row = rowOf(archive, args);
        if (!row) return [];
        return 'threadId' in row
          ? accountsOfThread(archive.db, row.threadId)
          : accountsOfMessage(archive.db, row.messageId);
      }
      // A row whose mailbox was removed has none: the administrators' (see exists).
      if ('outbox' in target) {
        const id = args[target.outbox];
        const accountId = typeof id === 'number' ? getOutbox(archive.db, id)?.accountId : null;
        return typeof accountId === 'number' ? [accountId] : [];
      }
      if ('campaign' in target) {
        const id = args[target.campaign];
        const accountId = typeof id === 'number' ? getCampaign(archive.db, id)?.accountId : null;
        return typeof accountId === 'number' ? [accountId] : [];
      }
      const email = args[target.account];
      const account = typeof email === 'string' ? findAccount(archive.db, email) : undefined;
      return account ? [account.id] : [];
    },
    exists(target: Target, args: Record<string, unknown>): boolean {
      const archive = need();
      if ('message' in target) {
        const id = args[target.message];
        return typeof id === 'number' && messageExists(archive.db, id);
      }
      if ('thread' in target) return threadIdOf(archive, args) !== undefined;
      if ('item' in target) return rowOf(archive, args) !== undefined;
      if ('outbox' in target) {
        const id = args[target.outbox];
        return typeof id === 'number' && getOutbox(archive.db, id) !== undefined;
      }
      if ('campaign' in target) {
        const id = args[target.campaign];
        return typeof id === 'number' && getCampaign(archive.db, id) !== undefined;
      }
      return false;
    },
    record(principal, event) {
      recordAudit(need().db, principal.actor, event);
    },
    visibleThreads(principal, threadIds) {
      const archive = current();
      return archive ? threadsInScope(archive.db, threadIds, readScope(principal.rights)) : [];
    },
    append(principal, event) {
      const db = need().db;
      // Inside the handler's transaction when it has one open; else one of its own, so that reading
      // the last hash and appending are one step.
      if (db.$client.inTransaction) appendAudit(db, principal.actor, event);
      else recordAudit(db, principal.actor, event);
    },
  };
}
