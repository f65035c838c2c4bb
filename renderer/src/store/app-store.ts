import { create } from 'zustand';
import type { AppInfo, InspectView, PecDeskBridge, PublicAccount } from '../../../main/api/contract.ts';
import { applyProgress, applyState, type SyncProgressState, seedAccounts } from './sync-progress.ts';

export type InspectState =
  | { status: 'idle' }
  | { status: 'reading'; fileName: string }
  | { status: 'done'; result: InspectView }
  | { status: 'error'; message: string };

/** Opening the demo archive: steps done of total (0 of 1 until the core's first report). */
export type DemoOpening = { done: number; total: number };

interface AppState {
  bridge: PecDeskBridge | null;
  connected: boolean;
  info: AppInfo | null;
  inspect: InspectState;
  /** The mailboxes of the open archive, with their sync state and last error. */
  accounts: PublicAccount[];
  /** Sync progress per account id, from the core's events. */
  sync: SyncProgressState;
  demoOpening: DemoOpening | null;
  /** Opening (open: true) or leaving the demo archive failed; `message` is the core's, in English. */
  demoError: { open: boolean; message: string } | null;
  setConnected(connected: boolean): void;
  init(bridge: PecDeskBridge | null): Promise<void>;
  reloadInfo(): Promise<void>;
  reloadAccounts(): Promise<void>;
  /** Opens the demo archive (true) or goes back to the person's own (false). */
  setDemo(open: boolean): Promise<void>;
  inspectFile(file: { name: string; size: number; arrayBuffer(): Promise<ArrayBuffer> }): Promise<void>;
}

export const MAX_INSPECT_BYTES = 50 * 1024 * 1024;

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const useAppStore = create<AppState>((set, get) => ({
  bridge: null,
  connected: true,
  info: null,
  inspect: { status: 'idle' },
  accounts: [],
  sync: {},
  demoOpening: null,
  demoError: null,
  setConnected: (connected) => set({ connected }),
  async init(bridge) {
    set({ bridge });
    if (!bridge) return;
    bridge.on('sync.progress', (p) => set({ sync: applyProgress(get().sync, p) }));
    bridge.on('sync.state', (e) => {
      set({ sync: applyState(get().sync, e) });
      // The list carries the state and the error to show; a pass that ended also changed the time.
      void get().reloadAccounts();
    });
    bridge.on('demo.progress', (p) => {
      if (get().demoOpening) set({ demoOpening: p });
    });
    const info = await bridge.call('app.info', {});
    if (info.ok) set({ info: info.value });
    await get().reloadAccounts();
  },
  async reloadInfo() {
    const info = await get().bridge?.call('app.info', {});
    if (info?.ok) set({ info: info.value });
  },
  async reloadAccounts() {
    const accounts = await get().bridge?.call('accounts.list', {});
    if (accounts?.ok) set({ accounts: accounts.value, sync: seedAccounts(get().sync, accounts.value) });
  },
  async setDemo(open) {
    const { bridge } = get();
    if (!bridge || get().demoOpening) return;
    // Building the demo takes seconds: the welcome screen shows progress from the first moment.
    set({ demoError: null, ...(open ? { demoOpening: { done: 0, total: 1 } } : {}) });
    try {
      const result = await bridge.call(open ? 'demo.open' : 'demo.close', {});
      if (!result.ok) set({ demoError: { open, message: result.error.message } });
      await get().reloadInfo();
      await get().reloadAccounts();
    } finally {
      set({ demoOpening: null });
    }
  },
  async inspectFile(file) {
    const { bridge } = get();
    if (!bridge) return;
    if (file.size > MAX_INSPECT_BYTES) {
      set({ inspect: { status: 'error', message: 'too-large' } });
      return;
    }
    set({ inspect: { status: 'reading', fileName: file.name } });
    const contentBase64 = toBase64(await file.arrayBuffer());
    const response = await bridge.call('pec.inspect', { fileName: file.name, contentBase64 });
    set({
      inspect: response.ok
        ? { status: 'done', result: response.value }
        : { status: 'error', message: response.error.message },
    });
  },
}));
