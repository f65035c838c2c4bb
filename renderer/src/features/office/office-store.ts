/**
 * "Connetti al server dell'ufficio" on the renderer's side (issue 16): how this front end works now
 * (this PC's archive, or the office server: connected, unreachable, another certificate), the
 * certificate being confirmed, and the steps. The switch itself is in the front end's process
 * (main/office-client/front-end.ts); after connecting or leaving, the page starts over, so nothing
 * of one archive's people or messages stays in memory for the other.
 */
import { create } from 'zustand';
import type { ApiError, PecDeskBridge } from '../../../../main/api/contract.ts';
import type { OfficeProbe, OfficeStatus } from '../../../../main/office-client/office-contract.ts';
import { useAppStore } from '../../store/app-store.ts';
import { useMailStore } from '../../store/mail-store.ts';
import { useSessionStore } from '../people/session-store.ts';

export interface OfficeState {
  bridge: PecDeskBridge | null;
  status: OfficeStatus | null;
  /**
   * This front end can connect to an office server: the desktop app and `npm run serve`. A browser
   * on the office server itself cannot (office.* are refused there): no entry to the screen.
   */
  available: boolean;
  /** The certificate shown for confirmation (after "Verifica"). */
  probe: OfficeProbe | null;
  busy: boolean;
  error: ApiError | null;
  /** Reloads the page (a test replaces it). */
  reload: () => void;
  attach(bridge: PecDeskBridge): Promise<void>;
  check(url: string): Promise<void>;
  /** Connects to the server probed, its fingerprint confirmed by the person. */
  confirm(): Promise<void>;
  cancel(): void;
  disconnect(): Promise<void>;
}

let detach: (() => void) | null = null;

export const useOfficeStore = create<OfficeState>((set, get) => {
  /** Another archive from now on: the session belongs to the one left, the page starts over. */
  const restart = () => {
    get().bridge?.setSession(null);
    get().reload();
  };
  const run = async (work: (bridge: PecDeskBridge) => Promise<void>) => {
    const { bridge, busy } = get();
    if (!bridge || busy) return;
    set({ busy: true, error: null });
    try {
      await work(bridge);
    } finally {
      set({ busy: false });
    }
  };
  return {
    bridge: null,
    status: null,
    available: false,
    probe: null,
    busy: false,
    error: null,
    reload: () => window.location.reload(),
    async attach(bridge) {
      detach?.();
      set({ bridge });
      detach = bridge.on('office.state', (next) => {
        const before = get().status;
        set({ status: next });
        // Back after an outage: the lists and the person's rights are read again.
        if (
          next.state === 'connected' &&
          before &&
          before.state !== 'connected' &&
          before.state !== 'local'
        ) {
          void useSessionStore.getState().refresh();
          void useAppStore.getState().reloadInfo();
          void useMailStore.getState().refresh();
        }
      });
      const r = await bridge.call('office.status', {});
      if (r.ok) set({ status: r.value, available: true });
      else set({ available: false });
    },
    check: (url) =>
      run(async (bridge) => {
        set({ probe: null });
        const r = await bridge.call('office.probe', { url });
        if (r.ok) set({ probe: r.value });
        else set({ error: r.error });
      }),
    confirm: () =>
      run(async (bridge) => {
        const probe = get().probe;
        if (!probe) return;
        const r = await bridge.call('office.connect', { url: probe.url, fingerprint: probe.fingerprint });
        if (!r.ok) return set({ error: r.error });
        set({ status: r.value, probe: null });
        restart();
      }),
    cancel: () => set({ probe: null, error: null }),
    disconnect: () =>
      run(async (bridge) => {
        const r = await bridge.call('office.disconnect', {});
        if (!r.ok) return set({ error: r.error });
        set({ status: r.value });
        restart();
      }),
  };
});

/** "AB:CD:…" in two lines of 16 bytes, as a person compares it against the server's log. */
export function fingerprintLines(fingerprint: string): string[] {
  const bytes = fingerprint.split(':');
  return [bytes.slice(0, 16).join(':'), bytes.slice(16).join(':')].filter(Boolean);
}

/** The words for a refused office call. */
export function officeErrorKey(error: ApiError): string {
  if (error.code === 'invalid-arguments') return 'office.errors.invalid';
  if (error.code === 'conflict') return 'office.errors.mismatch';
  if (error.code === 'unavailable' && /not a PecDesk/.test(error.message)) return 'office.errors.notPecdesk';
  if (error.code === 'unavailable') return 'office.errors.unreachable';
  if (error.code === 'forbidden') return 'office.errors.forbidden';
  return 'office.errors.internal';
}
