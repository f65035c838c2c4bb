/**
 * People and their sessions: the owner made at the first start, "solo io" (no login screen: the OS
 * account protects the PC) or personal logins, passwords, lockout, two-step verification,
 * sessions that expire and can be revoked, invitations, offices and grants. Every change is written
 * to the audit log in its own transaction (main/auth/audit.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { getMeta, setMeta } from '../../db/meta.ts';
import {
  activeSessions,
  addOfficeMember,
  completeSessionTotp,
  countActiveUsers,
  deleteGrant,
  findOffice,
  findSession,
  findUserByName,
  getUser,
  insertInvitation,
  insertOffice,
  insertSession,
  insertUser,
  listUsers,
  putGrant,
  replaceRecoveryCodes,
  revokeSession,
  revokeSessionsOf,
  type SessionRow,
  spendRecoveryCode,
  takeInvitation,
  touchSession,
  type UserRow,
  updateUser,
} from '../../db/people.ts';
import { type AuditActor, appendAudit } from './audit.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { parseRights, ROLES, type Role } from './rights.ts';
import { checkTotp, newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpUri } from './totp.ts';

export type AuthMode = 'single' | 'logins';

export class AuthError extends Error {
  constructor(
    readonly code:
      | 'invalid'
      | 'exists'
      | 'not-found'
      | 'wrong-credentials'
      | 'locked'
      | 'totp-required'
      | 'totp-wrong'
      | 'session-expired'
      | 'forbidden',
    message: string,
    /** For locked: when the next attempt may be made. */
    readonly until?: string,
  ) {
    super(message);
  }
}

/** Sessions end after this long without a call, and in any case after MAX_SESSION_MS. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const MAX_SESSION_MS = 14 * 24 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;
/** After a right password, the second step must come within this time. */
const PENDING_TOTP_MS = 5 * 60 * 1000;
/** Failed logins before a lockout; each further failure doubles it, up to an hour. */
export const FREE_ATTEMPTS = 5;
const FIRST_LOCK_MS = 30_000;
const MAX_LOCK_MS = 60 * 60 * 1000;
const INVITATION_MS = 7 * 24 * 60 * 60 * 1000;

const NAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function authMode(db: Db): AuthMode {
  return getMeta(db, 'auth_mode') === 'logins' ? 'logins' : 'single';
}

export function owner(db: Db): UserRow | undefined {
  return listUsers(db).find((u) => u.role === 'owner');
}

/** An actor for the log: a person at a session or machine. */
export function personActor(user: UserRow, origin: string): AuditActor {
  return { actor: `user:${user.id}`, actorName: user.name, origin };
}

export interface Clock {
  now(): Date;
}
const systemClock: Clock = { now: () => new Date() };

/**
 * The people of one archive. `clock` is fixed in tests (lockout, sessions, TOTP).
 */
export class People {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  private tx<T>(fn: () => T): T {
    return this.db.$client.transaction(fn).immediate();
  }

  /**
   * The first start: the owner. With a password, logins are on; without one, "solo io" (the app
   * asks for nothing; logins can be turned on later by giving the owner a password).
   */
  async createOwner(
    name: string,
    displayName: string | null,
    password: string | null,
    by: AuditActor,
  ): Promise<UserRow> {
    const login = this.checkName(name);
    if (owner(this.db)) throw new AuthError('exists', 'this archive already has its owner');
    const hash = password === null ? null : await this.checkedHash(password);
    return this.tx(() => {
      const user = insertUser(this.db, {
        name: login,
        displayName,
        role: 'owner',
        passwordHash: hash,
        createdAt: this.nowIso(),
      });
      setMeta(this.db, 'auth_mode', hash ? 'logins' : 'single');
      appendAudit(
        this.db,
        by,
        {
          action: 'user.create',
          targetType: 'user',
          targetId: user.id,
          details: { name: login, role: 'owner', logins: Boolean(hash) },
        },
        this.clock.now(),
      );
      return user;
    });
  }

  /** Turns personal logins on: from now on every front end asks who is there. */
  async enableLogins(ownerPassword: string, by: AuditActor): Promise<void> {
    const o = owner(this.db);
    if (!o) throw new AuthError('not-found', 'this archive has no owner yet');
    const hash = o.passwordHash ?? (await this.checkedHash(ownerPassword));
    this.tx(() => {
      updateUser(this.db, o.id, { passwordHash: hash });
      setMeta(this.db, 'auth_mode', 'logins');
      appendAudit(
        this.db,
        by,
        { action: 'auth.logins-on', targetType: 'user', targetId: o.id },
        this.clock.now(),
      );
    });
  }

