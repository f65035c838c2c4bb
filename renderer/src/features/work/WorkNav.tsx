/** The sidebar's work section (issue 14): the agenda, approvals, rules, reports, and a view per tag. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format.ts';
import { useMailStore } from '../../store/mail-store.ts';
import { administers as administersAll } from '../people/rights.ts';
import { useSessionStore } from '../people/session-store.ts';
import { WorkNotices } from './WorkNotices.tsx';
import { useWorkStore, type WorkPage } from './work-store.ts';
import './work.css';

export function WorkNav({ onOpen }: { onOpen?: () => void }) {
  const { t } = useTranslation();
  const tags = useWorkStore((s) => s.tags);
  // The signed-in person's rights (read again at every sign-in), not a copy taken at start.
  const administers = useSessionStore((s) => administersAll(s.rights));
  const page = useWorkStore((s) => s.page);
  const setPage = useWorkStore((s) => s.setPage);
  const bridge = useWorkStore((s) => s.bridge);
  const view = useMailStore((s) => s.view);
  const setView = useMailStore((s) => s.setView);
  const [pending, setPending] = useState(0);
  useEffect(() => {
    if (!bridge) return;
    const look = () =>
      void bridge.call('approvals.list', {}).then((r) => {
        if (r.ok) setPending(r.value.pending);
      });
    look();
    return bridge.on('outbox.changed', look);
  }, [bridge]);
  const pages: { page: WorkPage; label: string; count?: number }[] = [
    { page: 'agenda', label: t('work.nav.agenda') },
    { page: 'approvals', label: t('work.nav.approvals'), count: pending },
    ...(administers ? [{ page: 'rules' as const, label: t('work.nav.rules') }] : []),
    { page: 'reports', label: t('work.nav.reports') },
    ...(administers ? [{ page: 'settings' as const, label: t('work.nav.settings') }] : []),
  ];
  return (
    <>
      <WorkNotices />
      <section className="nav-account" aria-label={t('work.nav.title')}>
        <h4>{t('work.nav.title')}</h4>
        <ul className="nav-list">
          {pages.map((p) => (
            <li key={p.page}>
              <button
                type="button"
                className={page === p.page ? 'nav-item active' : 'nav-item'}
                onClick={() => {
                  setPage(p.page);
                  onOpen?.();
                }}
              >
                <span>{p.label}</span>
                {p.count ? <span className="count">{formatNumber(p.count)}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      </section>
      {tags.length > 0 && (
        <section className="nav-account" aria-label={t('work.tags.title')}>
          <h4>{t('work.tags.title')}</h4>
          <ul className="nav-list">
            {tags.map((tag) => (
              <li key={tag.id}>
                <button
                  type="button"
                  className={
                    view.kind === 'tag' && view.tagId === tag.id && page === null
                      ? 'nav-item active'
                      : 'nav-item'
                  }
                  onClick={() => {
                    setPage(null);
                    void setView({ kind: 'tag', tagId: tag.id });
                  }}
                  data-testid="tag-view"
                >
                  <span>
                    <span className="tag-dot" style={{ background: tag.color }} aria-hidden="true" />{' '}
                    {tag.name}
                  </span>
                  {tag.count > 0 && <span className="count">{formatNumber(tag.count)}</span>}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
