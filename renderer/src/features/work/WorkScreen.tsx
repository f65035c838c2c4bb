/** The work screens (issue 14), in the wide pane: agenda, approvals, rules, reports, settings. */
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { AgendaView } from './AgendaView.tsx';
import { ApprovalsView } from './ApprovalsView.tsx';
import { RulesView } from './RulesView.tsx';
import { SettingsView } from './SettingsView.tsx';
import { useWorkStore } from './work-store.ts';
import './work.css';

// The chart library is loaded with the reports only: the app's start does not carry it.
const ReportsView = lazy(() => import('./ReportsView.tsx'));

export function WorkScreen() {
  const { t } = useTranslation();
  const page = useWorkStore((s) => s.page);
  const setPage = useWorkStore((s) => s.setPage);
  if (!page) return null;
  return (
    <div className="work-screen" data-testid={`work-${page}`}>
      <button type="button" className="link" onClick={() => setPage(null)}>
        ← {t('work.back')}
      </button>
      {page === 'agenda' && <AgendaView />}
      {page === 'approvals' && <ApprovalsView />}
      {page === 'rules' && <RulesView />}
      {page === 'settings' && <SettingsView />}
      {page === 'reports' && (
        <Suspense fallback={<p className="muted">{t('reader.loading')}</p>}>
          <ReportsView />
        </Suspense>
      )}
    </div>
  );
}
