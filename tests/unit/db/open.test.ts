/**
 * Opening an archive: the check of every reference runs after a migration only (it reads the
 * whole archive: 1.3 s at a million messages with the file cached, 20 s from a cold disk), and
 * then a broken reference still stops the start with the reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, readApart } from '../../../db/database.ts';
import { tempDir } from '../../support/archive.ts';

const journal = JSON.parse(
  readFileSync(new URL('../../../db/migrations/meta/_journal.json', import.meta.url), 'utf8'),
) as { entries: { tag: string; when: number }[] };
const last = journal.entries.at(-1)!;

describe('opening the archive database', () => {
  it('checks references after a migration ran, not at every start', () => {
    const file = join(tempDir('pecdesk-open-'), 'archive.db');
    let db = openDatabase(file);
    // A mailbox of an account that does not exist, written with the checks off.
    db.$client.pragma('foreign_keys = OFF');
    db.$client.prepare("INSERT INTO mailboxes (account_id, path, name) VALUES (999, 'INBOX', 'INBOX')").run();
    db.$client.close();

    // No migration to run: opened without reading every reference.
    db = openDatabase(file);
    expect(db.$client.prepare('SELECT count(*) FROM mailboxes').pluck().get()).toBe(1);
    // As an archive from before the newest migration: it runs, then the check, which refuses.
    const undo = readFileSync(new URL(`../../../db/migrations/${last.tag}.sql`, import.meta.url), 'utf8');
    const index = /CREATE INDEX `([^`]+)`/.exec(undo)?.[1];
    expect(index, `${last.tag} is expected to make one index`).toBeDefined();
    db.$client.exec(
      `DROP INDEX ${index}; DELETE FROM __drizzle_migrations WHERE created_at >= ${last.when};`,
    );
    db.$client.close();
    expect(() => openDatabase(file)).toThrow('archive database has 1 broken references after migration');
  });

  it('a read apart sees what the archive holds, on a connection that cannot write', () => {
    const db = openDatabase(join(tempDir('pecdesk-apart-'), 'archive.db'));
    db.$client.prepare("INSERT INTO meta (key, value) VALUES ('probe', '1')").run();
    const count = "SELECT count(*) FROM meta WHERE key = 'probe'";
    expect(readApart(db, (r) => r.$client.prepare(count).pluck().get())).toBe(1);
    expect(readApart(db, (r) => r.$client === db.$client)).toBe(false);
    expect(() => readApart(db, (r) => r.$client.exec('DELETE FROM meta'))).toThrow(/readonly/);
    expect(db.$client.prepare(count).pluck().get()).toBe(1);
    db.$client.close();
  });
});
