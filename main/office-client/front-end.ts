/**
 * The switch of a front end's process (Electron's main, or `npm run serve`'s bridge) between this
 * PC's archive and an office server (issue 16, "Connetti al server dell'ufficio").
 *
 * The transports (IPC, the loopback WebSocket) only ever see a registry (call + filterEvents) and
 * an event bus, so the switch is one more registry in front of the embedded core's: office.*
 * always go to the core's registry (validated and ruled there, handled by this switch through
 * services.office); everything else goes to the core while the PC works on its own archive, or to
 * the office server, with the caller's session, once connected. The renderer stays the same app:
 * the server has logins on, so its login screen appears, and the session it gives travels as the
 * local one does. The embedded core stays open meanwhile (its own mailboxes, if any, keep syncing),
 * but its events no longer reach the windows: they show the office's.
 */
import { ApiFailure, type ApiResponse } from '../api/contract.ts';
import { EventBus } from '../api/events.ts';
import type { ApiEventName } from '../api/methods.ts';
import type { ApiRegistry, Caller } from '../api/registry.ts';
import { normalizeFingerprint } from '../client/fingerprint.ts';
import {
  type CertificateSeen,
  connectRemote,
  probeCertificate,
  type RemoteClient,
  RemoteError,
  type RemoteOptions,
} from '../client/remote.ts';
import type { Core } from '../core.ts';
import {
  type ConnectionSettings,
  canonicalUrl,
  EMPTY_SETTINGS,
  forgetServer,
  pinDecision,
  pinServer,
  readSettings,
  withLastUser,
  writeSettings,
} from './connection-store.ts';
import { type OfficeProbe, type OfficeStatus, officeSchemas } from './office-contract.ts';
import type { OfficeController } from './office-handlers.ts';
import { OfficeLink, RemoteEvent } from './office-link.ts';

export interface FrontEndOptions {
  /** The person's config folder (main/paths.ts userDataDir; Electron's userData). */
  configDir: string;
  /** Substituted in tests. */
  connect?: (options: RemoteOptions) => Promise<RemoteClient>;
  probe?: (url: string) => Promise<CertificateSeen>;
  /** Pause between attempts while the server is away (ms). */
  retryMs?: number;
  /** Switches and failures, in English (the console of serve, Electron's log). */
  log?: (line: string) => void;
}

export interface FrontEnd {
  /** What the transports use instead of the core's own registry and events. */
  registry: ApiRegistry;
  events: EventBus;
  status(): OfficeStatus;
  close(): Promise<void>;
}

const OFFICE_METHODS: ReadonlySet<string> = new Set(Object.keys(officeSchemas));

/**
 * Opens the switch over `core` (and sets it on core.services.office); when the person's settings
 * name a server, the front end starts on it (reached on the first call, or said unreachable).
 */
