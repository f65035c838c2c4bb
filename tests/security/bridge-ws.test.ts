/**
 * Attack: a WebSocket client (any page holding the token, or a bug in the renderer) sends frames
 * the bridge does not expect. `null` used to throw inside the message listener and a text frame
 * that is not UTF-8 made ws emit an 'error' nobody listened to: either stopped the whole serve
 * process. Now each bad frame gets an error frame (or that one socket is closed) and serve keeps
 * answering everyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningServe, startServeProcess } from './bridge-serve.ts';

let serve: RunningServe;

beforeAll(async () => {
  serve = await startServeProcess();
});
afterAll(async () => {
  await serve?.stop();
});

async function connect(): Promise<{ ws: WebSocket; next: () => Promise<unknown>; closed: Promise<number> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/api/ws?token=${serve.token}`);
  const queue: unknown[] = [];
  const waiting: { resolve: (m: unknown) => void; reject: (e: Error) => void }[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    const w = waiting.shift();
    if (w) w.resolve(msg);
    else queue.push(msg);
  });
  const closed = new Promise<number>((resolve) =>
    ws.on('close', (code) => {
      for (const w of waiting.splice(0)) w.reject(new Error(`socket closed (${code}): ${serve.output()}`));
      resolve(code);
    }),
  );
  ws.on('error', () => {});
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const next = () =>
    queue.length > 0
      ? Promise.resolve(queue.shift())
      : ws.readyState !== ws.OPEN
        ? Promise.reject(new Error(`socket closed: ${serve.output()}`))
        : new Promise<unknown>((resolve, reject) => waiting.push({ resolve, reject }));
  return { ws, next, closed };
}

/** A real call on a new connection: the server is alive and answering. */
async function serveAnswers(): Promise<void> {
  const { ws, next } = await connect();
  ws.send(JSON.stringify({ id: 1, method: 'app.info', args: {} }));
  expect(await next()).toMatchObject({ type: 'response', id: 1, response: { ok: true } });
  ws.close();
}

describe('bridge WebSocket: one bad frame never stops serve', () => {
  it.each([
    ['null', 'null'],
    ['a number', '42'],
    ['an array', '[]'],
    ['a string', '"x"'],
    ['not JSON', '{'],
  ])('%s gets an error frame and the same socket keeps working', async (_name, frame) => {
    const { ws, next } = await connect();
    ws.send(frame);
    expect(await next()).toMatchObject({ type: 'error' });
    ws.send(JSON.stringify({ id: 2, method: 'app.info', args: {} }));
    expect(await next()).toMatchObject({ type: 'response', id: 2, response: { ok: true } });
    ws.close();
    expect(serve.child.exitCode, serve.output()).toBeNull();
  });

  it('an object without a method is an error response for its id, not a crash', async () => {
    const { ws, next } = await connect();
    ws.send(JSON.stringify({ id: 3 }));
    expect(await next()).toMatchObject({
      type: 'response',
      id: 3,
      response: { ok: false, error: { code: 'unknown-method' } },
    });
    ws.close();
  });

  it('a binary frame gets an error frame', async () => {
    const { ws, next } = await connect();
    ws.send(Buffer.from(JSON.stringify({ id: 4, method: 'app.info', args: {} })), { binary: true });
    expect(await next()).toMatchObject({ type: 'error' });
    ws.close();
  });

  it('a text frame that is not UTF-8 closes that socket (1007) and serve keeps answering', async () => {
    const { ws, closed } = await connect();
    ws.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
    await new Promise((r) => setTimeout(r, 300));
    expect(serve.child.exitCode, serve.output()).toBeNull();
    await serveAnswers();
  });

  it('after all of them, serve is still running and answers a new client', async () => {
    await serveAnswers();
    expect(serve.child.exitCode, serve.output()).toBeNull();
  });
});
