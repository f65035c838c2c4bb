/**
 * The permissions grid: one row for "Tutte le caselle" and one per mailbox, a checkbox per right;
 * what a person or office holds there, and what their role lets count.
 */
import type { PeopleResults, PublicUser } from '../../../../main/api/people-contract.ts';
import { RIGHTS, type Right, roleAllows, roleHasAll } from './rights.ts';

export type GrantList = PeopleResults['grants.list'];
export type Subject = { type: 'user' | 'office'; name: string };

export interface GridRow {
  /** null: every mailbox. */
  mailbox: string | null;
  rights: Right[];
  /** Offices of the person that give rights here, with those rights. */
  fromOffices: { office: string; rights: Right[] }[];
}

const asRights = (list: readonly string[]): Right[] => RIGHTS.filter((r) => list.includes(r));

export function gridRows(
  grants: GrantList,
  subject: Subject,
  mailboxes: string[],
  offices: string[] = [],
): GridRow[] {
  const held = (mailbox: string | null) =>
    asRights(
      grants.find(
        (g) => g.subjectType === subject.type && g.subject === subject.name && g.mailbox === mailbox,
      )?.rights ?? [],
    );
  const viaOffices = (mailbox: string | null) =>
    subject.type === 'user'
      ? grants
          .filter((g) => g.subjectType === 'office' && offices.includes(g.subject) && g.mailbox === mailbox)
          .map((g) => ({ office: g.subject, rights: asRights(g.rights) }))
      : [];
  return [null, ...mailboxes].map((mailbox) => ({
    mailbox,
    rights: held(mailbox),
    fromOffices: viaOffices(mailbox),
  }));
}

/** The rights after ticking or unticking one, in the core's order. */
export function toggled(rights: readonly Right[], right: Right, on: boolean): Right[] {
  return RIGHTS.filter((r) => (r === right ? on : rights.includes(r)));
}

/**
 * Whether a checkbox can be ticked for this subject: offices take any right (each member gets what
 * their role allows); a person only what their role allows. Owner and admins need no grants.
 */
export function rightOffered(subject: Subject, users: PublicUser[], right: Right): boolean {
  if (subject.type === 'office') return true;
  const role = users.find((u) => u.name === subject.name)?.role ?? 'reader';
  return !roleHasAll(role) && roleAllows(role, right);
}

/** The grants call for a row's new rights: put them, or remove the grant when none is left. */
export function grantCall(
  subject: Subject,
  mailbox: string | null,
  rights: Right[],
):
  | {
      method: 'grants.put';
      args: { user?: string; office?: string; mailbox?: string; all?: boolean; rights: string };
    }
  | { method: 'grants.remove'; args: { user?: string; office?: string; mailbox?: string; all?: boolean } } {
  const who = subject.type === 'user' ? { user: subject.name } : { office: subject.name };
  const where = mailbox === null ? { all: true } : { mailbox };
  return rights.length > 0
    ? { method: 'grants.put', args: { ...who, ...where, rights: rights.join(',') } }
    : { method: 'grants.remove', args: { ...who, ...where } };
}
