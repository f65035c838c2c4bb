import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicAccount, SyncProgress } from '../../../main/api/contract.ts';
import { formatDateTime } from '../format.ts';
import { useMailStore } from '../store/mail-store.ts';

const PRESETS = ['aruba', 'legalmail', 'namirial', 'poste', 'register', 'libero', 'intesi'];

/** Add a mailbox by provider preset, test the connection, see sync state and errors, sync now. */
export function AccountsPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const bridge = useMailStore((s) => s.bridge);
  const [accounts, setAccounts] = useState<PublicAccount[]>([]);
  const [progress, setProgress] = useState<Record<string, SyncProgress>>({});
  const [form, setForm] = useState({ email: '', password: '', preset: '', host: '', port: '993' });
  const [message, setMessage] = useState<{ tone: 'ok' | 'danger'; text: string } | null>(null);

  const reload = useCallback(async () => {
    const r = await bridge?.call('accounts.list', {});
    if (r?.ok) setAccounts(r.value);
  }, [bridge]);
  useEffect(() => {
    void reload();
    const offState = bridge?.on('sync.state', () => void reload());
    const offProgress = bridge?.on('sync.progress', (p) => setProgress((s) => ({ ...s, [p.email]: p })));
    return () => {
      offState?.();
      offProgress?.();
    };
  }, [bridge, reload]);

  const input = () => ({
    email: form.email,
    password: form.password,
    ...(form.preset && form.preset !== 'custom' ? { preset: form.preset } : {}),
    ...(form.preset === 'custom' ? { imapHost: form.host, imapPort: Number(form.port) } : {}),
  });
  const errorText = (code: string, fallback: string) =>
    (t(`accounts.errors.${code}`, { defaultValue: '' }) as string) || fallback;

  const test = async () => {
    const r = await bridge?.call('accounts.test', input());
    if (!r) return;
    if (!r.ok) setMessage({ tone: 'danger', text: errorText(r.error.code, r.error.message) });
    else
      setMessage(
        r.value.ok
          ? { tone: 'ok', text: t('accounts.testOk') }
          : { tone: 'danger', text: errorText(r.value.errorCode ?? '', r.value.error ?? '') },
      );
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const r = await bridge?.call('accounts.add', input());
    if (!r) return;
    if (!r.ok) setMessage({ tone: 'danger', text: errorText(r.error.code, r.error.message) });
    else {
      setMessage(null);
      setForm({ email: '', password: '', preset: '', host: '', port: '993' });
      await reload();
    }
  };

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
        <ul className="account-list">
          {accounts.map((a) => {
            const p = progress[a.email];
            return (
              <li key={a.id} className={`account account-${a.syncState}`} data-testid="account">
                <div>
                  <strong>{a.email}</strong> <span className="muted">{a.imapHost}</span>
                </div>
                <div>
                  {t(`accounts.state.${a.syncState}`)}
                  {a.syncState === 'syncing' && p && p.total > 0 && (
                    <span className="muted">
                      {' '}
                      · {t('accounts.progress', { folder: p.folder, done: p.done, total: p.total })}
                    </span>
                  )}
                  {a.lastSyncAt && (
                    <span className="muted">
                      {' '}
                      · {t('accounts.lastSync', { when: formatDateTime(a.lastSyncAt) })}
                    </span>
                  )}
                </div>
                {a.syncState === 'error' && a.lastErrorCode && (
                  <p className="banner banner-danger" role="alert">
                    {errorText(a.lastErrorCode, a.lastError ?? '')}
                  </p>
                )}
                <button
                  type="button"
                  onClick={async () => {
                    await bridge?.call('accounts.remove', { email: a.email });
                    await reload();
                  }}
                >
                  {t('accounts.remove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" onClick={() => void bridge?.call('sync.now', {})}>
        {t('accounts.syncNow')}
      </button>
      <form className="account-form" onSubmit={(e) => void add(e)}>
        <h3>{t('accounts.add')}</h3>
        <label>
          {t('accounts.email')}
          <input
            type="email"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </label>
        <label>
          {t('accounts.password')}
          <input
            type="password"
            required
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            autoComplete="off"
          />
        </label>
        <label>
          {t('accounts.preset')}
          <select value={form.preset} onChange={(e) => setForm({ ...form, preset: e.target.value })}>
            <option value="">{t('accounts.presetAuto')}</option>
            {PRESETS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
            <option value="custom">{t('accounts.custom')}</option>
          </select>
        </label>
        {form.preset === 'custom' && (
          <>
            <label>
              {t('accounts.host')}
              <input
                required
                value={form.host}
                onChange={(e) => setForm({ ...form, host: e.target.value })}
              />
            </label>
            <label>
              {t('accounts.port')}
              <input
                inputMode="numeric"
                value={form.port}
                onChange={(e) => setForm({ ...form, port: e.target.value })}
              />
            </label>
          </>
        )}
        {message && (
          <p
            className={`banner banner-${message.tone}`}
            role={message.tone === 'danger' ? 'alert' : 'status'}
          >
            {message.text}
          </p>
        )}
        <div className="form-actions">
          <button type="button" onClick={() => void test()}>
            {t('accounts.test')}
          </button>
          <button type="submit" className="primary">
            {t('accounts.add')}
          </button>
        </div>
      </form>
    </section>
  );
}
