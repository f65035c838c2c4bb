/** "Il mio accesso": anyone signed in sees who they are, turns on two-step verification, signs out. */
import { useTranslation } from 'react-i18next';
import { useSessionStore } from './session-store.ts';
import { TwoFactor } from './TwoFactor.tsx';

export function MyAccess({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const user = useSessionStore((s) => s.user);
  const rights = useSessionStore((s) => s.rights);
  const logout = useSessionStore((s) => s.logout);
  if (!user) return null;
  return (
    <section className="people-panel" aria-label={t('me.title')} data-testid="my-access">
      <header className="panel-head">
        <h2>{t('me.title')}</h2>
        <button type="button" onClick={onClose}>
          {t('people.close')}
        </button>
      </header>
      <section className="card">
        <p>
          <strong>{user.displayName || user.name}</strong> · {user.name} · {t(`people.roles.${user.role}`)}
        </p>
        {rights && !rights.administers && (
          <>
            <h4>{t('me.mailboxes')}</h4>
            {rights.mailboxes.length === 0 ? (
              <p className="muted">{t('me.noMailboxes')}</p>
            ) : (
              <ul className="my-rights">
                {rights.mailboxes.map((m) => (
                  <li key={m.email}>
                    <span className="breakable">{m.email}</span>:{' '}
                    {m.rights.map((r) => t(`people.rights.${r}`).toLowerCase()).join(', ')}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
        <button type="button" onClick={() => void logout()}>
          {t('login.logout')}
        </button>
      </section>
      <TwoFactor />
    </section>
  );
}
