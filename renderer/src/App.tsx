import { type CSSProperties, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountsPanel } from './components/AccountsPanel.tsx';
import { InspectPanel } from './components/InspectPanel.tsx';
import { MessageList } from './components/MessageList.tsx';
import { ProgressBar } from './components/ProgressBar.tsx';
import { Reader } from './components/Reader.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { Splitter } from './components/Splitter.tsx';
import { SyncStatusLine } from './components/SyncStatusLine.tsx';
import { AuditPanel } from './features/audit/AuditPanel.tsx';
import { CampaignsPanel } from './features/campaigns/CampaignsPanel.tsx';
import { ComposePanel } from './features/compose/ComposePanel.tsx';
import { useLiveThread } from './features/compose/live-thread.ts';
import { SendToolbar } from './features/compose/SendToolbar.tsx';
import { useSendStore } from './features/compose/send-store.ts';
import { QuotaAlerts } from './features/keep/QuotaAlerts.tsx';
import { OfficeBanner, OfficeChip, OfficeLoginNote } from './features/office/OfficeBanner.tsx';
import { OfficeScreen } from './features/office/OfficeScreen.tsx';
import { useOfficeStore } from './features/office/office-store.ts';
import { OutboxPanel, openInReader } from './features/outbox/OutboxPanel.tsx';
import { FirstStart, settleFirstStart } from './features/people/FirstStart.tsx';
import { LoginScreen } from './features/people/LoginScreen.tsx';
import { MyAccess } from './features/people/MyAccess.tsx';
import { PeoplePanel } from './features/people/PeoplePanel.tsx';
import { administers } from './features/people/rights.ts';
import { useSessionStore } from './features/people/session-store.ts';
import { WorkScreen } from './features/work/WorkScreen.tsx';
import { useWorkStore } from './features/work/work-store.ts';
import { LANGUAGES } from './i18n/index.ts';
import { usePaneWidths } from './layout/use-pane-widths.ts';
import { useAppStore } from './store/app-store.ts';
import { useMailStore } from './store/mail-store.ts';

