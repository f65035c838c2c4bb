import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountsPanel } from './components/AccountsPanel.tsx';
import { InspectPanel } from './components/InspectPanel.tsx';
import { MessageList } from './components/MessageList.tsx';
import { Reader } from './components/Reader.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { LANGUAGES } from './i18n/index.ts';
import { useAppStore } from './store/app-store.ts';
import { useMailStore } from './store/mail-store.ts';

type Screen = 'mail' | 'accounts' | 'inspect';

/** Arrows or j/k move through the list; Enter opens; nothing fires while typing in a field. */
function useListKeys(active: boolean) {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      const { selectedIndex, select } = useMailStore.getState();
      if (e.key === 'ArrowDown' || e.key === 'j') select((selectedIndex ?? -1) + 1);
      else if (e.key === 'ArrowUp' || e.key === 'k') select((selectedIndex ?? 1) - 1);
      else if (e.key === 'Enter' && selectedIndex !== null) select(selectedIndex);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
}

export function App() {
  const { t, i18n } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const connected = useAppStore((s) => s.connected);
  const info = useAppStore((s) => s.info);
  const setDemo = useAppStore((s) => s.setDemo);
  /** Into the demo archive or back: the list starts again from all mailboxes. */
  const switchDemo = async (open: boolean) => {
    await setDemo(open);
    await useMailStore.getState().setView({ kind: 'smart', view: 'all' });
  };
  const [screen, setScreen] = useState<Screen>('mail');
  useListKeys(screen === 'mail');
  useEffect(() => {
    if (!bridge) return;
    useMailStore.getState().attach(bridge);
    void useMailStore.getState().refresh();
  }, [bridge]);
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
      {info?.demo && (
        <p className="banner banner-warn demo-banner" role="status">
          {t('demo.banner')}{' '}
          <button type="button" onClick={() => void switchDemo(false)}>
            {t('demo.close')}
          </button>
        </p>
      )}
      {!connected && (
        <p className="banner banner-warn" role="status">
          {t('app.disconnected')}
        </p>
      )}
      {!bridge ? (
        <p className="banner banner-warn">{t('app.noToken')}</p>
      ) : (
        <div className="panes">
          <Sidebar onAccounts={() => setScreen('accounts')} onInspect={() => setScreen('inspect')} />
          {screen === 'mail' && info?.empty && !info.demo && (
            <main className="wide-pane">
              <section className="card welcome" data-testid="welcome">
                <h2>{t('welcome.title')}</h2>
                <p>{t('welcome.text')}</p>
                <div className="form-actions">
                  <button type="button" className="primary" onClick={() => setScreen('accounts')}>
                    {t('welcome.add')}
                  </button>
                  <button type="button" onClick={() => void switchDemo(true)}>
                    {t('welcome.demo')}
                  </button>
                </div>
              </section>
            </main>
          )}
          {screen === 'mail' && !(info?.empty && !info.demo) && (
            <>
              <MessageList />
              <main className="reader-pane">
                <Reader />
              </main>
            </>
          )}
          {screen === 'accounts' && (
            <main className="wide-pane">
              <AccountsPanel
                onClose={() => {
                  setScreen('mail');
                  void useAppStore.getState().reloadInfo();
                }}
              />
            </main>
          )}
          {screen === 'inspect' && (
            <main className="wide-pane">
              <button type="button" className="link" onClick={() => setScreen('mail')}>
                ←
              </button>
              <InspectPanel />
            </main>
          )}
        </div>
      )}
    </div>
  );
}
