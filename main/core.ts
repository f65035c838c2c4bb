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
import { SyncService } from './sync/sync-service.ts';
import { VERSION } from './version.ts';

export interface CoreOptions {
  archiveDir: string;
  env?: NodeJS.ProcessEnv;
  /** Start watching every account (IDLE) at once; off for tests that drive sync themselves. */
  watch?: boolean;
}

export interface Core {
  registry: ApiRegistry;
  events: EventBus;
  version: string;
  services: CoreServices;
  close(): Promise<void>;
}

export async function openCore(options: CoreOptions): Promise<Core> {
  const env = options.env ?? process.env;
  const events = new EventBus();
  const services: CoreServices = {
    version: VERSION,
    archiveDir: options.archiveDir,
    homeArchiveDir: options.archiveDir,
    demo: false,
    anchors: undefined,
    events,
    switchArchive: async (dir) => {
      await services.sync?.stop();
      services.archive?.close();
      services.anchors = await archiveTrustAnchors(dir, env);
      services.archive = Archive.open(dir, {
        events,
        ...(services.anchors ? { anchors: services.anchors } : {}),
      });
      await services.archive.sweep();
      // Archives from before name a CA file: read once into the db, never a path again.
      adoptLegacyCaFiles(services.archive.db);
      services.secrets = await openSecretStore(dir, { env });
      services.sync = new SyncService(services.archive, services.secrets, events);
      services.archiveDir = dir;
      services.demo = isDemoArchive(dir);
      // The demo's mailbox has no server: it is shown, never synced.
      if ((options.watch ?? true) && !services.demo) {
        for (const account of listAccounts(services.archive.db))
          void services.sync.syncAccount(account, true);
      }
      events.emit('archive.changed', { created: 0, threads: [] });
      const opened = services.archive;
      // The suggestion layer is built soon after start, not at the first keystroke.
      setTimeout(() => {
        if (services.archive !== opened) return;
        opened.instant().catch((error: Error) => {
          if (services.archive === opened) console.error(`suggestions index stopped: ${error.message}`);
        });
      }, 1_000).unref();
      // In the background: the app is usable at once; delivery states made by older rules are
      // recomputed, then search completes as the index fills.
      void opened
        .reconcileThreads()
        .then((n) => {
          if (n > 0 && services.archive === opened)
            events.emit('archive.changed', { created: 0, threads: [] });
          return opened.backfillSearchIndex((done, total) => events.emit('search.backfill', { done, total }));
        })
        .then(async (n) => n + (await opened.refreshSearchDocs()))
        .then((n) => {
          if (n > 0) events.emit('archive.changed', { created: 0, threads: [] });
        })
        .catch((error: Error) => {
          if (services.archive === opened) console.error(`archive upgrade stopped: ${error.message}`);
        });
    },
  };
  await services.switchArchive!(options.archiveDir);
  return {
    registry: registryFor(services),
    events,
    version: VERSION,
    services,
    close: async () => {
      await services.sync?.stop();
      services.archive?.close();
    },
  };
}
