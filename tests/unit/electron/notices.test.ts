/** Desktop notifications of work notices (issue 14) with Electron's Notification substituted. */
import { describe, expect, it } from 'vitest';
import type { WorkNotice } from '../../../main/api/contract.ts';
import { EventBus } from '../../../main/api/events.ts';
import { type NotificationClass, showWorkNotices } from '../../../main/electron/notices.ts';

const notice = (userIds: number[]): WorkNotice => ({
  kind: 'escalation',
  userIds,
  messageId: 7,
  threadId: 3,
  subject: 'Avviso di accertamento',
  due: null,
  daysLeft: null,
  hours: 4,
  title: 'PEC non presa in carico entro 4 ore',
  body: 'Avviso di accertamento',
});

describe('work notices on the desktop', () => {
  it('shows those the window’s person may receive, in Italian words, and opens the window on click', () => {
    const shown: { title: string; body: string }[] = [];
    const clicks: (() => void)[] = [];
    class FakeNotification {
      constructor(readonly options: { title: string; body: string }) {}
      static isSupported() {
        return true;
      }
      show() {
        shown.push(this.options);
      }
      on(_event: 'click', listener: () => void) {
        clicks.push(listener);
      }
    }
    const events = new EventBus();
    const opened: WorkNotice[] = [];
    const off = showWorkNotices(
      events,
      (_name, payload) => ((payload as WorkNotice).userIds.includes(5) ? payload : undefined),
      FakeNotification as unknown as NotificationClass,
      (n) => opened.push(n),
    );
    events.emit('work.notice', notice([5]));
    events.emit('work.notice', notice([6]));
    events.emit('archive.changed', { created: 0, threads: [] });
    expect(shown).toEqual([{ title: 'PEC non presa in carico entro 4 ore', body: 'Avviso di accertamento' }]);
    clicks[0]!();
    expect(opened.map((n) => n.messageId)).toEqual([7]);
    off();
    events.emit('work.notice', notice([5]));
    expect(shown).toHaveLength(1);
  });

  it('shows nothing where the system has no notifications', () => {
    let shown = 0;
    const Unsupported = class {
      static isSupported() {
        return false;
      }
      show() {
        shown++;
      }
      on() {}
    };
    const events = new EventBus();
    showWorkNotices(events, (_n, p) => p, Unsupported as unknown as NotificationClass);
    events.emit('work.notice', notice([1]));
    expect(shown).toBe(0);
  });
});
