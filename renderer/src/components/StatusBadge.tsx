import { useTranslation } from 'react-i18next';
import type { ListRow } from '../../../main/api/contract.ts';

/** A sent PEC's delivery state as one badge: Accettata, Consegnata 2 di 3, Mancata consegna… */
export function StatusBadge({
  row,
}: {
  row: Pick<ListRow, 'threadState' | 'direction' | 'deliveredCount' | 'recipientCount'>;
}) {
  const { t } = useTranslation();
  if (row.direction !== 'sent' || !row.threadState) return null;
  const state = row.threadState;
  const label =
    state === 'accepted' && row.deliveredCount > 0
      ? t('state.deliveredOf', { delivered: row.deliveredCount, total: row.recipientCount })
      : t(`state.${state}`);
  const tone =
    state === 'delivered'
      ? 'ok'
      : state === 'failed' || state === 'partial' || state === 'rejected'
        ? 'danger'
        : 'pending';
  return (
    <span className={`badge badge-${tone}`} data-state={state}>
      {label}
    </span>
  );
}
