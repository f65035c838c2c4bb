import { describe, expect, it, vi } from 'vitest';
import { ApiFailure, argSchemas } from '../../../main/api/contract.ts';
import { API_METHODS } from '../../../main/api/methods.ts';
import { createRegistry, type Handlers } from '../../../main/api/registry.ts';

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const unused = async (): Promise<never> => {
    throw new Error('not used here');
  };
  return {
    'views.list': unused,
    'messages.list': unused,
    'messages.get': unused,
    'threads.get': unused,
    'accounts.list': unused,
    'accounts.add': unused,
    'accounts.remove': unused,
    'accounts.test': unused,
    'accounts.setPassword': unused,
    'accounts.presets': unused,
    'sync.now': unused,
    'attachments.get': unused,
    'messages.setSeen': unused,
    'messages.raw': unused,
    'accounts.update': unused,
    'demo.open': unused,
    'demo.close': unused,
    'search.query': unused,
    'search.suggest': unused,
    'search.stats': unused,
    'searches.list': unused,
    'searches.save': unused,
    'searches.remove': unused,
    'app.info': async (_a, caller) => ({
      name: 'PecDesk',
      version: '1',
      archiveDir: null,
      transport: caller.transport,
      trust: 'configured',
      demo: false,
      empty: true,
    }),
    'pec.inspect': async () => {
      throw new Error('boom');
    },
    ...overrides,
  };
}

describe('API registry', () => {
  const quiet = { error: vi.fn() };

  it('the method list and the schemas are the same contract', () => {
    expect(Object.keys(argSchemas).sort()).toEqual([...API_METHODS].sort());
  });

  it('answers a valid call with its value and the caller transport', async () => {
    const r = await createRegistry(handlers(), quiet).call('app.info', {}, { transport: 'ipc' });
    expect(r).toEqual({ ok: true, value: expect.objectContaining({ transport: 'ipc' }) });
  });

  it('refuses unknown methods and invalid arguments without reaching a handler', async () => {
    const spy = vi.fn();
    const reg = createRegistry(handlers({ 'pec.inspect': spy }), quiet);
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

  it('turns thrown errors into coded results, never a throw across the boundary', async () => {
    const reg = createRegistry(handlers(), quiet);
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
      quiet,
    );
    expect(await failing.call('app.info', {}, { transport: 'cli' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'nothing here' },
    });
  });
});
