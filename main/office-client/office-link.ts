/**
 * The front end's line to its office server: one RemoteClient (main/client/remote.ts) per session
 * in use, so that each window or browser tab speaks with its own person's session and gets the
 * events the server lets that person see (the server filters events by the session of the socket,
 * so one shared socket could not serve two people). Every call and socket checks the pinned
 * fingerprint before a byte is written: a server presenting another certificate gets nothing.
 *
 * When the server cannot be reached, what was open stays readable: the last answers to the reads
 * of the screens (lists, the open message, the person's status) are kept in memory per session and
 * given back, and everything else fails with 'unavailable'. The cache lives in this process only:
 * the office's data stays on its server, not on the PC's disk.
 */

import type { ApiResponse } from '../api/contract.ts';
import type { ApiEventName } from '../api/methods.ts';
import type { RemoteClient, RemoteError, RemoteOptions } from '../client/remote.ts';
import type { OfficeStatus } from './office-contract.ts';

export type LinkState = 'connected' | 'unreachable' | 'fingerprint-changed';

/** An event of the office server, for the connections of one session only (front-end.ts). */
export class RemoteEvent {
  constructor(
    readonly session: string | null,
    readonly payload: unknown,
  ) {}
}

/** Reads answered again from memory when the server is unreachable: what the screens show. */
export const CACHED_READS: ReadonlySet<string> = new Set([
  'app.info',
  'auth.status',
  'views.list',
  'accounts.list',
  'messages.list',
  'messages.get',
  'threads.get',
  'work.get',
  'tags.list',
]);
const CACHE_ENTRIES = 64;
const MAX_CLIENTS = 8;

export interface LinkOptions {
  url: string;
  fingerprint: string;
  connect: (options: RemoteOptions) => Promise<RemoteClient>;
  /** An event for the connections of `session`. */
  onEvent: (event: ApiEventName, payload: RemoteEvent) => void;
  /** The state changed (connected, unreachable, another certificate). */
  onState: () => void;
  /** Someone signed in on the server through this front end. */
  onLogin?: (name: string) => void;
  /** Pause between attempts while the server is unreachable (ms). */
  retryMs?: number;
  log?: (line: string) => void;
}

function isRemoteError(error: unknown): error is RemoteError {
  return error instanceof Error && error.name === 'RemoteError' && 'code' in error;
}

