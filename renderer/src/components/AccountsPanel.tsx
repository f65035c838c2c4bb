import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProviderPresetView, PublicAccount } from '../../../main/api/contract.ts';
import { SmtpSettings } from '../features/compose/SmtpSettings.tsx';
import { EmptyingPanel } from '../features/keep/EmptyingPanel.tsx';
import { KeepTools } from '../features/keep/KeepTools.tsx';
import { QuotaBar } from '../features/keep/QuotaBar.tsx';
import { administers, can } from '../features/people/rights.ts';
import { useSessionStore } from '../features/people/session-store.ts';
import { formatDateTime } from '../format.ts';
import { useAppStore } from '../store/app-store.ts';
import { type AccountProgress, summarize } from '../store/sync-progress.ts';
import { folderProgress, pace } from '../sync-text.ts';
import { AccountForm } from './AccountForm.tsx';
import { ProgressBar } from './ProgressBar.tsx';

/** The mailboxes: provider, sync state with a progress bar, errors; sync now; add; remove. */
export function AccountsPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const accounts = useAppStore((s) => s.accounts);
  const sync = useAppStore((s) => s.sync);
  const reloadAccounts = useAppStore((s) => s.reloadAccounts);
  const [presets, setPresets] = useState<ProviderPresetView[]>([]);
  const [presetsError, setPresetsError] = useState<string | null>(null);
  // Adding a mailbox is the administrators'; the core refuses it to anyone else anyway.
  const admin = useSessionStore((s) => administers(s.rights));

  useEffect(() => {
    if (!bridge) return;
    void reloadAccounts();
    void bridge.call('accounts.presets', {}).then((r) => {
      if (r.ok) setPresets(r.value);
      else setPresetsError(r.error.message);
    });
  }, [bridge, reloadAccounts]);

  const errorText = (code: string, fallback: string) =>
    (t(`accounts.errors.${code}`, { defaultValue: '' }) as string) || fallback;

  return (
    <section className="accounts-panel" aria-label={t('accounts.title')}>
      <header className="panel-head">
        <h2>{t('accounts.title')}</h2>
        <button type="button" onClick={onClose}>
          {t('accounts.close')}
        </button>
      </header>
      {accounts.length === 0 ? (
        <p className="muted">{t('accounts.none')}</p>
      ) : (
        <>
          <ul className="account-list">
            {accounts.map((a) => (
              <AccountItem
                key={a.id}
                account={a}
                provider={presets.find((p) => p.id === a.preset)?.name ?? null}
                progress={sync[a.id]}
                errorText={errorText}
                onChanged={() => void reloadAccounts()}
                onRemove={async () => {
                  if (!window.confirm(t('accounts.removeConfirm', { email: a.email }))) return;
                  await bridge?.call('accounts.remove', { email: a.email });
                  await reloadAccounts();
                }}
              />
            ))}
          </ul>
          <button type="button" onClick={() => void bridge?.call('sync.now', {})}>
            {t('accounts.syncNow')}
          </button>
        </>
      )}
      {presetsError && (
        <p className="banner banner-warn" role="status">
          {t('accounts.presetsFailed')}
        </p>
      )}
      {admin && <AccountForm presets={presets} accounts={accounts} onAdded={() => void reloadAccounts()} />}
      <KeepTools accounts={accounts} admin={admin} />
    </section>
  );
}

function AccountItem({
  account: a,
  provider,
  progress,
  errorText,
  onChanged,
  onRemove,
}: {
  account: PublicAccount;
  provider: string | null;
  progress: AccountProgress | undefined;
  errorText: (code: string, fallback: string) => string;
  onChanged: () => void;
  onRemove: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const summary = progress ? summarize([progress]) : null;
  // Password, read-state write-back and removal are the mailbox's settings: the manage right.
  const manage = useSessionStore((s) => can(s.rights, 'manage', a.email));
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const setWriteSeen = async (writeSeen: boolean) => {
    const r = await bridge?.call('accounts.update', { email: a.email, writeSeen });
    if (r && !r.ok) setProblem(r.error.message);
    onChanged();
  };
  // The password is asked again when the archive is new or copied, or the server changed
  // (no-password): entering it confirms the server it goes to.
  const savePassword = async (e: FormEvent) => {
    e.preventDefault();
    if (!password) return;
    const r = await bridge?.call('accounts.setPassword', { email: a.email, password });
    if (!r) return;
    if (!r.ok) return setProblem(r.error.message);
    setPassword('');
    setProblem(null);
    void bridge?.call('sync.now', {});
    onChanged();
  };
  return (
    <li className={`account account-${a.syncState}`} data-testid="account">
      <div className="account-head">
        <strong className="account-email">{a.email}</strong>
        <span className="muted account-server">
          {provider ? `${provider} · ${a.imapHost}` : a.imapHost}
          {a.user !== a.email && ` · ${t('accounts.userShort', { user: a.user })}`}
        </span>
      </div>
      <div className="account-state">
        {summary ? t('accounts.state.syncing') : t(`accounts.state.${a.syncState}`)}
        {a.lastSyncAt && (
          <span className="muted"> · {t('accounts.lastSync', { when: formatDateTime(a.lastSyncAt) })}</span>
        )}
      </div>
      <QuotaBar quota={a.quota} />
      {summary && (
        <div className="account-progress" data-testid="account-progress">
          <ProgressBar
            label={t('accounts.progressLabel', { email: a.email })}
            value={summary.done}
            max={summary.total > 0 ? summary.total : null}
          />
          <span className="muted">{[folderProgress(t, i18n, summary), ...pace(t, summary)].join(' · ')}</span>
        </div>
      )}
      {a.syncState === 'error' && a.lastErrorCode && (
        <p className="banner banner-danger" role="alert">
          {errorText(a.lastErrorCode, a.lastError ?? '')}
        </p>
      )}
      {manage &&
        a.syncState === 'error' &&
        (a.lastErrorCode === 'no-password' || a.lastErrorCode === 'auth-failed') && (
          <form className="account-password" onSubmit={(e) => void savePassword(e)}>
            <label>
              {t('accounts.newPassword')}
              <input
                type="password"
                autoComplete="off"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            <button type="submit" className="primary" disabled={!password}>
              {t('accounts.savePassword')}
            </button>
          </form>
        )}
      {manage && (
        <label className="account-option">
          <input
            type="checkbox"
            checked={a.writeSeen}
            onChange={(e) => void setWriteSeen(e.target.checked)}
          />
          {t('accounts.writeSeen')}
        </label>
      )}
      <SmtpSettings account={a} manage={manage} onChanged={onChanged} />
      {manage && <EmptyingPanel email={a.email} onDone={onChanged} />}
      {problem && (
        <p className="banner banner-danger" role="alert">
          {problem}
        </p>
      )}
      {manage && (
        <div>
          <button type="button" onClick={() => void onRemove()}>
            {t('accounts.remove')}
          </button>
        </div>
      )}
    </li>
  );
}
