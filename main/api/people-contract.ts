/**
 * The API of people, rights and the log (issue "people"): argument schemas, rules and results,
 * merged into contract.ts's one contract.
 */
import { z } from 'zod';
import type { AuditVerdict } from '../auth/audit.ts';
import type { AuthMode } from '../auth/people.ts';
import type { Right } from '../auth/rights.ts';
import { admin, anyone, type MethodRule, onMessage, signedIn } from './access.ts';

const name = z.string().trim().min(2).max(64);
const password = z.string().min(1).max(1_024);
const rights = z
  .string()
  .regex(/^[a-z,\s]+$/)
  .max(100);

export const peopleSchemas = {
  'auth.status': z.object({}).strict(),
  /** The first start: the owner, with a password (personal logins) or without ("solo io"). */
  'auth.setup': z
    .object({ name, displayName: z.string().trim().max(200).optional(), password: password.optional() })
    .strict(),
  'auth.login': z.object({ name: z.string().max(64), password }).strict(),
  /** The second step of a login: a code of the authenticator app, or a recovery code. */
  'auth.totp': z.object({ token: z.string().max(200), code: z.string().max(40) }).strict(),
  'auth.logout': z.object({}).strict(),
  /** "Solo io" to personal logins: the owner's password from now on. */
  'auth.enableLogins': z.object({ password }).strict(),
  'auth.totpStart': z.object({}).strict(),
  'auth.totpConfirm': z.object({ secret: z.string().max(200), code: z.string().max(20) }).strict(),
  'users.list': z.object({}).strict(),
  'users.add': z
    .object({
      name,
      displayName: z.string().trim().max(200).optional(),
      role: z.enum(['admin', 'operator', 'reader']),
      password: password.optional(),
    })
    .strict(),
  'users.remove': z.object({ name: z.string().max(64) }).strict(),
  'users.setPassword': z.object({ name: z.string().max(64), password }).strict(),
  'users.revokeSessions': z.object({ name: z.string().max(64) }).strict(),
  'users.acceptInvitation': z.object({ code: z.string().max(200), password }).strict(),
  'offices.list': z.object({}).strict(),
  'offices.create': z.object({ name: z.string().trim().min(1).max(120) }).strict(),
  'offices.addMember': z.object({ office: z.string().max(120), user: z.string().max(64) }).strict(),
  'grants.list': z.object({}).strict(),
  /** Rights of a person or an office on one mailbox (its address) or on all of them. */
  'grants.put': z
    .object({
      user: z.string().max(64).optional(),
      office: z.string().max(120).optional(),
      mailbox: z.string().max(320).optional(),
      all: z.boolean().optional(),
      rights,
    })
    .strict(),
  'grants.remove': z
    .object({
      user: z.string().max(64).optional(),
      office: z.string().max(120).optional(),
      mailbox: z.string().max(320).optional(),
      all: z.boolean().optional(),
    })
    .strict(),
  'audit.list': z
    .object({
      user: z.string().max(64).optional(),
      action: z.string().max(64).optional(),
      since: z.string().max(40).optional(),
      until: z.string().max(40).optional(),
      messageId: z.number().int().positive().optional(),
      mailbox: z.string().max(320).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1_000).default(200),
    })
    .strict(),
  /** "Chi ha visto questo messaggio". */
  'audit.messageViews': z.object({ id: z.number().int().positive() }).strict(),
  'audit.verify': z.object({}).strict(),
  'audit.export': z
    .object({
      format: z.enum(['csv', 'json']),
      user: z.string().max(64).optional(),
      since: z.string().max(40).optional(),
      until: z.string().max(40).optional(),
    })
    .strict(),
};

export type PeopleMethod = keyof typeof peopleSchemas;

