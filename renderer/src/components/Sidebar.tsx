import { useTranslation } from 'react-i18next';
import type { ViewRef } from '../../../main/api/contract.ts';
import { administers } from '../features/people/rights.ts';
import { SessionFooter } from '../features/people/SessionFooter.tsx';
import { useSessionStore } from '../features/people/session-store.ts';
import { WorkNav } from '../features/work/WorkNav.tsx';
import { folderName } from '../folder-name.ts';
import { formatNumber } from '../format.ts';
import { useMailStore } from '../store/mail-store.ts';

function same(a: ViewRef, b: ViewRef): boolean {
  return a.kind === 'smart'
    ? b.kind === 'smart' && a.view === b.view
    : a.kind === 'mailbox'
      ? b.kind === 'mailbox' && a.mailboxId === b.mailboxId
      : b.kind === 'tag' && a.tagId === b.tagId;
}

function NavItem({
  label,
  count,
  active,
  onClick,
}: {
  label: string;
  count: number;
  active: boolean;
  onClick: () => void;
}) {
  return (
    <button type="button" className={active ? 'nav-item active' : 'nav-item'} onClick={onClick}>
      <span>{label}</span>
      {count > 0 && <span className="count">{formatNumber(count)}</span>}
    </button>
  );
}

export function Sidebar({
  id,
  onAccounts,
  onInspect,
  onPeople,
  onAudit,
  onMe,
  onOffice,
}: {
  id?: string;
  onAccounts: () => void;
  onInspect: () => void;
  onPeople?: () => void;
  onAudit?: () => void;
  onMe?: () => void;
  /** "Server dell'ufficio" (issue 16): this PC's app on the office's server, or back. */
  onOffice?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const smart = useMailStore((s) => s.smart);
  const mailboxes = useMailStore((s) => s.mailboxes);
  const view = useMailStore((s) => s.view);
  const setView = useMailStore((s) => s.setView);
  const saved = useMailStore((s) => s.saved);
  const text = useMailStore((s) => s.text);
  const setText = useMailStore((s) => s.setText);
  const setSort = useMailStore((s) => s.setSort);
  const removeSearch = useMailStore((s) => s.removeSearch);
  // People and the log are the owner's and administrators' (the core refuses the others too).
  const admin = useSessionStore((s) => administers(s.rights));
  const accounts = [...new Set(mailboxes.map((m) => m.email))];
  return (
    <nav id={id} className="sidebar" aria-label={t('nav.views')}>
      <ul className="nav-list">
        {smart.map((v) => {
          const ref: ViewRef = { kind: 'smart', view: v.view };
          return (
            <li key={v.view}>
              <NavItem
                label={t(`nav.${v.view}`)}
                count={v.total}
                active={same(view, ref)}
                onClick={() => void setView(ref)}
              />
            </li>
          );
        })}
      </ul>
      {saved.length > 0 && (
        <section className="nav-account" aria-label={t('nav.saved')}>
          <h4>{t('nav.saved')}</h4>
          <ul className="nav-list">
            {saved.map((s) => (
              <li key={s.id} className="saved-search">
                <NavItem
                  label={s.name}
                  count={0}
                  active={text === s.query}
                  onClick={() => {
                    void setSort(s.sort);
                    void setText(s.query);
                  }}
                />
                <button
                  type="button"
                  className="saved-remove"
                  aria-label={t('search.removeSaved', { name: s.name })}
                  title={t('search.removeSaved', { name: s.name })}
                  onClick={() => void removeSearch(s.id)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {accounts.map((email) => (
        <section key={email} className="nav-account">
          <h4 title={email}>{email}</h4>
          <ul className="nav-list">
            {mailboxes
              .filter((m) => m.email === email)
              .map((m) => {
                const ref: ViewRef = { kind: 'mailbox', mailboxId: m.id };
                return (
                  <li key={m.id}>
                    <NavItem
                      label={folderName(t, i18n, m.path, m.name)}
                      count={m.messageCount}
                      active={same(view, ref)}
                      onClick={() => void setView(ref)}
                    />
                  </li>
                );
              })}
          </ul>
        </section>
      ))}
      <WorkNav />
      <div className="nav-actions">
        <button type="button" onClick={onAccounts}>
          {t('nav.accounts')}
        </button>
        <button type="button" onClick={onInspect}>
          {t('nav.inspect')}
        </button>
        {admin && onPeople && (
          <button type="button" onClick={onPeople}>
            {t('nav.people')}
          </button>
        )}
        {admin && onAudit && (
          <button type="button" onClick={onAudit}>
            {t('nav.audit')}
          </button>
        )}
        {onOffice && (
          <button type="button" onClick={onOffice}>
            {t('office.nav')}
          </button>
        )}
      </div>
      {onMe && <SessionFooter onMe={onMe} />}
    </nav>
  );
}
