/**
 * "Registro attività" (owner and admins): who did what, when, on which message or mailbox, in
 * words; filters by person, action, days (Italian dates, Italian time) and mailbox; pages; export
 * as CSV or as JSON with the hash chain; and the chain's check, said plainly.
 */
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryView, PublicUser } from '../../../../main/api/people-contract.ts';
import { formatDateTime, formatNumber } from '../../format.ts';
import { useAppStore } from '../../store/app-store.ts';
import { commonErrorText } from '../people/errors.ts';
import { Problem } from '../people/fields.tsx';
import { useSessionStore } from '../people/session-store.ts';
import {
  ACTIONS,
  actionFilterLabel,
  actionPhrase,
  actorText,
  originText,
  type Translate,
  targetText,
} from './actions.ts';
import { italianDayStart } from './dates.ts';
import { base64Bytes, downloadBytes } from './download.ts';

export const AUDIT_PAGE = 50;

interface Filters {
  user: string;
  action: string;
  since: string;
  until: string;
  mailbox: string;
}

const NO_FILTERS: Filters = { user: '', action: '', since: '', until: '', mailbox: '' };

/** The days of the filters as the core takes them; a date that is not one is said, not sent. */
function filterDates(
  t: Translate,
  f: Filters,
): { since?: string | undefined; until?: string | undefined } | { error: string } {
  const since = italianDayStart(f.since);
  const until = italianDayStart(f.until);
  if (since === null) return { error: t('audit.badDate', { text: f.since }) };
  if (until === null) return { error: t('audit.badDate', { text: f.until }) };
  return { since, until };
}

type Verdict = { ok: true; entries: number } | { ok: false; firstBroken: number; reason: string };

