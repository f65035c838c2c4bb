/**
 * What a person sees through the real handlers (issue "people"): only the mailboxes they have a
 * right on, in lists, counts, folders, threads, messages, attachments, search hits, suggestions
 * and events; never a row of another mailbox. The owner sees everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOutbox, setArchivedMessage } from '../../../db/outbox.ts';
import { SMART_VIEWS } from '../../../db/views.ts';
import type { ApiArgs, ApiResults, ListRow } from '../../../main/api/contract.ts';
import { registryFor } from '../../../main/api/handlers.ts';
import type { ApiMethod } from '../../../main/api/methods.ts';
import type { ApiRegistry } from '../../../main/api/registry.ts';
import { buildOriginal } from '../../factory/pec-factory.ts';
import { type PeopleWorld, peopleWorld, type RoleUnderTest } from '../../support/people-world.ts';

describe('a person sees only the mailboxes they have a right on', () => {
  let world: PeopleWorld;
  let registry: ApiRegistry;

  beforeAll(async () => {
    world = await peopleWorld();
    registry = registryFor(
      { version: 'test', archiveDir: world.archive.dir, anchors: undefined, archive: world.archive },
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
  const subjects = (rows: ListRow[]) => rows.map((r) => r.subject).sort();

  it('lists and counts: every smart view, for each role', async () => {
    for (const view of SMART_VIEWS) {
      const args = { view: { kind: 'smart' as const, view }, offset: 0, limit: 100 };
      const all = await ok('owner', 'messages.list', args);
      for (const who of ['reader', 'operator'] as const) {
        const mine = await ok(who, 'messages.list', args);
        expect(
          mine.rows.every((r) => !r.subject?.includes('betaonly')),
          `${view} as ${who}`,
        ).toBe(true);
        expect(mine.total).toBe(mine.rows.length);
      }
      expect((await ok('ungranted', 'messages.list', args)).total, view).toBe(0);
      expect(all.total).toBeGreaterThanOrEqual((await ok('reader', 'messages.list', args)).total);
    }
    const everything = await ok('owner', 'messages.list', {
      view: { kind: 'smart', view: 'all' },
      offset: 0,
      limit: 100,
    });
    expect(subjects(everything.rows)).toEqual([
      'Contratto comune alfa beta',
      'Diffida betaonly',
      'Parcella alfaonly',
      'Verbale betaonly',
    ]);
    const reader = await ok('reader', 'messages.list', {
      view: { kind: 'smart', view: 'all' },
      offset: 0,
      limit: 100,
    });
    // The PEC from A to B is one row: A's people see it (its sent copy is theirs).
    expect(subjects(reader.rows)).toEqual(['Contratto comune alfa beta', 'Parcella alfaonly']);
    expect(reader.messageTotal).toBeLessThan(everything.messageTotal!);
  });

  it('the sidebar: counts of their mailboxes, and only their folders', async () => {
    const owner = await ok('owner', 'views.list', {});
    const reader = await ok('reader', 'views.list', {});
    expect(owner.mailboxes.map((m) => m.email)).toContain(world.b.email);
    expect(reader.mailboxes.every((m) => m.email === world.a.email)).toBe(true);
    const all = (v: typeof owner) => v.smart.find((c) => c.view === 'all')!.total;
    expect([all(owner), all(reader)]).toEqual([4, 2]);
    expect((await ok('ungranted', 'views.list', {})).mailboxes).toEqual([]);
    // Another mailbox's folder does not exist for them, not even by its number.
    const folder = await as('reader', 'messages.list', {
      view: { kind: 'mailbox', mailboxId: world.b.inbox },
      offset: 0,
      limit: 10,
    });
    expect(folder).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect((await ok('reader', 'accounts.list', {})).map((a) => a.email)).toEqual([world.a.email]);
  });

  it('threads and messages: each side sees its own members only', async () => {
    const fromA = await ok('reader', 'threads.get', { id: world.shared.thread });
    expect(fromA.members.map((m) => m.id)).toContain(world.shared.inA);
    expect(fromA.members.map((m) => m.id)).not.toContain(world.shared.inB);
    const opened = await ok('reader', 'messages.get', { id: world.shared.inA });
    expect(opened.locations.map((l) => l.email)).toEqual([world.a.email]);
    expect(opened.thread!.members.map((m) => m.id)).not.toContain(world.shared.inB);
    for (const id of [world.b.message, world.shared.inB, world.b.threadMessage]) {
      expect(await as('reader', 'messages.get', { id })).toMatchObject({
        ok: false,
        error: { code: 'not-found' },
      });
      expect(await as('reader', 'messages.raw', { id })).toMatchObject({
        ok: false,
        error: { code: 'not-found' },
      });
      expect(await as('reader', 'attachments.get', { messageId: id, index: 0 })).toMatchObject({
        ok: false,
        error: { code: 'not-found' },
      });
    }
    expect(await as('reader', 'threads.get', { id: world.b.thread })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    const owner = await ok('owner', 'threads.get', { id: world.shared.thread });
    expect(owner.members.map((m) => m.id)).toEqual(
      expect.arrayContaining([world.shared.inA, world.shared.inB]),
    );
    expect((await ok('reader', 'attachments.get', { messageId: world.a.message, index: 0 })).filename).toBe(
      'alfaonly.txt',
    );
  });

  it('search: hits and counts of their mailboxes only; nobody without a mailbox finds anything', async () => {
    const query = (text: string) => ({ text, sort: 'date' as const, offset: 0, limit: 50 });
    const owner = await ok('owner', 'search.query', query('betaonly'));
    expect(owner.total).toBeGreaterThan(0);
    const reader = await ok('reader', 'search.query', query('betaonly'));
    expect(reader).toMatchObject({ total: 0, hits: [] });
    // A filter naming the other mailbox does not open it either.
    expect((await ok('reader', 'search.query', query(`mailbox:${world.b.email} verbale`))).total).toBe(0);
    const mine = await ok('reader', 'search.query', query('alfaonly'));
    expect(subjects(mine.hits)).toEqual(['Parcella alfaonly']);
    // The shared thread is found through A's side, as the reader's lists show it.
    expect((await ok('reader', 'search.query', query('Contratto'))).total).toBe(1);
    for (const text of ['alfaonly', 'Contratto', 'betaonly'])
      expect((await ok('ungranted', 'search.query', query(text))).total).toBe(0);
  });

  it('suggestions: addresses, subjects, mailboxes and folders of their mailboxes only', async () => {
    const suggested = async (who: RoleUnderTest, text: string, kind?: 'mailbox') =>
      (
        await ok(who, 'search.suggest', { text, limit: 20, ...(kind ? { kinds: [kind] } : {}) })
      ).suggestions.map((s) => s.label);
    expect(await suggested('owner', 'fornitore')).toContain('fornitore@example.test');
    expect(await suggested('reader', 'fornitore')).toEqual([]);
    expect(await suggested('owner', 'Verbale')).toContain('Verbale betaonly');
    expect(await suggested('reader', 'Verbale')).toEqual([]);
    expect(await suggested('reader', 'cliente')).toContain('cliente@example.test');
    // B's address is a correspondent of A (A's PEC went to it), B the mailbox is not A's.
    expect(await suggested('owner', 'amministrazione', 'mailbox')).toContain(world.b.email);
    expect(await suggested('reader', 'amministrazione', 'mailbox')).toEqual([]);
    expect(await suggested('reader', 'studio.rossi', 'mailbox')).toContain(world.a.email);
    expect(await suggested('ungranted', 'cliente')).toEqual([]);
    expect(await suggested('ungranted', 'studio.rossi')).toEqual([]);
  });

  it('what was sent: another mailbox’s outbox rows and mass sendings do not exist for them', async () => {
    const code = async <M extends ApiMethod>(who: RoleUnderTest, method: M, args: ApiArgs<M>) => {
      const r = await as(who, method, args);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await code('operator', 'campaigns.get', { id: world.a.campaign })).toBe('ok');
    expect(await code('operator', 'campaigns.get', { id: world.b.campaign })).toBe('not-found');
    expect(await code('operator', 'campaigns.export', { id: world.b.campaign })).toBe('not-found');
    expect(await code('operator', 'outbox.cancel', { id: world.b.outbox })).toBe('not-found');
    expect(await code('ungranted', 'campaigns.pause', { id: world.a.campaign })).toBe('not-found');
    // Who may read A but not send from it learns the right they lack.
    expect(await code('reader', 'campaigns.get', { id: world.a.campaign })).toBe('ok');
    expect(await code('reader', 'outbox.retry', { id: world.a.outbox })).toBe('forbidden');
    expect(await code('reader', 'campaigns.resume', { id: world.a.campaign })).toBe('forbidden');
  });

  it('events: sync of their mailboxes only, changed threads they may read, no counts of others', () => {
    const events = (who: RoleUnderTest) =>
      registry.filterEvents(() => ({ transport: 'http', session: world.tokens[who], origin: 'test' }));
    const state = (accountId: number, email: string) => ({
      accountId,
      email,
      state: 'syncing' as const,
      errorCode: null,
      error: null,
    });
    const reader = events('reader');
    const owner = events('owner');
    expect(reader('sync.state', state(world.b.accountId, world.b.email))).toBeUndefined();
    expect(reader('sync.state', state(world.a.accountId, world.a.email))).toBeDefined();
    expect(owner('sync.state', state(world.b.accountId, world.b.email))).toBeDefined();
    const changed = { created: 2, threads: [world.shared.thread, world.b.thread] };
    expect(reader('archive.changed', changed)).toEqual({ created: 0, threads: [world.shared.thread] });
    expect(owner('archive.changed', changed)).toEqual(changed);
    expect(events('ungranted')('archive.changed', changed)).toEqual({ created: 0, threads: [] });
    expect(reader('demo.progress', { done: 1, total: 4 })).toBeUndefined();
  });
  it('a PEC just sent is its mailbox’s before the Sent folder has it', async () => {
    const db = world.archive.db;
    const [copy] = await world.archive.ingest([
      {
        raw: buildOriginal({
          from: world.a.email,
          to: ['ufficio@pec.gamma.test'],
          subject: 'Appena inviata alfaonly',
          text: 'x',
        }),
      },
    ]);
    const outboxId = insertOutbox(db, {
      accountId: world.a.accountId,
      fromAddress: world.a.email,
      messageId: '<appena@pec.alfa.test>',
      objectHash: 'x'.repeat(64),
      size: 1,
      recipients: '[]',
      receiptType: 'completa',
      state: 'sent',
      createdAt: new Date().toISOString(),
      createdBy: 'test',
    });
    setArchivedMessage(db, outboxId, copy!.messageId);
    const all = { view: { kind: 'smart' as const, view: 'all' as const }, offset: 0, limit: 100 };
    expect(subjects((await ok('reader', 'messages.list', all)).rows)).toContain('Appena inviata alfaonly');
    expect(await as('reader', 'messages.get', { id: copy!.messageId })).toMatchObject({ ok: true });
    expect(subjects((await ok('ungranted', 'messages.list', all)).rows)).toEqual([]);
    expect(await as('ungranted', 'messages.get', { id: copy!.messageId })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});
