/**
 * The outbox's bookkeeping (db/outbox.ts): a row is taken by one process only, a dead process's
 * row is taken over, an attempt that reached MAIL FROM is remembered, and the counts the CLI waits
 * on are numbers.
 */
import { describe, expect, it } from 'vitest';
import {
  attemptsSince,
  claimNext,
  countUnsettled,
  enterDataPhase,
  expireLease,
  getOutbox,
  insertOutbox,
  markSent,
  nextDueAt,
  requeue,
  startAttempt,
} from '../../../db/outbox.ts';
import { studioInbox, testArchive } from '../../support/archive.ts';

function setup() {
  const archive = testArchive();
  const { account } = studioInbox(archive.db);
  const row = (n: number) =>
    insertOutbox(archive.db, {
      accountId: account.id,
      fromAddress: account.email,
      messageId: `<m${n}@pec.alfa.test>`,
      objectHash: `hash${n}`,
      size: 100,
      subject: `PEC ${n}`,
      recipients: '[{"address":"a@pec.beta.test","type":"to"}]',
      receiptType: 'completa',
      state: 'queued',
      createdAt: new Date().toISOString(),
      createdBy: 'test',
    });
  return { archive, account, row };
}

const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, 0) + ms).toISOString();

describe('outbox rows', () => {
  it('two processes never take the same row; the oldest due row goes first', () => {
    const { archive, account, row } = setup();
    const [a, b] = [row(1), row(2)];
    const first = claimNext(archive.db, account.id, 'host:1:a', at(0), at(60_000));
    const second = claimNext(archive.db, account.id, 'host:2:b', at(0), at(60_000));
    expect(first?.id).toBe(a);
    expect(second?.id).toBe(b);
    expect(claimNext(archive.db, account.id, 'host:3:c', at(0), at(60_000))).toBeUndefined();
    // Only the owner moves its row on.
    expect(markSent(archive.db, a, 'host:2:b', at(1), 'smtp')).toBe(false);
    expect(markSent(archive.db, a, 'host:1:a', at(1), 'smtp')).toBe(true);
    expect(countUnsettled(archive.db, [a, b])).toBe(1);
  });

  it('a row left sending by a process that stopped is taken over once its lease ends, with its phase', () => {
    const { archive, account, row } = setup();
    const id = row(1);
    claimNext(archive.db, account.id, 'host:1:a', at(0), at(60_000));
    startAttempt(archive.db, id, 'host:1:a', at(10));
    enterDataPhase(archive.db, id, 'host:1:a');
    // Still under lease: nobody else takes it.
    expect(claimNext(archive.db, account.id, 'host:2:b', at(30_000), at(90_000))).toBeUndefined();
    const taken = claimNext(archive.db, account.id, 'host:2:b', at(61_000), at(121_000));
    expect(taken).toMatchObject({ id, state: 'sending', phase: 'data', leaseOwner: 'host:2:b', attempts: 1 });
    // A dead owner's lease can be ended at once (same machine, its pid gone).
    expireLease(archive.db, id, 'host:2:b', at(62_000));
    expect(claimNext(archive.db, account.id, 'host:3:c', at(62_001), at(122_000))?.leaseOwner).toBe(
      'host:3:c',
    );
  });

  it('a row queued again waits for its next attempt; the per-minute count sees every attempt', () => {
    const { archive, account, row } = setup();
    const id = row(1);
    claimNext(archive.db, account.id, 'o', at(0), at(60_000));
    startAttempt(archive.db, id, 'o', at(5));
    requeue(archive.db, id, 'o', at(30_000), { code: 'rate-limited', message: '451' });
    expect(getOutbox(archive.db, id)).toMatchObject({
      state: 'queued',
      phase: null,
      lastErrorCode: 'rate-limited',
    });
    expect(nextDueAt(archive.db)).toBe(at(30_000));
    expect(claimNext(archive.db, account.id, 'o', at(10_000), at(70_000))).toBeUndefined();
    expect(claimNext(archive.db, account.id, 'o', at(30_000), at(90_000))?.id).toBe(id);
    expect(attemptsSince(archive.db, account.id, at(0))).toEqual([at(5)]);
  });
});
