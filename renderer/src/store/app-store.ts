import { create } from 'zustand';
import type { AppInfo, InspectView, PecDeskBridge } from '../../../main/api/contract.ts';

export type InspectState =
  | { status: 'idle' }
  | { status: 'reading'; fileName: string }
  | { status: 'done'; result: InspectView }
  | { status: 'error'; message: string };

interface AppState {
  bridge: PecDeskBridge | null;
  connected: boolean;
  info: AppInfo | null;
  inspect: InspectState;
  setConnected(connected: boolean): void;
  init(bridge: PecDeskBridge | null): Promise<void>;
  reloadInfo(): Promise<void>;
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
  setConnected: (connected) => set({ connected }),
  async init(bridge) {
    set({ bridge });
    if (!bridge) return;
    const info = await bridge.call('app.info', {});
    if (info.ok) set({ info: info.value });
  },
  async reloadInfo() {
    const info = await get().bridge?.call('app.info', {});
    if (info?.ok) set({ info: info.value });
  },
  async setDemo(open) {
    const { bridge } = get();
    if (!bridge) return;
    await bridge.call(open ? 'demo.open' : 'demo.close', {});
    await get().reloadInfo();
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
