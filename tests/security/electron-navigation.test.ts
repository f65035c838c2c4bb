/**
 * Attacks on the Electron shell from a mail, with Electron's objects substituted (its binary cannot
 * run here; main.ts wires exactly these functions):
 * - a middle or shift click on a link in a mail reaches setWindowOpenHandler directly (Chromium
 *   sends it as a new-tab request, with no window features): it used to go to the system browser
 *   with no confirmation. Only the app's own confirmed window.open (which passes features) opens.
 * - a link or <area> with target=_self navigates the mail frame: to a data: page, a file, a site.
 *   will-navigate sees only the top frame; will-frame-navigate now keeps every frame in place.
 */
import { describe, expect, it, vi } from 'vitest';
import { hardenWebContents, isAllowedNavigation } from '../../main/electron/security.ts';

type Listener = (...args: unknown[]) => void;

function hardened() {
  const listeners = new Map<string, Listener>();
  let open:
    | ((d: { url: string; features: string; disposition: string; frameName: string }) => unknown)
    | undefined;
  const contents = {
    on: vi.fn((name: string, fn: Listener) => listeners.set(name, fn)),
    setWindowOpenHandler: vi.fn((fn) => {
      open = fn;
    }),
  };
  const shell = { openExternal: vi.fn(async () => {}) };
  hardenWebContents(contents as never, shell);
  const frameNavigation = (url: string, isMainFrame: boolean) => {
    const event = { url, isMainFrame, preventDefault: vi.fn() };
    const listener = listeners.get('will-frame-navigate');
    if (!listener) throw new Error('no will-frame-navigate handler');
    listener(event);
    return event.preventDefault.mock.calls.length > 0 ? 'blocked' : 'allowed';
  };
  return { open: open!, shell, frameNavigation };
}

describe('Electron: a link in a mail never opens or navigates by itself', () => {
  it('refuses a middle/shift click from the mail frame (no window features), opens the confirmed one', () => {
    const { open, shell } = hardened();
    for (const disposition of ['background-tab', 'foreground-tab', 'new-window']) {
      expect(open({ url: 'https://phish.test/', features: '', disposition, frameName: '' })).toEqual({
        action: 'deny',
      });
    }
    expect(
      open({ url: 'https://phish.test/', features: '', disposition: 'foreground-tab', frameName: '_blank' }),
    ).toEqual({ action: 'deny' });
    expect(shell.openExternal).not.toHaveBeenCalled();
    open({
      url: 'https://www.agid.gov.it/',
      features: 'noopener,noreferrer',
      disposition: 'foreground-tab',
      frameName: '_blank',
    });
    expect(shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://www.agid.gov.it/');
  });

  it('keeps the mail frame on its blob: document: no data:, file:, site or other blob', () => {
    const { frameNavigation } = hardened();
    expect(frameNavigation('blob:app://pecdesk/3f2a-44c1', false)).toBe('allowed');
    for (const url of [
      'data:text/html,<h1>Fattura</h1>',
      'https://phish.test/',
      'file:///etc/passwd',
      'about:srcdoc',
      'blob:https://phish.test/1',
      'app://pecdesk/index.html',
    ])
      expect(frameNavigation(url, false), url).toBe('blocked');
  });

  it('keeps the window on app://pecdesk/', () => {
    const { frameNavigation } = hardened();
    expect(frameNavigation('app://pecdesk/index.html', true)).toBe('allowed');
    expect(frameNavigation('data:text/html,x', true)).toBe('blocked');
    expect(frameNavigation('app://pecdesk.evil/', true)).toBe('blocked');
    expect(isAllowedNavigation('https://www.agid.gov.it/', true)).toBe(false);
  });
});
