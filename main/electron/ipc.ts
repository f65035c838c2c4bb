import type { IpcMain, WebContents } from 'electron';
import type { EventBus } from '../api/events.ts';
import type { ApiRegistry } from '../api/registry.ts';
import { isTrustedSender } from './security.ts';

export const CALL_CHANNEL = 'pecdesk:call';
export const EVENT_CHANNEL = 'pecdesk:event';

/** The contract over ipcMain.handle: one channel, the registry validates, the sender is checked. */
export function wireIpc(ipcMain: Pick<IpcMain, 'handle'>, registry: ApiRegistry): void {
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, args: unknown, session: unknown) => {
    if (!isTrustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame' } };
    }
    return registry.call(method, args, {
      transport: 'ipc',
      session: typeof session === 'string' ? session.slice(0, 200) : null,
      origin: 'desktop',
    });
  });
}

/** Core events to one window; returns the unsubscribe. */
export function forwardEvents(
  events: EventBus,
  contents: Pick<WebContents, 'send' | 'isDestroyed'>,
): () => void {
  return events.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
  });
}
