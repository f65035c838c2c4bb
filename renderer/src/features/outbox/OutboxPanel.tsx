import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutboxView } from '../../../../main/api/send-contract.ts';
import { formatDateTime, formatNumber } from '../../format.ts';
import { useAppStore } from '../../store/app-store.ts';
import { useMailStore } from '../../store/mail-store.ts';
import { useSendStore } from '../compose/send-store.ts';
import { useReloadOnSendChanges } from './reload-on-send-changes.ts';

/** The badge's colour of each state (states added later, e.g. approval, show as waiting). */
const TONE: Record<string, 'ok' | 'danger' | 'pending' | 'warn'> = {
  'awaiting-approval': 'warn',
  rejected: 'danger',
  queued: 'pending',
  retrying: 'warn',
  sending: 'pending',
  verifying: 'warn',
  sent: 'pending',
  accepted: 'pending',
  'not-accepted': 'danger',
  delivered: 'ok',
  partial: 'warn',
  'delivery-failed': 'danger',
  failed: 'danger',
  cancelled: 'danger',
};

/** A row's state in words: "Consegnata 1 di 2", "Nuovo tentativo alle 10:42:07"… */
export function outboxStateWords(
  t: (k: string, v?: Record<string, unknown>) => string,
  r: OutboxView,
): string {
  switch (r.state) {
    case 'retrying':
      return t('outbox.state.retrying', { when: formatDateTime(r.nextAttemptAt, { seconds: true }) });
    case 'partial':
    case 'accepted':
      return r.recipientCount > 0 && r.delivered > 0
        ? t('outbox.state.deliveredOf', {
            delivered: formatNumber(r.delivered),
            total: formatNumber(r.recipientCount),
          })
        : t(`outbox.state.${r.state}`);
    default:
      return t(`outbox.state.${r.state}`);
  }
}

/** What went wrong, in words, with the server's own words after it. */
function errorWords(t: (k: string, v?: Record<string, unknown>) => string, r: OutboxView): string | null {
  if (!r.errorCode) return null;
  const words = t(`outbox.error.${r.errorCode}`, { defaultValue: '' });
  return words ? `${words}${r.error ? ` (${r.error})` : ''}` : r.error;
}

/**
 * The outbox: every PEC sent from the archive, newest first, with how far it got (in coda, invio in
 * corso, inviata al gestore, accettata, consegnata n di m, non accettata, rifiutata dal server…),
 * what went wrong in words, and what can be done: open it, send again a refused one, cancel one
 * not yet handed to the provider. Follows the core's events as they come.
 */
export function OutboxPanel({ onOpenMessage }: { onOpenMessage: (id: number) => void }) {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const close = useSendStore((s) => s.close);
  const openCampaigns = useSendStore((s) => s.openCampaigns);
  const [rows, setRows] = useState<OutboxView[]>([]);
  const [total, setTotal] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await bridge?.call('outbox.list', { offset: 0, limit: 200 });
    if (!r) return;
    if (!r.ok) return setProblem(r.error.message);
    setRows(r.value.rows);
    setTotal(r.value.total);
  }, [bridge]);

  useReloadOnSendChanges(bridge, load, 300);

  const act = async (method: 'outbox.retry' | 'outbox.cancel', id: number) => {
    if (method === 'outbox.cancel' && !window.confirm(t('outbox.cancelConfirm'))) return;
    const r = await bridge?.call(method, { id });
    if (r && !r.ok) setProblem(r.error.message);
    await load();
  };

  return (
    <section className="outbox-panel" aria-label={t('outbox.title')} data-testid="outbox">
      <header className="panel-head">
        <h2>{t('outbox.title')}</h2>
        <button type="button" onClick={close}>
          {t('outbox.close')}
        </button>
      </header>
      <p className="muted">{t('outbox.intro', { count: total, n: formatNumber(total) })}</p>
      {problem && (
        <p className="banner banner-danger" role="alert">
          {problem}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="muted">{t('outbox.empty')}</p>
      ) : (
        <table className="outbox-table">
          <thead>
            <tr>
              <th>{t('outbox.col.date')}</th>
              <th>{t('outbox.col.from')}</th>
              <th>{t('outbox.col.to')}</th>
              <th>{t('outbox.col.subject')}</th>
              <th>{t('outbox.col.state')}</th>
              <th>
                <span className="sr-only">{t('outbox.col.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="outbox-row" data-state={r.state}>
                <td className="nowrap">{formatDateTime(r.sentAt ?? r.createdAt, { seconds: true })}</td>
                <td>{r.from}</td>
                <td className="file-name">
                  {r.recipients.map((x) => (x.type === 'cc' ? `${x.address} (cc)` : x.address)).join(', ')}
                </td>
                <td>
                  {r.subject}
                  {r.campaignId && (
                    <button
                      type="button"
                      className="link campaign-tag"
                      onClick={() => openCampaigns(r.campaignId)}
                    >
                      {t('outbox.campaign', { id: r.campaignId })}
                    </button>
                  )}
                </td>
                <td>
                  <span className={`badge badge-${TONE[r.state] ?? 'pending'}`} data-testid="outbox-state">
                    {outboxStateWords(t, r)}
                  </span>
                  {errorWords(t, r) && <div className="error-detail">{errorWords(t, r)}</div>}
                  {r.attempts > 1 && <div className="muted">{t('outbox.attempts', { n: r.attempts })}</div>}
                </td>
                <td className="nowrap">
                  {r.archivedMessageId !== null && (
                    <button type="button" onClick={() => onOpenMessage(r.archivedMessageId!)}>
                      {t('outbox.open')}
                    </button>
                  )}
                  {r.state === 'failed' && (
                    <button type="button" onClick={() => void act('outbox.retry', r.id)}>
                      {t('outbox.retry')}
                    </button>
                  )}
                  {(r.state === 'queued' || r.state === 'retrying' || r.state === 'failed') && (
                    <button type="button" onClick={() => void act('outbox.cancel', r.id)}>
                      {t('outbox.cancel')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Opens a message of the archive in the reader (from the outbox or a campaign). */
export function openInReader(id: number) {
  useSendStore.getState().close();
  void useMailStore.getState().openMessage(id);
}
