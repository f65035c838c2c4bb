import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProviderPresetView, PublicAccount } from '../../../main/api/contract.ts';
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
      <AccountForm presets={presets} accounts={accounts} onAdded={() => void reloadAccounts()} />
    </section>
  );
}

function AccountItem({
  account: a,
  provider,
  progress,
  errorText,
  onRemove,
}: {
  account: PublicAccount;
  provider: string | null;
  progress: AccountProgress | undefined;
  errorText: (code: string, fallback: string) => string;
  onRemove: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const summary = progress ? summarize([progress]) : null;
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
      <div>
        <button type="button" onClick={() => void onRemove()}>
          {t('accounts.remove')}
        </button>
      </div>
    </li>
  );
}
