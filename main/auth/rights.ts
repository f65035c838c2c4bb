/**
 * Who may do what on which mailbox. A role says what a person may ever do; grants (to the person,
 * or to an office they belong to) say on which mailboxes:
 * - owner and admin: every right on every mailbox, and people and settings;
 * - operator: read, route (assign, tag) and send on the mailboxes granted;
 * - reader: read on the mailboxes granted ("un'assistente legge e smista" is an operator without
 *   the send right, granted read,route).
 * Rights: read (see messages, counts, search hits, attachments), route (assign, tag, take in charge),
 * send (send and reply), manage (mailbox settings, emptying, export).
 */
import { listAccounts } from '../../db/accounts.ts';
import type { Db } from '../../db/database.ts';
import { grantsReaching, type UserRow } from '../../db/people.ts';
import type { Scope } from '../../db/scope.ts';

export const RIGHTS = ['read', 'route', 'send', 'manage'] as const;
export type Right = (typeof RIGHTS)[number];
export const ROLES = ['owner', 'admin', 'operator', 'reader'] as const;
export type Role = (typeof ROLES)[number];

/** The rights a role may ever hold (grants beyond them do nothing). */
export const ROLE_CAP: Record<Role, readonly Right[]> = {
  owner: RIGHTS,
  admin: RIGHTS,
  operator: ['read', 'route', 'send'],
  reader: ['read'],
};

export function parseRights(text: string): Right[] {
  const asked = text
    .split(',')
    .map((r) => r.trim().toLowerCase())
    .filter(Boolean);
  const unknown = asked.filter((r) => !(RIGHTS as readonly string[]).includes(r));
  if (unknown.length > 0)
    throw new Error(`unknown rights: ${unknown.join(', ')} (read, route, send, manage)`);
  return RIGHTS.filter((r) => asked.includes(r));
}

/** A person's rights, per mailbox (account id), and whether they manage people and settings. */
export interface Rights {
  userId: number | null;
  role: Role;
  /** Account id → rights on it. */
  byAccount: Map<number, Set<Right>>;
  /** People, offices, grants, the log of everyone: owner and admin. */
  administers: boolean;
}

/** Everything on every mailbox: the owner, the CLI on the archive's own machine, "solo io". */
export function allRights(db: Db, userId: number | null = null, role: Role = 'owner'): Rights {
  const byAccount = new Map<number, Set<Right>>();
  for (const a of listAccounts(db)) byAccount.set(a.id, new Set(RIGHTS));
  return { userId, role, byAccount, administers: true };
}

export function rightsOf(db: Db, user: UserRow): Rights {
  const role = user.role as Role;
  if (role === 'owner' || role === 'admin') return allRights(db, user.id, role);
  const cap = new Set(ROLE_CAP[role]);
  const byAccount = new Map<number, Set<Right>>();
  const accounts = listAccounts(db).map((a) => a.id);
  for (const grant of grantsReaching(db, user.id)) {
    const granted = parseRights(grant.rights).filter((r) => cap.has(r));
    for (const accountId of grant.accountId === null ? accounts : [grant.accountId]) {
      const set = byAccount.get(accountId) ?? new Set<Right>();
      for (const r of granted) set.add(r);
      if (set.size > 0) byAccount.set(accountId, set);
    }
  }
  return { userId: user.id, role, byAccount, administers: false };
}

/** The mailboxes on which the person has this right. */
export function accountsWith(rights: Rights, right: Right): number[] {
  return [...rights.byAccount].filter(([, set]) => set.has(right)).map(([id]) => id);
}

export function has(rights: Rights, right: Right, accountId: number): boolean {
  return rights.byAccount.get(accountId)?.has(right) ?? false;
}

/** What the person's lists, counts and searches may show: every mailbox for those who administer. */
export function readScope(rights: Rights): Scope {
  return rights.administers ? 'all' : accountsWith(rights, 'read');
}
