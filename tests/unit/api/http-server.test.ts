import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventBus } from '../../../main/api/events.ts';
import { registryFor } from '../../../main/api/handlers.ts';
import { type RunningBridge, startBridge } from '../../../main/server/http-server.ts';

const TOKEN = 'x'.repeat(43);

function http(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('HTTP/WebSocket bridge', () => {
  let bridge: RunningBridge;
  const events = new EventBus();
  const dir = mkdtempSync(join(tmpdir(), 'pecdesk-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>PecDesk</title>');
  writeFileSync(join(tmpdir(), 'secret.txt'), 'secret');

  beforeAll(async () => {
    const registry = registryFor({ version: '9.9.9', archiveDir: '/a', anchors: undefined });
    bridge = await startBridge({ registry, events, staticDir: dir, port: 0, token: TOKEN });
  });
  afterAll(() => bridge.close());

  const call = (headers: Record<string, string>) =>
    http(bridge.port, '/api/call', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"method":"app.info","args":{}}',
    });

  it('listens on 127.0.0.1 only and prints a URL with the token in the fragment', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/#token=${TOKEN}`);
  });

  it('answers API calls with the token, 401 without or with a wrong one', async () => {
    expect((await call({ authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect(JSON.parse((await call({ authorization: `Bearer ${TOKEN}` })).body).value.version).toBe('9.9.9');
    expect((await call({})).status).toBe(401);
    expect((await call({ authorization: `Bearer ${TOKEN.slice(1)}y` })).status).toBe(401);
  });

  it('refuses other origins and other Host names (DNS rebinding), and sends no CORS header', async () => {
    const foreign = await call({ authorization: `Bearer ${TOKEN}`, origin: 'http://evil.test' });
    expect(foreign.status).toBe(401);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const rebound = await call({ authorization: `Bearer ${TOKEN}`, host: `evil.test:${bridge.port}` });
    expect(rebound.status).toBe(403);
  });

  it('serves the renderer with the CSP and never a file outside its folder', async () => {
    const page = await http(bridge.port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const outside = await http(bridge.port, '/..%2Fsecret.txt');
    expect(outside.body).not.toContain('secret');
  });

  it('carries calls and pushes events over the WebSocket, with the token only', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/ws?token=${TOKEN}`);
    await new Promise((r) => ws.once('open', r));
    const messages: unknown[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    ws.send(JSON.stringify({ id: 7, method: 'app.info', args: {} }));
    events.emit('app.notice', { level: 'info', message: 'ciao' });
    await expect.poll(() => messages.length).toBe(2);
    expect(messages).toContainEqual({
      type: 'event',
      event: 'app.notice',
      payload: { level: 'info', message: 'ciao' },
    });
    expect(messages).toContainEqual({
      type: 'response',
      id: 7,
      response: expect.objectContaining({ ok: true }),
    });
    ws.close();

    const refused = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/ws?token=wrong`);
    const outcome = await new Promise((r) => {
      refused.once('open', () => r('open'));
      refused.once('error', () => r('refused'));
    });
    expect(outcome).toBe('refused');
  });

  /** The upgrade's outcome: 'open', or the HTTP status it was refused with. */
  function upgrade(query: string, headers: Record<string, string> = {}): Promise<'open' | number> {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/ws${query}`, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  it('accepts a WebSocket upgrade only with the token, from our origin, for our Host', async () => {
    expect(await upgrade(`?token=${TOKEN}`)).toBe('open');
    expect(await upgrade('')).toBe(401);
    expect(await upgrade('?token=')).toBe(401);
    expect(await upgrade(`?token=${TOKEN.slice(1)}y`)).toBe(401);
    expect(await upgrade(`?token=${TOKEN}x`)).toBe(401);
    expect(await upgrade(`?token=${TOKEN}`, { origin: 'http://evil.test' })).toBe(401);
    expect(await upgrade(`?token=${TOKEN}`, { host: `evil.test:${bridge.port}` })).toBe(401);
  });
});
