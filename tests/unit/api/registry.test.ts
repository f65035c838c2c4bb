import { describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../main/api/access.ts';
import { ApiFailure, argSchemas, methodRules } from '../../../main/api/contract.ts';
import { API_METHODS } from '../../../main/api/methods.ts';
import { createRegistry, type Guard, type Handlers } from '../../../main/api/registry.ts';
import type { Right } from '../../../main/auth/rights.ts';

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const unused = async (): Promise<never> => {
    throw new Error('not used here');
  };
  const all = Object.fromEntries(API_METHODS.map((m) => [m, unused])) as unknown as Handlers;
  return {
    ...all,
    'app.info': async (_args, caller) => ({
      name: 'PecDesk',
      version: '0.0.0',
      archiveDir: null,
      transport: caller.transport,
      trust: 'pec-trust-list',
      demo: false,
      empty: true,
    }),
    ...overrides,
  };
}

function principal(rights: Record<number, Right[]>, administers = false): Principal {
  return {
    userId: 7,
    name: 'anna',
    rights: {
      userId: 7,
      role: administers ? 'admin' : 'operator',
      byAccount: new Map(Object.entries(rights).map(([id, r]) => [Number(id), new Set(r)])),
      administers,
    },
    actor: { actor: 'user:7', actorName: 'anna', origin: 'test' },
  };
}

/** A guard with a fixed caller; message 1 is in mailbox 10, message 2 in mailbox 20. */
function guard(who: Principal | null) {
  const recorded: string[] = [];
  const g: Guard = {
    identify: () => who,
    targets: (target, args) =>
      'message' in target
        ? (({ 1: [10], 2: [20] } as Record<number, number[]>)[args[target.message] as number] ?? [])
        : [],
    exists: () => false,
    visibleThreads: (_p, ids) => ids.filter((id) => id < 100),
    record: (_p, e) => {
      recorded.push(`${e.action}:${e.targetId ?? ''}:${e.accountId ?? ''}`);
    },
    append: (_p, e) => {
      recorded.push(`${e.action}:${e.targetId ?? ''}:${e.accountId ?? ''}`);
    },
  };
  return { g, recorded };
}

const quiet = { error: vi.fn() };
const owner = () =>
  principal({ 10: ['read', 'route', 'send', 'manage'], 20: ['read', 'route', 'send', 'manage'] }, true);

