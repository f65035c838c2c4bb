/**
 * The office connection settings (issue 16): the file in the person's config folder, and what a
 * probed certificate means given the pins (first contact, the pinned one, a changed one).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONNECTION_FILE,
  canonicalUrl,
  EMPTY_SETTINGS,
  forgetServer,
  pinDecision,
  pinServer,
  readSettings,
  withLastUser,
  writeSettings,
} from '../../../main/office-client/connection-store.ts';
import { tempDir } from '../../support/archive.ts';

const FP = Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':');
const OTHER = 'AB:'.repeat(31) + 'AB';

describe('office connection settings', () => {
  it('reads nothing as no server, and writes owner-only what it reads back', () => {
    const dir = join(tempDir('pecdesk-office-cfg-'), 'PecDesk');
    expect(readSettings(dir)).toEqual(EMPTY_SETTINGS);
    const pinned = pinServer(EMPTY_SETTINGS, 'nas.studio.lan', FP.toLowerCase().replaceAll(':', ''));
    writeSettings(dir, withLastUser(pinned, 'rita'));
    expect(statSync(join(dir, CONNECTION_FILE)).mode & 0o777).toBe(0o600);
    expect(readSettings(dir)).toEqual({
      server: { url: 'https://nas.studio.lan:4443', fingerprint: FP, lastUser: 'rita' },
      pins: { 'https://nas.studio.lan:4443': FP },
    });
  });

  it('refuses a damaged file rather than forgetting its pins', () => {
    const dir = tempDir('pecdesk-office-cfg-');
    writeFileSync(join(dir, CONNECTION_FILE), '{"version":1,"server":null,"pins":{"x":"zz"}}');
    expect(() => readSettings(dir)).toThrow(/not a PecDesk office connection file/);
    writeFileSync(join(dir, CONNECTION_FILE), '{"version":1,');
    expect(() => readSettings(dir)).toThrow(/not JSON/);
  });

  it('writes an address the same however it was typed', () => {
    expect(canonicalUrl(' 192.168.1.20 ')).toBe('https://192.168.1.20:4443');
    expect(canonicalUrl('https://nas:8443/')).toBe('https://nas:8443');
    expect(() => canonicalUrl('http://nas')).toThrow(/https/);
  });

  it('first contact, then the pinned one, then a change, also after disconnecting', () => {
    const url = 'https://nas:4443';
    expect(pinDecision(EMPTY_SETTINGS, url, FP)).toEqual({ kind: 'first-contact' });
    const pinned = pinServer(EMPTY_SETTINGS, url, FP);
    expect(pinDecision(pinned, 'nas', FP.toLowerCase())).toEqual({ kind: 'pinned' });
    expect(pinDecision(pinned, url, OTHER)).toEqual({ kind: 'changed', pinned: FP });
    // Leaving the server keeps the pin: coming back to a replaced certificate is still a change.
    const left = forgetServer(pinned);
    expect(left.server).toBeNull();
    expect(pinDecision(left, url, OTHER)).toEqual({ kind: 'changed', pinned: FP });
    // Another server is a first contact of its own.
    expect(pinDecision(left, 'https://altro:4443', OTHER)).toEqual({ kind: 'first-contact' });
  });

  it('keeps the last user name of the same server only', () => {
    const a = withLastUser(pinServer(EMPTY_SETTINGS, 'nas', FP), 'rita');
    expect(pinServer(a, 'nas', OTHER).server?.lastUser).toBe('rita');
    expect(pinServer(a, 'altro', OTHER).server?.lastUser).toBeNull();
    expect(withLastUser(EMPTY_SETTINGS, 'rita')).toEqual(EMPTY_SETTINGS);
    expect(() => pinServer(EMPTY_SETTINGS, 'nas', 'non-una-impronta')).toThrow(/fingerprint/);
  });

  it('makes the config folder when it is missing', () => {
    const dir = join(tempDir('pecdesk-office-cfg-'), 'a', 'b');
    writeSettings(dir, pinServer(EMPTY_SETTINGS, 'nas', FP));
    expect(JSON.parse(readFileSync(join(dir, CONNECTION_FILE), 'utf8')).version).toBe(1);
  });
});
