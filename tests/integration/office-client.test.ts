/**
 * "Connetti al server dell'ufficio" (issue 16) end to end below the interface: a real `pecdesk
 * server` process over TLS on 127.0.0.1 (an archive with two mailboxes and a person of every role),
 * and this PC's front end (the switch over an embedded core, as `npm run serve` and Electron's main
 * hold it) connected to it through office.probe / office.connect. Calls are answered with the
 * remote person's rights, the server's events reach the person's connections, a server restarted
 * with another certificate gets nothing (no password), an unreachable one is said and what was
 * open stays readable, and office.* are not the office server's to offer.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEventName } from '../../main/api/methods.ts';
import type { Caller } from '../../main/api/registry.ts';
import { connectRemote } from '../../main/client/remote.ts';
import { type Core, openCore } from '../../main/core.ts';
import { readSettings } from '../../main/office-client/connection-store.ts';
import { type FrontEnd, openFrontEnd } from '../../main/office-client/front-end.ts';
import { tempDir } from '../support/archive.ts';
import { PASSWORD, type PeopleWorld, peopleWorld } from '../support/people-world.ts';
import { type RunningServer, startServer } from './office-world.ts';

const ENV = { ...process.env, PECDESK_SECRETS: 'file', PECDESK_SECRET_KEY: 'office-client-test' };

describe('this PC’s front end on the office server', () => {
  let world: PeopleWorld;
  let office: { archive: string; env: NodeJS.ProcessEnv };
  let server: RunningServer;
  let core: Core;
  let front: FrontEnd;
  let configDir: string;
  const states: string[] = [];

  const call = async (method: string, args: unknown, session: string | null = null) =>
    front.registry.call(method, args, { transport: 'http', session, origin: 'test' });
  const value = async <T>(method: string, args: unknown, session: string | null = null) => {
    const r = await call(method, args, session);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };

  beforeAll(async () => {
    world = await peopleWorld();
    office = { archive: world.archive.dir, env: ENV };
    world.archive.close();
    server = await startServer(office);
    core = await openCore({ archiveDir: join(tempDir('pecdesk-pc-'), 'archive'), env: ENV, watch: false });
    configDir = join(tempDir('pecdesk-config-'), 'PecDesk');
    front = openFrontEnd(core, { configDir, retryMs: 200, log: () => {} });
    front.events.on('office.state', (s) => states.push(s.state));
  }, 120_000);
  afterAll(async () => {
    await front?.close();
    await core?.close();
    await server?.stop('SIGKILL');
  });

  it('shows the certificate on first contact, then connects with it pinned', async () => {
    expect(await value('office.status', {})).toMatchObject({ state: 'local', url: null });
    const probe = await value<{ fingerprint: string; decision: string; url: string }>('office.probe', {
      url: `127.0.0.1:${server.port}`,
    });
    expect(probe).toMatchObject({
      url: server.url,
      fingerprint: server.fingerprint,
      decision: 'first-contact',
    });
    // Nothing of a person's before the fingerprint is confirmed: the server saw no call at all.
    expect(server.output()).not.toMatch(/login|request/);

    const status = await value('office.connect', { url: server.url, fingerprint: probe.fingerprint });
    expect(status).toMatchObject({ state: 'connected', url: server.url, fingerprint: server.fingerprint });
    expect(readSettings(configDir)).toMatchObject({
      server: { url: server.url, fingerprint: server.fingerprint },
      pins: { [server.url]: server.fingerprint },
    });
    expect(states).toEqual(['connected']);
    expect((await value<{ decision: string }>('office.probe', { url: server.url })).decision).toBe('pinned');
  });

  it('answers with the remote person’s rights, and the server’s events reach that person only', async () => {
    // Logins are on at the server: the app's login screen appears.
    expect(await value('auth.status', {})).toMatchObject({ mode: 'logins', user: null });
    const list = { view: { kind: 'smart', view: 'all' }, offset: 0, limit: 50 };
    expect((await call('messages.list', list)).ok).toBe(false);

    const login = await value<{ token: string }>('auth.login', { name: 'rita', password: PASSWORD });
    const rita = login.token;
    expect(readSettings(configDir).server?.lastUser).toBe('rita');
    const rows = await value<{ rows: { id: number; mailbox: string | null }[] }>('messages.list', list, rita);
    expect(rows.rows.length).toBeGreaterThan(0);
    expect(new Set(rows.rows.map((r) => r.mailbox))).toEqual(new Set([world.a.email]));
    expect((await call('messages.get', { id: world.b.message }, rita)).ok).toBe(false);
    const tag = await call('work.tag', { threadId: world.a.thread, tag: 'Urgente', add: true }, rita);
    expect(tag.ok ? 'ok' : tag.error.code).toBe('forbidden');

    // Events: rita's connection hears a change made by a colleague on another PC, a connection
    // without her session does not.
    const heard = (session: string | null) => {
      const got: { event: ApiEventName; payload: unknown }[] = [];
      const caller: Caller = { transport: 'http', session, origin: 'test' };
      const allowed = front.registry.filterEvents(() => caller);
      const off = front.events.subscribe((event, payload) => {
        const visible = allowed(event, payload);
        if (visible !== undefined) got.push({ event, payload: visible });
      });
      return { got, off };
    };
    const ritaHears = heard(rita);
    const nobodyHears = heard(null);
    await new Promise((r) => setTimeout(r, 800));
    const otto = await connectRemote({ url: server.url, fingerprint: server.fingerprint });
    expect((await otto.login('otto', PASSWORD)).ok).toBe(true);
    const started = Date.now();
    const changed = await otto.call('work.claim', { threadId: world.a.thread });
    expect(changed.ok ? 'ok' : changed.error.message).toBe('ok');
    while (!ritaHears.got.some((e) => e.event === 'archive.changed') && Date.now() - started < 5_000)
      await new Promise((r) => setTimeout(r, 20));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(ritaHears.got).toContainEqual({
      event: 'archive.changed',
      payload: { created: 0, threads: [world.a.thread] },
    });
    expect(nobodyHears.got.filter((e) => e.event === 'archive.changed')).toEqual([]);
    ritaHears.off();
    nobodyHears.off();

    // office.* are this front end's: the office server itself refuses them.
    const onServer = await otto.call('office.connect', {
      url: 'https://127.0.0.1:1',
      fingerprint: 'AB'.repeat(32),
    });
    expect(onServer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await otto.close();
  });

  it('a server restarted with another certificate is refused: no password reaches it', async () => {
    const rita = await value<{ token: string }>('auth.login', { name: 'rita', password: PASSWORD });
    const list = { view: { kind: 'smart', view: 'all' }, offset: 0, limit: 50 };
    const before = await value('messages.list', list, rita.token);
    await server.stop();
    rmSync(join(office.archive, 'server-tls'), { recursive: true, force: true });
    const old = server.fingerprint;
    server = await startServer(office, { port: server.port });
    expect(server.fingerprint).not.toBe(old);
    const outputBefore = server.output();

    const login = await call('auth.login', { name: 'rita', password: PASSWORD });
    expect(login).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(front.status()).toMatchObject({
      state: 'fingerprint-changed',
      fingerprint: old,
      seen: server.fingerprint,
    });
    expect(states.at(-1)).toBe('fingerprint-changed');
    // What was open is still shown, read-only.
    expect(await value('messages.list', list, rita.token)).toEqual(before);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.output().slice(outputBefore.length)).not.toMatch(/login|client\.connect/);
    // Asked again, the change is said with both fingerprints.
    expect(await value('office.probe', { url: server.url })).toMatchObject({
      decision: 'changed',
      pinned: old,
      fingerprint: server.fingerprint,
    });
    // Knowingly confirmed (the IT person says the office changed it), it is pinned instead.
    expect(await value('office.connect', { url: server.url, fingerprint: server.fingerprint })).toMatchObject(
      {
        state: 'connected',
        fingerprint: server.fingerprint,
      },
    );
    expect((await call('auth.login', { name: 'rita', password: PASSWORD })).ok).toBe(true);
  });

  it('an unreachable server is said, what was open stays readable, and the PC can go back to its archive', async () => {
    const rita = (await value<{ token: string }>('auth.login', { name: 'rita', password: PASSWORD })).token;
    const list = { view: { kind: 'smart', view: 'all' }, offset: 0, limit: 50 };
    const page = await value<{ rows: { id: number }[] }>('messages.list', list, rita);
    const opened = await value('messages.get', { id: page.rows[0]!.id }, rita);
    await server.stop('SIGKILL');
    expect(await value('messages.list', list, rita)).toEqual(page);
    expect(await value('messages.get', { id: page.rows[0]!.id }, rita)).toEqual(opened);
    const change = await call('work.claim', { id: page.rows[0]!.id }, rita);
    expect(change).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(front.status()).toMatchObject({ state: 'unreachable', url: server.url });
    expect(states.at(-1)).toBe('unreachable');

    expect(await value('office.disconnect', {})).toMatchObject({ state: 'local' });
    expect(readSettings(configDir)).toMatchObject({
      server: null,
      pins: { [server.url]: server.fingerprint },
    });
    // This PC's own archive again: no owner yet, nothing of the office.
    expect(await value('auth.status', {})).toMatchObject({ needsSetup: true });
    expect(states.at(-1)).toBe('local');
  });
});