describe('API registry', () => {
  it('has a schema and a rule (access and audit) for every method, and nothing else', () => {
    expect(Object.keys(argSchemas).sort()).toEqual([...API_METHODS].sort());
    expect(Object.keys(methodRules).sort()).toEqual([...API_METHODS].sort());
    for (const rule of Object.values(methodRules)) {
      expect(['anyone', 'signed-in', 'admin', 'mailbox']).toContain(rule.access.who);
      expect(rule.audit === false || ['registry', 'handler'].includes(rule.audit.by)).toBe(true);
    }
  });

  it('answers a valid call with its value and the caller transport', async () => {
    const r = await createRegistry(handlers(), guard(owner()).g, quiet).call(
      'app.info',
      {},
      { transport: 'ipc' },
    );
    expect(r).toEqual({ ok: true, value: expect.objectContaining({ transport: 'ipc' }) });
  });

  it('refuses unknown methods and invalid arguments without reaching a handler', async () => {
    const spy = vi.fn();
    const reg = createRegistry(handlers({ 'pec.inspect': spy }), guard(owner()).g, quiet);
    expect(await reg.call('fs.readFile', {}, { transport: 'http' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
    expect(await reg.call('__proto__', {}, { transport: 'http' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
    expect(await reg.call('pec.inspect', { fileName: 3 }, { transport: 'http' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' },
    });
    expect(await reg.call('app.info', { extra: true }, { transport: 'http' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' },
    });
    expect(spy).not.toHaveBeenCalled();
  });

  it('checks who calls before the handler runs: signed in, administrators, the right on the mailbox', async () => {
    const spy = vi.fn(async () => ({ ok: true }) as never);
    const call = (who: Principal | null, method: string, args: object) =>
      createRegistry(
        handlers({ 'messages.get': spy, 'users.list': spy, 'views.list': spy }),
        guard(who).g,
        quiet,
      ).call(method, args, { transport: 'http' });
    expect(await call(null, 'views.list', {})).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(await call(null, 'app.info', {})).toMatchObject({ ok: true });
    const reader = principal({ 10: ['read'] });
    expect(await call(reader, 'users.list', {})).toMatchObject({ error: { code: 'forbidden' } });
    // Message 2 sits in a mailbox the reader has no right on: for them it does not exist.
    expect(await call(reader, 'messages.get', { id: 2 })).toMatchObject({
      error: { code: 'not-found', message: 'no message 2' },
    });
    expect(await call(reader, 'messages.get', { id: 99 })).toMatchObject({ error: { code: 'not-found' } });
    expect(spy).not.toHaveBeenCalled();
    expect(await call(reader, 'messages.get', { id: 1 })).toMatchObject({ ok: true });
    expect(await call(owner(), 'users.list', {})).toMatchObject({ ok: true });
  });

  it('logs what the rules say: a read by the registry after success, nothing for a refusal', async () => {
    const { g, recorded } = guard(principal({ 10: ['read'] }));
    const reg = createRegistry(handlers({ 'messages.get': async () => ({}) as never }), g, quiet);
    await reg.call('messages.get', { id: 1 }, { transport: 'http' });
    await reg.call('messages.get', { id: 2 }, { transport: 'http' });
    expect(recorded).toEqual(['message.open:1:10']);
  });

  it('a change the handler forgot to log is logged all the same, and the omission reported', async () => {
    const { g, recorded } = guard(owner());
    const log = { error: vi.fn() };
    const reg = createRegistry(handlers({ 'users.remove': async () => ({ removed: 'mario' }) }), g, log);
    expect(await reg.call('users.remove', { name: 'mario' }, { transport: 'http' })).toMatchObject({
      ok: true,
    });
    expect(recorded).toEqual(['user.remove::']);
    expect(log.error).toHaveBeenCalledWith(expect.stringMatching(/did not write its audit entry/));
  });

  it('turns thrown errors into coded results, never a throw across the boundary', async () => {
    const reg = createRegistry(handlers(), guard(owner()).g, quiet);
    expect(
      await reg.call('pec.inspect', { fileName: 'a', contentBase64: '' }, { transport: 'http' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
    expect(quiet.error).toHaveBeenCalled();
    const failing = createRegistry(
      handlers({
        'app.info': async () => {
          throw new ApiFailure('not-found', 'nothing here');
        },
      }),
      guard(owner()).g,
      quiet,
    );
    expect(await failing.call('app.info', {}, { transport: 'cli' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'nothing here' },
    });
  });
  it('pushes each connection only the events its person may receive', () => {
    const sessions: Record<string, Principal | null> = {
      reader: principal({ 10: ['read'] }),
      boss: owner(),
    };
    const g: Guard = { ...guard(null).g, identify: (c) => sessions[c.session ?? ''] ?? null };
    let session: string | null = 'reader';
    const allowed = createRegistry(handlers(), g, quiet).filterEvents(() => ({ transport: 'http', session }));
    const state = (accountId: number) => ({
      accountId,
      email: `${accountId}@pec.test`,
      state: 'idle' as const,
      errorCode: null,
      error: null,
    });
    expect(allowed('sync.state', state(10))).toEqual(state(10));
    expect(allowed('sync.state', state(20))).toBeUndefined();
    expect(allowed('demo.progress', { done: 1, total: 4 })).toBeUndefined();
    expect(allowed('search.backfill', { done: 1, total: 4 })).toEqual({ done: 1, total: 4 });
    // Changed threads they may read, and no count of what arrived elsewhere.
    expect(allowed('archive.changed', { created: 3, threads: [5, 500] })).toEqual({
      created: 0,
      threads: [5],
    });
    session = 'boss';
    expect(allowed('sync.state', state(20))).toEqual(state(20));
    expect(allowed('archive.changed', { created: 3, threads: [5, 500] })).toEqual({
      created: 3,
      threads: [5, 500],
    });
    session = null;
    expect(allowed('app.notice', { level: 'info', message: 'x' })).toBeUndefined();
  });
});
