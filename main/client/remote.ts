/**
 * A client of an office's PecDesk server (`pecdesk server`): the typed API over HTTPS, its events
 * over a WebSocket, for the CLI (`pecdesk --server URL …`) and the desktop ("Connetti al server
 * dell'ufficio").
 *
 * Trust: the server usually has a self-signed certificate, so the client pins it by its SHA-256
 * fingerprint (as printed by the server at start), or verifies it against the office's own CA
 * (`ca`). With a fingerprint, every connection is checked BEFORE a byte of the request is written
 * (the TLS socket is made and checked here, then handed to http/ws), so a password never reaches a
 * server that merely answers at the same address.
 *
 * Calls answer with the registry's own {ok, value | error}; a call that cannot reach the server at
 * all (network, TLS, a changed certificate) throws a RemoteError with its code instead, so a front
 * end can tell "the server said no" from "the server is not there".
 */
import { EventEmitter } from 'node:events';
import { request } from 'node:http';
import { isIP } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { WebSocket } from 'ws';
import type { ApiArgs, ApiEvents, ApiResponse, ApiResults } from '../api/contract.ts';
import type { ApiEventName, ApiMethod } from '../api/methods.ts';
import { fingerprintOfDer, normalizeFingerprint } from './fingerprint.ts';

export const DEFAULT_SERVER_PORT = 4443;

export type RemoteErrorCode =
  /** The server's certificate is not the pinned one (message names both fingerprints). */
  | 'fingerprint-mismatch'
  /** First contact: the person did not confirm the fingerprint shown. */
  | 'fingerprint-refused'
  /** The URL or the pin given is not usable. */
  | 'bad-options'
  /** No answer: refused, unreachable, timed out, closed midway. */
  | 'unreachable'
  /** TLS failed (a certificate the CA did not sign, a wrong host name…). */
  | 'tls'
  /** The server answered something that is not the API (another program on that port). */
  | 'protocol'
  /** client.close() was called. */
  | 'closed';

export class RemoteError extends Error {
  constructor(
    readonly code: RemoteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

export interface RemoteOptions {
  /** https://host[:port] (default port 4443); "host:port" alone is read as https. */
  url: string;
  /** The server's SHA-256 certificate fingerprint, in any usual spelling (colons, case). */
  fingerprint?: string;
  /** The office CA's certificate(s), PEM: normal verification (chain and host name) against it. */
  ca?: string | Buffer;
  /**
   * Neither fingerprint nor ca: called once with the server's fingerprint, to show and confirm on
   * first contact; true pins it for this client (the caller keeps it for next time, see
   * client.fingerprint). Without this callback either, the system's CAs verify the server.
   */
  onFirstContact?: (fingerprint: string) => boolean | Promise<boolean>;
  /** Reconnection of the events socket: first pause and the longest (ms). */
  reconnect?: { minMs?: number; maxMs?: number };
  /** How long a call may take before it counts as unreachable (default 120 s). */
  timeoutMs?: number;
}

export type RemoteStatus = 'connected' | 'disconnected';

export interface RemoteClient {
  /** The server's base URL (https://host:port). */
  readonly url: string;
  /** The pinned fingerprint (given, or confirmed on first contact); null with a CA. */
  readonly fingerprint: string | null;
  /** The session of the person signed in, or null. */
  readonly session: string | null;
  /**
   * Signs in (auth.login, then auth.totp when the person has two-step verification and `totp` is
   * given). On success the session is kept and sent with every call; `pendingTotp: true` means
   * a code is still needed (client.totp).
   */
  login(
    user: string,
    password: string,
    totp?: string,
  ): Promise<ApiResponse<{ token: string; pendingTotp: boolean }>>;
  /** The second step of a login that answered pendingTotp. */
  totp(code: string): Promise<ApiResponse<{ token: string }>>;
  /** Uses a session kept from before (null forgets it). */
  setSession(token: string | null): void;
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResponse<ApiResults[M]>>;
  /** Any method name (what a bridge forwards unchecked: the server validates). */
  callUnchecked(method: string, args: unknown): Promise<ApiResponse<unknown>>;
  on(kind: 'event', listener: (event: ApiEventName, payload: unknown) => void): this;
  on(kind: 'status', listener: (status: RemoteStatus, detail: RemoteError | null) => void): this;
  // biome-ignore lint/suspicious/noExplicitAny: the listener given to on(), whichever kind
  off(kind: 'event' | 'status', listener: (...args: any[]) => void): this;
  /** Events of one name, typed; returns the unsubscribe function. */
  onEvent<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** Whether the events socket is open now. */
  readonly connected: boolean;
  /** Signs nothing out (the session stays valid on the server); stops the events socket. */
  close(): Promise<void>;
}

interface Target {
  host: string;
  port: number;
  origin: string;
}

type Pin = { fingerprint: string } | { ca: string | Buffer } | { system: true };

/** Reads https://host:port, host:port or a bare host. Only https: the API never goes in clear. */
export function parseServerUrl(text: string): Target {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new RemoteError('bad-options', `${text} is not a server address (https://host:port)`);
  }
  if (url.protocol !== 'https:')
    throw new RemoteError('bad-options', `${text}: the office server is reached over https:// only`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : DEFAULT_SERVER_PORT;
  const hostPart = isIP(host) === 6 ? `[${host}]` : host;
  return { host, port, origin: `https://${hostPart}:${port}` };
}

/**
 * A TLS connection checked against the pin; resolves only once it is safe to write to it.
 */
function secureSocket(target: Target, pin: Pin, timeoutMs: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: target.host,
      port: target.port,
      // SNI takes names only, never an address.
      ...(isIP(target.host) ? {} : { servername: target.host }),
      ALPNProtocols: ['http/1.1'],
      // A pinned fingerprint replaces chain and name checks (self-signed certificates have no
      // chain); it is checked below before anything is written.
      rejectUnauthorized: !('fingerprint' in pin),
      ...('ca' in pin ? { ca: pin.ca } : {}),
    });
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () =>
      fail(new RemoteError('unreachable', `${target.origin} did not answer within ${timeoutMs} ms`)),
    );
    socket.once('error', (error: NodeJS.ErrnoException) => fail(transportError(target, error)));
    socket.once('secureConnect', () => {
      socket.setTimeout(0);
      socket.removeAllListeners('error');
      if ('fingerprint' in pin) {
        const seen = fingerprintOfDer(socket.getPeerCertificate().raw);
        if (seen !== pin.fingerprint)
          return fail(
            new RemoteError(
              'fingerprint-mismatch',
              `the server at ${target.origin} presents the certificate ${seen}, not the pinned ${pin.fingerprint}: it is not the server you confirmed (or its certificate was replaced; ask the office's IT person before trusting the new one)`,
            ),
          );
      }
      resolve(socket);
    });
  });
}

