/**
 * The core of PecDesk, as every front end gets it: the API registry over the services, and the
 * event bus. Electron and the HTTP bridge each build one of these and only talk to it.
 */
import { listAccounts } from '../db/accounts.ts';
import { EventBus } from './api/events.ts';
import { createHandlers } from './api/handlers.ts';
import { type ApiRegistry, createRegistry } from './api/registry.ts';
import { Archive } from './archive/archive.ts';
import { archiveTrustAnchors } from './archive/archive-config.ts';
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
  archive: Archive;
  close(): Promise<void>;
}

export async function openCore(options: CoreOptions): Promise<Core> {
  const env = options.env ?? process.env;
  const events = new EventBus();
  const anchors = await archiveTrustAnchors(options.archiveDir, env);
  const archive = Archive.open(options.archiveDir, { events, ...(anchors ? { anchors } : {}) });
  await archive.sweep();
  const secrets = await openSecretStore(options.archiveDir, { env });
  const sync = new SyncService(archive, secrets, events);
  const registry = createRegistry(
    createHandlers({ version: VERSION, archiveDir: options.archiveDir, anchors, archive, secrets, sync }),
  );
  if (options.watch ?? true)
    for (const account of listAccounts(archive.db)) void sync.syncAccount(account, true);
  return {
    registry,
    events,
    version: VERSION,
    archive,
    close: async () => {
      sync.stop();
      archive.close();
    },
  };
}
