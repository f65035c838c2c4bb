import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { connectBridge } from './api/client.ts';
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
const bridge = connectBridge((connected) => useAppStore.getState().setConnected(connected));
void useAppStore.getState().init(bridge);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