function transportError(target: Target, error: NodeJS.ErrnoException): RemoteError {
  if (error instanceof RemoteError) return error;
  const code = error.code ?? '';
  if (
    /CERT|SSL|TLS|ERR_TLS|SELF_SIGNED|UNABLE_TO|HOSTNAME|ALTNAME/i.test(code) ||
    /certificate/i.test(error.message)
  )
    return new RemoteError(
      'tls',
      `${target.origin}: the certificate is not trusted (${code || error.message})`,
    );
  return new RemoteError('unreachable', `${target.origin} cannot be reached (${code || error.message})`);
}

/** The certificate an office server presents: what a person compares before pinning it. */
export interface CertificateSeen {
  url: string;
  fingerprint: string;
  subject: string | null;
  validTo: string | null;
}

/**
 * First contact: the server's certificate (fingerprint, subject, expiry), read from the TLS
 * handshake alone. Nothing is written to the connection, so nothing of the person's (no name, no
 * password) reaches a server before its fingerprint is confirmed.
 */
export function probeCertificate(url: string, timeoutMs = 10_000): Promise<CertificateSeen> {
  const target = parseServerUrl(url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: target.host,
      port: target.port,
      ...(isIP(target.host) ? {} : { servername: target.host }),
      // A self-signed certificate is what is being looked at: checked by the person, then pinned.
      rejectUnauthorized: false,
    });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new RemoteError('unreachable', `${target.origin} did not answer within ${timeoutMs} ms`));
    });
    socket.once('error', (error) => reject(transportError(target, error)));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      if (!cert?.raw) return reject(new RemoteError('protocol', `${target.origin} presented no certificate`));
      const validTo = cert.valid_to ? new Date(cert.valid_to) : null;
      const cn = cert.subject?.CN;
      resolve({
        url: target.origin,
        fingerprint: fingerprintOfDer(cert.raw),
        subject: (Array.isArray(cn) ? cn[0] : cn) ?? null,
        validTo: validTo && !Number.isNaN(validTo.getTime()) ? validTo.toISOString() : null,
      });
    });
  });
}

/** The server's certificate fingerprint, to show a person on first contact. */
export async function probeFingerprint(url: string, timeoutMs = 10_000): Promise<string> {
  return (await probeCertificate(url, timeoutMs)).fingerprint;
}

