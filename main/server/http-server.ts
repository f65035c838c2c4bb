/**
 * The API over HTTP + WebSocket on 127.0.0.1, for the browser and end-to-end tests. Only loopback;
 * a per-start random token (given in the URL fragment, never logged by the server) must accompany
 * every API call; the Host header must be ours (DNS rebinding); no CORS header is ever sent.
 */
import { timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { EventBus } from '../api/events.ts';
import type { ApiRegistry } from '../api/registry.ts';
import { CONTENT_SECURITY_POLICY } from '../security/csp.ts';
import { STATIC_CONTENT_TYPES } from '../static-types.ts';

export interface BridgeOptions {
  registry: ApiRegistry;
  events: EventBus;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  port: number;
  token: string;
}

/**
 * Who may reach the API of one server: the loopback bridge (a per-start token, our Host only) and
 * the office server (personal logins, any Host, same-origin browsers) differ only here.
 */
export interface AccessPolicy {
  /** Whether the Host header is acceptable at all (DNS rebinding). */
  host(req: IncomingMessage): boolean;
  /** Whether an /api/ request may reach the registry (token, Origin). */
  api(req: IncomingMessage): boolean;
  /** Whether a WebSocket upgrade to /api/ws may be made (its URL carries what a browser can send). */
  socket(req: IncomingMessage, url: URL): boolean;
}

/** The API and the static renderer on a server someone else made (http or https). */
export interface ApiHostOptions {
  registry: ApiRegistry;
  events: EventBus;
  staticDir: string;
  policy: AccessPolicy;
  /** Routes answered before the API and the static files (the office's /health); true if taken. */
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
  /** A WebSocket client came or went (the office's log). */
  onSocket?: (machine: string, phase: 'open' | 'close') => void;
  /** Where failures are logged (default: standard error). */
  log?: (line: string) => void;
  /** The transport the log names in front of the machine ("http", "https"). */
  scheme?: string;
}

export interface ApiHost {
  /** Closes every WebSocket client (the HTTP server is the caller's to close). */
  closeSockets(): void;
}

export interface RunningBridge {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 80 * 1024 * 1024;

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const server = createServer();
  const port = () => (server.address() as AddressInfo).port;
  const host = attachApi(server, {
    registry: options.registry,
    events: options.events,
    staticDir: options.staticDir,
    policy: {
      host: (req) => hostAllowed(req, port()),
      api: (req) => {
        const auth = req.headers.authorization ?? '';
        const token = auth.startsWith('Bearer ') ? auth.slice(7) : null;
        return tokenMatches(token, options.token) && originAllowed(req, port());
      },
      socket: (req, url) =>
        hostAllowed(req, port()) &&
        tokenMatches(url.searchParams.get('token'), options.token) &&
        originAllowed(req, port()),
    },
  });

  await listen(server, options.port);
  const actual = port();
  return {
    url: `http://127.0.0.1:${actual}/#token=${options.token}`,
    port: actual,
    close: () =>
      new Promise((resolveClose) => {
        host.closeSockets();
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

/**
 * Serves the API (POST /api/call, WebSocket /api/ws) and the renderer on `server`, with `policy`
 * deciding who may reach them. Used by the loopback bridge and by the office server.
 */
export function attachApi(server: Server | HttpsServer, options: ApiHostOptions): ApiHost {
  const log = options.log ?? ((line: string) => console.error(line));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, options).catch((error) => {
      log(`bridge: ${req.method} ${req.url?.split('?')[0]} failed: ${(error as Error).message}`);
      if (!res.headersSent)
        send(res, 500, { ok: false, error: { code: 'internal', message: 'internal error' } });
      else res.destroy();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the raw socket over without an 'error' listener: a client that resets it while we
    // answer must not turn into an uncaught exception.
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/api/ws' || !options.policy.socket(req, url)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options, machineOf(req), log));
  });
  return {
    closeSockets() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

/**
 * One WebSocket client. Whatever a client sends (JSON that is not an object, a text frame that is
 * not UTF-8, a binary frame), the server answers or closes that one socket and keeps serving: no
 * exception may leave a listener, since an uncaught one stops the whole serve process.
 */
function serveSocket(
  ws: WebSocket,
  options: ApiHostOptions,
  machine: string,
  log: (line: string) => void,
): void {
  // The log says from which machine each call came (an office server has many).
  const origin = `browser ${machine}`;
  options.onSocket?.(machine, 'open');
  const reply = (message: object) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  // The person this socket speaks for: the session its last call carried (none before any call).
  let session: string | null = null;
  const allowed = options.registry.filterEvents(() => ({ transport: 'http', session, origin }));
  const unsubscribe = options.events.subscribe((event, payload) => {
    try {
      const visible = allowed(event, payload);
      if (visible !== undefined) reply({ type: 'event', event, payload: visible });
    } catch (error) {
      log(`bridge: event ${event} not sent: ${(error as Error).message}`);
    }
  });
  ws.on('close', () => {
    unsubscribe();
    options.onSocket?.(machine, 'close');
  });
  // ws reports protocol violations here (1007 for a text frame that is not UTF-8, 1009 for one
  // too large) and closes the socket itself; without a listener the process would die.
  ws.on('error', (error) => log(`bridge: WebSocket closed: ${error.message}`));
  ws.on('message', (data, isBinary) => {
    handleFrame(data, isBinary, options.registry, origin, (s) => {
      session = s;
    })
      .then(reply)
      .catch((error: Error) => {
        log(`bridge: WebSocket call failed: ${error.stack ?? error.message}`);
        reply({ type: 'error', message: 'internal error' });
      });
  });
}

/**
 * A call is a JSON object `{id, method, args}` in a text frame: the registry answers it (an unknown
 * method or wrong arguments become an error response for that id). Anything else gets an error frame.
 */
async function handleFrame(
  data: RawData,
  isBinary: boolean,
  registry: ApiRegistry,
  origin: string,
  onSession: (session: string | null) => void,
): Promise<object> {
  if (isBinary) return { type: 'error', message: 'messages must be JSON text' };
  let msg: unknown;
  try {
    msg = JSON.parse(rawText(data));
  } catch {
    return { type: 'error', message: 'messages must be JSON' };
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg))
    return { type: 'error', message: 'a message must be a JSON object' };
  const { id, method, args, session } = msg as {
    id?: unknown;
    method?: unknown;
    args?: unknown;
    session?: unknown;
  };
  // The person's session (personal logins) travels with each call; the registry decides. The
  // socket's events follow the last one (signing in or out changes what it receives).
  const carried = typeof session === 'string' ? session.slice(0, 200) : null;
  onSession(carried);
  const response = await registry.call(method, args, {
    transport: 'http',
    session: carried,
    origin,
  });
  return { type: 'response', id, response };
}

/** The caller's address, as the log keeps it ("127.0.0.1", "192.168.1.20"). */
export function machineOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ApiHostOptions) {
  if (!options.policy.host(req))
    return send(res, 403, { ok: false, error: { code: 'forbidden', message: 'bad Host' } });
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (options.routes?.(req, res, url)) return;
  if (url.pathname.startsWith('/api/')) {
    if (!options.policy.api(req)) {
      return send(res, 401, { ok: false, error: { code: 'forbidden', message: 'missing or wrong token' } });
    }
    if (url.pathname !== '/api/call' || req.method !== 'POST') {
      return send(res, 404, { ok: false, error: { code: 'not-found', message: 'no such endpoint' } });
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(res, 415, { ok: false, error: { code: 'invalid-arguments', message: 'JSON only' } });
    }
    let body: { method?: unknown; args?: unknown; session?: unknown };
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'));
    } catch (error) {
      return send(res, 400, {
        ok: false,
        error: { code: 'invalid-arguments', message: (error as Error).message },
      });
    }
    return send(
      res,
      200,
      await options.registry.call(body.method, body.args, {
        transport: 'http',
        session: typeof body.session === 'string' ? body.session.slice(0, 200) : null,
        origin: `${options.scheme ?? 'http'} ${machineOf(req)}`,
      }),
    );
  }
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return send(res, 405, { ok: false, error: { code: 'not-found', message: 'GET only' } });
  return serveStatic(url.pathname, res, options.staticDir);
}

async function serveStatic(pathname: string, res: ServerResponse, root: string) {
  const base = resolve(root);
  let file = resolve(join(base, normalize(decodeURIComponent(pathname))));
  if (file !== base && !file.startsWith(base + sep)) return send(res, 404, 'not found');
  const info = await stat(file).catch(() => null);
  if (!info || info.isDirectory()) file = join(base, 'index.html');
  const index = await stat(file).catch(() => null);
  if (!index) return send(res, 503, 'The renderer is not built: run `npm run build:renderer`.');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': STATIC_CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
  });
  createReadStream(file).pipe(res);
}

export function send(res: ServerResponse, status: number, body: unknown) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Browsers send Origin on cross-site requests; only our own origin (or none, e.g. curl) passes. */
function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  return (
    origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
  );
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
