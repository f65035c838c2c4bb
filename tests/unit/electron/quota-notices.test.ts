import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/api/events.ts';
import type { QuotaAlert } from '../../../main/api/keep-contract.ts';
import { quotaNotice, showQuotaAlerts } from '../../../main/electron/quota-notices.ts';

const alert: QuotaAlert = {
  accountId: 7,
  email: 'studio@pec.it',
  threshold: 90,
  percent: 91.2,
  used: 934 * 1024 * 1024,
  limit: 1024 * 1024 * 1024,
  forecastFullAt: new Date(Date.parse('2026-11-25T12:00:00Z') + 12 * 86_400_000).toISOString(),
};

describe('desktop notification of a mailbox filling up', () => {
  it('says it in Italian: how full, when full, what to do', () => {
    const n = quotaNotice(alert, new Date('2026-11-25T12:00:00Z'));
    expect(n.title).toBe('Casella quasi piena: studio@pec.it');
    expect(n.body).toContain('Spazio occupato 934 MB di 1.024 MB (91,2 %).');
    expect(n.body).toContain('Piena tra circa 12 giorni al ritmo degli ultimi 30 giorni.');
    expect(n.body).toContain('Gestisci caselle');
  });

  it('shows only the alerts the window’s person may receive, through Electron’s Notification', () => {
    const shown: { title: string; body: string }[] = [];
    let clicked: QuotaAlert | null = null;
    class FakeNotification {
      private listener: (() => void) | null = null;
      constructor(readonly options: { title: string; body: string }) {}
      static isSupported() {
        return true;
      }
      on(_event: 'click', listener: () => void) {
        this.listener = listener;
        return this;
      }
      show() {
        shown.push(this.options);
        this.listener?.();
      }
    }
    const events = new EventBus();
    // The registry's filter: this person reads mailbox 7 only.
    const off = showQuotaAlerts(
      events,
      (_name, payload) => ((payload as QuotaAlert).accountId === 7 ? payload : undefined),
      FakeNotification,
      (a) => {
        clicked = a;
      },
    );
    events.emit('quota.alert', { ...alert, accountId: 8, email: 'altro@pec.it' });
    events.emit('quota.alert', alert);
    expect(shown.map((s) => s.title)).toEqual(['Casella quasi piena: studio@pec.it']);
    expect(clicked).toEqual(alert);
    off();
    events.emit('quota.alert', alert);
    expect(shown).toHaveLength(1);
  });
});
