/**
 * The session on the renderer's side (renderer/src/features/people/session.ts): kept in the tab's
 * storage (browser) or in memory (Electron), sent by the bridge, forgotten when the core no longer
 * accepts it, and the app told when someone must sign in.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ApiResponse, PecDeskBridge } from '../../../main/api/contract.ts';
import { SESSION_KEY, withSessions } from '../../../renderer/src/features/people/session.ts';

const TOKEN = 'a'.repeat(43);
const OTHER = 'b'.repeat(43);

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const refused: ApiResponse<never> = {
  ok: false,
  error: { code: 'unauthenticated', message: 'sign in first' },
};

/** A bridge that answers each call with `answer` and records the session each call carried. */
function innerBridge(answer: (method: string) => ApiResponse<unknown> | Promise<ApiResponse<unknown>>) {
  let session: string | null = null;
  const carried: (string | null)[] = [];
  const inner = {
    call: vi.fn(async (method: string) => {
      carried.push(session);
      return answer(method);
    }),
    on: vi.fn(() => () => {}),
    setSession: vi.fn((t: string | null) => {
      session = t;
    }),
  };
  return { inner: inner as unknown as PecDeskBridge, carried, spy: inner };
}

describe('where the session lives', () => {
  it('a browser tab: restored from its storage at start, sent with every call', async () => {
    const storage = new MemoryStorage();
    storage.setItem(SESSION_KEY, TOKEN);
    const { inner, carried } = innerBridge(() => ({ ok: true, value: {} }));
    const bridge = withSessions(inner, storage);
    expect(bridge.session()).toBe(TOKEN);
    await bridge.call('views.list', {});
    expect(carried).toEqual([TOKEN]);
  });

  it('a new token is stored; signing out removes it', () => {
    const storage = new MemoryStorage();
    const { inner } = innerBridge(() => ({ ok: true, value: {} }));
    const bridge = withSessions(inner, storage);
    bridge.setSession(TOKEN);
    expect(storage.getItem(SESSION_KEY)).toBe(TOKEN);
    bridge.setSession(null);
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    expect(bridge.session()).toBeNull();
  });

  it('Electron: in memory only, nothing written anywhere', async () => {
    const { inner, carried } = innerBridge(() => ({ ok: true, value: {} }));
    const bridge = withSessions(inner, null);
    bridge.setSession(TOKEN);
    await bridge.call('views.list', {});
    expect(carried).toEqual([TOKEN]);
  });

  it('something that is not a token is neither restored nor kept', () => {
    const storage = new MemoryStorage();
    storage.setItem(SESSION_KEY, '<script>');
    const { inner } = innerBridge(() => ({ ok: true, value: {} }));
    const bridge = withSessions(inner, storage);
    expect(bridge.session()).toBeNull();
    bridge.setSession('x y');
    expect(bridge.session()).toBeNull();
  });
});

describe('when the core asks who is there', () => {
  it('a call without a session: sign-in needed, nothing forgotten', async () => {
    const { inner } = innerBridge(() => refused);
    const bridge = withSessions(inner, new MemoryStorage());
    const reasons: string[] = [];
    bridge.onSignInNeeded((r) => reasons.push(r));
    await bridge.call('accounts.list', {});
    expect(reasons).toEqual(['needed']);
  });

  it('a session the core no longer accepts: forgotten (a reload asks again), the session ended', async () => {
    const storage = new MemoryStorage();
    storage.setItem(SESSION_KEY, TOKEN);
    const { inner, spy } = innerBridge(() => refused);
    const bridge = withSessions(inner, storage);
    const reasons: string[] = [];
    bridge.onSignInNeeded((r) => reasons.push(r));
    await bridge.call('messages.list', { view: { kind: 'smart', view: 'all' }, offset: 0, limit: 10 });
    expect(reasons).toEqual(['ended']);
    expect(bridge.session()).toBeNull();
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    expect(spy.setSession).toHaveBeenLastCalledWith(null);
  });

  it('a wrong password or code is the login screen’s business, not a session that ended', async () => {
    const { inner } = innerBridge(() => refused);
    const bridge = withSessions(inner, new MemoryStorage());
    bridge.setSession(TOKEN);
    const reasons: string[] = [];
    bridge.onSignInNeeded((r) => reasons.push(r));
    await bridge.call('auth.login', { name: 'rita', password: 'sbagliata' });
    await bridge.call('auth.totp', { token: TOKEN, code: '000000' });
    await bridge.call('users.acceptInvitation', { code: 'x', password: 'y' });
    expect(reasons).toEqual([]);
    expect(bridge.session()).toBe(TOKEN);
  });

  it('an answer to a call made before someone signed in is stale: it neither signs out nor asks', async () => {
    let release: (r: ApiResponse<unknown>) => void = () => {};
    const { inner } = innerBridge(
      () =>
        new Promise((resolve) => {
          release = resolve;
        }),
    );
    const bridge = withSessions(inner, new MemoryStorage());
    const reasons: string[] = [];
    bridge.onSignInNeeded((r) => reasons.push(r));
    const pending = bridge.call('accounts.list', {});
    bridge.setSession(OTHER);
    release(refused);
    await pending;
    expect(reasons).toEqual([]);
    expect(bridge.session()).toBe(OTHER);
  });

  it('a wrong code when turning on two-step verification is not a session that ended; "sign in first" is', async () => {
    const { inner } = innerBridge((method) =>
      method === 'auth.totpConfirm'
        ? { ok: false, error: { code: 'unauthenticated', message: 'the code does not match' } }
        : { ok: false, error: { code: 'unauthenticated', message: 'auth.enableLogins: sign in first' } },
    );
    const bridge = withSessions(inner, new MemoryStorage());
    bridge.setSession(TOKEN);
    const reasons: string[] = [];
    bridge.onSignInNeeded((r) => reasons.push(r));
    await bridge.call('auth.totpConfirm', { secret: 'S', code: '000000' });
    expect(reasons).toEqual([]);
    await bridge.call('auth.enableLogins', { password: 'x' });
    expect(reasons).toEqual(['ended']);
  });

  it('other refusals say nothing of the session', async () => {
    const { inner } = innerBridge(() => ({ ok: false, error: { code: 'forbidden', message: 'no' } }));
    const bridge = withSessions(inner, new MemoryStorage());
    bridge.setSession(TOKEN);
    const reasons: string[] = [];
    bridge.onSignInNeeded((r) => reasons.push(r));
    await bridge.call('users.list', {});
    expect(reasons).toEqual([]);
    expect(bridge.session()).toBe(TOKEN);
  });
});
