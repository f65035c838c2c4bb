/**
 * The core of PecDesk, as every front end gets it: the API registry over the services, and the
 * event bus. Electron, the HTTP bridge and the CLI each build one of these and only talk to it.
 */
import { EventBus } from './api/events.ts';
import { createHandlers } from './api/handlers.ts';
import { type ApiRegistry, createRegistry } from './api/registry.ts';
import type { TrustAnchors } from './pec/trust.ts';
import { loadTrustAnchors } from './pec/trust-config.ts';
import { VERSION } from './version.ts';

export interface CoreOptions {
  archiveDir: string | null;
  /** PEM files of the PEC trust anchors to use instead of the Actalis root (tests, demo). */
  trustAnchorFiles?: string[];
}

export interface Core {
  registry: ApiRegistry;
  events: EventBus;
  version: string;
  close(): Promise<void>;
}

export function trustAnchorFilesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return env.PECDESK_PEC_TRUST_ANCHORS?.split(':').filter(Boolean) ?? [];
}

export async function openCore(options: CoreOptions): Promise<Core> {
  const version = VERSION;
  const anchorFiles = options.trustAnchorFiles ?? [];
  const anchors: TrustAnchors | undefined = anchorFiles.length
    ? await loadTrustAnchors(anchorFiles)
    : undefined;
  const events = new EventBus();
  const registry = createRegistry(createHandlers({ version, archiveDir: options.archiveDir, anchors }));
  return { registry, events, version, close: async () => {} };
}
