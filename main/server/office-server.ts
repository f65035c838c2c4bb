/**
 * The office server (`pecdesk server`, issue 16): the API and the web app over HTTPS and WebSocket
 * on the LAN, for the office's desktops, browsers and CLIs. The same request handling as the
 * loopback bridge (http-server.ts attachApi); only who may reach it differs: no per-start token,
 * each person's login is the credential and every method's rule in the registry decides; any Host
 * (the server is reached by a NAS's name, an address, a DNS alias); a browser's Origin must be the
 * server's own.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { listAccounts } from '../../db/accounts.ts';
import type { Core } from '../core.ts';
import type { AccessPolicy } from './http-server.ts';
import { attachApi, send } from './http-server.ts';
import type { OfficeLog } from './office-log.ts';
import type { ServerTls } from './office-tls.ts';

export interface OfficeServerOptions {
  core: Core;
  host: string;
  port: number;
  tls: ServerTls;
  staticDir: string;
  log: OfficeLog;
}

export interface RunningOfficeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Browsers send Origin on cross-site requests: only the server's own https origin passes. */
function sameOrigin(req: import('node:http').IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || (req.headers.host !== undefined && origin === `https://${req.headers.host}`);
}

export const OFFICE_POLICY: AccessPolicy = {
  host: () => true,
  api: sameOrigin,
  socket: (req) => sameOrigin(req),
};

export async function startOfficeServer(options: OfficeServerOptions): Promise<RunningOfficeServer> {
  const { core, log } = options;
  const started = Date.now();
  const server: Server = createServer({
    cert: options.tls.cert,
    key: options.tls.key,
    minVersion: 'TLSv1.2',
  });
  // Logins seen by the log (who, from where, how it went), never the password or the session.
  const registry = {
    ...core.registry,
    async call(method: unknown, args: unknown, caller: Parameters<Core['registry']['call']>[2]) {
      const response = await core.registry.call(method, args, caller);
      if (method === 'auth.login' || method === 'auth.totp') {
        const name =
          method === 'auth.login' && typeof (args as { name?: unknown })?.name === 'string'
            ? (args as { name: string }).name.slice(0, 64)
            : undefined;
        if (response.ok) log('info', 'login.ok', { user: name, from: caller.origin, step: method });
        else
          log('warn', 'login.failed', {
            user: name,
            from: caller.origin,
            step: method,
            code: response.error.code,
          });
      }
      return response;
    },
  };
  const api = attachApi(server, {
    registry,
    events: core.events,
    staticDir: options.staticDir,
    policy: OFFICE_POLICY,
    scheme: 'https',
    log: (line) => log('error', 'request.failed', { message: line }),
    onSocket: (machine, phase) =>
      log('info', phase === 'open' ? 'client.connect' : 'client.disconnect', { from: machine }),
    routes: (req, res, url) => {
      if (url.pathname !== '/health') return false;
      health(core, started, req.method === 'HEAD', res);
      return true;
    },
  });
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket) => {
    // A client that leaves right after the handshake (a fingerprint check, a port scan) is no news.
    if (error.code === 'ECONNRESET' || error.message === 'socket hang up') return;
    // A client that does not trust the certificate yet (first contact) ends the handshake: a line,
    // not a failure of the server.
    log('warn', 'tls.failed', {
      from: socket.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown',
      message: error.message,
    });
  });
  const unsubscribe = core.events.on('sync.state', (s) => {
    if (s.state === 'error')
      log('error', 'sync.error', { mailbox: s.email, code: s.errorCode, message: s.error });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `https://${hostPart}:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        unsubscribe();
        api.closeSockets();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * GET /health, without a login, for the NAS's monitor: 200 with the archive readable, else 503
 * with the reason. It says nothing a stranger on the LAN could use (no names, no addresses).
 */
function health(core: Core, started: number, head: boolean, res: import('node:http').ServerResponse): void {
  const uptimeSeconds = Math.round((Date.now() - started) / 1000);
  try {
    const archive = core.services.archive;
    if (!archive) throw new Error('no archive is open');
    const accounts = listAccounts(archive.db).length;
    const body = { status: 'ok', version: core.version, archive: 'ok', accounts, uptimeSeconds };
    if (head) send(res, 200, '');
    else send(res, 200, body);
  } catch (error) {
    send(res, 503, {
      status: 'error',
      version: core.version,
      archive: 'error',
      reason: (error as Error).message,
      uptimeSeconds,
    });
  }
}