  async addUser(
    input: { name: string; displayName?: string | null; role: Role; password?: string | null },
    by: AuditActor,
  ): Promise<{ user: UserRow; invitation: string | null }> {
    const login = this.checkName(input.name);
    if (!(ROLES as readonly string[]).includes(input.role) || input.role === 'owner')
      throw new AuthError('invalid', `role must be admin, operator or reader, not ${input.role}`);
    if (findUserByName(this.db, login)) throw new AuthError('exists', `${login} already exists`);
    const hash = input.password ? await this.checkedHash(input.password) : null;
    // Without a password the person gets an invitation: a one-time code to choose their own.
    const invitation = hash ? null : randomBytes(15).toString('base64url');
    const user = this.tx(() => {
      const row = insertUser(this.db, {
        name: login,
        displayName: input.displayName ?? null,
        role: input.role,
        passwordHash: hash,
        createdAt: this.nowIso(),
      });
      if (invitation)
        insertInvitation(this.db, {
          codeHash: sha256(invitation),
          userId: row.id,
          createdAt: this.nowIso(),
          expiresAt: new Date(this.clock.now().getTime() + INVITATION_MS).toISOString(),
        });
      appendAudit(
        this.db,
        by,
        {
          action: 'user.create',
          targetType: 'user',
          targetId: row.id,
          details: { name: login, role: input.role, invited: Boolean(invitation) },
        },
        this.clock.now(),
      );
      return row;
    });
    return { user, invitation };
  }

  /** The invited person chooses their password with the one-time code. */
  async acceptInvitation(code: string, password: string): Promise<UserRow> {
    const hash = await this.checkedHash(password);
    return this.tx(() => {
      const userId = takeInvitation(this.db, sha256(code.trim()), this.nowIso());
      const user = userId === null ? undefined : getUser(this.db, userId);
      if (!user || user.disabledAt)
        throw new AuthError('invalid', 'the invitation code is not valid (used, expired or mistyped)');
      updateUser(this.db, user.id, { passwordHash: hash });
      appendAudit(
        this.db,
        personActor(user, 'invitation'),
        {
          action: 'user.invitation-accepted',
          targetType: 'user',
          targetId: user.id,
        },
        this.clock.now(),
      );
      return user;
    });
  }

  /** A person is never deleted (the log names them): they are disabled and their sessions end. */
  removeUser(name: string, by: AuditActor): UserRow {
    const user = this.userNamed(name);
    if (user.role === 'owner') throw new AuthError('forbidden', 'the owner cannot be removed');
    return this.tx(() => {
      updateUser(this.db, user.id, { disabledAt: this.nowIso() });
      revokeSessionsOf(this.db, user.id, this.nowIso());
      appendAudit(
        this.db,
        by,
        { action: 'user.remove', targetType: 'user', targetId: user.id, details: { name: user.name } },
        this.clock.now(),
      );
      return user;
    });
  }

  async setPassword(name: string, password: string, by: AuditActor): Promise<void> {
    const user = this.userNamed(name);
    const hash = await this.checkedHash(password);
    this.tx(() => {
      updateUser(this.db, user.id, { passwordHash: hash, failedLogins: 0, lockedUntil: null });
      // A new password ends every session made with the old one.
      revokeSessionsOf(this.db, user.id, this.nowIso());
      appendAudit(
        this.db,
        by,
        { action: 'user.password', targetType: 'user', targetId: user.id },
        this.clock.now(),
      );
    });
  }

