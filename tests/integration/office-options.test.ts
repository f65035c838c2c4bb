/**
 * What people type for the office server and its clients: fingerprints in any spelling, server
 * addresses, --listen, and the global --server options of the CLI.
 */
import { describe, expect, it } from 'vitest';
import { isLoopback, parseListen } from '../../main/cli/commands/server.ts';
import { globalOptions } from '../../main/cli/main.ts';
import { normalizeFingerprint } from '../../main/client/fingerprint.ts';
import { parseServerUrl } from '../../main/client/remote.ts';

const HEX = 'a7:09:62:d4:0e:cc:b4:48:be:ee:2e:c4:1f:7d:8d:fe:9c:69:d5:97:a7:17:f0:ec:1c:92:ed:55:7d:56:61:77';
const CANON = HEX.toUpperCase();

describe('office server options', () => {
  it('reads a fingerprint with or without colons, any case, with the SHA256 prefix openssl or the server print', () => {
    for (const text of [
      HEX,
      CANON,
      HEX.replace(/:/g, ''),
      `SHA256 ${CANON}`,
      `sha256 Fingerprint=${CANON}`,
      ` ${HEX} `,
    ])
      expect(normalizeFingerprint(text)).toBe(CANON);
    expect(normalizeFingerprint(CANON.slice(3))).toBeNull();
    expect(normalizeFingerprint(`${CANON}:00`)).toBeNull();
    expect(normalizeFingerprint('SHA1 AB:CD')).toBeNull();
  });

  it('reads server addresses: https only, default port 4443', () => {
    expect(parseServerUrl('https://nas.studio.lan')).toMatchObject({ host: 'nas.studio.lan', port: 4443 });
    expect(parseServerUrl('192.168.1.10:8443')).toMatchObject({ host: '192.168.1.10', port: 8443 });
    expect(parseServerUrl('https://[::1]:4443').origin).toBe('https://[::1]:4443');
    expect(() => parseServerUrl('http://nas:4443')).toThrow(/https:\/\/ only/);
  });

  it('reads --listen and tells the loopback apart', () => {
    expect(parseListen('0.0.0.0:4443')).toEqual({ host: '0.0.0.0', port: 4443 });
    expect(parseListen('[::]:4443')).toEqual({ host: '::', port: 4443 });
    expect(() => parseListen('4443')).toThrow(/HOST:PORT/);
    expect(() => parseListen('nas:4443')).toThrow(/needs an address/);
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.10'].some(isLoopback)).toBe(false);
  });

  it('takes --server with --user, and refuses what does not go together', () => {
    const { ctx, rest } = globalOptions(
      ['--server', 'https://nas:4443', '--fingerprint', HEX, '--user', 'anna', 'messages', '--json'],
      {},
    );
    expect(ctx.server).toEqual({ url: 'https://nas:4443', fingerprint: HEX, user: 'anna' });
    expect(rest).toEqual(['messages', '--json']);
    expect(() => globalOptions(['--server', 'https://nas', 'messages'], {})).toThrow(/needs --user/);
    expect(() => globalOptions(['--user', 'anna', 'messages'], {})).toThrow(/go with --server/);
    expect(() =>
      globalOptions(
        ['--server', 'https://nas', '--user', 'a', '--fingerprint', HEX, '--ca', 'x.pem', 'messages'],
        {},
      ),
    ).toThrow(/either --fingerprint or --ca/);
    expect(() =>
      globalOptions(['--archive', '/x', '--server', 'https://nas', '--user', 'a', 'messages'], {}),
    ).toThrow(/exclude each other/);
  });
});
