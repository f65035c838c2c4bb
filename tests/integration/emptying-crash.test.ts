/**
 * `pecdesk mailbox empty` killed with SIGKILL while it removes (issue 15): the run is journaled, so
 * the next `mailbox empty` resumes it. Afterwards every copy is gone from the server exactly once
 * in the log (no removal unrecorded, none recorded twice), every location is marked removed, the
 * chain holds, and the CLI's JSON contract is as documented.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrdinary } from '../factory/pec-factory.ts';
import { accountAddArgs, cliArchive } from '../support/cli.ts';
import { DovecotServer, dovecotAvailable } from '../support/dovecot.ts';

const BIN = new URL('../../bin/pecdesk.mjs', import.meta.url).pathname;

describe.runIf(dovecotAvailable)('emptying killed half-way, then resumed', () => {
  let server: DovecotServer;
  beforeAll(async () => {
    server = await DovecotServer.start();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('every copy removed exactly once, each with its log entry', async () => {
    const user = server.addUser('crash.svuota@pec.alfa.test');
    const client: ImapFlow = await server.client(user);
    const COUNT = 400;
    for (let i = 0; i < COUNT; i++)
      await client.append(
        'INBOX',
        buildOrdinary({ subject: `Avviso ${i}`, text: `riga ${i}\n`.repeat(50) }),
        [],
        new Date(Date.now() - (500 - i) * 86_400_000),
      );
    await client.logout();

    const { archive, pecdesk } = cliArchive('pecdesk-empty-crash-');
    const env = { PECDESK_PASSWORD: user.password };
    expect((await pecdesk(accountAddArgs(server, user.user), env)).code).toBe(0);
    expect((await pecdesk(['sync'])).code).toBe(0);

    // The dry run first: its list is what must go.
    const dry = await pecdesk([
      'mailbox',
      'empty',
      '--account',
      user.user,
      '--older-than',
      '30',
      '--dry-run',
      '--json',
    ]);
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout) as {
      candidates: number;
      deleted: number;
      skipped: unknown[];
      items: { uid: number }[];
    };
    expect(planned).toMatchObject({ candidates: COUNT, deleted: 0, skipped: [] });
    expect(planned.items).toHaveLength(COUNT);

    // The real run, killed as soon as the journal shows some removals recorded and some not.
    const db = join(archive, 'archive.db');
    const child = spawn(
      process.execPath,
      [BIN, '--archive', archive, 'mailbox', 'empty', '--account', user.user, '--older-than', '30', '--json'],
      {
        env: { ...process.env, ...cliEnv(archive) },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let killedAt = -1;
    for (let i = 0; i < 4000 && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 5));
      const done = progress(db);
      if (done > 0 && done < COUNT) {
        child.kill('SIGKILL');
        killedAt = done;
        break;
      }
    }
    await exited;
    expect(killedAt, 'killed while removing').toBeGreaterThan(0);
    const journal = new Database(db, { readonly: true });
    expect(journal.prepare('SELECT state FROM emptying_runs').pluck().all()).toEqual(['running']);
    journal.close();

    // Run again: the stopped run is resumed first, then the policy finds nothing more.
    const again = await pecdesk(['mailbox', 'empty', '--account', user.user, '--older-than', '30', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ candidates: 0, deleted: 0, skipped: [] });

    const check = await server.client(user);
    await check.mailboxOpen('INBOX', { readOnly: true });
    expect(check.mailbox ? check.mailbox.exists : -1).toBe(0);
    await check.logout();

    const after = new Database(db, { readonly: true });
    const logged = after
      .prepare(
        "SELECT json_extract(details, '$.uid') AS uid FROM audit_log WHERE action = 'message.server-delete'",
      )
      .pluck()
      .all() as number[];
    expect(logged).toHaveLength(COUNT);
    expect(new Set(logged).size).toBe(COUNT);
    expect(
      after.prepare('SELECT count(*) FROM message_locations WHERE removed_at IS NULL').pluck().get(),
    ).toBe(0);
    expect(after.prepare('SELECT group_concat(state) FROM emptying_runs').pluck().get()).toBe('done,done');
    after.close();
    const verify = await pecdesk(['audit', 'verify', '--json']);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
  }, 240_000);
});

/** How many removals the journal has recorded so far (0 when it cannot be read yet). */
function progress(db: string): number {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return d.prepare("SELECT count(*) FROM emptying_items WHERE state = 'deleted'").pluck().get() as number;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
}

/** The environment cliArchive gives its pecdesk runs (the archive's sibling folders). */
function cliEnv(archive: string): Record<string, string> {
  const dir = join(archive, '..');
  return {
    XDG_CONFIG_HOME: join(dir, 'config'),
    PECDESK_SECRETS: 'file',
    PECDESK_SECRET_KEY: 'pecdesk-empty-crash-',
    PECDESK_PEC_TRUST_ANCHORS: join(dir, 'ca.pem'),
  };
}
