/**
 * A simulated week of an office's PEC (issue 14), checked at fixed clock points: routing rules on
 * arrival (SdI receipts tagged and handled, the tax office's PEC to the accounting office with a
 * proposed deadline, a "diffida" to Anna with 15 days), escalation to the office head of a PEC
 * nobody took in charge within 4 hours, reminders before the due day and the notice once it has
 * passed, "Da gestire" emptying as work is done, and the audit log holding every action.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countView, listView } from '../../../db/views.ts';
import { EventBus } from '../../../main/api/events.ts';
import { archiveGuard } from '../../../main/api/guard.ts';
import { createHandlers } from '../../../main/api/handlers.ts';
import { createRegistry } from '../../../main/api/registry.ts';
import { viewerOf } from '../../../main/api/work-handlers.ts';
import { verifyAudit } from '../../../main/auth/audit.ts';
import { People } from '../../../main/auth/people.ts';
import type { WorkNotice } from '../../../main/work/notices.ts';
import { WorkScheduler } from '../../../main/work/scheduler.ts';
import { readWorkSettings } from '../../../main/work/settings.ts';
import { type WorkWorld, workWorld } from '../../support/work-world.ts';

/** Monday 2 March 2026, 08:00 in Rome. */
const MONDAY = new Date('2026-03-02T08:00:00+01:00');
const at = (day: number, hh: number, mm = 0) =>
  new Date(MONDAY.getTime() + day * 86_400_000 + (hh - 8) * 3_600_000 + mm * 60_000);

