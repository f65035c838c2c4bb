/** Accounts and their folders, with the sync bookkeeping of each folder. */
import { and, asc, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import { type Db, prepared } from './database.ts';
import { accounts, flagChanges, mailboxes, messageLocations } from './schema.ts';

export type AccountRow = typeof accounts.$inferSelect;
export type NewAccount = Omit<typeof accounts.$inferInsert, 'id'>;
export type MailboxRow = typeof mailboxes.$inferSelect;

export function insertAccount(db: Db, account: NewAccount): AccountRow {
  return db.insert(accounts).values(account).returning().get();
}

export function listAccounts(db: Db): AccountRow[] {
  return db.select().from(accounts).orderBy(asc(accounts.email)).all();
}

export function findAccount(db: Db, emailOrId: string | number): AccountRow | undefined {
  return typeof emailOrId === 'number'
    ? db.select().from(accounts).where(eq(accounts.id, emailOrId)).get()
    : db.select().from(accounts).where(eq(accounts.email, emailOrId.toLowerCase())).get();
}

/** Removes the account and where its messages sat; the archived messages themselves stay. */
export function deleteAccount(db: Db, id: number): void {
  db.delete(accounts).where(eq(accounts.id, id)).run();
}

/** Settings a person may change on an existing account. */
export function updateAccountSettings(
  db: Db,
  id: number,
  settings: Partial<
    Pick<
      AccountRow,
      | 'displayName'
      | 'writeSeen'
      | 'smtpHost'
      | 'smtpPort'
      | 'smtpSecurity'
      | 'sendPerMinute'
      | 'maxRecipients'
      | 'maxTotalBytes'
    >
  >,
): AccountRow | undefined {
  if (Object.keys(settings).length > 0) db.update(accounts).set(settings).where(eq(accounts.id, id)).run();
  return findAccount(db, id);
}

export function setAccountSyncState(
  db: Db,
  id: number,
  state: AccountRow['syncState'],
  error: { code: string; message: string } | null,
  syncedAt?: string,
): void {
  db.update(accounts)
    .set({
      syncState: state,
      lastErrorCode: error?.code ?? null,
      lastError: error?.message ?? null,
      ...(syncedAt ? { lastSyncAt: syncedAt } : {}),
    })
    .where(eq(accounts.id, id))
    .run();
}

export function mailboxesOf(db: Db, accountId: number): MailboxRow[] {
  return db
    .select()
    .from(mailboxes)
    .where(eq(mailboxes.accountId, accountId))
    .orderBy(asc(mailboxes.path))
    .all();
}

export function upsertMailbox(
  db: Db,
  accountId: number,
  path: string,
  name: string,
  specialUse: string | null,
): MailboxRow {
  const existing = db
    .select()
    .from(mailboxes)
    .where(and(eq(mailboxes.accountId, accountId), eq(mailboxes.path, path)))
    .get();
  if (existing) {
    if (existing.specialUse !== specialUse || existing.name !== name) {
      db.update(mailboxes).set({ specialUse, name }).where(eq(mailboxes.id, existing.id)).run();
    }
    return { ...existing, specialUse, name };
  }
  return db.insert(mailboxes).values({ accountId, path, name, specialUse }).returning().get();
}

export function recordMailboxProgress(
  db: Db,
  mailboxId: number,
  progress: { lastUid?: number; highestModseq?: string | null; messageCount?: number; syncedAt?: string },
): void {
  // Committed with every ingest batch: one statement prepared once, each field written only when given.
  const { lastUid, highestModseq, messageCount, syncedAt } = progress;
  prepared(
    db,
    `UPDATE mailboxes SET last_uid = CASE WHEN ? THEN max(last_uid, ?) ELSE last_uid END,
        highest_modseq = CASE WHEN ? THEN ? ELSE highest_modseq END,
        message_count = CASE WHEN ? THEN ? ELSE message_count END,
        last_synced_at = CASE WHEN ? THEN ? ELSE last_synced_at END
      WHERE id = ?`,
  ).run(
    lastUid !== undefined ? 1 : 0,
    lastUid ?? null,
    highestModseq !== undefined ? 1 : 0,
    highestModseq ?? null,
    messageCount !== undefined ? 1 : 0,
    messageCount ?? null,
    syncedAt ? 1 : 0,
    syncedAt ?? null,
    mailboxId,
  );
}

/**
 * UIDVALIDITY changed: the server renumbered the folder. Its old UIDs mean nothing now, so the
 * locations are dropped and the folder is read again from UID 1; messages already archived are
 * recognised by their hash and not stored twice.
 */
export function resetMailbox(db: Db, mailboxId: number, uidValidity: string): void {
  db.$client.transaction(() => {
    keepRemovedLocations(db, mailboxId);
    db.delete(messageLocations)
      .where(and(eq(messageLocations.mailboxId, mailboxId), isNull(messageLocations.removedAt)))
      .run();
    // Changes waiting for the old UIDs would land on other messages of the renumbered folder.
    db.delete(flagChanges).where(eq(flagChanges.mailboxId, mailboxId)).run();
    db.update(mailboxes)
      .set({ uidValidity, lastUid: 0, highestModseq: null })
      .where(eq(mailboxes.id, mailboxId))
      .run();
  })();
}

/**
 * Copies emptying removed from the server (main/keep/) stay in their folder in the archive: the
 * message still belongs to this mailbox. A renumbered folder's new UIDs could meet their old ones,
 * so they take negative numbers, which no server gives (UIDs are positive, RFC 3501 §2.3.1.1).
 */
function keepRemovedLocations(db: Db, mailboxId: number): void {
  const removed = db
    .select({ uid: messageLocations.uid })
    .from(messageLocations)
    .where(
      and(
        eq(messageLocations.mailboxId, mailboxId),
        isNotNull(messageLocations.removedAt),
        gt(messageLocations.uid, 0),
      ),
    )
    .all();
  if (removed.length === 0) return;
  const lowest = db
    .select({ min: sql<number | null>`min(${messageLocations.uid})` })
    .from(messageLocations)
    .where(eq(messageLocations.mailboxId, mailboxId))
    .get()?.min;
  let next = Math.min(0, lowest ?? 0) - 1;
  for (const r of removed) {
    db.update(messageLocations)
      .set({ uid: next-- })
      .where(and(eq(messageLocations.mailboxId, mailboxId), eq(messageLocations.uid, r.uid)))
      .run();
  }
}

export function locationsWithUids(db: Db, mailboxId: number): Map<number, string> {
  return new Map(
    db
      .select({ uid: messageLocations.uid, flags: messageLocations.flags })
      .from(messageLocations)
      .where(eq(messageLocations.mailboxId, mailboxId))
      .all()
      .map((r) => [r.uid, r.flags]),
  );
}

/** Accounts of archives made before the CA was kept as PEM: they still name a CA file. */
export function accountsWithCaFile(db: Db): AccountRow[] {
  return db.select().from(accounts).where(isNotNull(accounts.caFile)).all();
}

/** The account's CA as PEM (or none); the deprecated path is cleared with it, never read again. */
export function setAccountCa(db: Db, id: number, caPem: string | null): void {
  db.update(accounts).set({ caPem, caFile: null }).where(eq(accounts.id, id)).run();
}
