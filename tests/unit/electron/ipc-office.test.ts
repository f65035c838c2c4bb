/**
 * The desktop window on the office switch (issue 16), with Electron's ipcMain and webContents
 * substituted: main.ts hands wireIpc and forwardEvents the front end's registry and events, so a
 * window's office.* calls reach the switch, its other calls go where the switch says, and the
 * connection's news reach the window even with nobody signed in.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, openCore } from '../../../main/core.ts';
import { CALL_CHANNEL, EVENT_CHANNEL, forwardEvents, wireIpc } from '../../../main/electron/ipc.ts';
import { APP_ORIGIN } from '../../../main/electron/security.ts';
import { type FrontEnd, openFrontEnd } from '../../../main/office-client/front-end.ts';
import { tempDir } from '../../support/archive.ts';

const ENV = { ...process.env, PECDESK_SECRETS: 'file', PECDESK_SECRET_KEY: 'ipc-office' };

describe('the desktop window through the office switch', () => {
  let core: Core;
  let front: FrontEnd;
  beforeAll(async () => {
    core = await openCore({ archiveDir: join(tempDir('pecdesk-ipc-'), 'archive'), env: ENV, watch: false });
    front = openFrontEnd(core, { configDir: tempDir('pecdesk-ipc-cfg-'), log: () => {} });
  });
  afterAll(async () => {
    await front?.close();
    await core?.close();
  });

  it('answers office.* and forwards office.state to the window', async () => {
    let handler: ((event: unknown, ...args: unknown[]) => Promise<unknown>) | undefined;
    const sessions = wireIpc(
      {
        handle: (channel: string, fn: typeof handler) => {
          expect(channel).toBe(CALL_CHANNEL);
          handler = fn;
        },
      } as never,
      front.registry,
    );
    const sent: unknown[][] = [];
    const contents = { id: 7, isDestroyed: () => false, send: (...args: unknown[]) => sent.push(args) };
    const off = forwardEvents(front.events, contents as never, front.registry, sessions);
    const event = { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null }, sender: { id: 7 } };

    expect(await handler!(event, 'office.status', {}, null)).toEqual({
      ok: true,
      value: { state: 'local', url: null, fingerprint: null, seen: null, lastUser: null, problem: null },
    });
    // Not a server's address: said as wrong arguments, nothing switched.
    const bad = (await handler!(event, 'office.probe', { url: 'http://nas' }, null)) as {
      ok: boolean;
      error: { code: string };
    };
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    // Leaving when on this PC's archive already: the window hears the state, nobody signed in.
    expect(await handler!(event, 'office.disconnect', {}, null)).toMatchObject({
      ok: true,
      value: { state: 'local' },
    });
    expect(sent).toContainEqual([EVENT_CHANNEL, 'office.state', expect.objectContaining({ state: 'local' })]);
    // The embedded core answers the rest while the PC works on its own archive.
    expect(await handler!(event, 'auth.status', {}, null)).toMatchObject({
      ok: true,
      value: { needsSetup: true },
    });
    off();
  });
});
