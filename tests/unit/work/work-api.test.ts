/**
 * Work through the real handlers and the registry (issue 14): a reader cannot assign or tag, an
 * operator can; lists, counts, tags and the agenda show only the caller's mailboxes; notices reach
 * only the people they name; approval before sending through the outbox's seam, four eyes, audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccount } from '../../../db/accounts.ts';
import { getOutbox } from '../../../db/outbox.ts';
import { findUserByName } from '../../../db/people.ts';
import type { ApiArgs, ApiResults } from '../../../main/api/contract.ts';
import { EventBus } from '../../../main/api/events.ts';
import { registryFor } from '../../../main/api/handlers.ts';
import type { ApiMethod } from '../../../main/api/methods.ts';
import type { ApiRegistry } from '../../../main/api/registry.ts';
import { writeOutbox } from '../../../main/send/outbox-write.ts';
import { type PeopleWorld, peopleWorld, type RoleUnderTest } from '../../support/people-world.ts';

describe('work through the registry: rights, scope, notices, approvals', () => {
  let world: PeopleWorld;
  let registry: ApiRegistry;
  const events = new EventBus();

  beforeAll(async () => {
    world = await peopleWorld();
    registry = registryFor(
      { version: 'test', archiveDir: world.archive.dir, anchors: undefined, archive: world.archive, events },
      { error: (line) => console.error(line) },
    );
  });
  afterAll(() => world?.archive.close());

  async function as<M extends ApiMethod>(who: RoleUnderTest, method: M, args: ApiArgs<M>) {
    const r = await registry.call(method, args, {
      transport: 'http',
      session: world.tokens[who],
      origin: 'test',
    });
    return r as { ok: true; value: ApiResults[M] } | { ok: false; error: { code: string; message: string } };
  }
  async function ok<M extends ApiMethod>(
    who: RoleUnderTest,
    method: M,
    args: ApiArgs<M>,
  ): Promise<ApiResults[M]> {
    const r = await as(who, method, args);
    if (!r.ok) throw new Error(`${method} as ${who}: ${r.error.code} ${r.error.message}`);
    return r.value;
  }

  it('a reader cannot assign, claim or tag; an operator with the route right can; others see nothing', async () => {
    await ok('owner', 'tags.create', { name: 'Urgente' });
    const message = world.a.message;
    for (const [method, args] of [
      ['work.assign', { id: message, user: 'otto' }],
      ['work.claim', { id: message }],
      ['work.tag', { id: message, tag: 'Urgente', add: true }],
      ['work.done', { id: message }],
    ] as const) {
      const r = await as('reader', method, args as never);
      expect(r.ok ? 'ok' : r.error.code, `${method} as a reader`).toBe('forbidden');
      const other = await as('ungranted', method, args as never);
      expect(other.ok ? 'ok' : other.error.code).toBe('not-found');
    }
    // Reading the work of a row is the reader's.
    expect((await ok('reader', 'work.get', { id: message })).state).toBeNull();
    expect((await ok('operator', 'work.assign', { id: message, user: 'otto' })).assignee?.name).toBe('otto');
    const tagged = await ok('operator', 'work.tag', { id: message, tag: 'Urgente', add: true });
    expect(tagged.tags.map((t) => t.name)).toEqual(['Urgente']);
    // Tags are made by administrators unless the settings say otherwise.
    expect((await as('operator', 'tags.create', { name: 'Mia' })).ok).toBe(false);
    await ok('owner', 'work.setSettings', {
      tagCreators: 'routers',
      escalateAfterHours: null,
      remindDays: [3, 0],
      proposeDeadlines: true,
    });
    expect((await as('operator', 'tags.create', { name: 'Mia' })).ok).toBe(true);
    expect((await as('reader', 'tags.create', { name: 'Sua' })).ok).toBe(false);
    const log = world.archive.db.$client
      .prepare(
        "SELECT actor, action FROM audit_log WHERE action IN ('work.assign', 'work.tag-add', 'tag.create') ORDER BY id",
      )
      .all() as { actor: string; action: string }[];
    const otto = findUserByName(world.archive.db, 'otto')!.id;
    expect(log.map((e) => `${e.actor} ${e.action}`)).toEqual([
      expect.stringMatching(/^user:\d+ tag\.create$/),
      `user:${otto} work.assign`,
      `user:${otto} work.tag-add`,
      `user:${otto} tag.create`,
    ]);
  });

  it('lists, counts, tags and the agenda show only the caller’s mailboxes', async () => {
    // B's PEC, tagged and due, by the owner.
    await ok('owner', 'work.tag', { threadId: world.b.thread, tag: 'Urgente', add: true });
    await ok('owner', 'work.setDeadline', { threadId: world.b.thread, due: '2026-12-31' });
    const owner = await ok('owner', 'work.list', { limit: 100 });
    const operator = await ok('operator', 'work.list', { limit: 100 });
    expect(owner.rows.some((r) => r.threadId === world.b.thread)).toBe(true);
    expect(operator.rows.some((r) => r.threadId === world.b.thread)).toBe(false);
    const count = (tags: ApiResults['tags.list']) => tags.find((t) => t.name === 'Urgente')?.count;
    expect(count(await ok('owner', 'tags.list', {}))).toBe(2);
    expect(count(await ok('operator', 'tags.list', {}))).toBe(1);
    expect((await ok('owner', 'work.agenda', { from: '2026-12-01', to: '2026-12-31' })).rows).toHaveLength(1);
    expect((await ok('operator', 'work.agenda', { from: '2026-12-01', to: '2026-12-31' })).rows).toHaveLength(
      0,
    );
    const tagId = (await ok('owner', 'tags.list', {})).find((t) => t.name === 'Urgente')!.id;
    const tagView = { view: { kind: 'tag' as const, tagId }, offset: 0, limit: 50 };
    expect((await ok('owner', 'messages.list', tagView)).total).toBe(2);
    expect((await ok('operator', 'messages.list', tagView)).total).toBe(1);
    // B's row is not there for the operator at all.
    expect((await as('operator', 'work.get', { threadId: world.b.thread })).ok).toBe(false);
  });

  it('a notice reaches only the people it names', () => {
    const otto = findUserByName(world.archive.db, 'otto')!.id;
    const seen: Record<string, unknown> = {};
    for (const who of ['owner', 'admin', 'operator', 'reader'] as const) {
      const filter = registry.filterEvents(() => ({
        transport: 'http',
        session: world.tokens[who],
        origin: 'test',
      }));
      seen[who] = filter('work.notice', {
        kind: 'reminder',
        userIds: [otto],
        messageId: world.a.message,
        threadId: null,
        subject: 'x',
        due: '2026-12-31',
        daysLeft: 3,
        hours: null,
        title: 'Scadenza tra 3 giorni',
        body: 'x',
      });
    }
    expect(
      Object.entries(seen)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k),
    ).toEqual(['operator']);
  });

  it('a mailbox that requires approval: the PEC waits, four eyes decide, the outbox takes it only once approved', async () => {
    await ok('owner', 'accounts.setApproval', { email: world.a.email, required: true });
    expect((await as('operator', 'accounts.setApproval', { email: world.a.email, required: false })).ok).toBe(
      false,
    );
    const account = findAccount(world.archive.db, world.a.email)!;
    const message = (subject: string) => ({
      account,
      raw: Buffer.from(`Subject: ${subject}\r\n\r\nTesto\r\n`),
      messageId: `<${subject.replace(/\W/g, '')}@pec.alfa.test>`,
      to: ['x@pec.gamma.test'],
      cc: [],
      subject,
      receiptType: 'completa' as const,
    });
    const otto = findUserByName(world.archive.db, 'otto')!.id;
    const ada = findUserByName(world.archive.db, 'ada')!.id;
    const [first] = await writeOutbox(world.archive, [message('Sollecito uno')], {
      createdBy: `user:${otto}`,
      inTransaction: () => {},
    });
    const [second] = await writeOutbox(world.archive, [message('Sollecito due')], {
      createdBy: `user:${otto}`,
      inTransaction: () => {},
    });
    const [own] = await writeOutbox(world.archive, [message('Di Ada')], {
      createdBy: `user:${ada}`,
      inTransaction: () => {},
    });
    expect(getOutbox(world.archive.db, first!)?.state).toBe('approval');
    const queue = await ok('operator', 'approvals.list', {});
    expect(queue.pending).toBe(3);
    expect(queue.rows.every((r) => !r.canDecide)).toBe(true);
    expect(queue.mailboxes.find((m) => m.email === world.a.email)).toMatchObject({
      required: true,
      canManage: false,
    });
    expect((await as('operator', 'approvals.decide', { id: first!, approve: true })).ok).toBe(false);
    const own1 = await as('admin', 'approvals.decide', { id: own!, approve: true });
    expect(own1.ok ? 'ok' : own1.error.message).toMatch(/^own:/);
    expect(await ok('admin', 'approvals.decide', { id: first!, approve: true, comment: 'Va bene' })).toEqual({
      decided: [first],
      approved: true,
    });
    expect(
      await ok('owner', 'approvals.decide', { id: second!, approve: false, comment: 'Manca l’allegato' }),
    ).toEqual({ decided: [second], approved: false });
    expect(getOutbox(world.archive.db, first!)?.state).toBe('queued');
    expect(getOutbox(world.archive.db, second!)?.state).toBe('rejected');
    expect((await as('owner', 'approvals.decide', { id: second!, approve: true })).ok).toBe(false);
    const log = world.archive.db.$client
      .prepare(
        "SELECT action, target_id AS target, details FROM audit_log WHERE action IN ('message.approve', 'message.reject') ORDER BY id",
      )
      .all() as { action: string; target: string; details: string }[];
    expect(log.map((e) => `${e.action} ${e.target} ${JSON.parse(e.details).comment}`)).toEqual([
      `message.approve ${first} Va bene`,
      `message.reject ${second} Manca l’allegato`,
    ]);
    const after = await ok('owner', 'approvals.list', {});
    expect(after.pending).toBe(1);
    expect(after.rows.find((r) => r.outboxId === own)?.canDecide).toBe(true);
  });
});
