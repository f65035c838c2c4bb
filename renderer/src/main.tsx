import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { connectBridge } from './api/client.ts';
import { withSessions } from './features/people/session.ts';
import { useSessionStore } from './features/people/session-store.ts';
import { setFormatLocale } from './format.ts';
import { initI18n } from './i18n/index.ts';
import { useAppStore } from './store/app-store.ts';
import './styles.css';

const language = (localStorage.getItem('pecdesk.language') as 'it' | 'en' | null) ?? 'it';
setFormatLocale(language);
document.documentElement.lang = language;
initI18n(language).on('languageChanged', (lng) => {
  // Before React re-renders for the new language, so dates come out in it.
  setFormatLocale(lng);
  localStorage.setItem('pecdesk.language', lng);
  document.documentElement.lang = lng;
});
const connection = connectBridge((connected) => useAppStore.getState().setConnected(connected));
// Personal logins: the session goes with every call; a browser tab keeps it across reloads,
// Electron only in memory.
const bridge = connection && withSessions(connection, window.pecdesk ? null : window.sessionStorage);
void useAppStore.getState().init(bridge);
if (bridge) void useSessionStore.getState().start(bridge);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