export const peopleRules = {
  'auth.status': { access: anyone, audit: false },
  'auth.setup': { access: anyone, audit: { action: 'user.create', by: 'handler' } },
  'auth.login': { access: anyone, audit: { action: 'auth.login', by: 'handler' } },
  'auth.totp': { access: anyone, audit: { action: 'auth.login', by: 'handler' } },
  'auth.logout': { access: signedIn, audit: { action: 'auth.logout', by: 'handler' } },
  'auth.enableLogins': { access: admin, audit: { action: 'auth.logins-on', by: 'handler' } },
  // The secret is shown to the person only; it counts once confirmed (auth.totpConfirm).
  'auth.totpStart': { access: signedIn, audit: false },
  'auth.totpConfirm': { access: signedIn, audit: { action: 'auth.totp-on', by: 'handler' } },
  'users.list': { access: admin, audit: false },
  'users.add': { access: admin, audit: { action: 'user.create', by: 'handler' } },
  'users.remove': { access: admin, audit: { action: 'user.remove', by: 'handler' } },
  'users.setPassword': { access: admin, audit: { action: 'user.password', by: 'handler' } },
  'users.revokeSessions': { access: admin, audit: { action: 'auth.sessions-revoked', by: 'handler' } },
  'users.acceptInvitation': { access: anyone, audit: { action: 'user.invitation-accepted', by: 'handler' } },
  'offices.list': { access: admin, audit: false },
  'offices.create': { access: admin, audit: { action: 'office.create', by: 'handler' } },
  'offices.addMember': { access: admin, audit: { action: 'office.member-add', by: 'handler' } },
  'grants.list': { access: admin, audit: false },
  'grants.put': { access: admin, audit: { action: 'permission.grant', by: 'handler' } },
  'grants.remove': { access: admin, audit: { action: 'permission.revoke', by: 'handler' } },
  'audit.list': { access: admin, audit: false },
  'audit.messageViews': { access: onMessage('read'), audit: false },
  'audit.verify': { access: admin, audit: false },
  'audit.export': { access: admin, audit: { action: 'audit.export', by: 'registry' } },
} satisfies Record<PeopleMethod, MethodRule>;

export interface PublicUser {
  id: number;
  name: string;
  displayName: string | null;
  role: 'owner' | 'admin' | 'operator' | 'reader';
  totp: boolean;
  locked: boolean;
  offices: string[];
}

export interface AuditEntryView {
  id: number;
  at: string;
  actor: string;
  actorName: string;
  origin: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  mailbox: string | null;
  details: Record<string, unknown>;
  /**
   * What the target is called, for the activity log's readers: a message's or thread's subject, a
   * person's or office's name (audit.list only; null when it has none or no longer exists).
   */
  targetLabel?: string | null;
}

/** What the caller may do: the app hides the controls they lack (the registry refuses all the same). */
export interface CallerRights {
  /** People, offices, grants, the log, adding mailboxes, the demo archive: owner and admins. */
  administers: boolean;
  /** The mailboxes the person has a right on, by address, with those rights. */
  mailboxes: { email: string; rights: Right[] }[];
}

export interface PeopleResults {
  'auth.status': {
    mode: AuthMode;
    /** No owner yet: the app offers "solo io" or personal logins. */
    needsSetup: boolean;
    /** totp: the person's two-step verification is on. */
    user: { name: string; displayName: string | null; role: string; totp: boolean } | null;
    /** Null while nobody is signed in. */
    rights: CallerRights | null;
  };
  'auth.setup': { mode: AuthMode; token: string | null };
  'auth.login': { token: string; pendingTotp: boolean };
  'auth.totp': { token: string };
  'auth.logout': { ok: true };
  'auth.enableLogins': { mode: AuthMode; token: string | null };
  'auth.totpStart': { secret: string; uri: string };
  'auth.totpConfirm': { recoveryCodes: string[] };
  'users.list': PublicUser[];
  'users.add': { user: PublicUser; invitation: string | null };
  'users.remove': { removed: string };
  'users.setPassword': { ok: true };
  'users.revokeSessions': { revoked: number };
  'users.acceptInvitation': { name: string };
  'offices.list': { id: number; name: string; members: string[] }[];
  'offices.create': { id: number };
  'offices.addMember': { ok: true };
  'grants.list': {
    subject: string;
    subjectType: 'user' | 'office';
    mailbox: string | null;
    rights: string[];
  }[];
  'grants.put': { ok: true };
  'grants.remove': { removed: number };
  'audit.list': { total: number; entries: AuditEntryView[] };
  'audit.messageViews': { entries: AuditEntryView[] };
  'audit.verify': AuditVerdict;
  'audit.export': { filename: string; contentBase64: string };
}
