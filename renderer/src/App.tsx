import { useTranslation } from 'react-i18next';
import { InspectPanel } from './components/InspectPanel.tsx';
import { LANGUAGES } from './i18n/index.ts';
import { useAppStore } from './store/app-store.ts';

export function App() {
  const { t, i18n } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const connected = useAppStore((s) => s.connected);
  const info = useAppStore((s) => s.info);
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ✉
          </span>
          <span className="brand-name">{t('app.name')}</span>
          <span className="muted">{t('app.tagline')}</span>
        </div>
        <div className="topbar-right">
          {info && <span className="muted version">v{info.version}</span>}
          <label>
            <span className="sr-only">{t('app.language')}</span>
            <select value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {l.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      {!connected && (
        <p className="banner banner-warn" role="status">
          {t('app.disconnected')}
        </p>
      )}
      <main className="content">
        {bridge ? <InspectPanel /> : <p className="banner banner-warn">{t('app.noToken')}</p>}
      </main>
    </div>
  );
}