/** One POST /api/call over a socket already checked. */
function postCall(
  target: Target,
  socket: TLSSocket,
  body: string,
  timeoutMs: number,
): Promise<ApiResponse<unknown>> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        method: 'POST',
        path: '/api/call',
        host: target.host,
        port: target.port,
        createConnection: () => socket,
        headers: {
          Host: `${isIP(target.host) === 6 ? `[${target.host}]` : target.host}:${target.port}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Connection: 'close',
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (error) => reject(transportError(target, error)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            const parsed = JSON.parse(text) as ApiResponse<unknown>;
            if (typeof parsed === 'object' && parsed !== null && typeof parsed.ok === 'boolean')
              return resolve(parsed);
          } catch {
            // Not JSON: said below.
          }
          reject(
            new RemoteError(
              'protocol',
              `${target.origin} answered HTTP ${res.statusCode} that is not PecDesk's API: ${text.slice(0, 200)}`,
            ),
          );
        });
      },
    );
    req.on('timeout', () => {
      req.destroy(new RemoteError('unreachable', `${target.origin} did not answer within ${timeoutMs} ms`));
    });
    req.on('error', (error: NodeJS.ErrnoException) => reject(transportError(target, error)));
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Connects (one TLS handshake, checking the pin or the CA, or asking onFirstContact) and returns
 * the client. A wrong fingerprint fails here, before any login.
 */
export async function connectRemote(options: RemoteOptions): Promise<RemoteClient> {
  const target = parseServerUrl(options.url);
  const timeoutMs = options.timeoutMs ?? 120_000;
  let pin: Pin;
  if (options.fingerprint !== undefined) {
    const fingerprint = normalizeFingerprint(options.fingerprint);
    if (!fingerprint)
      throw new RemoteError(
        'bad-options',
        `${options.fingerprint} is not a SHA-256 fingerprint (64 hex digits, as the server prints it)`,
      );
    pin = { fingerprint };
  } else if (options.ca !== undefined) {
    pin = { ca: options.ca };
  } else if (options.onFirstContact) {
    const seen = await probeFingerprint(options.url, Math.min(timeoutMs, 10_000));
    if (!(await options.onFirstContact(seen)))
      throw new RemoteError('fingerprint-refused', `the fingerprint of ${target.origin} was not confirmed`);
    pin = { fingerprint: seen };
  } else {
    pin = { system: true };
  }
  // Checked once now: a replaced certificate or a wrong address is said before anything else.
  (await secureSocket(target, pin, Math.min(timeoutMs, 10_000))).destroy();
  return new Remote(target, pin, options, timeoutMs);
}

