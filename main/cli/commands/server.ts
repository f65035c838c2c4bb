/**
 * `pecdesk server` (issue 16): the office's one PecDesk, on the NAS or an always-on PC. The same
 * core as the app (sync of every mailbox, the outbox, rules, deadlines), its API and web app over
 * HTTPS for the office's clients.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Core, openCore } from '../../core.ts';
import { resolveArchiveDir } from '../../paths.ts';
import { officeLog } from '../../server/office-log.ts';
import { type RunningOfficeServer, startOfficeServer } from '../../server/office-server.ts';
import { loadServerTls } from '../../server/office-tls.ts';
import { VERSION } from '../../version.ts';
import { type CliCommand, CliError, parseCommandArgs } from '../command.ts';

export const DEFAULT_LISTEN = '127.0.0.1:4443';

const HELP = `Usage: pecdesk server [--archive DIR] [--listen HOST:PORT] [--tls-cert FILE --tls-key FILE] [--log-json]

Runs the office's PecDesk server: it syncs every mailbox, sends the outbox, applies the routing
rules and deadlines, and serves the API and the web app over HTTPS to the office's desktops,
browsers and "pecdesk --server" clients, each person with their own login.
  --archive DIR        the archive folder (default: PECDESK_ARCHIVE, else the user data folder)
  --listen HOST:PORT   address and port (default ${DEFAULT_LISTEN}); 0.0.0.0:4443 for the whole LAN.
                       Beyond 127.0.0.1 personal logins must be on (pecdesk user / the app's
                       "Persone" screen), else the server refuses to start
  --tls-cert FILE      the certificate (PEM) and its key; without them a self-signed certificate
  --tls-key FILE       is made on first start in DIR/server-tls and kept. Its SHA-256 fingerprint
                       is printed at every start: clients confirm it once
  --log-json           one JSON object per line ({time, level, event, ...}) instead of text
GET /health answers without a login (for the NAS's monitor): 200 {"status":"ok",...}, 503 when
the archive cannot be read. SIGTERM or SIGINT stop it cleanly.
`;

/** HOST:PORT, [v6]:PORT. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m?.[1] || port > 65535)
    throw new CliError(`--listen must be HOST:PORT (e.g. 0.0.0.0:4443), not ${text}`, 2);
  if (m[1] !== 'localhost' && !isIP(m[1]))
    throw new CliError(`--listen needs an address (0.0.0.0, 192.168.1.10, ::), not the name ${m[1]}`, 2);
  return { host: m[1], port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export const serverCommand: CliCommand = {
  name: 'server',
  usage: 'server [--listen HOST:PORT] [--tls-cert F --tls-key F]',
  summary: "the office's PecDesk server (HTTPS, personal logins)",
  help: HELP,
  async run(args, io, ctx) {
    const { values } = parseCommandArgs(
      args,
      {
        archive: { type: 'string' },
        listen: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'log-json': { type: 'boolean' },
      },
      HELP,
    );
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const archiveDir = values.archive
      ? resolve(resolveArchiveDir(values.archive, io.env as NodeJS.ProcessEnv))
      : ctx.archiveDir;
    const listen = parseListen(values.listen ?? DEFAULT_LISTEN);
    if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined))
      throw new CliError('--tls-cert and --tls-key go together', 2);
    const log = officeLog(Boolean(values['log-json']), (line) => io.out(line));
    log('info', 'start', { version: VERSION, archive: archiveDir, pid: process.pid });
    let tls: ReturnType<typeof loadServerTls>;
    try {
      tls = loadServerTls(
        archiveDir,
        values['tls-cert'] ? { cert: values['tls-cert'], key: values['tls-key']! } : undefined,
      );
    } catch (error) {
      throw new CliError(`the TLS certificate cannot be read or made: ${(error as Error).message}`);
    }
    if (!values['log-json']) io.out(`SHA256 ${tls.fingerprint}\n`);
    log('info', 'tls', {
      fingerprint: `SHA256 ${tls.fingerprint}`,
      certificate: tls.source,
      file: tls.certFile,
    });

    const core = await openCore({ archiveDir, watch: true, env: io.env as NodeJS.ProcessEnv });
    let server: RunningOfficeServer | null = null;
    try {
      if (!isLoopback(listen.host)) await requireLogins(core, listen.host);
      const staticDir = rendererDir();
      server = await startOfficeServer({ core, host: listen.host, port: listen.port, tls, staticDir, log });
    } catch (error) {
      await core.close();
      if (error instanceof CliError) log('error', 'refused', { message: error.message });
      throw error instanceof CliError
        ? error
        : new CliError(`cannot listen on ${values.listen ?? DEFAULT_LISTEN}: ${(error as Error).message}`);
    }
    log('info', 'listen', { url: server.url, port: server.port });
    const running = server;
    return new Promise<number>((done) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        log('info', 'shutdown', { signal });
        void (async () => {
          try {
            await running.close();
            await core.close();
            log('info', 'stopped', {});
            done(0);
          } catch (error) {
            log('error', 'shutdown.failed', { message: (error as Error).message });
            done(1);
          }
          // Anything still holding the event loop (a provider's socket closing slowly) does not
          // keep a stopped server alive.
          setTimeout(() => process.exit(process.exitCode ?? 0), 5_000).unref();
        })();
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
  },
};

/**
 * Beyond the loopback every person on the LAN can reach the server: with "solo io" (no logins)
 * any of them would be the owner. So the server starts only with personal logins on.
 */
async function requireLogins(core: Core, host: string): Promise<void> {
  const status = await core.registry.call('auth.status', {}, { transport: 'http', origin: 'server' });
  if (!status.ok) throw new CliError(`cannot read whether logins are on: ${status.error.message}`);
  const value = status.value as { mode: string; needsSetup: boolean };
  if (value.mode !== 'logins' || value.needsSetup)
    throw new CliError(
      `refusing to listen on ${host}: beyond 127.0.0.1 personal logins must be on, else anyone on the network would act as the archive's owner. Turn them on (pecdesk user add …, or "Accesso personale" in the app) or listen on 127.0.0.1`,
      2,
    );
}

/** The web app: beside the bundle (dist/cli/main.mjs → dist/renderer), else built from the sources. */
function rendererDir(): string {
  const besideBundle = fileURLToPath(new URL('../renderer/', import.meta.url));
  if (existsSync(join(besideBundle, 'index.html'))) return besideBundle;
  return fileURLToPath(new URL('../../../dist/renderer/', import.meta.url));
}
