/**
 * Desktop notifications of work notices (issue 14: a reminder before a due day, a due day passed,
 * a PEC nobody took in charge): the window's person gets those addressed to them (the registry's
 * event filter, as for IPC events), shown by Electron's Notification. Kept apart from main.ts so
 * that it is tested with Electron's class substituted.
 */
import type { WorkNotice } from '../api/contract.ts';
import type { EventBus } from '../api/events.ts';
import type { EventFilter } from '../api/registry.ts';

export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
}

export interface NotificationClass {
  new (options: { title: string; body: string; silent?: boolean }): NotificationLike;
  isSupported(): boolean;
}

/** Shows each work notice the window may receive; returns the unsubscribe. */
export function showWorkNotices(
  events: EventBus,
  allowed: EventFilter,
  Notification: NotificationClass,
  onClick: (notice: WorkNotice) => void = () => {},
): () => void {
  return events.on('work.notice', (payload) => {
    if (!Notification.isSupported()) return;
    const notice = allowed('work.notice', payload) as WorkNotice | undefined;
    if (!notice) return;
    const n = new Notification({ title: notice.title, body: notice.body });
    n.on('click', () => onClick(notice));
    n.show();
  });
}
