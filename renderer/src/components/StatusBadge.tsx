import { useTranslation } from 'react-i18next';
import { type DeliveryCounts, deliveryBadges, listBadge } from '../delivery-label.ts';

/**
 * A sent PEC's delivery state as badges: Accettata, Consegnata 2 di 3, Consegnata 1 di 3 · 1
 * mancata, Mancata consegna, plus a preavviso or the 24-hour flag when there is one.
 */
export function StatusBadge({ row, compact = false }: { row: DeliveryCounts; compact?: boolean }) {
  const { t } = useTranslation();
  const one = compact ? listBadge(row) : null;
  const badges = compact ? (one ? [one] : []) : deliveryBadges(row);
  if (badges.length === 0) return null;
  return (
    <>
      {badges.map((b) => (
        <span
          key={b.id}
          className={`badge badge-${b.tone}`}
          data-state={row.threadState}
          data-badge={b.id}
          // In the list a badge may be cut short: its words stay on hover.
          title={b.id === 'overdue' ? t('state.overdueLong') : compact ? t(b.key, b.params) : undefined}
        >
          {t(b.key, b.params)}
        </span>
      ))}
    </>
  );
}