export function AuditPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const bridge = useSessionStore((s) => s.bridge);
  const accounts = useAppStore((s) => s.accounts);
  const [users, setUsers] = useState<PublicUser[]>([]);
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; entries: AuditEntryView[] } | null>(null);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Labels point at their fields: a select's name is then its label alone, not its options too.
  const id = useId();

  const load = useCallback(async () => {
    if (!bridge) return;
    const d = filterDates(t, applied);
    if ('error' in d) return setProblem(d.error);
    const r = await bridge.call('audit.list', {
      ...(applied.user ? { user: applied.user } : {}),
      ...(applied.action ? { action: applied.action } : {}),
      ...(d.since ? { since: d.since } : {}),
      ...(d.until ? { until: d.until } : {}),
      ...(applied.mailbox ? { mailbox: applied.mailbox } : {}),
      offset,
      limit: AUDIT_PAGE,
    });
    if (!r.ok) return setProblem(commonErrorText(t, r.error));
    setProblem(null);
    setPage(r.value);
  }, [bridge, applied, offset, t]);

  const verify = useCallback(async () => {
    const r = await bridge?.call('audit.verify', {});
    if (r?.ok) setVerdict(r.value);
    else if (r) setProblem(commonErrorText(t, r.error));
  }, [bridge, t]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    void verify();
    void bridge?.call('users.list', {}).then((r) => r.ok && setUsers(r.value));
  }, [bridge, verify]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const d = filterDates(t, draft);
    if ('error' in d) return setProblem(d.error);
    setOffset(0);
    setApplied(draft);
  };

  const exportLog = async (format: 'csv' | 'json') => {
    if (!bridge) return;
    const d = filterDates(t, applied);
    if ('error' in d) return setProblem(d.error);
    const r = await bridge.call('audit.export', {
      format,
      ...(applied.user ? { user: applied.user } : {}),
      ...(d.since ? { since: d.since } : {}),
      ...(d.until ? { until: d.until } : {}),
    });
    if (!r.ok) return setProblem(commonErrorText(t, r.error));
    downloadBytes(
      base64Bytes(r.value.contentBase64),
      r.value.filename,
      format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json',
    );
  };

  const total = page?.total ?? 0;
  return (
    <section className="audit-panel" aria-label={t('audit.title')} data-testid="audit-panel">
      <header className="panel-head">
        <h2>{t('audit.title')}</h2>
        <button type="button" onClick={onClose}>
          {t('people.close')}
        </button>
      </header>
      {verdict &&
        (verdict.ok ? (
          <p className="banner banner-ok" role="status" data-testid="audit-verdict">
            {t('audit.intact', { count: verdict.entries, n: formatNumber(verdict.entries) })}
          </p>
        ) : (
          <p className="banner banner-danger" role="alert" data-testid="audit-verdict">
            <strong>{t('audit.broken', { id: verdict.firstBroken })}</strong>
            <br />
            {t('audit.brokenText')}
          </p>
        ))}
      <form className="audit-filters" onSubmit={apply}>
        <div className="filter-field">
          <label htmlFor={`${id}-who`}>{t('audit.filters.who')}</label>
          <select
            id={`${id}-who`}
            value={draft.user}
            onChange={(e) => setDraft({ ...draft, user: e.target.value })}
          >
            <option value="">{t('audit.filters.everyone')}</option>
            {users.map((u) => (
              <option key={u.id} value={u.name}>
                {u.displayName ? `${u.displayName} (${u.name})` : u.name}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-field">
          <label htmlFor={`${id}-action`}>{t('audit.filters.action')}</label>
          <select
            id={`${id}-action`}
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          >
            <option value="">{t('audit.filters.anyAction')}</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionFilterLabel(t, a)}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-field">
          <label htmlFor={`${id}-since`}>{t('audit.filters.since')}</label>
          <input
            id={`${id}-since`}
            placeholder={t('audit.filters.datePlaceholder')}
            inputMode="numeric"
            value={draft.since}
            onChange={(e) => setDraft({ ...draft, since: e.target.value })}
          />
        </div>
        <div className="filter-field">
          <label htmlFor={`${id}-until`}>{t('audit.filters.until')}</label>
          <input
            id={`${id}-until`}
            placeholder={t('audit.filters.datePlaceholder')}
            inputMode="numeric"
            value={draft.until}
            onChange={(e) => setDraft({ ...draft, until: e.target.value })}
          />
        </div>
        <div className="filter-field">
          <label htmlFor={`${id}-mailbox`}>{t('audit.filters.mailbox')}</label>
          <select
            id={`${id}-mailbox`}
            value={draft.mailbox}
            onChange={(e) => setDraft({ ...draft, mailbox: e.target.value })}
          >
            <option value="">{t('audit.filters.anyMailbox')}</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.email}>
                {a.email}
              </option>
            ))}
          </select>
        </div>
        <div className="form-actions">
          <button type="submit" className="primary">
            {t('audit.filters.apply')}
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(NO_FILTERS);
              setOffset(0);
              setApplied(NO_FILTERS);
            }}
          >
            {t('audit.filters.clear')}
          </button>
        </div>
      </form>
      <Problem text={problem} />
      <div className="audit-tools">
        <span className="muted" data-testid="audit-count">
          {total === 0
            ? t('audit.none')
            : t('audit.range', {
                from: formatNumber(offset + 1),
                to: formatNumber(Math.min(offset + AUDIT_PAGE, total)),
                total: formatNumber(total),
              })}
        </span>
        <span className="form-actions">
          <button
            type="button"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - AUDIT_PAGE))}
          >
            {t('audit.newer')}
          </button>
          <button
            type="button"
            disabled={offset + AUDIT_PAGE >= total}
            onClick={() => setOffset(offset + AUDIT_PAGE)}
          >
            {t('audit.older')}
          </button>
          <button type="button" onClick={() => void exportLog('csv')}>
            {t('audit.exportCsv')}
          </button>
          <button type="button" onClick={() => void exportLog('json')}>
            {t('audit.exportJson')}
          </button>
        </span>
      </div>
      <p className="hint">{t('audit.exportHint')}</p>
      {page && page.entries.length > 0 && (
        <table className="audit-table">
          <thead>
            <tr>
              <th>{t('audit.columns.when')}</th>
              <th>{t('audit.columns.who')}</th>
              <th>{t('audit.columns.what')}</th>
              <th>{t('audit.columns.mailbox')}</th>
              <th>{t('audit.columns.from')}</th>
            </tr>
          </thead>
          <tbody>
            {page.entries.map((e) => (
              <tr key={e.id} data-testid="audit-entry" data-action={e.action}>
                <td className="nowrap">{formatDateTime(e.at, { seconds: true })}</td>
                <td>{actorText(t, e)}</td>
                <td className="breakable">
                  {actionPhrase(t, e.action)} {targetText(t, e)}
                </td>
                <td className="breakable">{e.mailbox ?? ''}</td>
                <td>{originText(t, e.origin)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
