/**
 * What the whole app says about the office server: where it works (a small button in the top bar,
 * which opens the office screen, also from the login screen), and a banner a person cannot miss
 * when the server is unreachable (what was open stays readable) or presents another certificate
 * (nothing is sent to it).
 */
import { useTranslation } from 'react-i18next';
import { useOfficeStore } from './office-store.ts';
import './office.css';

export function OfficeChip({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const status = useOfficeStore((s) => s.status);
  if (!status || status.state === 'local' || !status.url) return null;
  return (
    <button type="button" className="link office-chip" data-testid="office-chip" onClick={onOpen}>
      {t('office.chip', { host: status.url.replace(/^https:\/\//, '') })}
    </button>
  );
}

export function OfficeBanner({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const status = useOfficeStore((s) => s.status);
  if (status?.state === 'unreachable')
    return (
      <p className="banner banner-warn" role="status" data-testid="office-banner">
        {t('office.banner.unreachable')}
      </p>
    );
  if (status?.state === 'fingerprint-changed')
    return (
      <p className="banner banner-danger" role="alert" data-testid="office-banner">
        {t('office.banner.changed', { url: status.url })}{' '}
        <button type="button" onClick={onOpen}>
          {t('office.banner.manage')}
        </button>
      </p>
    );
  return null;
}

/** Above the login screen: which server the name and password are for, and the way to another. */
export function OfficeLoginNote({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const status = useOfficeStore((s) => s.status);
  const onServer = status && status.state !== 'local' && status.url;
  return (
    <p className="office-login-note" data-testid="office-login-note">
      {onServer && <span>{t('office.loginOn', { url: status.url })} </span>}
      <button type="button" className="link" onClick={onOpen}>
        {t(onServer ? 'office.loginChange' : 'office.open')}
      </button>
    </p>
  );
}
