/**
 * People, offices, rights, sessions and invitations: the SQL of main/auth/. The audit log has its
 * own file (db/audit.ts).
 */
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { grants, invitations, officeMembers, offices, recoveryCodes, sessions, users } from './schema.ts';

export type UserRow = typeof users.$inferSelect;
export type NewUser = Omit<typeof users.$inferInsert, 'id'>;
export type GrantRow = typeof grants.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type OfficeRow = typeof offices.$inferSelect;

export function insertUser(db: Db, user: NewUser): UserRow {
  return db.insert(users).values(user).returning().get();
}

export function findUserByName(db: Db, name: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.name, name.trim().toLowerCase())).get();
}

export function getUser(db: Db, id: number): UserRow | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function listUsers(db: Db, includeDisabled = false): UserRow[] {
  return db
    .select()
    .from(users)
    .where(includeDisabled ? undefined : isNull(users.disabledAt))
    .orderBy(asc(users.name))
    .all();
}

export function countActiveUsers(db: Db): number {
  return db.$client.prepare('SELECT count(*) FROM users WHERE disabled_at IS NULL').pluck().get() as number;
}

export function updateUser(db: Db, id: number, change: Partial<NewUser>): void {
  db.update(users).set(change).where(eq(users.id, id)).run();
}

export function replaceRecoveryCodes(db: Db, userId: number, hashes: string[]): void {
  db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
  if (hashes.length > 0)
    db.insert(recoveryCodes)
      .values(hashes.map((codeHash) => ({ userId, codeHash })))
      .run();
}

/** Uses a recovery code once: true when it was there and unused. */
export function spendRecoveryCode(db: Db, userId: number, codeHash: string, at: string): boolean {
  return (
    db
      .update(recoveryCodes)
      .set({ usedAt: at })
      .where(
        and(
          eq(recoveryCodes.userId, userId),
          eq(recoveryCodes.codeHash, codeHash),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .run().changes === 1
  );
}

export function insertOffice(db: Db, name: string, at: string): OfficeRow {
  return db.insert(offices).values({ name, createdAt: at }).returning().get();
}

export function findOffice(db: Db, name: string): OfficeRow | undefined {
  return db.select().from(offices).where(eq(offices.name, name)).get();
}

export function listOffices(db: Db): (OfficeRow & { members: number[] })[] {
  const members = db.select().from(officeMembers).all();
  return db
    .select()
    .from(offices)
    .orderBy(asc(offices.name))
    .all()
    .map((o) => ({ ...o, members: members.filter((m) => m.officeId === o.id).map((m) => m.userId) }));
}

export function setOfficeHead(db: Db, officeId: number, userId: number | null): void {
  db.update(offices).set({ headUserId: userId }).where(eq(offices.id, officeId)).run();
}

export function addOfficeMember(db: Db, officeId: number, userId: number): void {
  db.insert(officeMembers).values({ officeId, userId }).onConflictDoNothing().run();
}

export function removeOfficeMember(db: Db, officeId: number, userId: number): void {
  db.delete(officeMembers)
    .where(and(eq(officeMembers.officeId, officeId), eq(officeMembers.userId, userId)))
    .run();
}

export function officesOf(db: Db, userId: number): number[] {
  return db
    .select({ id: officeMembers.officeId })
    .from(officeMembers)
    .where(eq(officeMembers.userId, userId))
    .all()
    .map((r) => r.id);
}

/** One grant per subject and mailbox (null: every mailbox): a new grant replaces the rights. */
export function putGrant(
  db: Db,
  subject: { type: 'user' | 'office'; id: number },
  accountId: number | null,
  rights: string,
  at: string,
): void {
  const where = and(
    eq(grants.subjectType, subject.type),
    eq(grants.subjectId, subject.id),
    accountId === null ? isNull(grants.accountId) : eq(grants.accountId, accountId),
  );
  const existing = db.select().from(grants).where(where).get();
  if (existing) db.update(grants).set({ rights, createdAt: at }).where(eq(grants.id, existing.id)).run();
  else
    db.insert(grants)
      .values({ subjectType: subject.type, subjectId: subject.id, accountId, rights, createdAt: at })
      .run();
}

export function deleteGrant(
  db: Db,
  subject: { type: 'user' | 'office'; id: number },
  accountId: number | null,
): number {
  return db
    .delete(grants)
    .where(
      and(
        eq(grants.subjectType, subject.type),
        eq(grants.subjectId, subject.id),
        accountId === null ? isNull(grants.accountId) : eq(grants.accountId, accountId),
      ),
    )
    .run().changes;
}

/** The grants that reach a person: their own and their offices'. */
export function grantsReaching(db: Db, userId: number): GrantRow[] {
  const officeIds = officesOf(db, userId);
  return db
    .select()
    .from(grants)
    .where(
      or(
        and(eq(grants.subjectType, 'user'), eq(grants.subjectId, userId)),
        officeIds.length > 0
          ? and(eq(grants.subjectType, 'office'), sql`${grants.subjectId} IN ${officeIds}`)
          : sql`0`,
      ),
    )
    .all();
}

export function listGrants(db: Db): GrantRow[] {
  return db.select().from(grants).orderBy(asc(grants.id)).all();
}

export function insertSession(db: Db, row: typeof sessions.$inferInsert): void {
  db.insert(sessions).values(row).run();
}

export function findSession(db: Db, tokenHash: string): SessionRow | undefined {
  return db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash)).get();
}

export function touchSession(db: Db, tokenHash: string, at: string, expiresAt: string): void {
  db.update(sessions).set({ lastSeenAt: at, expiresAt }).where(eq(sessions.tokenHash, tokenHash)).run();
}

export function completeSessionTotp(db: Db, tokenHash: string): void {
  db.update(sessions).set({ pendingTotp: false }).where(eq(sessions.tokenHash, tokenHash)).run();
}

export function revokeSession(db: Db, tokenHash: string, at: string): number {
  return db
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)))
    .run().changes;
}

/** Ends a person's open sessions (those already expired stay as they are); how many. */
export function revokeSessionsOf(db: Db, userId: number, at: string): number {
  return db
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), sql`${sessions.expiresAt} > ${at}`))
    .run().changes;
}

export function activeSessions(db: Db, now: string): SessionRow[] {
  return db
    .select()
    .from(sessions)
    .where(and(isNull(sessions.revokedAt), sql`${sessions.expiresAt} > ${now}`))
    .orderBy(asc(sessions.createdAt))
    .all();
}

export function insertInvitation(db: Db, row: typeof invitations.$inferInsert): void {
  db.insert(invitations).values(row).run();
}

/** Takes an invitation once: its person, when the code is known, unused and not expired. */
export function takeInvitation(db: Db, codeHash: string, now: string): number | null {
  const row = db.select().from(invitations).where(eq(invitations.codeHash, codeHash)).get();
  if (!row || row.usedAt || row.expiresAt <= now) return null;
  db.update(invitations).set({ usedAt: now }).where(eq(invitations.codeHash, codeHash)).run();
  return row.userId;
}