export function openFrontEnd(core: Core, options: FrontEndOptions): FrontEnd {
  const log = options.log ?? ((line: string) => console.error(`pecdesk: ${line}`));
  const connect = options.connect ?? connectRemote;
  const probe = options.probe ?? probeCertificate;
  const events = new EventBus();
  let settingsProblem: string | null = null;
  let settings: ConnectionSettings;
  try {
    settings = readSettings(options.configDir);
  } catch (error) {
    // Said, and the PC works on its own archive: a damaged file is not guessed at (it holds the
    // pins). Connecting again writes a new one.
    settingsProblem = (error as Error).message;
    log(settingsProblem);
    settings = EMPTY_SETTINGS;
  }
  let link: OfficeLink | null = null;

  const save = (next: ConnectionSettings) => {
    writeSettings(options.configDir, next);
    settings = next;
  };
  const status = (): OfficeStatus =>
    link
      ? link.status(settings.server?.lastUser ?? null)
      : {
          state: 'local',
          url: null,
          fingerprint: null,
          seen: null,
          lastUser: null,
          problem: settingsProblem,
        };
  const announce = () => events.emit('office.state', status());
  const makeLink = (url: string, fingerprint: string) =>
    new OfficeLink({
      url,
      fingerprint,
      connect,
      log,
      ...(options.retryMs !== undefined ? { retryMs: options.retryMs } : {}),
      onEvent: (event, envelope) => events.emit(event, envelope as never),
      onState: announce,
      onLogin: (name) => {
        try {
          save(withLastUser(settings, name));
        } catch (error) {
          log(`the last user name could not be kept: ${(error as Error).message}`);
        }
      },
    });
  if (settings.server) {
    link = makeLink(settings.server.url, settings.server.fingerprint);
    link.start();
  }
  const unsubscribeCore = core.events.subscribe((event, payload) => events.emit(event, payload as never));

  const controller: OfficeController = {
    async probe(url): Promise<OfficeProbe> {
      const origin = address(url);
      let seen: CertificateSeen;
      try {
        seen = await probe(origin);
      } catch (error) {
        throw unreachable(error);
      }
      const decision = pinDecision(settings, origin, seen.fingerprint);
      return {
        url: origin,
        fingerprint: seen.fingerprint,
        subject: seen.subject,
        validTo: seen.validTo,
        decision: decision.kind,
        pinned:
          decision.kind === 'changed'
            ? decision.pinned
            : decision.kind === 'pinned'
              ? seen.fingerprint
              : null,
      };
    },
    async connect(url, fingerprint) {
      const origin = address(url);
      const confirmed = normalizeFingerprint(fingerprint);
      if (!confirmed)
        throw new ApiFailure('invalid-arguments', `${fingerprint} is not a SHA-256 fingerprint`);
      let client: RemoteClient;
      try {
        client = await connect({ url: origin, fingerprint: confirmed, timeoutMs: 30_000 });
      } catch (error) {
        if (error instanceof RemoteError && error.code === 'fingerprint-mismatch')
          throw new ApiFailure('conflict', error.message);
        throw unreachable(error);
      }
      // Another program answering on that port is not an office server.
      const info = await client.call('app.info', {}).catch((error: Error) => {
        void client.close();
        throw unreachable(error);
      });
      if (!info.ok || info.value.name !== 'PecDesk') {
        await client.close();
        throw new ApiFailure('unavailable', `${origin} is not a PecDesk office server`);
      }
      save(pinServer(settings, origin, confirmed));
      const previous = link;
      link = makeLink(origin, confirmed);
      link.adopt(client);
      settingsProblem = null;
      if (previous) await leave(previous);
      log(`working on the office server ${origin} (certificate ${confirmed})`);
      announce();
      return status();
    },
    async disconnect() {
      const previous = link;
      save(forgetServer(settings));
      link = null;
      if (previous) {
        await leave(previous);
        log(`back to this PC's archive (left ${previous.url})`);
      }
      announce();
      return status();
    },
    status,
  };
  core.services.office = controller;

  const registry: ApiRegistry = {
    async call(method, args, caller) {
      const current = link;
      if (!current || (typeof method === 'string' && OFFICE_METHODS.has(method)))
        return core.registry.call(method, args, caller);
      return current.call(String(method), args, caller.session ?? null) as Promise<ApiResponse<unknown>>;
    },
    filterEvents(caller: () => Caller) {
      const local = core.registry.filterEvents(caller);
      return (event: ApiEventName, payload: unknown) => {
        // This process's own news, for every window of it.
        if (event === 'office.state') return payload;
        // The server filtered it for the session of the client it came on.
        if (payload instanceof RemoteEvent)
          return link && payload.session === (caller().session ?? null) ? payload.payload : undefined;
        return link ? undefined : local(event, payload);
      };
    },
  };

  return {
    registry,
    events,
    status,
    async close() {
      unsubscribeCore();
      delete core.services.office;
      await link?.close();
      link = null;
    },
  };
}

/** Signs out the sessions made through the link (they would stay valid on the server), closes it. */
async function leave(previous: OfficeLink): Promise<void> {
  await previous.signOut();
  await previous.close();
}

function address(url: string): string {
  try {
    return canonicalUrl(url);
  } catch (error) {
    throw new ApiFailure('invalid-arguments', (error as Error).message);
  }
}

function unreachable(error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error;
  return new ApiFailure('unavailable', (error as Error).message);
}
