import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResults } from '../../../../main/api/contract.ts';
import type { CampaignSummary, RecipientOutcome } from '../../../../main/api/send-contract.ts';
import { formatDateTime, formatNumber } from '../../format.ts';
import { useAppStore } from '../../store/app-store.ts';
import { base64Bytes, downloadBytes } from '../audit/download.ts';
import { useSendStore } from '../compose/send-store.ts';
import { useReloadOnSendChanges } from '../outbox/reload-on-send-changes.ts';
import { CampaignForm } from './CampaignForm.tsx';

const TONE: Record<RecipientOutcome['state'], string> = {
  queued: 'pending',
  sent: 'pending',
  accepted: 'pending',
  delivered: 'ok',
  failed: 'danger',
};

function Counts({ c }: { c: CampaignSummary }) {
  const { t } = useTranslation();
  return (
    <span className="campaign-counts" data-testid="campaign-counts">
      {(['delivered', 'accepted', 'sent', 'queued', 'failed'] as const)
        .filter((s) => c.counts[s] > 0)
        .map((s) => (
          <span key={s} className={`badge badge-${TONE[s]}`}>
            {t(`campaigns.count.${s}`, { count: c.counts[s], n: formatNumber(c.counts[s]) })}
          </span>
        ))}
    </span>
  );
}

/** A recipient's outcome in words, with the provider's or the server's own words after it. */
function reasonWords(
  t: (k: string, v?: Record<string, unknown>) => string,
  r: RecipientOutcome,
): string | null {
  if (!r.reasonCode) return null;
  const words = t(`campaigns.reason.${r.reasonCode}`);
  return r.detail ? `${words}: ${r.detail}` : words;
}

/**
 * Mass sending: the campaigns with their counts, a new one (CampaignForm), and each campaign's
 * table: per recipient queued, sent, accepted, delivered or failed with the reason; pause and
 * resume; send again the failed ones in one click; export the table for Excel.
 */
