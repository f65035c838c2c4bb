/**
 * The handlers of people, rights and the log (main/api/people-contract.ts). Changes go through
 * main/auth/people.ts, which writes each one to the log in its own transaction; reads of the log
 * through db/audit.ts.
 */
import { findAccount, listAccounts } from '../../db/accounts.ts';
import { type AuditRow, findAuditEntries } from '../../db/audit.ts';
import type { Db } from '../../db/database.ts';
import { getMessage } from '../../db/messages.ts';
import {
  findUserByName,
  getUser,
  listGrants,
  listOffices,
  listUsers,
  officesOf,
  type UserRow,
} from '../../db/people.ts';
import { findThread, getThread } from '../../db/threads.ts';
import type { Archive } from '../archive/archive.ts';
import { type AuditActor, verifyAudit } from '../auth/audit.ts';
import { AuthError, authMode, owner, People } from '../auth/people.ts';
import { parseRights, RIGHTS, type Rights } from '../auth/rights.ts';
import type { Principal } from './access.ts';
import { ApiFailure } from './contract.ts';
import type { AuditEntryView, CallerRights, PeopleMethod, PublicUser } from './people-contract.ts';
import type { Handler, HandlerContext } from './registry.ts';

type PeopleHandlers = { [M in PeopleMethod]: Handler<M> };

/** People errors as API errors: the UI says each code in Italian. */
function failure(error: unknown): never {
  if (error instanceof AuthError) {
    const code =
      error.code === 'exists'
        ? 'conflict'
        : error.code === 'not-found'
          ? 'not-found'
          : error.code === 'forbidden'
            ? 'forbidden'
            : error.code === 'locked'
              ? 'locked'
              : error.code === 'wrong-credentials' ||
                  error.code === 'totp-wrong' ||
                  error.code === 'session-expired'
                ? 'unauthenticated'
                : 'invalid-arguments';
    throw new ApiFailure(code, error.message);
  }
  throw error;
}

function publicUser(db: Db, u: UserRow, officeNames: Map<number, string>): PublicUser {
  return {
    id: u.id,
    name: u.name,
    displayName: u.displayName,
    role: u.role,
    totp: Boolean(u.totpSecret),
    locked: Boolean(u.lockedUntil && u.lockedUntil > new Date().toISOString()),
    offices: officesOf(db, u.id).map((id) => officeNames.get(id) ?? String(id)),
  };
}

