import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuotaAlert } from '../../../../main/api/keep-contract.ts';
import { useAppStore } from '../../store/app-store.ts';

/**
 * The in-app alert of a mailbox crossing 80, 90 or 95 % (quota.alert, for those who may read it):
 * a banner until dismissed, with the way to the accounts screen where the mailbox is emptied.
 */
export function QuotaAlerts({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const [alerts, setAlerts] = useState<QuotaAlert[]>([]);
  useEffect(() => {
    if (!bridge) return;
    return bridge.on('quota.alert', (a) =>
      setAlerts((list) => [...list.filter((x) => x.accountId !== a.accountId), a]),
    );
  }, [bridge]);
  if (alerts.length === 0) return null;
  return (
    <>
      {alerts.map((a) => (
        <p key={a.accountId} className="banner banner-warn" role="alert" data-testid="quota-alert">
          {t('keep.quota.alert', { email: a.email, percent: a.percent.toLocaleString('it-IT') })}{' '}
          <button type="button" onClick={onOpen}>
            {t('nav.accounts')}
          </button>{' '}
          <button
            type="button"
            aria-label={t('accounts.close')}
            onClick={() => setAlerts((list) => list.filter((x) => x.accountId !== a.accountId))}
          >
            ×
          </button>
        </p>
      ))}
    </>
  );
}
