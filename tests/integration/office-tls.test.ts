/**
 * The office server with the office's own certificate (--tls-cert/--tls-key) and clients that
 * verify it against the CA (--ca); who may reach the API from a browser (same origin only); and
 * /health when the archive cannot be read.
 */
import { existsSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connectRemote, probeFingerprint } from '../../main/client/remote.ts';
import { openCore } from '../../main/core.ts';
import { startOfficeServer } from '../../main/server/office-server.ts';
import { loadServerTls } from '../../main/server/office-tls.ts';
import { tempDir } from '../support/archive.ts';
import { cliArchive, runPecdesk } from '../support/cli.ts';
import { getJson, PASSWORD, type RunningServer, startServer } from './office-world.ts';

function post(
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/call`,
      {
        method: 'POST',
        rejectUnauthorized: false,
        headers: { 'Content-Type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function upgrade(url: string, origin: string): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('https:', 'wss:')}/api/ws`, {
      rejectUnauthorized: false,
      origin,
    });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
}

describe('the office server with the office CA, and who reaches its API', () => {
  const { archive, pecdesk } = cliArchive('pecdesk-office-tls-');
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(archive, '..', 'config'),
    PECDESK_SECRETS: 'file',
    PECDESK_SECRET_KEY: 'pecdesk-office-tls-',
  };
  // The office's certificate, made elsewhere (here with the server's own maker, in another folder).
  const office = loadServerTls(tempDir('pecdesk-office-ca-'));
  const other = loadServerTls(tempDir('pecdesk-office-ca-'));
  let server: RunningServer;

  beforeAll(async () => {
    const owner = await pecdesk(['user', 'add', '--name', 'titolare', '--role', 'owner'], {
      PECDESK_USER_PASSWORD: PASSWORD,
    });
    expect(owner.code, owner.stderr).toBe(0);
    server = await startServer(
      { archive, env },
      { args: ['--tls-cert', office.certFile, '--tls-key', office.certFile.replace('cert.pem', 'key.pem')] },
    );
  }, 120_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  it('serves the certificate given (no self-signed one made); --ca verifies it, another CA is refused', async () => {
    expect(server.fingerprint).toBe(office.fingerprint);
    expect(existsSync(join(archive, 'server-tls'))).toBe(false);
    const run = (ca: string) =>
      runPecdesk(['--server', server.url, '--ca', ca, '--user', 'titolare', 'tag', 'list'], {
        ...env,
        PECDESK_USER_PASSWORD: PASSWORD,
      });
    const ok = await run(office.certFile);
    expect(ok.code, ok.stderr).toBe(0);
    const refused = await run(other.certFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/certificate is not trusted/);
  }, 60_000);

  it('first contact: the fingerprint is shown, pinned when confirmed, nothing sent when not', async () => {
    let shown = '';
    await expect(
      connectRemote({
        url: server.url,
        onFirstContact: (fp) => {
          shown = fp;
          return false;
        },
      }),
    ).rejects.toMatchObject({ code: 'fingerprint-refused' });
    expect(shown).toBe(office.fingerprint);
    expect(await probeFingerprint(server.url)).toBe(office.fingerprint);
    const client = await connectRemote({ url: server.url, onFirstContact: () => true });
    expect(client.fingerprint).toBe(office.fingerprint);
    expect((await client.login('titolare', PASSWORD)).ok).toBe(true);
    await client.call('auth.logout', {});
    await client.close();
  });

  it('a browser reaches the API only from the server own origin; any Host name is fine', async () => {
    const call = { method: 'auth.status', args: {} };
    const foreign = await post(server.url, call, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(401);
    const own = await post(server.url, call, { Origin: server.url, Host: `127.0.0.1:${server.port}` });
    expect(own.status).toBe(200);
    expect(JSON.parse(own.text)).toMatchObject({ ok: true, value: { mode: 'logins' } });
    const alias = await post(server.url, call, { Host: 'pecdesk.studio.lan' });
    expect(alias.status).toBe(200);
    expect(await upgrade(server.url, 'https://evil.example')).toBe(401);
    expect(await upgrade(server.url, server.url)).toBe('open');
  });

  it('/health says 503 with the reason when the archive cannot be read', async () => {
    const dir = tempDir('pecdesk-office-health-');
    const core = await openCore({ archiveDir: join(dir, 'archive'), watch: false, env });
    const lines: string[] = [];
    const running = await startOfficeServer({
      core,
      host: '127.0.0.1',
      port: 0,
      tls: loadServerTls(dir),
      staticDir: dir,
      log: (level, event) => lines.push(`${level} ${event}`),
    });
    try {
      const ok = await getJson(running.url, '/health');
      expect(ok).toMatchObject({ status: 200, body: { status: 'ok', archive: 'ok', accounts: 0 } });
      core.services.archive!.close();
      const broken = await getJson(running.url, '/health');
      expect(broken.status).toBe(503);
      expect(broken.body).toMatchObject({ status: 'error', archive: 'error' });
      expect((broken.body as { reason: string }).reason).toMatch(/not open|closed/i);
    } finally {
      await running.close();
      await core.close().catch(() => {});
    }
  });
});
