import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format.ts';
import { useAppStore } from '../../store/app-store.ts';
import { can } from '../people/rights.ts';
import { useSessionStore } from '../people/session-store.ts';
import { useSendStore } from './send-store.ts';
import './send.css';

/** Nuova PEC, Posta in uscita (with what is still waiting), Invii massivi: in the top bar. */
export function SendToolbar({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const rights = useSessionStore((s) => s.rights);
  const { openCompose, openOutbox, openCampaigns } = useSendStore();
  const [waiting, setWaiting] = useState(0);
  useEffect(() => {
    if (!bridge) return;
    const load = () =>
      void bridge
        .call('outbox.list', { offset: 0, limit: 1 })
        .then((r) => r.ok && setWaiting(r.value.waiting));
    load();
    return bridge.on('outbox.changed', load);
  }, [bridge]);
  if (!can(rights, 'send')) return null;
  return (
    <nav className="send-toolbar" aria-label={t('compose.sendingNav')}>
      <button
        type="button"
        className="primary"
        data-testid="new-pec"
        onClick={() => {
          onOpen();
          openCompose(null);
        }}
      >
        {t('compose.new')}
      </button>
      <button
        type="button"
        data-testid="open-outbox"
        onClick={() => {
          onOpen();
          openOutbox();
        }}
      >
        {t('outbox.title')}
        {waiting > 0 && <span className="count">{formatNumber(waiting)}</span>}
      </button>
      <button
        type="button"
        data-testid="open-campaigns"
        onClick={() => {
          onOpen();
          openCampaigns(null);
        }}
      >
        {t('campaigns.title')}
      </button>
    </nav>
  );
}
