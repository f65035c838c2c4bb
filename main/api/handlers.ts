/**
 * The handlers of the API, over the core services. They receive validated arguments only
 * (registry.ts) and return plain data.
 */
import { inspectMessage } from '../pec/inspect.ts';
import type { TrustAnchors } from '../pec/trust.ts';
import type { Handlers } from './registry.ts';

export interface CoreServices {
  version: string;
  archiveDir: string | null;
  anchors: TrustAnchors | undefined;
}

export function createHandlers(core: CoreServices): Handlers {
  return {
    'app.info': async (_args, caller) => ({
      name: 'PecDesk',
      version: core.version,
      archiveDir: core.archiveDir,
      transport: caller.transport,
      trust: core.anchors?.source ?? 'system-pec-root',
    }),
    'pec.inspect': async ({ fileName, contentBase64 }) => {
      const raw = Buffer.from(contentBase64, 'base64');
      const result = await inspectMessage(raw, core.anchors ? { anchors: core.anchors } : {});
      return { ...result, fileName };
    },
  };
}
