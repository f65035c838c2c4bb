import { fork } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/database.ts';
import { appendAudit, recordAudit, verifyAudit } from '../../../main/auth/audit.ts';
import { tempDir } from '../../support/archive.ts';

const who = { actor: 'user:1', actorName: 'giulia', origin: 'test' };

function logWith(n: number) {
  const db = openDatabase(join(tempDir('pecdesk-audit-'), 'archive.db'));
  for (let i = 0; i < n; i++)
    recordAudit(db, who, { action: 'message.open', targetType: 'message', targetId: i + 1 });
  return db;
}

describe('the audit log is a hash chain', () => {
  it('verifies a clean log', () => {
    const db = logWith(5);
    expect(verifyAudit(db)).toMatchObject({ ok: true, entries: 5 });
  });

  it('an edited row breaks the chain at that row', () => {
    const db = logWith(5);
    db.$client.prepare("UPDATE audit_log SET actor_name = 'mario' WHERE id = 3").run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, firstBroken: 3 });
  });

  it('a deleted row is named by the one after it', () => {
    const db = logWith(5);
    db.$client.prepare('DELETE FROM audit_log WHERE id = 2').run();
    const v = verifyAudit(db);
    expect(v).toMatchObject({ ok: false, firstBroken: 3 });
    expect(v.ok === false && v.reason).toMatch(/entry 2 is missing/);
  });

  it('a row inserted in the middle (with a free id, and even a well-formed hash of its own) is found', () => {
    const db = logWith(5);
    db.$client.prepare('DELETE FROM audit_log WHERE id = 4').run();
    // The forger writes a new entry 4 chained to entry 3, but entry 5 still names the old 4.
    const three = db.$client.prepare('SELECT hash FROM audit_log WHERE id = 3').pluck().get() as string;
    db.$client
      .prepare(
        `INSERT INTO audit_log (id, at, actor, actor_name, origin, action, details, prev_hash, hash)
         VALUES (4, '2026-01-01T00:00:00.000Z', 'user:9', 'mallory', 'x', 'message.open', '{}', ?, ?)`,
      )
      .run(three, 'f'.repeat(64));
    const v = verifyAudit(db);
    expect(v.ok).toBe(false);
    expect(v.ok === false && v.firstBroken).toBe(4);
  });

  it('a change rolled back (a crash in the middle of its transaction) leaves the chain valid', () => {
    const db = logWith(3);
    expect(() =>
      db.$client.transaction(() => {
        appendAudit(db, who, { action: 'tag.add' });
        throw new Error('crash before commit');
      })(),
    ).toThrow('crash before commit');
    expect(verifyAudit(db)).toMatchObject({ ok: true, entries: 3 });
  });

  it('two processes appending at the same time keep one chain', async () => {
    const dir = tempDir('pecdesk-audit-concurrent-');
    const file = join(dir, 'archive.db');
    openDatabase(file).$client.close();
    const writer = new URL('../../support/audit-writer.ts', import.meta.url).pathname;
    const run = (name: string) =>
      new Promise<number | null>((resolve) => {
        const child = fork(writer, [file, name, '200'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
        child.on('exit', (code) => resolve(code));
      });
    expect(await Promise.all([run('a'), run('b'), run('c')])).toEqual([0, 0, 0]);
    const db = openDatabase(file);
    expect(verifyAudit(db)).toMatchObject({ ok: true, entries: 600 });
  });
});
