/**
 * The front end's line to the office server, with the server's client substituted: one client per
 * session (each person's calls and events apart), what was open answered again while the server is
 * unreachable and nothing else, a changed certificate said as such, and reaching it again.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ApiResponse } from '../../../main/api/contract.ts';
import { type RemoteClient, RemoteError, type RemoteOptions } from '../../../main/client/remote.ts';
import { OfficeLink, RemoteEvent } from '../../../main/office-client/office-link.ts';

const FP = 'AB:'.repeat(31) + 'AB';

class FakeClient extends EventEmitter {
  session: string | null = null;
  calls: { method: string; session: string | null }[] = [];
  closed = false;
  constructor(private readonly server: FakeServer) {
    super();
  }
  setSession(s: string | null) {
    this.session = s;
  }
  async callUnchecked(method: string, args: unknown): Promise<ApiResponse<unknown>> {
    if (this.server.down) throw this.server.down;
    this.calls.push({ method, session: this.session });
    return { ok: true, value: { method, args, session: this.session, n: ++this.server.served } };
  }
  async close() {
    this.closed = true;
  }
}

class FakeServer {
  down: RemoteError | null = null;
  served = 0;
  clients: FakeClient[] = [];
  connect = async (options: RemoteOptions): Promise<RemoteClient> => {
    expect(options.fingerprint).toBe(FP);
    if (this.down) throw this.down;
    const c = new FakeClient(this);
    this.clients.push(c);
    return c as unknown as RemoteClient;
  };
}

function link(server: FakeServer) {
  const states: string[] = [];
  const events: RemoteEvent[] = [];
  const logins: string[] = [];
  const l: OfficeLink = new OfficeLink({
    url: 'https://nas:4443',
    fingerprint: FP,
    connect: server.connect,
    onEvent: (_e, payload) => events.push(payload),
    onState: () => states.push(l.state),
    onLogin: (name) => logins.push(name),
    retryMs: 20,
    log: () => {},
  });
  return { l, states, events, logins };
}

const list = { view: { kind: 'smart', view: 'all' }, offset: 0, limit: 50 };

describe('the office link', () => {
  it('calls with each session on a client of its own, whose events stay that session’s', async () => {
    const server = new FakeServer();
    const { l, events, logins } = link(server);
    await l.call('auth.login', { name: 'rita', password: 'x' }, null);
    await l.call('views.list', {}, 'sessione-rita');
    await l.call('views.list', {}, 'sessione-otto');
    await l.call('messages.list', list, 'sessione-rita');
    expect(server.clients.map((c) => c.session)).toEqual([null, 'sessione-rita', 'sessione-otto']);
    expect(server.clients[1]!.calls.map((c) => c.method)).toEqual(['views.list', 'messages.list']);
    expect(logins).toEqual(['rita']);
    server.clients[2]!.emit('event', 'archive.changed', { created: 0, threads: [4] });
    expect(events).toEqual([new RemoteEvent('sessione-otto', { created: 0, threads: [4] })]);
    await l.close();
    expect(server.clients.every((c) => c.closed)).toBe(true);
  });

  it('unreachable: what was open is answered again, anything else is refused, then it comes back', async () => {
    const server = new FakeServer();
    const { l, states } = link(server);
    const before = await l.call('messages.list', list, 's1');
    const opened = await l.call('messages.get', { id: 7 }, 's1');
    server.down = new RemoteError('unreachable', 'https://nas:4443 cannot be reached (ECONNREFUSED)');
    expect(await l.call('messages.list', list, 's1')).toEqual(before);
    expect(await l.call('messages.get', { id: 7 }, 's1')).toEqual(opened);
    // Another person's cache is not this one's, another page was never seen, a change is refused.
    expect(await l.call('messages.get', { id: 7 }, 's2')).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    expect(await l.call('messages.get', { id: 8 }, 's1')).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    const tag = await l.call('work.tag', { id: 7, add: ['x'] }, 's1');
    expect(tag).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringMatching(/cannot be reached/) },
    });
    expect(l.state).toBe('unreachable');
    expect(states).toEqual(['unreachable']);
    server.down = null;
    // The retry (a session-less client) finds it again without any call.
    await until(() => l.state === 'connected');
    expect(states).toEqual(['unreachable', 'connected']);
    expect((await l.call('messages.get', { id: 8 }, 's1')).ok).toBe(true);
    await l.close();
  });

  it('another certificate: the state says so with the one seen, and nothing is answered from the server', async () => {
    const server = new FakeServer();
    const { l } = link(server);
    const seen = 'CD:'.repeat(31) + 'CD';
    server.down = new RemoteError(
      'fingerprint-mismatch',
      `the server at https://nas:4443 presents the certificate ${seen}, not the pinned ${FP}: it is not the server you confirmed`,
    );
    const r = await l.call('auth.login', { name: 'rita', password: 'segreta' }, null);
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringMatching(/another certificate/) },
    });
    expect(l.status('rita')).toMatchObject({
      state: 'fingerprint-changed',
      seen,
      fingerprint: FP,
      lastUser: 'rita',
    });
    expect(server.served).toBe(0);
    await l.close();
  });
});

async function until(check: () => boolean, ms = 2_000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
