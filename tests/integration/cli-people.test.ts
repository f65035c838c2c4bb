/**
 * The CLI contract of people, rights and the log (issue "people"): user add|list|remove, grant,
 * revoke, audit [--json] [--user] [--since] [--message], audit verify [--json] with its exit codes,
 * run as a person runs them on a fresh archive.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cliArchive } from '../support/cli.ts';

describe('pecdesk user / grant / revoke / audit', () => {
  const { archive, pecdesk } = cliArchive('pecdesk-cli-people-');
  const me = `cli:${userInfo().username}`;
  const pw = { PECDESK_USER_PASSWORD: 'una-password-lunga-2026' };

  it('creates the owner first, then people; the password never shows', async () => {
    const early = await pecdesk(['user', 'add', '--name', 'anna', '--role', 'operator'], pw);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/no owner yet/);
    const owner = await pecdesk(['user', 'add', '--name', 'titolare', '--role', 'owner'], pw);
    expect(owner.code, owner.stderr).toBe(0);
    expect((await pecdesk(['user', 'add', '--name', 'altro', '--role', 'owner'], pw)).stderr).toMatch(
      /already has its owner/,
    );
    const anna = await pecdesk(
      ['user', 'add', '--name', 'anna', '--role', 'operator', '--display-name', 'Anna Neri'],
      pw,
    );
    expect(anna.code, anna.stderr).toBe(0);
    expect(anna.stdout).toMatch(/pecdesk grant --user anna/);
    // No password and no terminal: an invitation code, shown once.
    const bea = await pecdesk(['user', 'add', '--name', 'bea', '--role', 'reader']);
    expect(bea.code, bea.stderr).toBe(0);
    expect(bea.stdout).toMatch(/Invitation code for bea .*: [A-Za-z0-9_-]{20}/);
    expect((await pecdesk(['user', 'add', '--name', 'x', '--role', 'capo'], pw)).code).toBe(2);
    const list = JSON.parse((await pecdesk(['user', 'list', '--json'])).stdout);
    expect(list.map((u: { name: string; role: string }) => `${u.name}:${u.role}`)).toEqual([
      'anna:operator',
      'bea:reader',
      'titolare:owner',
    ]);
    expect(JSON.stringify(list) + owner.stdout + anna.stdout).not.toContain(pw.PECDESK_USER_PASSWORD);
  });

  it('grants and revokes rights on a mailbox, or on all of them', async () => {
    const add = await pecdesk(
      ['account', 'add', '--email', 'studio@pec.alfa.test', '--imap-host', '127.0.0.1', '--imap-port', '9'],
      { PECDESK_PASSWORD: 'x' },
    );
    expect(add.code, add.stderr).toBe(0);
    const grant = await pecdesk([
      'grant',
      '--user',
      'anna',
      '--mailbox',
      'studio@pec.alfa.test',
      '--rights',
      'read,route',
    ]);
    expect(grant.code, grant.stderr).toBe(0);
    expect((await pecdesk(['grant', '--user', 'bea', '--all', '--rights', 'read'])).code).toBe(0);
    expect(JSON.parse((await pecdesk(['grant', 'list', '--json'])).stdout)).toEqual([
      { subject: 'anna', subjectType: 'user', mailbox: 'studio@pec.alfa.test', rights: ['read', 'route'] },
      { subject: 'bea', subjectType: 'user', mailbox: null, rights: ['read'] },
    ]);
    const unknown = await pecdesk([
      'grant',
      '--user',
      'anna',
      '--mailbox',
      'altra@pec.it',
      '--rights',
      'read',
    ]);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/no mailbox altra@pec.it/)]);
    const bad = await pecdesk(['grant', '--user', 'anna', '--all', '--rights', 'read,volare']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown rights: volare/);
    expect((await pecdesk(['grant', '--user', 'anna', '--rights', 'read'])).code).toBe(2);
    expect((await pecdesk(['revoke', '--user', 'bea', '--all'])).code).toBe(0);
    const again = await pecdesk(['revoke', '--user', 'bea', '--all']);
    expect([again.code, again.stderr]).toEqual([1, expect.stringMatching(/had no rights granted/)]);
  });

  it('lists the log with its filters, naming the command line as cli:<os user>', async () => {
    const all = JSON.parse((await pecdesk(['audit', '--json'])).stdout);
    const actions = all.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['user.create', 'account.add', 'permission.grant', 'permission.revoke']),
    );
    expect(all.entries.find((e: { action: string }) => e.action === 'permission.revoke')).toMatchObject({
      actor: me,
      origin: 'cli',
    });
    const mine = JSON.parse((await pecdesk(['audit', '--json', '--user', me])).stdout);
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.entries.every((e: { actor: string }) => e.actor === me)).toBe(true);
    const today = new Date().toLocaleDateString('it-IT', {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    });
    expect(JSON.parse((await pecdesk(['audit', '--json', '--since', today])).stdout).total).toBe(all.total);
    expect(JSON.parse((await pecdesk(['audit', '--json', '--since', '2099-01-01'])).stdout).total).toBe(0);
    expect(JSON.parse((await pecdesk(['audit', '--json', '--message', '999'])).stdout).total).toBe(0);
    expect((await pecdesk(['audit', '--since', 'ieri'])).code).toBe(2);
    expect((await pecdesk(['audit', '--user', 'nessuno'])).code).toBe(1);
  });

  it('verify: exit 0 while intact, exit 1 naming the first entry changed, removed or inserted', async () => {
    const ok = await pecdesk(['audit', 'verify', '--json']);
    expect(ok.code).toBe(0);
    const verdict = JSON.parse(ok.stdout);
    expect(Object.keys(verdict)).toEqual(['ok', 'entries']);
    expect(verdict.ok).toBe(true);
    expect(verdict.entries).toBeGreaterThanOrEqual(8);
    const db = new Database(join(archive, 'archive.db'));
    const third = db.prepare('SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 2').pluck().get() as number;
    db.prepare("UPDATE audit_log SET actor_name = 'qualcun altro' WHERE id = ?").run(third);
    db.close();
    const broken = await pecdesk(['audit', 'verify', '--json']);
    expect(broken.code).toBe(1);
    const why = JSON.parse(broken.stdout);
    expect(Object.keys(why)).toEqual(['ok', 'firstBroken', 'reason']);
    expect(why).toMatchObject({ ok: false, firstBroken: third });
    expect((await pecdesk(['audit', 'verify'])).stdout).toMatch(
      new RegExp(`first entry that does not hold is ${third}`),
    );
  });

  it('offices: members and a head, listed', async () => {
    expect((await pecdesk(['office', 'member', '--office', 'Segreteria', '--user', 'anna'])).code).toBe(1);
    expect((await pecdesk(['office', 'add', '--name', 'Contabilità'])).code).toBe(0);
    expect((await pecdesk(['office', 'member', '--office', 'Contabilità', '--user', 'anna'])).code).toBe(0);
    expect((await pecdesk(['office', 'head', '--office', 'Contabilità', '--user', 'anna'])).code).toBe(0);
    expect((await pecdesk(['office', 'head', '--office', 'Contabilità'])).code).toBe(2);
    const offices = JSON.parse((await pecdesk(['office', 'list', '--json'])).stdout);
    expect(offices).toMatchObject([{ name: 'Contabilità', members: ['anna'] }]);
  });

  it('removes a person: no longer listed, their past stays in the log', async () => {
    expect((await pecdesk(['user', 'remove', '--name', 'anna'])).code).toBe(0);
    const names = JSON.parse((await pecdesk(['user', 'list', '--json'])).stdout).map(
      (u: { name: string }) => u.name,
    );
    expect(names).not.toContain('anna');
    expect((await pecdesk(['user', 'remove', '--name', 'anna'])).code).toBe(1);
  });
});
