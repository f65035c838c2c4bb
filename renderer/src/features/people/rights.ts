/**
 * Rights and roles as the app shows them. The core decides (main/auth/rights.ts, the registry);
 * the app only hides what the person cannot do, from what auth.status says.
 */
import type { CallerRights } from '../../../../main/api/people-contract.ts';

export const RIGHTS = ['read', 'route', 'send', 'manage'] as const;
export type Right = (typeof RIGHTS)[number];
export const ROLES = ['owner', 'admin', 'operator', 'reader'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may ever hold, as main/auth/rights.ts ROLE_CAP says (a test keeps the two
 * equal): grants beyond it do nothing, so the permissions grid does not offer them.
 */
export const ROLE_CAP: Record<Role, readonly Right[]> = {
  owner: RIGHTS,
  admin: RIGHTS,
  operator: ['read', 'route', 'send'],
  reader: ['read'],
};

export function isRole(role: string): role is Role {
  return (ROLES as readonly string[]).includes(role);
}

/** Whether a grant of this right to a person of this role would count. */
export function roleAllows(role: string, right: Right): boolean {
  return isRole(role) && ROLE_CAP[role].includes(right);
}

/** Owner and admins hold every right on every mailbox: grants to them change nothing. */
export function roleHasAll(role: string): boolean {
  return role === 'owner' || role === 'admin';
}

/**
 * Whether the person may do `right` on the mailbox `email` (any mailbox when none is named).
 * Unknown rights (null: not yet learnt) allow: the core refuses what it must, and nothing is
 * hidden from someone who may do it while the app starts.
 */
export function can(rights: CallerRights | null, right: Right, email?: string): boolean {
  if (!rights) return true;
  if (rights.administers) return true;
  return rights.mailboxes.some((m) => (email === undefined || m.email === email) && m.rights.includes(right));
}

/** People, offices, grants, the activity log, adding mailboxes, the demo archive. */
export function administers(rights: CallerRights | null): boolean {
  return rights ? rights.administers : true;
}

/**
 * A rough strength hint for a new password (the core only asks 10 characters): length counts
 * most, then variety. 'short' below the core's minimum.
 */
export type Strength = 'short' | 'weak' | 'fair' | 'strong';

export function passwordStrength(password: string): Strength {
  if (password.length < 10) return 'short';
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  const distinct = new Set(password).size;
  if (distinct < 5) return 'weak';
  if (password.length >= 16 || (password.length >= 12 && kinds >= 3)) return 'strong';
  if (kinds >= 2) return 'fair';
  return 'weak';
}

/** What a person may type as a user name (main/auth/people.ts): lowercase, 2 to 64. */
export function userNameProblem(name: string): 'missing' | 'invalid' | null {
  const login = name.trim().toLowerCase();
  if (!login) return 'missing';
  return /^[a-z0-9][a-z0-9._-]{1,63}$/.test(login) ? null : 'invalid';
}
