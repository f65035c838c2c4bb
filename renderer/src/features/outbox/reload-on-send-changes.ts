import { useEffect } from 'react';
import type { PecDeskBridge } from '../../../../main/api/contract.ts';

/**
 * Loads now, then again after outbox rows or the archive change: many changes at once (a mass
 * sending) make one reload, `delayMs` after the first of them. For the outbox and the campaigns.
 */
export function useReloadOnSendChanges(
  bridge: PecDeskBridge | null,
  load: () => Promise<void>,
  delayMs: number,
): void {
  useEffect(() => {
    if (!bridge) return;
    void load();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const later = () => {
      timer ??= setTimeout(() => {
        timer = null;
        void load();
      }, delayMs);
    };
    const offs = [bridge.on('outbox.changed', later), bridge.on('archive.changed', later)];
    return () => {
      for (const off of offs) off();
      if (timer) clearTimeout(timer);
    };
  }, [bridge, load, delayMs]);
}
