/**
 * Exposes exactly the API contract as window.pecdesk, and nothing else: no ipcRenderer, no Node.
 * Method and event names are checked against the contract's lists before anything is sent.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { API_EVENTS, isApiMethod } from '../main/api/methods.ts';

const CALL_CHANNEL = 'pecdesk:call';
const EVENT_CHANNEL = 'pecdesk:event';

/** The person's session (personal logins): held here, sent with every call, never a cookie. */
let session: string | null = null;

contextBridge.exposeInMainWorld('pecdesk', {
  call(method: unknown, args: unknown) {
    if (!isApiMethod(method)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown-method', message: `unknown API method ${String(method)}` },
      });
    }
    return ipcRenderer.invoke(CALL_CHANNEL, method, args, session);
  },
  setSession(token: unknown) {
    session = typeof token === 'string' && token.length <= 200 ? token : null;
  },
  on(event: unknown, listener: unknown) {
    if (!(API_EVENTS as readonly unknown[]).includes(event) || typeof listener !== 'function')
      return () => {};
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
});
