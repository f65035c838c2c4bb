/** Who is signed in, at the foot of the sidebar, with their own access settings and "Esci". */
import { useTranslation } from 'react-i18next';
import { useSessionStore } from './session-store.ts';

export function SessionFooter({ onMe }: { onMe: () => void }) {
  const { t } = useTranslation();
  const mode = useSessionStore((s) => s.mode);
  const user = useSessionStore((s) => s.user);
  const logout = useSessionStore((s) => s.logout);
  // "Solo io": nobody signs in or out.
  if (mode !== 'logins' || !user) return null;
  return (
    <div className="session-footer" data-testid="session-footer">
      <div className="session-who">
        <span className="session-name">{user.displayName || user.name}</span>
        <span className="muted session-role">{t(`people.roles.${user.role}`)}</span>
      </div>
      <div className="session-actions">
        <button type="button" className="link" onClick={onMe}>
          {t('me.open')}
        </button>
        <button type="button" onClick={() => void logout()}>
          {t('login.logout')}
        </button>
      </div>
    </div>
  );
}