describe('a week of PEC with rules, deadlines and escalation', () => {
  let w: WorkWorld;
  let registry: ReturnType<typeof createRegistry>;
  const notices: WorkNotice[] = [];
  let scheduler: WorkScheduler;
  const events = new EventBus();
  const tokens: Record<string, string> = {};
  const call = async (who: string, method: string, args: unknown) => {
    const r = await registry.call(method, args, {
      transport: 'http',
      session: tokens[who] ?? null,
      origin: 'test',
    });
    if (!r.ok) throw new Error(`${method} as ${who}: ${r.error.code} ${r.error.message}`);
    return r.value as never;
  };
  const count = (view: 'to-handle' | 'mine' | 'office' | 'unassigned' | 'past-due', user?: number) =>
    countView(w.archive.db, { kind: 'smart', view }, 'all', viewerOf(w.archive.db, user ?? null));

  beforeAll(async () => {
    w = await workWorld(MONDAY);
    const people = new People(w.archive.db);
    const setup = { actor: 'setup', actorName: 'test', origin: 'test' };
    await people.enableLogins('password-titolare-2026', setup);
    for (const name of ['anna', 'bruno', 'capo']) {
      await people.setPassword(name, 'password-di-prova-2026', setup);
      people.grant({ user: name }, w.accountId, 'read,route', setup);
    }
    tokens.titolare = (await people.login('titolare', 'password-titolare-2026', 'test')).token;
    for (const name of ['anna', 'bruno', 'capo'])
      tokens[name] = (await people.login(name, 'password-di-prova-2026', 'test')).token;
    registry = createRegistry(
      createHandlers({
        version: 'test',
        archiveDir: w.archive.dir,
        anchors: undefined,
        archive: w.archive,
        events,
        workClock: () => w.clock.now,
      }),
      archiveGuard(() => w.archive),
      { error: () => {} },
    );
    events.on('work.notice', (n) => notices.push(n));
    scheduler = new WorkScheduler(() => w.archive.db, { clock: () => w.clock.now, events });
    // The manager's rules and settings, on Monday morning.
    const rule = (name: string, conditions: unknown[], actions: unknown[]) =>
      call('titolare', 'rules.save', { rule: { name, match: 'all', conditions, actions } });
    await rule(
      'SdI',
      [{ field: 'senderDomain', op: 'is', value: 'pec.fatturapa.it' }],
      [{ type: 'tag', tags: ['SdI'] }, { type: 'done' }],
    );
    await rule(
      'Agenzia delle Entrate',
      [{ field: 'senderDomain', op: 'is', value: 'pce.agenziaentrate.it' }],
      [
        { type: 'assign', office: 'Contabilità' },
        { type: 'priority', value: 'high' },
        { type: 'tag', tags: ['Fisco'] },
      ],
    );
    await rule(
      'Diffide',
      [{ field: 'subject', op: 'contains', value: 'diffida' }],
      [
        { type: 'assign', user: 'anna' },
        { type: 'deadline', days: 15 },
      ],
    );
    await call('titolare', 'work.setSettings', {
      tagCreators: 'admins',
      escalateAfterHours: 4,
      remindDays: [3, 0],
      proposeDeadlines: true,
    });
  });
  afterAll(() => w?.archive.close());

  it('Monday: SdI receipts are handled on arrival, the tax office’s PEC goes to Contabilità with a proposed deadline', async () => {
    expect(readWorkSettings(w.archive.db).escalateSince).toBe(MONDAY.toISOString());
    const sdi = await w.receive({
      from: 'sdi03@pec.fatturapa.it',
      subject: 'Ricevuta di consegna 6782414',
      at: at(0, 9),
      attachments: [
        {
          filename: 'IT01234567890_00009_RC_003.xml',
          contentType: 'text/xml',
          content: '<RicevutaConsegna/>',
        },
      ],
    });
    const ade = await w.receive({
      from: 'dp.milano@pce.agenziaentrate.it',
      subject: 'Avviso di accertamento',
      at: at(0, 10),
    });
    const sdiWork = await call('titolare', 'work.get', { id: sdi });
    expect(sdiWork).toMatchObject({ state: 'done', doneBy: 'regola «SdI»', tags: [{ name: 'SdI' }] });
    const adeWork = (await call('titolare', 'work.get', { id: ade })) as {
      state: string;
      office: { name: string };
      priority: string;
      deadline: { due: string; source: string; note: string };
    };
    expect(adeWork).toMatchObject({ state: 'assigned', office: { name: 'Contabilità' }, priority: 'high' });
    // 60 days from 2 March 2026 with the August suspension not involved: 1 May is a holiday → 2 May
    // is a Saturday → Monday 4 May.
    expect(adeWork.deadline).toMatchObject({ due: '2026-05-04', source: 'proposed' });
    expect(adeWork.deadline.note).toMatch(
      /Agenzia delle Entrate: ricorso: 60 giorni dalla consegna del 02\/03\/2026/,
    );
    expect(adeWork.deadline.note).toMatch(/da verificare/);
    expect(count('to-handle')).toBe(1);
    expect(count('office', w.users.capo)).toBe(1);
    expect(count('unassigned')).toBe(0);
  });

  it('Monday 13:59 nothing is escalated; at 14:01 the office head hears of it, once', () => {
    w.clock.now = at(0, 13, 59);
    expect(scheduler.tick().filter((n) => n.kind === 'escalation')).toEqual([]);
    w.clock.now = at(0, 14, 1);
    const escalations = scheduler.tick().filter((n) => n.kind === 'escalation');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({
      userIds: [w.users.capo],
      subject: 'Avviso di accertamento',
      hours: 4,
    });
    expect(escalations[0]!.title).toBe('PEC non presa in carico entro 4 ore');
    w.clock.now = at(0, 15);
    expect(scheduler.tick().filter((n) => n.kind === 'escalation')).toEqual([]);
  });

  it('Tuesday: a diffida goes to Anna with 15 days; Anna takes both in charge, "Da gestire" follows', async () => {
    const diffida = await w.receive({
      from: 'avv.bianchi@pec.beta.test',
      subject: 'Diffida ad adempiere',
      at: at(1, 9, 30),
    });
    expect(await call('anna', 'work.get', { id: diffida })).toMatchObject({
      state: 'assigned',
      assignee: { name: 'anna' },
      deadline: { due: '2026-03-18', source: 'rule' },
    });
    expect(count('mine', w.users.anna)).toBe(1);
    expect(count('to-handle')).toBe(2);
    w.clock.now = at(1, 10);
    // The office's view holds the tax office's PEC and Anna's diffida (Anna is in the office).
    const office = listView(
      w.archive.db,
      { kind: 'smart', view: 'office' },
      0,
      10,
      'all',
      viewerOf(w.archive.db, w.users.capo),
    );
    expect(office.rows.map((r) => r.subject)).toEqual(['Diffida ad adempiere', 'Avviso di accertamento']);
    const ade = office.rows[1]!;
    await call('anna', 'work.claim', { id: ade.id, comment: 'Lo seguo io' });
    await call('anna', 'work.claim', { id: diffida });
    expect(count('mine', w.users.anna)).toBe(2);
    w.clock.now = at(1, 16);
    await call('anna', 'work.done', { id: ade.id, comment: 'Ricorso predisposto' });
    expect(count('to-handle')).toBe(1);
    // Bruno cannot take what Anna has in charge.
    await expect(call('bruno', 'work.claim', { id: diffida })).rejects.toThrow(/conflict already-claimed/);
  });

  it('the due day comes: 3 days before, on the day, and once it has passed', () => {
    notices.length = 0;
    w.clock.now = at(8, 9); // Tuesday 10 March: 8 days before
    expect(scheduler.tick()).toEqual([]);
    w.clock.now = at(13, 9); // Sunday 15 March: 3 days before
    const three = scheduler.tick();
    expect(three).toHaveLength(1);
    expect(three[0]).toMatchObject({ kind: 'reminder', daysLeft: 3, userIds: [w.users.anna] });
    expect(three[0]!.title).toBe('Scadenza tra 3 giorni (18/03/2026)');
    w.clock.now = at(14, 9);
    expect(scheduler.tick()).toEqual([]);
    w.clock.now = at(16, 9); // Wednesday 18 March: the day
    expect(scheduler.tick()[0]).toMatchObject({ kind: 'reminder', daysLeft: 0, title: 'Scadenza oggi' });
    w.clock.now = at(17, 9);
    expect(scheduler.tick()[0]).toMatchObject({ kind: 'overdue', daysLeft: -1 });
    expect(scheduler.tick()).toEqual([]);
    expect(notices.map((n) => n.kind)).toEqual(['reminder', 'reminder', 'overdue']);
  });

  it('the history, the log and the report tell the same story', async () => {
    const log = w.archive.db.$client
      .prepare(
        "SELECT actor, action FROM audit_log WHERE action LIKE 'work.%' OR action LIKE 'rule.%' ORDER BY id",
      )
      .all() as { actor: string; action: string }[];
    expect(log.filter((e) => e.actor.startsWith('rule:')).map((e) => e.action)).toEqual(
      expect.arrayContaining(['work.tag-add', 'work.done', 'work.assign', 'work.priority', 'work.deadline']),
    );
    expect(log.some((e) => e.actor === 'system' && e.action === 'work.escalate')).toBe(true);
    expect(log.some((e) => e.actor === 'system' && e.action === 'work.reminder')).toBe(true);
    expect(log.filter((e) => e.action === 'work.claim').length).toBe(2);
    expect(verifyAudit(w.archive.db).ok).toBe(true);
    const report = (await call('titolare', 'reports.get', { since: '2026-03-01' })) as {
      times: { who: string; claimMedianHours: number; closeMedianHours: number }[];
      backlog: { who: string; claimed: number; overdue: number }[];
      overdue: number;
    };
    expect(report.times.find((t) => t.who === 'Anna')).toMatchObject({
      claimMedianHours: 12.3,
      closeMedianHours: 30,
    });
    expect(report.backlog.find((b) => b.who === 'Anna')).toMatchObject({ claimed: 1, overdue: 1 });
    expect(report.overdue).toBe(1);
    expect(count('past-due')).toBe(1);
  });
});