class Remote extends EventEmitter implements RemoteClient {
  readonly url: string;
  readonly fingerprint: string | null;
  session: string | null = null;
  connected = false;
  private closed = false;
  private ws: WebSocket | null = null;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly target: Target,
    private readonly pin: Pin,
    private readonly options: RemoteOptions,
    private readonly timeoutMs: number,
  ) {
    super();
    this.url = target.origin;
    this.fingerprint = 'fingerprint' in pin ? pin.fingerprint : null;
    // The events socket opens when someone listens to events and closes with the client.
    this.on('newListener', (kind: string) => {
      if (kind === 'event') queueMicrotask(() => this.startEvents());
    });
  }

  async callUnchecked(method: string, args: unknown): Promise<ApiResponse<unknown>> {
    if (this.closed) throw new RemoteError('closed', 'the connection to the server was closed');
    // With the events socket open, calls go over it (no handshake per call); else one HTTPS request.
    const ws = this.ws;
    if (ws?.readyState === WebSocket.OPEN) return this.callOverSocket(ws, method, args);
    const socket = await secureSocket(this.target, this.pin, Math.min(this.timeoutMs, 10_000));
    const body = JSON.stringify({ method, args: args ?? {}, session: this.session });
    return postCall(this.target, socket, body, this.timeoutMs);
  }

  private readonly pending = new Map<
    string,
    { resolve: (r: ApiResponse<unknown>) => void; reject: (e: RemoteError) => void; timer: NodeJS.Timeout }
  >();
  private nextId = 1;

  private callOverSocket(ws: WebSocket, method: string, args: unknown): Promise<ApiResponse<unknown>> {
    const id = `c${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RemoteError('unreachable', `${this.url} did not answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ id, method, args: args ?? {}, session: this.session }), (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new RemoteError('unreachable', `${this.url}: the call could not be sent (${error.message})`));
      });
    });
  }

  /** The socket closed: calls still waiting cannot know whether the server did them. */
  private failPending(): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(
        new RemoteError(
          'unreachable',
          `${this.url}: the connection closed before the answer (the call may have been done)`,
        ),
      );
    }
  }

  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResponse<ApiResults[M]>> {
    return this.callUnchecked(method, args) as Promise<ApiResponse<ApiResults[M]>>;
  }

  private pendingTotp: string | null = null;

  async login(user: string, password: string, totp?: string) {
    const response = await this.call('auth.login', { name: user, password });
    if (!response.ok) return response;
    if (response.value.pendingTotp) {
      this.pendingTotp = response.value.token;
      if (totp === undefined) return response;
      const second = await this.totp(totp);
      if (!second.ok) return second;
      return { ok: true as const, value: { token: second.value.token, pendingTotp: false } };
    }
    this.setSession(response.value.token);
    return response;
  }

  async totp(code: string) {
    if (!this.pendingTotp)
      return {
        ok: false as const,
        error: { code: 'unauthenticated' as const, message: 'sign in with the password first' },
      };
    const response = await this.call('auth.totp', { token: this.pendingTotp, code });
    if (response.ok) {
      this.pendingTotp = null;
      this.setSession(response.value.token);
    }
    return response;
  }

  setSession(token: string | null): void {
    this.session = token;
    // The socket's events follow the session its last frame carried: tell it at once.
    this.prime();
  }

  onEvent<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const wrapped = (name: ApiEventName, payload: unknown) => {
      if (name === event) listener(payload as ApiEvents[E]);
    };
    this.on('event', wrapped);
    return () => this.off('event', wrapped);
  }

  private prime(): void {
    if (this.ws?.readyState === WebSocket.OPEN)
      this.ws.send(JSON.stringify({ id: 'session', method: 'auth.status', args: {}, session: this.session }));
  }

  private startEvents(): void {
    if (this.loop || this.closed) return;
    this.loop = this.eventsLoop();
  }

  /** Keeps one events socket open, reconnecting with a growing pause (and a little jitter). */
  private async eventsLoop(): Promise<void> {
    const minMs = this.options.reconnect?.minMs ?? 250;
    const maxMs = this.options.reconnect?.maxMs ?? 10_000;
    let pause = minMs;
    while (!this.closed) {
      let problem: RemoteError | null = null;
      try {
        const socket = await secureSocket(this.target, this.pin, 10_000);
        if (this.closed) {
          socket.destroy();
          break;
        }
        await this.runSocket(socket, () => {
          pause = minMs;
        });
      } catch (error) {
        problem =
          error instanceof RemoteError ? error : transportError(this.target, error as NodeJS.ErrnoException);
      }
      if (this.connected) {
        this.connected = false;
      }
      if (this.closed) break;
      this.emit('status', 'disconnected', problem);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, pause * (0.8 + Math.random() * 0.4)).unref();
      });
      this.wake = null;
      pause = Math.min(maxMs, pause * 2);
    }
  }

  /** One socket's life: resolves when it closes. */
  private runSocket(socket: TLSSocket, onOpen: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`wss://${this.target.origin.slice('https://'.length)}/api/ws`, {
        createConnection: () => socket,
        handshakeTimeout: 10_000,
      });
      this.ws = ws;
      let opened = false;
      ws.on('open', () => {
        opened = true;
        this.connected = true;
        onOpen();
        this.prime();
        this.emit('status', 'connected', null);
      });
      ws.on('message', (data) => {
        let frame: {
          type?: string;
          event?: ApiEventName;
          payload?: unknown;
          id?: unknown;
          response?: unknown;
        };
        try {
          frame = JSON.parse(data.toString());
        } catch {
          return;
        }
        if (frame.type === 'event' && typeof frame.event === 'string')
          this.emit('event', frame.event, frame.payload);
        else if (frame.type === 'response' && typeof frame.id === 'string') {
          const waiting = this.pending.get(frame.id);
          if (!waiting) return;
          this.pending.delete(frame.id);
          clearTimeout(waiting.timer);
          const response = frame.response as ApiResponse<unknown> | undefined;
          if (response && typeof response === 'object' && typeof response.ok === 'boolean')
            waiting.resolve(response);
          else waiting.reject(new RemoteError('protocol', `${this.url} answered a call with no result`));
        }
      });
      ws.on('error', (error: NodeJS.ErrnoException) => {
        if (!opened) reject(transportError(this.target, error));
      });
      ws.on('close', () => {
        this.ws = null;
        this.failPending();
        if (opened) resolve();
        else reject(new RemoteError('protocol', `${this.target.origin} refused the events socket`));
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.ws?.terminate();
    this.wake?.();
    await this.loop?.catch(() => {});
    this.connected = false;
  }
}

/** Waits until `client` has its events socket open (tests, and a CLI that waits for events). */
export async function untilConnected(client: RemoteClient, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!client.connected) {
    if (Date.now() - started > timeoutMs)
      throw new RemoteError('unreachable', `no events socket to ${client.url} after ${timeoutMs} ms`);
    await sleep(20);
  }
}
