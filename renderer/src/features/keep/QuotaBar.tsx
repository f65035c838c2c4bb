import { useTranslation } from 'react-i18next';
import './keep.css';
import type { PublicAccount } from '../../../../main/api/contract.ts';
import { formatBytes, formatDateTime, formatNumber } from '../../format.ts';
import { daysUntil } from './keep-words.ts';

type Quota = NonNullable<PublicAccount['quota']>;

/**
 * The mailbox's space: a bar, used of allowed, the percentage and when it will be full at the rate
 * of the last 30 days; "Casella quasi piena" from 80 %, in red from 90 %.
 */
export function QuotaBar({ quota, now = new Date() }: { quota: Quota | null | undefined; now?: Date }) {
  const { t } = useTranslation();
  if (!quota)
    return (
      <p className="quota quota-unknown muted" data-testid="quota">
        {t('keep.quota.unknown')}
      </p>
    );
  const level = quota.percent >= 90 ? 'danger' : quota.percent >= 80 ? 'warn' : 'ok';
  const days = daysUntil(quota.forecastFullAt, now);
  const percent = quota.percent.toLocaleString('it-IT', { maximumFractionDigits: 1 });
  return (
    <div className={`quota quota-${level}`} data-testid="quota">
      <div className="quota-line">
        <span>
          {t('keep.quota.used', { used: formatBytes(quota.used), limit: formatBytes(quota.limit), percent })}
        </span>
        {level !== 'ok' && <strong className="quota-flag">{t('keep.quota.almostFull')}</strong>}
      </div>
      {/* A native meter: the browser colours it by low/high (green, amber from 80 %, red from 90 %). */}
      <meter
        className="quota-bar"
        min={0}
        max={100}
        low={80}
        high={90}
        optimum={0}
        value={Math.min(100, quota.percent)}
        aria-label={t('keep.quota.label')}
      />
      <div className="muted quota-forecast" data-testid="quota-forecast">
        {days === null
          ? quota.windowDays > 0
            ? t('keep.quota.notFilling')
            : t('keep.quota.noHistory')
          : days < 1
            ? t('keep.quota.fullToday')
            : t('keep.quota.fullIn', { count: days, window: Math.round(Math.min(30, quota.windowDays)) })}
        {quota.bytesPerDay !== null && quota.bytesPerDay > 0 && (
          <> · {t('keep.quota.rate', { perDay: formatBytes(Math.round(quota.bytesPerDay)) })}</>
        )}
        {quota.messages && (
          <>
            {' '}
            ·{' '}
            {t('keep.quota.messages', {
              count: quota.messages.used,
              formatted: formatNumber(quota.messages.used),
            })}
          </>
        )}
        {` · ${t('keep.quota.readAt', { when: formatDateTime(quota.at) })}`}
      </div>
    </div>
  );
}
