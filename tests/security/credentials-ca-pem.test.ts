/**
 * Issue 10, credentials: the API's `caFile` was a path the core read. A client learnt whether any
 * file existed (ENOENT/EISDIR in the reply) and `/dev/zero` grew the bridge to 1.1 GB. The API now
 * takes the CA's PEM text, bounded and parsed as certificates; the CLI reads `--ca FILE` itself; an
 * archive from before has its CA file read once, at open, with the same bounds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccount, insertAccount } from '../../db/accounts.ts';
import { Archive } from '../../main/archive/archive.ts';
import { type Core, openCore } from '../../main/core.ts';
import { tempDir } from '../support/archive.ts';
import { FakeImapServer } from './credentials-fake-imap.ts';
import { personEnv } from './credentials-support.ts';

describe('credentials: the CA crosses the API as PEM text, never as a path', () => {
  let server: FakeImapServer;
  let core: Core;
  beforeAll(async () => {
    server = await FakeImapServer.start();
    core = await openCore({
      archiveDir: join(tempDir('pecdesk-ca-'), 'archive'),
      env: personEnv({ PECDESK_SECRET_KEY: 'ca' }),
      watch: false,
    });
  });
  afterAll(async () => {
    await core?.close();
    await server?.close();
  });

  const probe = (extra: Record<string, unknown>) =>
    core.registry.call(
      'accounts.test',
      {
        email: 'prova@pec.ca.test',
        password: 'pw-prova',
        imapHost: '127.0.0.1',
        imapPort: server.port,
        security: 'tls',
        ...extra,
      },
      { transport: 'http' },
    );

  it('a path tells a client nothing about the files of the machine the core runs on', async () => {
    const existing = await probe({ caFile: '/etc' });
    const missing = await probe({ caFile: '/nonexistent/ca.pem' });
    const text = JSON.stringify([existing, missing]);
    expect(text).not.toMatch(/ENOENT|EISDIR|no such file|directory/i);
    expect(existing).toEqual(missing);
    expect(existing).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
  });

  it('PEM certificates are taken and used to trust the server', async () => {
    const mark = server.logins.length;
    const r = await probe({ caPem: server.caPem });
    // The TLS handshake succeeded with that CA: the login reached the server, which refused it.
    expect(r).toMatchObject({ ok: true, value: { ok: false, errorCode: 'auth-failed' } });
    expect(server.passwordsSeen(mark)).toEqual(['pw-prova']);
  });

  it('refuses what is not certificates, and text beyond its bound, before connecting', async () => {
    const mark = server.connections;
    const key =
      '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n';
    for (const caPem of [
      'not a certificate',
      key,
      `${server.caPem}${key}`,
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      `${server.caPem}${'\0'.repeat(300 * 1024)}`,
    ]) {
      const r = await probe({ caPem });
      expect(r, caPem.slice(0, 40)).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    }
    expect(server.connections).toBe(mark);
  });

  it('an archive from before: its CA file is read once into the db, and /dev/zero is not read at all', async () => {
    const dir = join(tempDir('pecdesk-old-ca-'), 'archive');
    mkdirSync(dir, { recursive: true });
    const caFile = join(dir, '..', 'server-ca.pem');
    writeFileSync(caFile, server.caPem);
    const old = Archive.open(dir);
    const row = (email: string, path: string) =>
      insertAccount(old.db, {
        email,
        imapHost: '127.0.0.1',
        imapPort: server.port,
        imapSecurity: 'tls',
        imapUser: email,
        caFile: path,
        createdAt: new Date().toISOString(),
      });
    row('file@pec.ca.test', caFile);
    row('zero@pec.ca.test', '/dev/zero');
    old.close();
    const started = Date.now();
    const opened = await openCore({
      archiveDir: dir,
      env: personEnv({ PECDESK_SECRET_KEY: 'x' }),
      watch: false,
    });
    try {
      const db = opened.services.archive!.db;
      expect(findAccount(db, 'file@pec.ca.test')).toMatchObject({ caFile: null });
      expect(findAccount(db, 'file@pec.ca.test')?.caPem).toContain('-----BEGIN CERTIFICATE-----');
      expect(findAccount(db, 'zero@pec.ca.test')).toMatchObject({ caFile: null, caPem: null });
    } finally {
      await opened.close();
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
