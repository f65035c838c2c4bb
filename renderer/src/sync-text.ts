/** The words of sync progress, shared by the status line and the accounts screen. */
import type { i18n as I18n, TFunction } from 'i18next';
import { folderName } from './folder-name.ts';
import { formatNumber } from './format.ts';
import type { ProgressSummary } from './store/sync-progress.ts';

/** "meno di un minuto", "circa 4 min", "circa 2 h 10 min". */
export function timeLeft(t: TFunction, seconds: number): string {
  if (seconds < 60) return t('sync.left.soon');
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t('sync.left.minutes', { count: minutes });
  return t('sync.left.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

/** "310 msg/s · circa 1 min", or what of it is known. */
export function pace(t: TFunction, s: ProgressSummary): string[] {
  const parts: string[] = [];
  if (s.rate >= 1) parts.push(t('sync.rate', { rate: formatNumber(Math.round(s.rate)) }));
  if (s.secondsLeft !== null) parts.push(timeLeft(t, s.secondsLeft));
  return parts;
}

/** "Posta in arrivo 1.234 di 20.000", or that the folders are being checked. */
export function folderProgress(t: TFunction, i18n: I18n, s: ProgressSummary): string {
  if (s.total === 0 || !s.folder) return t('sync.checking');
  return t('sync.folder', {
    folder: folderName(t, i18n, s.folder),
    done: formatNumber(s.done),
    total: formatNumber(s.total),
  });
}

/** The status line: who is syncing, where, how far, how fast, how long still. */
export function statusText(t: TFunction, i18n: I18n, s: ProgressSummary): string {
  const head =
    s.accounts === 1
      ? t('sync.one', { email: s.email, progress: folderProgress(t, i18n, s) })
      : t('sync.many', {
          count: s.accounts,
          progress:
            s.total === 0
              ? t('sync.checking')
              : t('sync.counts', { done: formatNumber(s.done), total: formatNumber(s.total) }),
        });
  return [head, ...pace(t, s)].join(' · ');
}
