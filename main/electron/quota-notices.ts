/**
 * Desktop notifications of a mailbox crossing a space threshold (issue 15: 80, 90, 95 %): a full
 * PEC mailbox refuses legal notices. The window's person gets those of the mailboxes they may read
 * (the registry's event filter, as for IPC events), shown by Electron's Notification; the app
 * shows the same alert in the accounts screen. Tested with Electron's class substituted.
 */

import type { EventBus } from '../api/events.ts';
import type { QuotaAlert } from '../api/keep-contract.ts';
import type { EventFilter } from '../api/registry.ts';
import type { NotificationClass } from './notices.ts';

const MB = 1024 * 1024;

/** "912 MB di 1.024 MB (91 %). Piena tra circa 12 giorni al ritmo degli ultimi 30." */
export function quotaNotice(a: QuotaAlert, now = new Date()): { title: string; body: string } {
  // Italian locale data leaves four-digit numbers ungrouped; the UI's words group them always.
  const mb = (n: number) =>
    `${Math.round(n / MB).toLocaleString('it-IT', { useGrouping: 'always' } as unknown as Intl.NumberFormatOptions)} MB`;
  const days = a.forecastFullAt
    ? Math.max(0, Math.round((Date.parse(a.forecastFullAt) - now.getTime()) / 86_400_000))
    : null;
  const when =
    days === null
      ? ''
      : days < 1
        ? ' Piena entro oggi al ritmo degli ultimi 30 giorni.'
        : ` Piena tra circa ${days} ${days === 1 ? 'giorno' : 'giorni'} al ritmo degli ultimi 30 giorni.`;
  return {
    title: `Casella quasi piena: ${a.email}`,
    body: `Spazio occupato ${mb(a.used)} di ${mb(a.limit)} (${a.percent.toLocaleString('it-IT')} %).${when} Una casella piena non riceve più PEC: svuotala da Gestisci caselle.`,
  };
}

/** Shows each quota alert the window may receive; returns the unsubscribe. */
export function showQuotaAlerts(
  events: EventBus,
  allowed: EventFilter,
  Notification: NotificationClass,
  onClick: (alert: QuotaAlert) => void = () => {},
): () => void {
  return events.on('quota.alert', (payload) => {
    if (!Notification.isSupported()) return;
    const alert = allowed('quota.alert', payload) as QuotaAlert | undefined;
    if (!alert) return;
    const n = new Notification(quotaNotice(alert));
    n.on('click', () => onClick(alert));
    n.show();
  });
}