export function CampaignsPanel({ onOpenMessage }: { onOpenMessage: (messageId: number) => void }) {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const close = useSendStore((s) => s.close);
  const selected = useSendStore((s) => s.campaignId);
  const open = useSendStore((s) => s.openCampaigns);
  const [list, setList] = useState<CampaignSummary[]>([]);
  const [detail, setDetail] = useState<ApiResults['campaigns.get'] | null>(null);
  const [creating, setCreating] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!bridge) return;
    const r = await bridge.call('campaigns.list', {});
    if (r.ok) setList(r.value);
    if (selected !== null) {
      const d = await bridge.call('campaigns.get', { id: selected });
      if (d.ok) setDetail(d.value);
      else setProblem(d.error.message);
    } else setDetail(null);
  }, [bridge, selected]);

  useReloadOnSendChanges(bridge, load, 500);

  const act = async (
    method: 'campaigns.pause' | 'campaigns.resume' | 'campaigns.resendFailed',
    id: number,
  ) => {
    const r = await bridge?.call(method, { id });
    if (r && !r.ok) setProblem(r.error.message);
    await load();
  };
  // Who each recipient is, as the list says it: its first column that is not the address.
  const nameColumn =
    detail?.columns.find((c) => !detail.recipients.some((r) => r.fields[c]?.toLowerCase() === r.address)) ??
    null;
  const exportCsv = async (id: number) => {
    const r = await bridge?.call('campaigns.export', { id });
    if (!r) return;
    if (!r.ok) return setProblem(r.error.message);
    downloadBytes(base64Bytes(r.value.contentBase64), r.value.filename, 'text/csv;charset=utf-8');
  };

  return (
    <section className="campaigns-panel" aria-label={t('campaigns.title')} data-testid="campaigns">
      <header className="panel-head">
        <h2>{detail ? t('campaigns.detailTitle', { name: detail.name }) : t('campaigns.title')}</h2>
        <div className="form-actions">
          {detail && (
            <button type="button" onClick={() => open(null)}>
              ← {t('campaigns.all')}
            </button>
          )}
          <button type="button" onClick={close}>
            {t('outbox.close')}
          </button>
        </div>
      </header>
      {problem && (
        <p className="banner banner-danger" role="alert">
          {problem}
        </p>
      )}
      {creating && !detail && (
        <CampaignForm
          onCancel={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            open(id);
          }}
        />
      )}
      {!creating && !detail && (
        <>
          <p>
            <button
              type="button"
              className="primary"
              onClick={() => setCreating(true)}
              data-testid="campaign-new"
            >
              {t('campaigns.new')}
            </button>
          </p>
          {list.length === 0 ? (
            <p className="muted">{t('campaigns.none')}</p>
          ) : (
            <table className="outbox-table">
              <thead>
                <tr>
                  <th>{t('outbox.col.date')}</th>
                  <th>{t('campaigns.col.name')}</th>
                  <th>{t('outbox.col.from')}</th>
                  <th>{t('campaigns.col.recipients')}</th>
                  <th>{t('outbox.col.state')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((c) => (
                  <tr key={c.id}>
                    <td className="nowrap">{formatDateTime(c.createdAt)}</td>
                    <td>
                      <button type="button" className="link" onClick={() => open(c.id)}>
                        {c.name}
                      </button>
                    </td>
                    <td>{c.from}</td>
                    <td>{formatNumber(c.total)}</td>
                    <td>
                      {c.state === 'paused' && (
                        <span className="badge badge-warn">{t('campaigns.paused')}</span>
                      )}{' '}
                      <Counts c={c} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {detail && (
        <>
          <p className="muted">
            {t('campaigns.detailIntro', {
              from: detail.from,
              when: formatDateTime(detail.createdAt),
              who: detail.createdBy,
              n: formatNumber(detail.total),
            })}
          </p>
          <p>
            {detail.state === 'paused' && <span className="badge badge-warn">{t('campaigns.paused')}</span>}{' '}
            <Counts c={detail} />
          </p>
          <div className="form-actions campaign-actions">
            {detail.state === 'sending' && detail.counts.queued > 0 && (
              <button type="button" onClick={() => void act('campaigns.pause', detail.id)}>
                {t('campaigns.pause')}
              </button>
            )}
            {detail.state === 'paused' && (
              <button
                type="button"
                className="primary"
                onClick={() => void act('campaigns.resume', detail.id)}
              >
                {t('campaigns.resume')}
              </button>
            )}
            {detail.counts.failed > 0 && (
              <button
                type="button"
                data-testid="campaign-resend"
                onClick={() => {
                  if (window.confirm(t('campaigns.resendConfirm', { n: formatNumber(detail.counts.failed) })))
                    void act('campaigns.resendFailed', detail.id);
                }}
              >
                {t('campaigns.resendFailed', { n: formatNumber(detail.counts.failed) })}
              </button>
            )}
            <button type="button" onClick={() => void exportCsv(detail.id)} data-testid="campaign-export">
              {t('campaigns.export')}
            </button>
          </div>
          <table className="outbox-table" data-testid="campaign-table">
            <thead>
              <tr>
                <th>#</th>
                {nameColumn && <th>{nameColumn}</th>}
                <th>{t('outbox.col.to')}</th>
                <th>{t('outbox.col.state')}</th>
                <th>{t('campaigns.col.when')}</th>
                <th>
                  <span className="sr-only">{t('outbox.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {detail.recipients.map((r) => (
                <tr key={r.row} data-testid="campaign-recipient" data-state={r.state}>
                  <td>{r.row}</td>
                  {nameColumn && <td>{r.fields[nameColumn]}</td>}
                  <td className="file-name">{r.address}</td>
                  <td>
                    <span className={`badge badge-${TONE[r.state]}`}>{t(`campaigns.state.${r.state}`)}</span>
                    {reasonWords(t, r) && (
                      <div className={r.state === 'failed' ? 'error-detail' : 'muted'}>
                        {reasonWords(t, r)}
                      </div>
                    )}
                  </td>
                  <td className="nowrap">
                    {formatDateTime(r.deliveredAt ?? r.acceptedAt ?? r.sentAt, { seconds: true })}
                  </td>
                  <td>
                    {r.archivedMessageId !== null && (
                      <button
                        type="button"
                        className="link"
                        onClick={() => onOpenMessage(r.archivedMessageId!)}
                      >
                        {t('outbox.open')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
