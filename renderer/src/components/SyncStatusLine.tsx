import { useTranslation } from 'react-i18next';
import { formatNumber } from '../format.ts';
import { useAppStore } from '../store/app-store.ts';
import { summarize } from '../store/sync-progress.ts';
import { statusText } from '../sync-text.ts';
import { ProgressBar } from './ProgressBar.tsx';

/**
 * The bottom line of the window, on every screen, while any mailbox syncs: a progress bar and
 * "Sincronizzazione: studio@pec.it — Posta in arrivo 1.234 di 20.000 · 310 msg/s · circa 1 min".
 * Hidden when nothing syncs.
 */
export function SyncStatusLine() {
  const { t, i18n } = useTranslation();
  const sync = useAppStore((s) => s.sync);
  const summary = summarize(Object.values(sync));
  if (!summary) return null;
  const text = statusText(t, i18n, summary);
  return (
    <footer className="statusline" data-testid="sync-status">
      <ProgressBar
        label={t('sync.title')}
        value={summary.done}
        max={summary.total > 0 ? summary.total : null}
        text={t('sync.counts', { done: formatNumber(summary.done), total: formatNumber(summary.total) })}
      />
      <span className="statusline-text" title={text}>
        {text}
      </span>
    </footer>
  );
}
