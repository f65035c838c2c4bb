/**
 * The core of PecDesk, as every front end gets it: the API registry over the services, and the
 * event bus. Electron and the HTTP bridge each build one of these and only talk to it. The open
 * archive can be swapped for the demo archive and back; handlers read the current one per call.
 */
import { listAccounts } from '../db/accounts.ts';
import { adoptLegacyCaFiles } from './accounts/legacy-ca.ts';
import { EventBus } from './api/events.ts';
import type { CoreServices } from './api/handlers.ts';
import { registryFor } from './api/handlers.ts';
import type { ApiRegistry } from './api/registry.ts';
import { Archive } from './archive/archive.ts';
import { archiveTrustAnchors } from './archive/archive-config.ts';
import { isDemoArchive } from './demo/demo-archive.ts';
import { openSecretStore } from './secrets/open-store.ts';
import { startOutbox } from './send/start.ts';
import { SyncService } from './sync/sync-service.ts';
import { VERSION } from './version.ts';
import { workOnIngest } from './work/ingest-hook.ts';
import { WorkScheduler } from './work/scheduler.ts';

export interface CoreOptions {
  archiveDir: string;
  env?: NodeJS.ProcessEnv;
  /** Start watching every account (IDLE) at once; off for tests that drive sync themselves. */
  watch?: boolean;
  /** The clock of work (routing, reminders, escalation): tests move it. */
  workClock?: () => Date;
  /** How long background work waits for a front end's first list (default FIRST_SCREEN_MS). */
  firstScreenMs?: number;
}

export interface Core {
  registry: ApiRegistry;
  events: EventBus;
  version: string;
  services: CoreServices;
  close(): Promise<void>;
}

/**
 * The background work of an opened archive starts once a front end has been given its first list
 * (messages.list answered, the last call of the first screen), and a moment later, when it paints
 * it; or FIRST_SCREEN_MS after the archive opened when no front end asks (a server nobody looks at).
 */
export const FIRST_SCREEN_MS = 3_000;
const PAINT_MS = 200;

export async function openCore(options: CoreOptions): Promise<Core> {
  const env = options.env ?? process.env;
  const events = new EventBus();
  // The work clock of whichever archive is open (issue 14); stopped while archives are swapped.
  let current: Archive | undefined;
  const work = new WorkScheduler(() => current?.db, {
    events,
    ...(options.workClock ? { clock: options.workClock } : {}),
  });
  let closed = false;
  let listed: () => void = () => {};
  /** Resolves when the archive opened now has shown its first screen (see FIRST_SCREEN_MS). */
  const firstScreen = () =>
    new Promise<void>((resolve) => {
      // Unreferenced: waiting for a screen never keeps a process alive.
      const fallback = setTimeout(resolve, options.firstScreenMs ?? FIRST_SCREEN_MS).unref();
      listed = () => {
        listed = () => {};
        clearTimeout(fallback);
        setTimeout(resolve, PAINT_MS).unref();
      };
    });
  const services: CoreServices = {
    version: VERSION,
    archiveDir: options.archiveDir,
    homeArchiveDir: options.archiveDir,
    ...(options.workClock ? { workClock: options.workClock } : {}),
    demo: false,
    anchors: undefined,
    events,
    switchArchive: async (dir) => {
      await services.outbox?.stop();
      work.stop();
      await services.sync?.stop();
      services.archive?.close();
      services.anchors = await archiveTrustAnchors(dir, env);
      services.archive = Archive.open(dir, {
        events,
        // Routing rules run inside each ingest transaction (issue 14).
        onIngest: workOnIngest(options.workClock),
        ...(services.anchors ? { anchors: services.anchors } : {}),
      });
      await services.archive.sweep();
      // Archives from before name a CA file: read once into the db, never a path again.
      adoptLegacyCaFiles(services.archive.db);
      services.secrets = await openSecretStore(dir, { env });
      services.sync = new SyncService(services.archive, services.secrets, events);
      services.archiveDir = dir;
      services.demo = isDemoArchive(dir);
      // Reminders, overdue notices and escalations of this archive.
      current = services.archive;
      work.start();
      services.outbox = startOutbox(services.archive, services.secrets, events, services.sync, {
        env,
        watch: (options.watch ?? true) && !services.demo,
      });
      // The demo's mailbox has no server: it is shown, never synced.
      if ((options.watch ?? true) && !services.demo) {
        for (const account of listAccounts(services.archive.db))
          void services.sync.syncAccount(account, true);
      }
      events.emit('archive.changed', { created: 0, threads: [] });
      const opened = services.archive;
      // The work below waits for the first screen, so the list a person is waiting for is not
      // queued behind index builds (they take the event loop for tenths of a second at a time).
      void firstScreen().then(() => {
        if (closed || services.archive !== opened) return;
        // The suggestion layer is built soon after start, not at the first keystroke.
        opened.instant().catch((error: Error) => {
          if (services.archive === opened) console.error(`suggestions index stopped: ${error.message}`);
        });
        // The app is usable already; delivery states made by older rules are recomputed, then
        // search completes as the index fills.
        void opened
          .reconcileThreads()
          .then((n) => {
            if (n > 0 && services.archive === opened)
              events.emit('archive.changed', { created: 0, threads: [] });
            return opened.backfillSearchIndex((done, total) =>
              events.emit('search.backfill', { done, total }),
            );
          })
          .then(async (n) => n + (await opened.refreshSearchDocs()))
          .then((n) => {
            if (n > 0) events.emit('archive.changed', { created: 0, threads: [] });
          })
          .catch((error: Error) => {
            if (services.archive === opened) console.error(`archive upgrade stopped: ${error.message}`);
          });
      });
    },
  };
  await services.switchArchive!(options.archiveDir);
  const registry = registryFor(services);
  return {
    registry: {
      ...registry,
      async call(method, args, caller) {
        const response = await registry.call(method, args, caller);
        if (method === 'messages.list') listed();
        return response;
      },
    },
    events,
    version: VERSION,
    services,
    close: async () => {
      closed = true;
      await services.outbox?.stop();
      work.stop();
      await services.sync?.stop();
      services.archive?.close();
    },
  };
}