export class OfficeLink {
  state: LinkState = 'connected';
  problem: string | null = null;
  /** The certificate seen instead of the pinned one. */
  seen: string | null = null;
  private readonly clients = new Map<string, Promise<RemoteClient>>();
  private readonly cache = new Map<string, unknown>();
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: LinkOptions) {}

  get url(): string {
    return this.options.url;
  }
  get fingerprint(): string {
    return this.options.fingerprint;
  }

  /** A client made by office.connect: the session-less one (logins), already checked. */
  adopt(client: RemoteClient): void {
    this.clients.set('', Promise.resolve(this.wire(client, null)));
  }

  /** The first contact of a start (saved server): says soon whether it is there. */
  start(): void {
    void this.client(null).catch(() => {});
  }

  async call(method: string, args: unknown, session: string | null): Promise<ApiResponse<unknown>> {
    const key = `${session ?? ''}\u0000${method}\u0000${JSON.stringify(args ?? {})}`;
    try {
      const client = await this.client(session);
      const response = await client.callUnchecked(method, args);
      this.reached();
      if (response.ok && CACHED_READS.has(method)) this.remember(key, response.value);
      if (response.ok && method === 'auth.login') {
        const name = (args as { name?: unknown })?.name;
        if (typeof name === 'string') this.options.onLogin?.(name);
      }
      return response;
    } catch (error) {
      if (!isRemoteError(error) || this.closed) throw error;
      this.failed(error);
      if (this.cache.has(key)) return { ok: true, value: this.cache.get(key) };
      return {
        ok: false,
        error: {
          code: 'unavailable',
          message:
            this.state === 'fingerprint-changed'
              ? `${method}: the office server ${this.url} presents another certificate; nothing was sent to it`
              : `${method}: the office server ${this.url} cannot be reached (${error.message})`,
        },
      };
    }
  }

  status(lastUser: string | null): OfficeStatus {
    return {
      state: this.state,
      url: this.url,
      fingerprint: this.fingerprint,
      seen: this.seen,
      lastUser,
      problem: this.problem,
    };
  }

  /** Each session's client, made on its first call; at most MAX_CLIENTS, the least used go. */
  private client(session: string | null): Promise<RemoteClient> {
    const key = session ?? '';
    const known = this.clients.get(key);
    if (known) {
      // Most recently used last.
      this.clients.delete(key);
      this.clients.set(key, known);
      return known;
    }
    const made = this.options
      .connect({ url: this.url, fingerprint: this.fingerprint, timeoutMs: 30_000 })
      .then((client) => this.wire(client, session));
    this.clients.set(key, made);
    made.catch((error) => {
      if (this.clients.get(key) === made) this.clients.delete(key);
      if (isRemoteError(error)) this.failed(error);
    });
    while (this.clients.size > MAX_CLIENTS) {
      const [oldest, client] = this.clients.entries().next().value as [string, Promise<RemoteClient>];
      this.clients.delete(oldest);
      void client.then((c) => c.close()).catch(() => {});
    }
    return made;
  }

  private wire(client: RemoteClient, session: string | null): RemoteClient {
    if (this.closed) {
      void client.close();
      return client;
    }
    if (session) client.setSession(session);
    client.on('event', (event, payload) => this.options.onEvent(event, new RemoteEvent(session, payload)));
    client.on('status', (status, detail) => {
      if (status === 'connected') this.reached();
      else if (detail) this.failed(detail);
    });
    this.reached();
    return client;
  }

  private remember(key: string, value: unknown): void {
    this.cache.delete(key);
    this.cache.set(key, value);
    while (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
  }

  private reached(): void {
    if (this.closed || this.state === 'connected') return;
    this.state = 'connected';
    this.problem = null;
    this.seen = null;
    this.stopRetry();
    this.options.log?.(`office server ${this.url}: connected again`);
    this.options.onState();
  }

  private failed(error: RemoteError): void {
    if (this.closed) return;
    const next: LinkState = error.code === 'fingerprint-mismatch' ? 'fingerprint-changed' : 'unreachable';
    const seen =
      next === 'fingerprint-changed'
        ? (/certificate ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})/.exec(error.message)?.[1] ?? null)
        : null;
    const changed = next !== this.state || seen !== this.seen;
    this.state = next;
    this.problem = error.message;
    this.seen = seen;
    this.scheduleRetry();
    if (changed) {
      this.options.log?.(`office server ${this.url}: ${error.message}`);
      this.options.onState();
    }
  }

  /** While the server is away, one attempt every retryMs (a session-less client: no login sent). */
  private scheduleRetry(): void {
    if (this.retry || this.closed) return;
    this.retry = setInterval(() => {
      if (!this.clients.has('')) void this.client(null).catch(() => {});
    }, this.options.retryMs ?? 5_000);
    this.retry.unref();
  }

  private stopRetry(): void {
    if (this.retry) clearInterval(this.retry);
    this.retry = null;
  }

  /** The sessions signed in through this link, to sign out when the PC leaves the server. */
  async signOut(): Promise<void> {
    for (const [key, client] of this.clients) {
      if (key === '' || this.state !== 'connected') continue;
      try {
        const response = await (await client).callUnchecked('auth.logout', {});
        if (!response.ok)
          this.options.log?.(`office server ${this.url}: sign-out refused: ${response.error.message}`);
      } catch (error) {
        this.options.log?.(`office server ${this.url}: sign-out failed: ${(error as Error).message}`);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopRetry();
    const clients = [...this.clients.values()];
    this.clients.clear();
    this.cache.clear();
    await Promise.all(clients.map((c) => c.then((client) => client.close()).catch(() => {})));
  }
}
