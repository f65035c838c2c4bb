/**
 * The Electron wiring with Electron's objects substituted: the binary cannot run here, so the
 * rules are tested as the functions the shell calls (security.ts, ipc.ts, app-protocol.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../main/api/events.ts';
import type { ApiRegistry } from '../../../main/api/registry.ts';
import { createAppProtocolHandler } from '../../../main/electron/app-protocol.ts';
import { CALL_CHANNEL, EVENT_CHANNEL, forwardEvents, wireIpc } from '../../../main/electron/ipc.ts';
import {
  hardenWebContents,
  isSafeExternalUrl,
  isTrustedSender,
  windowOptions,
} from '../../../main/electron/security.ts';

describe('Electron window and IPC security', () => {
  it('the window runs sandboxed, isolated, without Node', () => {
    const prefs = windowOptions('/p/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/p/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('answers IPC only from the app top frame', () => {
    expect(isTrustedSender({ url: 'app://pecdesk/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'https://evil.test/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'app://pecdesk/index.html', parent: {} as never })).toBe(false);
    expect(isTrustedSender({ url: 'app://pecdesk.evil/', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('wires the contract to one handle channel and checks the sender of every call', async () => {
    const handle = vi.fn();
    const registry: ApiRegistry = {
      call: vi.fn(async () => ({ ok: true as const, value: 1 })),
      filterEvents: () => (_e, p) => p,
    };
    const sessions = wireIpc({ handle }, registry);
    expect(handle).toHaveBeenCalledWith(CALL_CHANNEL, expect.any(Function));
    const listener = handle.mock.calls[0]![1];
    const good = await listener(
      { senderFrame: { url: 'app://pecdesk/index.html', parent: null }, sender: { id: 3 } },
      'app.info',
      {},
      'token-1',
    );
    expect(good).toEqual({ ok: true, value: 1 });
    expect(registry.call).toHaveBeenCalledWith(
      'app.info',
      {},
      { transport: 'ipc', session: 'token-1', origin: 'desktop' },
    );
    // The window's events follow the session of its last call.
    expect(sessions.of(3)).toBe('token-1');
    const bad = await listener({ senderFrame: { url: 'https://evil.test/', parent: null } }, 'app.info', {});
    expect(bad).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(registry.call).toHaveBeenCalledTimes(1);
  });

  it('forwards to the window the core events its person may receive, until it is destroyed', () => {
    const events = new EventBus();
    const contents = { send: vi.fn(), isDestroyed: vi.fn(() => false), id: 4 };
    const seen: (string | null)[] = [];
    const registry: ApiRegistry = {
      call: vi.fn(),
      // Only what the registry lets through, for the window's session.
      filterEvents: (caller) => (event, payload) => {
        seen.push(caller().session ?? null);
        return event === 'app.notice' ? payload : undefined;
      },
    };
    const off = forwardEvents(events, contents, registry, { of: () => 'tok', forget: vi.fn() });
    events.emit('app.notice', { level: 'info', message: 'x' });
    events.emit('search.backfill', { done: 1, total: 2 });
    expect(contents.send).toHaveBeenCalledWith(EVENT_CHANNEL, 'app.notice', { level: 'info', message: 'x' });
    expect(contents.send).toHaveBeenCalledTimes(1);
    expect(seen).toEqual(['tok', 'tok']);
    off();
    events.emit('app.notice', { level: 'info', message: 'y' });
    expect(contents.send).toHaveBeenCalledTimes(1);
  });

  it('blocks navigation and new windows; confirmed safe links go to the system browser', () => {
    const handlers = new Map<string, (...a: unknown[]) => void>();
    let openHandler: ((d: { url: string; features: string }) => { action: string }) | undefined;
    const contents = {
      on: vi.fn((name: string, fn: (...a: unknown[]) => void) => handlers.set(name, fn)),
      setWindowOpenHandler: vi.fn((fn) => {
        openHandler = fn;
      }),
    };
    const shell = { openExternal: vi.fn(async () => {}) };
    hardenWebContents(contents as never, shell);
    const nav = { preventDefault: vi.fn() };
    handlers.get('will-navigate')!(nav, 'https://evil.test/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const inApp = { preventDefault: vi.fn() };
    handlers.get('will-navigate')!(inApp, 'app://pecdesk/index.html');
    expect(inApp.preventDefault).not.toHaveBeenCalled();
    const confirmed = 'noopener,noreferrer';
    expect(openHandler!({ url: 'https://www.agid.gov.it/', features: confirmed })).toEqual({
      action: 'deny',
    });
    expect(shell.openExternal).toHaveBeenCalledWith('https://www.agid.gov.it/');
    expect(openHandler!({ url: 'file:///etc/passwd', features: confirmed })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'javascript:alert(1)', features: confirmed })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('only web and mail links are external links', () => {
    expect(isSafeExternalUrl('https://a.test/x')).toBe(true);
    expect(isSafeExternalUrl('mailto:a@b.test')).toBe(true);
    expect(isSafeExternalUrl('smb://nas/share')).toBe(false);
    expect(isSafeExternalUrl('https://user:pw@a.test/')).toBe(false);
    expect(isSafeExternalUrl('not a url')).toBe(false);
  });

  it('app:// serves the renderer with the CSP and nothing outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pecdesk-app-'));
    writeFileSync(join(dir, 'index.html'), '<title>x</title>');
    const handler = createAppProtocolHandler(dir);
    const ok = await handler(new Request('app://pecdesk/'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(ok.headers.get('content-security-policy')).toContain('frame-src blob:;');
    expect(ok.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await handler(new Request('app://pecdesk/%2e%2e/%2e%2e/etc/passwd'))).status).toBe(404);
    expect((await handler(new Request('app://other/index.html'))).status).toBe(404);
  });
});