type Screen = 'mail' | 'accounts' | 'inspect' | 'people' | 'audit' | 'me' | 'office';

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
  const demoOpening = useAppStore((s) => s.demoOpening);
  const demoError = useAppStore((s) => s.demoError);
  // Personal logins: the login screen until someone has signed in; what they may not do is hidden.
  const gate = useSessionStore((s) => s.status);
  const admin = useSessionStore((s) => administers(s.rights));
  const panes = usePaneWidths();
  const officeAvailable = useOfficeStore((s) => s.available);
  /** Into the demo archive or back: the list starts again from all mailboxes. */
  const switchDemo = async (open: boolean) => {
    await setDemo(open);
    await useMailStore.getState().setView({ kind: 'smart', view: 'all' });
  };
  const [screen, setScreen] = useState<Screen>('mail');
  // Compose, the outbox and mass sending take the place of the list and the reader.
  const sendScreen = useSendStore((s) => s.screen);
  useLiveThread(bridge);
  useEffect(
    // Choosing a view or opening a message goes back to the mail.
    () =>
      useMailStore.subscribe((s, prev) => {
        if (s.view !== prev.view || s.openId !== prev.openId || s.text !== prev.text)
          useSendStore.getState().close();
      }),
    [],
  );
  const show = (next: Screen) => {
    useSendStore.getState().close();
    setScreen(next);
  };
  useListKeys(screen === 'mail' && !sendScreen);
  const welcome = screen === 'mail' && !sendScreen && info?.empty && !info.demo;
  const threePanes = screen === 'mail' && !sendScreen && !welcome;
  // The work screens (issue 14: agenda, approvals, rules, reports) take the list's and reader's place.
  const workPage = useWorkStore((s) => s.page);
  const mailPanes = threePanes && !workPage;
  useEffect(() => {
    if (workPage) setScreen('mail');
  }, [workPage]);
  const widths = {
    '--sidebar-width': `${panes.widths.sidebar}px`,
    '--list-width': `${panes.widths.list}px`,
  } as CSSProperties;
  useEffect(() => {
    if (!bridge) return;
    useMailStore.getState().attach(bridge);
    useWorkStore.getState().attach(bridge);
    void useOfficeStore.getState().attach(bridge);
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
        {bridge && gate !== 'login' && <SendToolbar onOpen={() => setScreen('mail')} />}
        <div className="topbar-right">
          {bridge && <OfficeChip onOpen={() => show('office')} />}
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
          {admin && (
            <button type="button" disabled={demoOpening !== null} onClick={() => void switchDemo(false)}>
              {t('demo.close')}
            </button>
          )}
        </p>
      )}
      {demoError && (
        <p className="banner banner-danger" role="alert">
          {t(demoError.open ? 'demo.failed' : 'demo.closeFailed')}
        </p>
      )}
      {!connected && (
        <p className="banner banner-warn" role="status">
          {t('app.disconnected')}
        </p>
      )}
      {bridge && <OfficeBanner onOpen={() => show('office')} />}
      {bridge && <QuotaAlerts onOpen={() => show('accounts')} />}
      {!bridge ? (
        <p className="banner banner-warn">{t('app.noToken')}</p>
      ) : screen === 'office' ? (
        // Reachable before anyone signs in too: the server's login screen is where one leaves it.
        <main className="wide-pane">
          <OfficeScreen onClose={() => setScreen('mail')} />
        </main>
      ) : gate === 'login' ? (
        <div className="office-login">
          {officeAvailable && <OfficeLoginNote onOpen={() => show('office')} />}
          <LoginScreen />
        </div>
      ) : (
        <div className={mailPanes ? 'panes panes-three' : 'panes panes-two'} style={widths}>
          <Sidebar
            id="pane-sidebar"
            onAccounts={() => show('accounts')}
            onInspect={() => show('inspect')}
            onPeople={() => show('people')}
            onAudit={() => show('audit')}
            onMe={() => show('me')}
            {...(officeAvailable ? { onOffice: () => show('office') } : {})}
          />
          <Splitter
            label={t('layout.resizeSidebar')}
            controls="pane-sidebar"
            range={panes.ranges.sidebar}
            onChange={(width, keep) => panes.set('sidebar', width, keep)}
            onReset={panes.reset}
          />
          {welcome && (
            <main className="wide-pane">
              <section className="card welcome" data-testid="welcome">
                <h2>{t('welcome.title')}</h2>
                <p>{t('welcome.text')}</p>
                <FirstStart>
                  {demoOpening ? (
                    <div className="demo-opening" role="status" data-testid="demo-opening">
                      {/* Moving from the first moment; measured once the core reports its first step. */}
                      <ProgressBar
                        label={t('demo.preparing')}
                        value={demoOpening.done}
                        max={demoOpening.done > 0 ? demoOpening.total : null}
                      />
                      <p>{t('demo.preparing')}</p>
                    </div>
                  ) : (
                    <div className="form-actions">
                      <button
                        type="button"
                        className="primary"
                        onClick={() => void settleFirstStart().then((ok) => ok && setScreen('accounts'))}
                      >
                        {t('welcome.add')}
                      </button>
                      {admin && (
                        <button type="button" onClick={() => void switchDemo(true)}>
                          {t('welcome.demo')}
                        </button>
                      )}
                      {officeAvailable && (
                        <button type="button" onClick={() => show('office')}>
                          {t('office.open')}
                        </button>
                      )}
                    </div>
                  )}
                </FirstStart>
              </section>
            </main>
          )}
          {threePanes && workPage && (
            <main className="wide-pane">
              <WorkScreen />
            </main>
          )}
          {mailPanes && (
            <>
              <div id="pane-list" className="list-slot">
                <MessageList />
              </div>
              <Splitter
                label={t('layout.resizeList')}
                controls="pane-list"
                range={panes.ranges.list}
                onChange={(width, keep) => panes.set('list', width, keep)}
                onReset={panes.reset}
              />
              <main className="reader-pane">
                <Reader />
              </main>
            </>
          )}
          {screen === 'mail' && sendScreen && (
            <main className="wide-pane">
              {sendScreen === 'compose' && <ComposePanel />}
              {sendScreen === 'outbox' && <OutboxPanel onOpenMessage={openInReader} />}
              {sendScreen === 'campaigns' && <CampaignsPanel onOpenMessage={openInReader} />}
            </main>
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
          {screen === 'people' && (
            <main className="wide-pane">
              <PeoplePanel onClose={() => setScreen('mail')} />
            </main>
          )}
          {screen === 'audit' && (
            <main className="wide-pane">
              <AuditPanel onClose={() => setScreen('mail')} />
            </main>
          )}
          {screen === 'me' && (
            <main className="wide-pane">
              <MyAccess onClose={() => setScreen('mail')} />
            </main>
          )}
          {screen === 'inspect' && (
            <main className="wide-pane">
              <button type="button" className="link" onClick={() => setScreen('mail')}>
                ← {t('inspect.back')}
              </button>
              <InspectPanel />
            </main>
          )}
        </div>
      )}
      <SyncStatusLine />
    </div>
  );
}
