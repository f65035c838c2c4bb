import type { IpcMain, WebContents } from 'electron';
import type { EventBus } from '../api/events.ts';
import type { ApiRegistry } from '../api/registry.ts';
import { isTrustedSender } from './security.ts';

export const CALL_CHANNEL = 'pecdesk:call';
export const EVENT_CHANNEL = 'pecdesk:event';

/** The contract over ipcMain.handle: one channel, the registry validates, the sender is checked. */
export function wireIpc(ipcMain: Pick<IpcMain, 'handle'>, registry: ApiRegistry): IpcSessions {
  const sessions = new Map<number, string | null>();
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, args: unknown, session: unknown) => {
    if (!isTrustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame' } };
    }
    const carried = typeof session === 'string' ? session.slice(0, 200) : null;
    // The window's events follow the session of its last call (signing in or out).
    if (typeof event.sender?.id === 'number') sessions.set(event.sender.id, carried);
    return registry.call(method, args, { transport: 'ipc', session: carried, origin: 'desktop' });
  });
  return { of: (id) => sessions.get(id) ?? null, forget: (id) => sessions.delete(id) };
}

/** The session each window's last call carried, by webContents id. */
export interface IpcSessions {
  of(contentsId: number): string | null;
  forget(contentsId: number): void;
}

/** Core events to one window, those its person may receive; returns the unsubscribe. */
export function forwardEvents(
  events: EventBus,
  contents: Pick<WebContents, 'send' | 'isDestroyed' | 'id'>,
  registry: ApiRegistry,
  sessions: IpcSessions,
): () => void {
  // Read once: a destroyed webContents may no longer answer.
  const id = contents.id;
  const allowed = registry.filterEvents(() => ({
    transport: 'ipc',
    session: sessions.of(id),
    origin: 'desktop',
  }));
  const off = events.subscribe((name, payload) => {
    if (contents.isDestroyed()) return;
    const visible = allowed(name, payload);
    if (visible !== undefined) contents.send(EVENT_CHANNEL, name, visible);
  });
  return () => {
    off();
    sessions.forget(id);
  };
}
