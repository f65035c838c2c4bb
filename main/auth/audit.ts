/**
 * The tamper-evident log (issue "people"): every call that reveals or changes data appends an
 * entry in the same transaction as the change. Each entry's hash is the SHA-256 of the previous
 * entry's hash and of this entry's fields in a fixed order, so editing, deleting or inserting a row
 * anywhere breaks the chain from that row on, and verify() names the first broken entry.
 *
 * What the chain cannot tell by itself: the newest entries removed all together (the chain up to
 * there still holds). The count and the last hash are reported by verify(), so they can be kept
 * outside the archive (a conservation package, a timestamp: the "keeping records" issue).
 */
import { createHash } from 'node:crypto';
import { type AuditRow, auditEntriesAfter, insertAuditEntry, lastAuditEntry } from '../../db/audit.ts';
import type { Db } from '../../db/database.ts';

/** The hash before the first entry. */
export const GENESIS = '0'.repeat(64);

export interface AuditActor {
  /** user:<id>, cli:<os user>, system. */
  actor: string;
  /** The person's name at that moment (a later rename does not rewrite history). */
  actorName: string;
  /** The session, machine or front end the call came from. */
  origin: string;
}

export interface AuditEvent {
  action: string;
  targetType?: string | null;
  targetId?: string | number | null;
  accountId?: number | null;
  details?: Record<string, unknown>;
}

type Hashed = Omit<AuditRow, 'id' | 'hash' | 'prevHash'>;

/** The fields the hash covers, in a fixed order, as one string. */
function entryHash(prevHash: string, e: Hashed): string {
  const fields = [
    e.at,
    e.actor,
    e.actorName,
    e.origin,
    e.action,
    e.targetType ?? '',
    e.targetId ?? '',
    e.accountId === null || e.accountId === undefined ? '' : String(e.accountId),
    e.details,
  ];
  return createHash('sha256').update(prevHash).update(JSON.stringify(fields)).digest('hex');
}

/**
 * Appends an entry. Call it inside the transaction of the change it records; its reading of the
 * last hash and its insert are then one step (SQLite has one writer at a time), so entries of
 * concurrent writers (the app and the CLI) chain one after the other.
 */
export function appendAudit(db: Db, who: AuditActor, event: AuditEvent, at = new Date()): number {
  const prev = lastAuditEntry(db)?.hash ?? GENESIS;
  const entry: Hashed = {
    at: at.toISOString(),
    actor: who.actor,
    actorName: who.actorName,
    origin: who.origin,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId === undefined || event.targetId === null ? null : String(event.targetId),
    accountId: event.accountId ?? null,
    details: JSON.stringify(event.details ?? {}),
  };
  return insertAuditEntry(db, { ...entry, prevHash: prev, hash: entryHash(prev, entry) });
}

/**
 * Appends an entry in a transaction of its own that takes the write lock at once (BEGIN
 * IMMEDIATE): for entries that go with no other change (a message opened, a failed login).
 */
export function recordAudit(db: Db, who: AuditActor, event: AuditEvent, at = new Date()): number {
  return db.$client.transaction(() => appendAudit(db, who, event, at)).immediate();
}

export type AuditVerdict =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; firstBroken: number; reason: string; entries: number };

/** Checks the whole chain from the first entry; names the first entry that does not hold. */
export function verifyAudit(db: Db): AuditVerdict {
  let prev = GENESIS;
  let expectedId: number | null = null;
  let entries = 0;
  let after = 0;
  for (;;) {
    const page = auditEntriesAfter(db, after, 1000);
    if (page.length === 0) break;
    for (const row of page) {
      entries++;
      if (expectedId !== null && row.id !== expectedId)
        return {
          ok: false,
          firstBroken: row.id,
          reason: `entry ${expectedId} is missing before entry ${row.id}`,
          entries,
        };
      if (row.prevHash !== prev)
        return {
          ok: false,
          firstBroken: row.id,
          reason: `entry ${row.id} does not follow the entry before it (removed, inserted or changed)`,
          entries,
        };
      if (entryHash(row.prevHash, row) !== row.hash)
        return {
          ok: false,
          firstBroken: row.id,
          reason: `entry ${row.id} was changed after it was written`,
          entries,
        };
      prev = row.hash;
      expectedId = row.id + 1;
      after = row.id;
    }
  }
  return { ok: true, entries, lastHash: prev };
}
