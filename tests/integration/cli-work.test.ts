/**
 * The CLI contract of issue 14 on an archive synced from Dovecot, as a person runs it: a rule tried
 * (`rule test --json` → {matches, ids}), saved, applied to what is archived and then on ingest,
 * found by `tag:` in search; tags created, put and taken off; work assigned, taken in charge,
 * handled with a comment, reopened, listed by state; the activity log holding each step.
 */

import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/archive.ts';
import { accountAddArgs, cliArchive } from '../support/cli.ts';
import { DovecotServer, type DovecotUser, dovecotAvailable } from '../support/dovecot.ts';
import { incomingPec } from '../support/work-world.ts';

const SDI_RULE = {
  name: 'SdI',
  match: 'all',
  conditions: [{ field: 'senderDomain', op: 'is', value: 'pec.fatturapa.it' }],
  actions: [{ type: 'tag', tags: ['SdI'] }, { type: 'done' }],
};

describe.runIf(dovecotAvailable)('pecdesk tag / rule / work', () => {
  let server: DovecotServer;
  let user: DovecotUser;
  const { pecdesk } = cliArchive('pecdesk-cli-work-');
  const files = tempDir('pecdesk-rules-');
  const ruleFile = join(files, 'sdi.json');
  const me = `cli:${userInfo().username}`;
  const json = async (args: string[]) => {
    const r = await pecdesk(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout);
  };
  const pec = (from: string, subject: string, attachments: { filename: string; content: string }[] = []) =>
    incomingPec({
      from,
      to: user.user,
      subject,
      date: new Date(),
      attachments: attachments.map((a) => ({ ...a, contentType: 'text/xml' })),
    });
  let messages: { id: number; subject: string; threadId: number | null; kind: string }[];
  const idOf = (subject: string) =>
    messages.find((m) => m.subject === subject && m.kind === 'posta-certificata')!;

  beforeAll(async () => {
    server = await DovecotServer.start();
    user = server.addUser('studio.rossi@pec.alfa.test');
    writeFileSync(ruleFile, JSON.stringify(SDI_RULE));
    await server.append(user, 'INBOX', [
      pec('sdi03@pec.fatturapa.it', 'Ricevuta di consegna 6782414', [
        { filename: 'IT01234567890_00009_RC_003.xml', content: '<RicevutaConsegna/>' },
      ]),
      pec('dp.milano@pce.agenziaentrate.it', 'Avviso di accertamento 2026'),
    ]);
    const add = await pecdesk(accountAddArgs(server, user.user), { PECDESK_PASSWORD: user.password });
    expect(add.code, add.stderr).toBe(0);
    const sync = await pecdesk(['sync']);
    expect(sync.code, sync.stderr).toBe(0);
    messages = await json(['messages', '--json']);
  });
  afterAll(() => server?.destroy());

  it('tries a rule on the archive, saves it, applies it, lists it', async () => {
    const sdi = idOf('Ricevuta di consegna 6782414');
    expect(await json(['rule', 'test', '--file', ruleFile, '--json'])).toEqual({ matches: 1, ids: [sdi.id] });
    const bad = join(files, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ ...SDI_RULE, conditions: [{ field: 'subject', op: 'regex', value: '(a+)+' }] }),
    );
    const refused = await pecdesk(['rule', 'add', '--file', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is not a valid rule/);
    const added = await pecdesk(['rule', 'add', '--file', ruleFile]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/Rule 1 "SdI" saved/);
    const rules = await json(['rule', 'list', '--json']);
    expect(rules).toMatchObject([{ id: 1, name: 'SdI', enabled: true, rule: SDI_RULE }]);
    // Saving it made its tag.
    expect((await json(['tag', 'list', '--json'])).map((t: { name: string }) => t.name)).toEqual(['SdI']);
    expect(await json(['rule', 'apply', '1', '--dry-run', '--json'])).toMatchObject({
      matches: 1,
      changed: 0,
      dryRun: true,
    });
    expect((await json(['work', 'show', String(sdi.id), '--json'])).tags).toEqual([]);
    expect(await json(['rule', 'apply', '1', '--json'])).toMatchObject({
      matches: 1,
      changed: 1,
      dryRun: false,
    });
    const work = await json(['work', 'show', String(sdi.id), '--json']);
    expect(work).toMatchObject({ state: 'done', tags: ['SdI'], assignee: null, deadline: null });
    expect(work.history.map((h: { action: string; by: string }) => `${h.action}:${h.by}`)).toEqual([
      'tag-add:SdI',
      'done:SdI',
    ]);
  });

  it('runs the rule on what sync archives next; tag: finds both', async () => {
    await server.append(user, 'INBOX', [
      pec('sdi48@pec.fatturapa.it', 'Notifica di scarto 6799001', [
        { filename: 'IT01234567890_00010_NS_001.xml', content: '<NotificaScarto/>' },
      ]),
    ]);
    const sync = await pecdesk(['sync']);
    expect(sync.code, sync.stderr).toBe(0);
    messages = await json(['messages', '--json']);
    const ns = idOf('Notifica di scarto 6799001');
    expect(await json(['work', 'show', String(ns.id), '--json'])).toMatchObject({
      state: 'done',
      tags: ['SdI'],
    });
    const found = await json(['search', 'tag:SdI', '--json']);
    expect(found.total).toBe(2);
    expect((await json(['search', 'etichetta:sdi', '--json'])).total).toBe(2);
  });

  it('tags by hand, with the ID as a message or a thread', async () => {
    const ade = idOf('Avviso di accertamento 2026');
    expect((await pecdesk(['tag', 'create', 'Urgente', '--color', '#d1242f'])).stdout).toMatch(
      /Tag Urgente created/,
    );
    expect((await pecdesk(['tag', 'create', 'urgente'])).code).toBe(1);
    expect((await pecdesk(['tag', 'create', 'Bad', '--color', 'red'])).code).toBe(2);
    const put = await pecdesk(['tag', 'add', `t:${ade.threadId}`, 'Urgente']);
    expect(put.code, put.stderr).toBe(0);
    expect((await json(['work', 'show', String(ade.id), '--json'])).tags).toEqual(['Urgente']);
    expect((await pecdesk(['tag', 'remove', String(ade.id), 'Urgente'])).code).toBe(0);
    expect((await json(['work', 'show', `t:${ade.threadId}`, '--json'])).tags).toEqual([]);
    expect((await pecdesk(['tag', 'add', String(ade.id), 'Inesistente'])).stderr).toMatch(
      /no tag Inesistente/,
    );
    expect((await pecdesk(['tag', 'add', 'abc', 'Urgente'])).code).toBe(2);
  });

  it('assigns, takes in charge, handles, reopens and lists work', async () => {
    const pw = { PECDESK_USER_PASSWORD: 'una-password-lunga-2026' };
    expect((await pecdesk(['user', 'add', '--name', 'titolare', '--role', 'owner'], pw)).code).toBe(0);
    expect((await pecdesk(['user', 'add', '--name', 'anna', '--role', 'operator'], pw)).code).toBe(0);
    const ade = idOf('Avviso di accertamento 2026');
    const id = String(ade.id);
    expect((await json(['work', 'show', id, '--json'])).state).toBe('new');
    expect(
      (await json(['work', 'list', '--state', 'nuova', '--json'])).map((r: { id: number }) => r.id),
    ).toEqual([ade.id]);
    const assigned = await pecdesk(['work', 'assign', id, '--to', 'anna']);
    expect(assigned.code, assigned.stderr).toBe(0);
    expect((await pecdesk(['work', 'assign', id, '--to', 'nessuno'])).stderr).toMatch(/no person nessuno/);
    expect((await json(['work', 'show', id, '--json'])).assignee).toEqual({ type: 'user', name: 'anna' });
    expect((await pecdesk(['work', 'claim', id])).code).toBe(0);
    expect((await pecdesk(['work', 'done', id, '--comment', 'Ricorso depositato'])).code).toBe(0);
    const done = await json(['work', 'show', id, '--json']);
    expect(done).toMatchObject({ state: 'done', claimedBy: 'titolare' });
    // The tax office's PEC got its proposed deadline on arrival (the terms table), from PecDesk.
    expect(done.history[0]).toMatchObject({ action: 'deadline', by: 'PecDesk' });
    expect(done.history.slice(-3).map((h: { action: string }) => h.action)).toEqual([
      'assign',
      'claim',
      'done',
    ]);
    expect(done.history.at(-1)).toMatchObject({
      by: userInfo().username,
      comment: 'Ricorso depositato',
      from: 'claimed',
      to: 'done',
    });
    expect(
      (await json(['work', 'list', '--state', 'done', '--json'])).map((r: { id: number }) => r.id),
    ).toContain(ade.id);
    // Handled: nothing changes it but reopening.
    const again = await pecdesk(['work', 'claim', id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/reopen it first/);
    expect((await pecdesk(['work', 'reopen', id])).code).toBe(0);
    expect((await json(['work', 'show', id, '--json'])).state).toBe('assigned');
    expect((await pecdesk(['work', 'deadline', id, '--due', '02/01/2025'])).code).toBe(0);
    expect(
      (await json(['work', 'list', '--overdue', '--json'])).map((r: { id: number; deadline: string }) => [
        r.id,
        r.deadline,
      ]),
    ).toEqual([[ade.id, '2025-01-02']]);
    expect((await pecdesk(['work', 'list', '--state', 'chiusa'])).code).toBe(2);
    expect((await pecdesk(['work', 'frobnicate', id])).code).toBe(2);
  });

  it('the log names the rule and the CLI for each change', async () => {
    const log = await json(['audit', '--json']);
    const entries = (Array.isArray(log) ? log : log.entries) as { actor: string; action: string }[];
    const actions = entries.map((e) => `${e.actor} ${e.action}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'rule:1 work.tag-add',
        'rule:1 work.done',
        `${me} rule.save`,
        `${me} rule.apply`,
        `${me} work.assign`,
        `${me} work.claim`,
        `${me} work.done`,
        `${me} work.reopen`,
      ]),
    );
    const verify = await pecdesk(['audit', 'verify', '--json']);
    expect(verify.code, verify.stdout).toBe(0);
  });
});