  /**
   * Signs in. A wrong password counts towards a lockout that doubles with each further failure;
   * while locked, no password is even checked. With two-step verification on, the session first
   * waits for the code (pendingTotp).
   */
  async login(
    name: string,
    password: string,
    origin: string,
  ): Promise<{ token: string; user: UserRow; pendingTotp: boolean }> {
    const now = this.clock.now();
    const user = findUserByName(this.db, name);
    const who: AuditActor = user
      ? personActor(user, origin)
      : { actor: 'anonymous', actorName: name.slice(0, 64), origin };
    if (user?.lockedUntil && user.lockedUntil > now.toISOString()) {
      this.tx(() =>
        appendAudit(
          this.db,
          who,
          { action: 'auth.login-locked', targetType: 'user', targetId: user.id },
          now,
        ),
      );
      throw new AuthError(
        'locked',
        `too many failed attempts: try again after ${user.lockedUntil}`,
        user.lockedUntil,
      );
    }
    const ok = user && !user.disabledAt && (await verifyPassword(password, user.passwordHash));
    if (!user || !ok) {
      this.tx(() => {
        if (user) {
          const failures = user.failedLogins + 1;
          const lockMs =
            failures >= FREE_ATTEMPTS
              ? Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - FREE_ATTEMPTS))
              : 0;
          updateUser(this.db, user.id, {
            failedLogins: failures,
            lockedUntil: lockMs ? new Date(now.getTime() + lockMs).toISOString() : null,
          });
        }
        appendAudit(
          this.db,
          who,
          {
            action: 'auth.login-failed',
            ...(user ? { targetType: 'user', targetId: user.id } : {}),
          },
          now,
        );
      });
      throw new AuthError('wrong-credentials', 'wrong user name or password');
    }
    const token = randomBytes(32).toString('base64url');
    const pendingTotp = Boolean(user.totpSecret);
    this.tx(() => {
      updateUser(this.db, user.id, { failedLogins: 0, lockedUntil: null });
      insertSession(this.db, {
        tokenHash: sha256(token),
        userId: user.id,
        origin,
        createdAt: now.toISOString(),
        lastSeenAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + (pendingTotp ? PENDING_TOTP_MS : SESSION_IDLE_MS)).toISOString(),
        pendingTotp,
      });
      appendAudit(
        this.db,
        personActor(user, origin),
        { action: pendingTotp ? 'auth.password-ok' : 'auth.login', targetType: 'user', targetId: user.id },
        now,
      );
    });
    return { token, user, pendingTotp };
  }

  /** The second step: a TOTP code, or one of the recovery codes (each works once). */
  async completeTotp(token: string, code: string): Promise<UserRow> {
    const now = this.clock.now();
    const session = findSession(this.db, sha256(token));
    if (!session || session.revokedAt || session.expiresAt <= now.toISOString() || !session.pendingTotp)
      throw new AuthError('session-expired', 'sign in again');
    const user = getUser(this.db, session.userId)!;
    const step = user.totpSecret ? await checkTotp(user.totpSecret, code, user.totpLastStep, now) : null;
    const recovered =
      step === null && spendRecoveryCode(this.db, user.id, recoveryCodeHash(code), now.toISOString());
    if (step === null && !recovered) {
      this.tx(() => {
        const failures = user.failedLogins + 1;
        updateUser(this.db, user.id, { failedLogins: failures });
        // Guessing codes ends the session after a few tries: the password must be given again.
        if (failures >= FREE_ATTEMPTS) revokeSession(this.db, session.tokenHash, now.toISOString());
        appendAudit(
          this.db,
          personActor(user, session.origin),
          { action: 'auth.totp-failed', targetType: 'user', targetId: user.id },
          now,
        );
      });
      throw new AuthError('totp-wrong', 'the code is not valid');
    }
    this.tx(() => {
      completeSessionTotp(this.db, session.tokenHash);
      touchSession(
        this.db,
        session.tokenHash,
        now.toISOString(),
        new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
      );
      updateUser(this.db, user.id, { failedLogins: 0, ...(step !== null ? { totpLastStep: step } : {}) });
      appendAudit(
        this.db,
        personActor(user, session.origin),
        {
          action: 'auth.login',
          targetType: 'user',
          targetId: user.id,
          details: { second: recovered ? 'recovery-code' : 'totp' },
        },
        now,
      );
    });
    return user;
  }

  /**
   * The person behind a session token, when the session is open (not revoked, not expired, the
   * second step done); the session's idle time starts again. Null otherwise.
   */
  resolve(token: string): { user: UserRow; session: SessionRow } | null {
    const now = this.clock.now();
    const session = findSession(this.db, sha256(token));
    if (!session || session.revokedAt || session.pendingTotp || session.expiresAt <= now.toISOString())
      return null;
    if (now.getTime() - Date.parse(session.createdAt) > MAX_SESSION_MS) return null;
    const user = getUser(this.db, session.userId);
    if (!user || user.disabledAt) return null;
    // Every call comes through here: the idle deadline moves at most once a minute, so reading
    // a list is not a write each time (12 hours idle, give or take a minute).
    if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS)
      touchSession(
        this.db,
        session.tokenHash,
        now.toISOString(),
        new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
      );
    return { user, session };
  }

  logout(token: string, by: AuditActor): void {
    this.tx(() => {
      if (revokeSession(this.db, sha256(token), this.nowIso()) > 0)
        appendAudit(this.db, by, { action: 'auth.logout' }, this.clock.now());
    });
  }

  /** The owner (or an admin) ends a person's sessions: a lost laptop, a colleague who left. */
  revokeSessions(name: string, by: AuditActor): number {
    const user = this.userNamed(name);
    return this.tx(() => {
      const n = revokeSessionsOf(this.db, user.id, this.nowIso());
      appendAudit(
        this.db,
        by,
        { action: 'auth.sessions-revoked', targetType: 'user', targetId: user.id, details: { sessions: n } },
        this.clock.now(),
      );
      return n;
    });
  }

  openSessions(): SessionRow[] {
    return activeSessions(this.db, this.nowIso());
  }

  /**
   * Turns two-step verification on: a new secret and its otpauth URI for the app, and ten recovery
   * codes shown once. It counts from the first code the person confirms (confirmTotp).
   */
  startTotp(name: string): { secret: string; uri: string } {
    const user = this.userNamed(name);
    const secret = newTotpSecret();
    return { secret, uri: totpUri(secret, `PecDesk:${user.name}`) };
  }

  async confirmTotp(name: string, secret: string, code: string, by: AuditActor): Promise<string[]> {
    const user = this.userNamed(name);
    const step = await checkTotp(secret, code, null, this.clock.now());
    if (step === null)
      throw new AuthError('totp-wrong', 'the code does not match: check the phone’s clock and try again');
    const codes = newRecoveryCodes();
    this.tx(() => {
      updateUser(this.db, user.id, { totpSecret: secret, totpLastStep: step });
      replaceRecoveryCodes(this.db, user.id, codes.map(recoveryCodeHash));
      appendAudit(
        this.db,
        by,
        { action: 'auth.totp-on', targetType: 'user', targetId: user.id },
        this.clock.now(),
      );
    });
    return codes;
  }

  createOffice(name: string, by: AuditActor): number {
    const clean = name.trim();
    if (!clean || clean.length > 120)
      throw new AuthError('invalid', 'an office needs a name (at most 120 characters)');
    if (findOffice(this.db, clean)) throw new AuthError('exists', `office ${clean} already exists`);
    return this.tx(() => {
      const office = insertOffice(this.db, clean, this.nowIso());
      appendAudit(
        this.db,
        by,
        { action: 'office.create', targetType: 'office', targetId: office.id, details: { name: clean } },
        this.clock.now(),
      );
      return office.id;
    });
  }

  addToOffice(officeName: string, userName: string, by: AuditActor): void {
    const office = findOffice(this.db, officeName);
    if (!office) throw new AuthError('not-found', `no office ${officeName}`);
    const user = this.userNamed(userName);
    this.tx(() => {
      addOfficeMember(this.db, office.id, user.id);
      appendAudit(
        this.db,
        by,
        {
          action: 'office.member-add',
          targetType: 'office',
          targetId: office.id,
          details: { user: user.name },
        },
        this.clock.now(),
      );
    });
  }

  /** Rights on one mailbox (accountId) or all (null), to a person or an office. */
  grant(
    subject: { user?: string; office?: string },
    accountId: number | null,
    rights: string,
    by: AuditActor,
  ): void {
    const target = this.subject(subject);
    let parsed: ReturnType<typeof parseRights>;
    try {
      parsed = parseRights(rights);
    } catch (error) {
      throw new AuthError('invalid', (error as Error).message);
    }
    if (parsed.length === 0)
      throw new AuthError('invalid', 'give at least one right: read, route, send, manage');
    this.tx(() => {
      putGrant(this.db, target, accountId, parsed.join(','), this.nowIso());
      appendAudit(
        this.db,
        by,
        {
          action: 'permission.grant',
          targetType: target.type,
          targetId: target.id,
          accountId,
          details: { rights: parsed, allMailboxes: accountId === null },
        },
        this.clock.now(),
      );
    });
  }

  revoke(subject: { user?: string; office?: string }, accountId: number | null, by: AuditActor): number {
    const target = this.subject(subject);
    return this.tx(() => {
      const n = deleteGrant(this.db, target, accountId);
      appendAudit(
        this.db,
        by,
        {
          action: 'permission.revoke',
          targetType: target.type,
          targetId: target.id,
          accountId,
          details: { removed: n },
        },
        this.clock.now(),
      );
      return n;
    });
  }

  activeUsers(): number {
    return countActiveUsers(this.db);
  }

  private subject(s: { user?: string; office?: string }): { type: 'user' | 'office'; id: number } {
    if (s.user) return { type: 'user', id: this.userNamed(s.user).id };
    const office = s.office ? findOffice(this.db, s.office) : undefined;
    if (!office) throw new AuthError('not-found', `no office ${s.office ?? ''}`);
    return { type: 'office', id: office.id };
  }

  private userNamed(name: string): UserRow {
    const user = findUserByName(this.db, name);
    if (!user || user.disabledAt) throw new AuthError('not-found', `no person ${name}`);
    return user;
  }

  private checkName(name: string): string {
    const login = name.trim().toLowerCase();
    if (!NAME.test(login))
      throw new AuthError('invalid', 'a user name is 2 to 64 letters, digits, dots, dashes or underscores');
    return login;
  }

  private async checkedHash(password: string): Promise<string> {
    const problem = passwordProblem(password);
    if (problem === 'too-short') throw new AuthError('invalid', 'a password needs at least 10 characters');
    if (problem === 'too-long') throw new AuthError('invalid', 'the password is too long');
    return hashPassword(password);
  }
}
