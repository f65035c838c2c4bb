/**
 * Attack: a page in the window (a mail's frame, or anything that got in) asks for the camera, the
 * microphone, the position, notifications, the clipboard, USB/HID/serial devices, or to open an
 * external protocol. Electron grants most of these by default; main.ts only answered requests
 * (never the permission checks, never devices). Now every one is refused, with Electron's session
 * substituted.
 */
import { describe, expect, it, vi } from 'vitest';
import { denyAllPermissions } from '../../main/electron/security.ts';

const REQUESTED = [
  'media',
  'geolocation',
  'notifications',
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'midi',
  'midiSysex',
  'openExternal',
  'pointerLock',
  'keyboardLock',
  'idle-detection',
  'storage-access',
  'window-management',
  'fileSystem',
  'unknown',
];
const CHECKED = [
  'media',
  'geolocation',
  'notifications',
  'clipboard-read',
  'hid',
  'serial',
  'usb',
  'openExternal',
  'fileSystem',
];

function session() {
  const handlers: Record<string, (...a: never[]) => unknown> = {};
  const record = (name: string) =>
    vi.fn((fn: (...a: never[]) => unknown) => {
      handlers[name] = fn;
    });
  return {
    handlers,
    session: {
      setPermissionRequestHandler: record('request'),
      setPermissionCheckHandler: record('check'),
      setDevicePermissionHandler: record('device'),
    },
  };
}

describe('Electron: no page gets any permission', () => {
  it('refuses every permission request, from the app and from a mail frame', () => {
    const { handlers, session: s } = session();
    denyAllPermissions(s as never);
    for (const permission of REQUESTED) {
      for (const origin of ['app://pecdesk', 'blob:app://pecdesk/1']) {
        const callback = vi.fn();
        (handlers.request as (...a: unknown[]) => void)({}, permission, callback, { requestingUrl: origin });
        expect(callback, `${permission} from ${origin}`).toHaveBeenCalledExactlyOnceWith(false);
      }
    }
  });

  it('answers every permission check and device request with no', () => {
    const { handlers, session: s } = session();
    denyAllPermissions(s as never);
    for (const permission of CHECKED)
      expect(
        (handlers.check as (...a: unknown[]) => unknown)(null, permission, 'app://pecdesk', {}),
        permission,
      ).toBe(false);
    expect(
      (handlers.device as (...a: unknown[]) => unknown)({ deviceType: 'usb', origin: 'app://pecdesk' }),
    ).toBe(false);
  });
});
