/**
 * The renderer's only door to the core: window.pecdesk in Electron (preload, IPC), else the
 * WebSocket bridge with the token from the URL. Both implement the same PecDeskBridge type.
 */
import type {
  ApiArgs,
  ApiEventName,
  ApiEvents,
  ApiMethod,
  ApiResponse,
  ApiResults,
  PecDeskBridge,
} from '../../../main/api/contract.ts';

declare global {
  interface Window {
    pecdesk?: PecDeskBridge;
  }
}

const TOKEN_KEY = 'pecdesk.token';

/** Takes the token out of the URL fragment (so it is not left in history) into this tab's storage. */
export function takeToken(location: Location, storage: Storage, history: History): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return storage.getItem(TOKEN_KEY);
}

type Pending = { resolve: (r: ApiResponse<unknown>) => void };

export class WebSocketBridge implements PecDeskBridge {
  private socket: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private retry = 0;
  private session: string | null = null;

  constructor(
    private readonly url: string,
    private readonly onConnectionChange: (connected: boolean) => void = () => {},
  ) {}

  async call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResponse<ApiResults[M]>> {
    let socket: WebSocket;
    try {
      socket = await this.open();
    } catch {
      return { ok: false, error: { code: 'internal', message: 'connection to PecDesk lost' } };
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'] });
      socket.send(JSON.stringify({ id, method, args, ...(this.session ? { session: this.session } : {}) }));
    });
  }

  setSession(token: string | null): void {
    this.session = token;
  }

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (payload: unknown) => void);
    this.listeners.set(event, set);
    void this.open().catch(() => {});
    return () => set.delete(listener as (payload: unknown) => void);
  }

  private open(): Promise<WebSocket> {
    if (this.socket?.readyState === WebSocket.OPEN) return Promise.resolve(this.socket);
    this.opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(this.url);
      ws.onopen = () => {
        this.socket = ws;
        this.opening = null;
        this.retry = 0;
        this.onConnectionChange(true);
        resolve(ws);
      };
      ws.onmessage = (e) => this.receive(String(e.data));
      ws.onclose = () => {
        const wasOpen = this.socket === ws;
        this.socket = null;
        this.opening = null;
        for (const [, p] of this.pending)
          p.resolve({ ok: false, error: { code: 'internal', message: 'connection to PecDesk lost' } });
        this.pending.clear();
        this.onConnectionChange(false);
        if (!wasOpen) reject(new Error('cannot connect'));
        if (this.listeners.size > 0) {
          const delay = Math.min(30_000, 500 * 2 ** this.retry++);
          setTimeout(() => void this.open().catch(() => {}), delay);
        }
      };
    });
    return this.opening;
  }

  private receive(text: string) {
    const msg = JSON.parse(text) as
      | { type: 'response'; id: number; response: ApiResponse<unknown> }
      | { type: 'event'; event: string; payload: unknown };
    if (msg.type === 'response') {
      this.pending.get(msg.id)?.resolve(msg.response);
      this.pending.delete(msg.id);
    } else if (msg.type === 'event') {
      for (const l of this.listeners.get(msg.event) ?? []) l(msg.payload);
    }
  }
}

export function connectBridge(onConnectionChange?: (connected: boolean) => void): PecDeskBridge | null {
  if (window.pecdesk) return window.pecdesk;
  const token = takeToken(window.location, window.sessionStorage, window.history);
  // Served over https, the page comes from an office server (`pecdesk server`, issue 16): no
  // per-start token there, each person's login is the credential (the server takes same-origin
  // sockets). The loopback bridge (`npm run serve`) is plain http and needs its token.
  if (!token && window.location.protocol === 'https:')
    return new WebSocketBridge(`wss://${window.location.host}/api/ws`, onConnectionChange);
  if (!token) return null;
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/ws?token=${token}`;
  return new WebSocketBridge(url, onConnectionChange);
}