export function entryView(row: AuditRow, emails: Map<number, string>): AuditEntryView {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    actorName: row.actorName,
    origin: row.origin,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    mailbox: row.accountId === null ? null : (emails.get(row.accountId) ?? String(row.accountId)),
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

/** The caller's rights by mailbox address, for the app to hide what they cannot do. */
function callerRights(rights: Rights, emails: Map<number, string>): CallerRights {
  return {
    administers: rights.administers,
    mailboxes: [...rights.byAccount].flatMap(([id, set]) => {
      const email = emails.get(id);
      return email ? [{ email, rights: RIGHTS.filter((r) => set.has(r)) }] : [];
    }),
  };
}

/**
 * The names of the log's targets (a message's subject, a person's name), looked up once per page:
 * the log keeps ids, the person reading it wants words.
 */
function targetLabels(db: Db): (row: AuditRow) => string | null {
  const known = new Map<string, string | null>();
  const offices = new Map(listOffices(db).map((o) => [String(o.id), o.name]));
  const lookUp = (type: string, id: string): string | null => {
    const n = Number(id);
    if (type === 'message') return (Number.isInteger(n) && getMessage(db, n)?.subject) || null;
    if (type === 'thread')
      return ((Number.isInteger(n) ? getThread(db, n) : findThread(db, id, id))?.subject ?? null) || null;
    if (type === 'user') return (Number.isInteger(n) && getUser(db, n)?.name) || null;
    if (type === 'office') return offices.get(id) ?? null;
    return null;
  };
  return (row) => {
    if (!row.targetType || row.targetId === null) return null;
    const key = `${row.targetType}:${row.targetId}`;
    if (!known.has(key)) known.set(key, lookUp(row.targetType, row.targetId));
    return known.get(key) ?? null;
  };
}

/** Italian dates (dd/mm/yyyy) or ISO, as the start of that day in UTC for the filter. */
function dayStart(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const it = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  const date = it ? new Date(Date.UTC(Number(it[3]), Number(it[2]) - 1, Number(it[1]))) : new Date(text);
  if (Number.isNaN(date.getTime())) throw new ApiFailure('invalid-arguments', `not a date: ${text}`);
  return date.toISOString();
}

function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  // Formula injection: a cell a spreadsheet would evaluate is kept as text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function createPeopleHandlers(archive: () => Archive): PeopleHandlers {
  const db = () => archive().db;
  const people = () => new People(db());
  // main/auth/people.ts writes each change's entry in the change's own transaction.
  const by = (caller: HandlerContext): AuditActor => caller.auditor();
  const subject = (a: { user?: string | undefined; office?: string | undefined }) => {
    if (Boolean(a.user) === Boolean(a.office))
      throw new ApiFailure('invalid-arguments', 'name either a person (user) or an office');
    return a.user ? { user: a.user } : { office: a.office! };
  };
  const mailboxOf = (a: { mailbox?: string | undefined; all?: boolean | undefined }): number | null => {
    if (a.all) return null;
    if (!a.mailbox) throw new ApiFailure('invalid-arguments', 'name a mailbox, or all of them');
    const account = findAccount(db(), a.mailbox);
    if (!account) throw new ApiFailure('not-found', `no mailbox ${a.mailbox}`);
    return account.id;
  };
  const emails = () => new Map(listAccounts(db()).map((a) => [a.id, a.email]));
  return {
    'auth.status': async (_args, caller) => {
      const mode = authMode(db());
      const found = mode === 'logins' && caller.session ? people().resolve(caller.session) : null;
      const o = owner(db());
      const user = mode === 'single' ? o : found?.user;
      // 'anyone' methods run without a principal when nobody is signed in.
      const principal = caller.principal as Principal | null;
      return {
        mode,
        needsSetup: !o,
        user: user
          ? {
              name: user.name,
              displayName: user.displayName,
              role: user.role,
              totp: Boolean(user.totpSecret),
            }
          : null,
        rights: principal ? callerRights(principal.rights, emails()) : null,
      };
    },
    'auth.setup': async ({ name, displayName, password }, caller) => {
      if (owner(db())) throw new ApiFailure('conflict', 'this archive already has its owner');
      const who: AuditActor = { actor: 'setup', actorName: name, origin: caller.origin ?? caller.transport };
      await people()
        .createOwner(name, displayName ?? null, password ?? null, who)
        .catch(failure);
      // The app goes on signed in as the owner; the CLI (a server set up without a screen) needs
      // no session.
      const token =
        password && caller.transport !== 'cli'
          ? (await people().login(name, password, caller.origin ?? caller.transport)).token
          : null;
      return { mode: authMode(db()), token };
    },
    'auth.login': async ({ name, password }, caller) => {
      const { token, pendingTotp } = await people()
        .login(name, password, caller.origin ?? caller.transport)
        .catch(failure);
      return { token, pendingTotp };
    },
    'auth.totp': async ({ token, code }) => {
      await people().completeTotp(token, code).catch(failure);
      return { token };
    },
    'auth.logout': async (_args, caller) => {
      if (caller.session) people().logout(caller.session, by(caller));
      else caller.audit({ action: 'auth.logout' });
      return { ok: true };
    },
    'auth.enableLogins': async ({ password }, caller) => {
      const o = owner(db());
      if (!o) throw new ApiFailure('not-found', 'this archive has no owner yet');
      await people().enableLogins(password, by(caller)).catch(failure);
      // The app goes on signed in as the owner; the CLI needs no session.
      if (caller.transport === 'cli') return { mode: authMode(db()), token: null };
      const { token } = await people()
        .login(o.name, password, caller.origin ?? caller.transport)
        .catch(failure);
      return { mode: authMode(db()), token };
    },
    'auth.totpStart': async (_args, caller) => people().startTotp(caller.principal.name),
    'auth.totpConfirm': async ({ secret, code }, caller) => ({
      recoveryCodes: await people()
        .confirmTotp(caller.principal.name, secret, code, by(caller))
        .catch(failure),
    }),
    'users.list': async () => {
      const names = new Map(listOffices(db()).map((o) => [o.id, o.name]));
      return listUsers(db()).map((u) => publicUser(db(), u, names));
    },
    'users.add': async (args, caller) => {
      const { user, invitation } = await people()
        .addUser(
          {
            name: args.name,
            displayName: args.displayName ?? null,
            role: args.role,
            password: args.password ?? null,
          },
          by(caller),
        )
        .catch(failure);
      return { user: publicUser(db(), user, new Map()), invitation };
    },
    'users.remove': async ({ name }, caller) => {
      try {
        return { removed: people().removeUser(name, by(caller)).name };
      } catch (error) {
        return failure(error);
      }
    },
    'users.setPassword': async ({ name, password }, caller) => {
      await people().setPassword(name, password, by(caller)).catch(failure);
      return { ok: true };
    },
    'users.revokeSessions': async ({ name }, caller) => {
      try {
        return { revoked: people().revokeSessions(name, by(caller)) };
      } catch (error) {
        return failure(error);
      }
    },
    'users.acceptInvitation': async ({ code, password }) => ({
      name: (await people().acceptInvitation(code, password).catch(failure)).name,
    }),
    'offices.list': async () => {
      const names = new Map(listUsers(db(), true).map((u) => [u.id, u.name]));
      return listOffices(db()).map((o) => ({
        id: o.id,
        name: o.name,
        members: o.members.map((id) => names.get(id) ?? String(id)),
      }));
    },
    'offices.create': async ({ name }, caller) => {
      try {
        return { id: people().createOffice(name, by(caller)) };
      } catch (error) {
        return failure(error);
      }
    },
    'offices.addMember': async ({ office, user }, caller) => {
      try {
        people().addToOffice(office, user, by(caller));
        return { ok: true };
      } catch (error) {
        return failure(error);
      }
    },
    'grants.list': async () => {
      const users = new Map(listUsers(db(), true).map((u) => [u.id, u.name]));
      const offices = new Map(listOffices(db()).map((o) => [o.id, o.name]));
      const mail = emails();
      return listGrants(db()).map((g) => ({
        subject: (g.subjectType === 'user' ? users : offices).get(g.subjectId) ?? String(g.subjectId),
        subjectType: g.subjectType,
        mailbox: g.accountId === null ? null : (mail.get(g.accountId) ?? null),
        rights: parseRights(g.rights),
      }));
    },
    'grants.put': async (args, caller) => {
      try {
        people().grant(subject(args), mailboxOf(args), args.rights, by(caller));
        return { ok: true };
      } catch (error) {
        return failure(error);
      }
    },
    'grants.remove': async (args, caller) => {
      try {
        return { removed: people().revoke(subject(args), mailboxOf(args), by(caller)) };
      } catch (error) {
        return failure(error);
      }
    },
    'audit.list': async (args) => {
      const user = args.user ? findUserByName(db(), args.user) : undefined;
      if (args.user && !user && !args.user.startsWith('cli:'))
        throw new ApiFailure('not-found', `no person ${args.user}`);
      const account = args.mailbox ? findAccount(db(), args.mailbox) : undefined;
      if (args.mailbox && !account) throw new ApiFailure('not-found', `no mailbox ${args.mailbox}`);
      const since = dayStart(args.since);
      const until = dayStart(args.until);
      const { total, rows } = findAuditEntries(db(), {
        ...(user ? { actor: `user:${user.id}` } : args.user ? { actor: args.user } : {}),
        ...(args.action ? { action: args.action } : {}),
        ...(since ? { since } : {}),
        ...(until ? { until: new Date(Date.parse(until) + 86_400_000).toISOString() } : {}),
        ...(args.messageId ? { targetType: 'message', targetId: String(args.messageId) } : {}),
        ...(account ? { accountIds: [account.id] } : {}),
        limit: args.limit,
        offset: args.offset,
      });
      const mail = emails();
      const label = targetLabels(db());
      return { total, entries: rows.map((r) => ({ ...entryView(r, mail), targetLabel: label(r) })) };
    },
    'audit.messageViews': async ({ id }) => {
      const mail = emails();
      const rows = ['message.open', 'attachment.download', 'message.export'].flatMap(
        (action) =>
          findAuditEntries(db(), {
            action,
            targetType: 'message',
            targetId: String(id),
            limit: 500,
            offset: 0,
          }).rows,
      );
      return { entries: rows.sort((a, b) => b.id - a.id).map((r) => entryView(r, mail)) };
    },
    'audit.verify': async () => verifyAudit(db()),
    'audit.export': async ({ format, user, since, until }) => {
      const u = user ? findUserByName(db(), user) : undefined;
      const from = dayStart(since);
      const to = dayStart(until);
      const { rows } = findAuditEntries(db(), {
        ...(u ? { actor: `user:${u.id}` } : user ? { actor: user } : {}),
        ...(from ? { since: from } : {}),
        ...(to ? { until: new Date(Date.parse(to) + 86_400_000).toISOString() } : {}),
        limit: 10_000_000,
        offset: 0,
      });
      rows.reverse();
      const stamp = new Date().toISOString().slice(0, 10);
      if (format === 'json') {
        // With prevHash and hash: the chain can be checked outside PecDesk.
        const body = JSON.stringify(
          { exportedAt: new Date().toISOString(), verify: verifyAudit(db()), entries: rows },
          null,
          2,
        );
        return {
          filename: `registro-attivita-${stamp}.json`,
          contentBase64: Buffer.from(body).toString('base64'),
        };
      }
      const mail = emails();
      const header = [
        'id',
        'data',
        'chi',
        'origine',
        'azione',
        'oggetto',
        'identificativo',
        'casella',
        'dettagli',
      ];
      const lines = rows.map((r) =>
        [
          r.id,
          r.at,
          r.actorName,
          r.origin,
          r.action,
          r.targetType,
          r.targetId,
          r.accountId === null ? '' : mail.get(r.accountId),
          r.details,
        ]
          .map(csvCell)
          .join(','),
      );
      const body = `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
      return {
        filename: `registro-attivita-${stamp}.csv`,
        contentBase64: Buffer.from(body, 'utf8').toString('base64'),
      };
    },
  };
}
