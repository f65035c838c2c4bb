/**
 * The open PEC's timeline follows its receipts as sync brings them: when the core says the open
 * message's thread changed, the thread (states, recipients, members) is read again in place.
 */
import { useEffect } from 'react';
import type { PecDeskBridge } from '../../../../main/api/contract.ts';
import { useMailStore } from '../../store/mail-store.ts';

export function useLiveThread(bridge: PecDeskBridge | null): void {
  useEffect(() => {
    if (!bridge) return;
    return bridge.on('archive.changed', (e) => {
      const open = useMailStore.getState().open;
      const threadId = open?.threadId ?? null;
      if (!open || threadId === null || !e.threads.includes(threadId)) return;
      void bridge.call('threads.get', { id: threadId }).then((r) => {
        const now = useMailStore.getState().open;
        if (r.ok && now?.id === open.id) useMailStore.setState({ open: { ...now, thread: r.value } });
      });
    });
  }, [bridge]);
}
