import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProviderPresetView, PublicAccount } from '../../../main/api/contract.ts';
import { useAppStore } from '../store/app-store.ts';
import {
  type AccountFormValues,
  AUTO,
  accountInput,
  CUSTOM,
  checkForm,
  DEFAULT_SMTP_PORT,
  EMPTY_FORM,
  effectivePreset,
  presetForAddress,
  withSecurity,
} from './account-form-model.ts';

type Message = { tone: 'ok' | 'danger' | 'info'; text: string };

/**
 * Add a mailbox: address, provider by name (or found from the address, or a manual server with its
 * security), user name (Legalmail logs in with a user code), password. "Prova connessione" logs in
 * and out; "Aggiungi casella" does the same first, so a wrong password is refused here, not found
 * later by the sync.
 */
export function AccountForm({
  presets,
  accounts,
  onAdded,
}: {
  presets: ProviderPresetView[];
  accounts: PublicAccount[];
  onAdded: (account: PublicAccount) => void;
}) {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const [form, setForm] = useState<AccountFormValues>(EMPTY_FORM);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const preset = effectivePreset(presets, form);
  const detected = form.preset === AUTO ? presetForAddress(presets, form.email) : undefined;
  const edit = (change: Partial<AccountFormValues>) => setForm((f) => ({ ...f, ...change }));

  /** Italian words for what the core answered: a refused login on a new mailbox is the form's own. */
  const failure = (code: string, english: string) =>
    code === 'auth-failed'
      ? t('accounts.formErrors.auth-failed')
      : (t(`accounts.errors.${code}`, { defaultValue: '' }) as string) ||
        t('accounts.formErrors.unexpected', { message: english });

  /** Checks the form, then logs in; true when the login worked. */
  const login = async (): Promise<boolean> => {
    const problem = checkForm(presets, form);
    if (problem) {
      const { key, ...values } = problem;
      setMessage({ tone: 'danger', text: t(`accounts.formErrors.${key}`, values) });
      return false;
    }
    if (!bridge) return false;
    setMessage({ tone: 'info', text: t('accounts.checking') });
    const r = await bridge.call('accounts.test', accountInput(form));
    if (!r.ok) setMessage({ tone: 'danger', text: failure(r.error.code, r.error.message) });
    else if (!r.value.ok)
      setMessage({ tone: 'danger', text: failure(r.value.errorCode ?? '', r.value.error ?? '') });
    return r.ok && r.value.ok;
  };

  const run = async (work: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };

  const test = () =>
    run(async () => {
      if (await login()) setMessage({ tone: 'ok', text: t('accounts.testOk') });
    });

  const add = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const email = form.email.trim().toLowerCase();
      if (accounts.some((a) => a.email === email)) {
        setMessage({ tone: 'danger', text: t('accounts.errors.conflict') });
        return;
      }
      if (!(await login()) || !bridge) return;
      const r = await bridge.call('accounts.add', accountInput(form));
      if (!r.ok) {
        setMessage({ tone: 'danger', text: failure(r.error.code, r.error.message) });
        return;
      }
      setForm(EMPTY_FORM);
      setMessage({ tone: 'ok', text: t('accounts.added', { email: r.value.email }) });
      onAdded(r.value);
    });
  };

  const userHint =
    preset?.login === 'user-id'
      ? t('accounts.userHintCode', { provider: preset.name })
      : t('accounts.userHint');
  const presetHint =
    form.preset !== AUTO || !form.email.includes('@')
      ? null
      : detected
        ? t('accounts.presetDetected', { provider: detected.name })
        : t('accounts.presetUnknown');

  return (
    <form className="account-form" onSubmit={add} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('accounts.add')}</h3>
      <label>
        {t('accounts.email')}
        <input
          type="email"
          autoComplete="off"
          placeholder={t('accounts.emailPlaceholder')}
          value={form.email}
          onChange={(e) => edit({ email: e.target.value })}
        />
      </label>
      <label>
        {t('accounts.preset')}
        <select
          value={form.preset}
          aria-label={t('accounts.preset')}
          aria-describedby={presetHint ? `${id}-preset-hint` : undefined}
          onChange={(e) => edit({ preset: e.target.value })}
        >
          <option value={AUTO}>{t('accounts.presetAuto')}</option>
          {presets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
          <option value={CUSTOM}>{t('accounts.custom')}</option>
        </select>
      </label>
      {presetHint && (
        <p id={`${id}-preset-hint`} className="hint" data-testid="preset-hint">
          {presetHint}
        </p>
      )}
      {form.preset === CUSTOM && (
        <div className="server-fields">
          <label className="server-host">
            {t('accounts.host')}
            <input
              value={form.host}
              placeholder="imap.example.it"
              onChange={(e) => edit({ host: e.target.value })}
            />
          </label>
          <label>
            {t('accounts.security')}
            <select
              value={form.security}
              aria-label={t('accounts.security')}
              onChange={(e) => setForm((f) => withSecurity(f, e.target.value as 'tls' | 'starttls'))}
            >
              <option value="tls">{t('accounts.securityTls')}</option>
              <option value="starttls">{t('accounts.securityStarttls')}</option>
            </select>
          </label>
          <label className="server-port">
            {t('accounts.port')}
            <input inputMode="numeric" value={form.port} onChange={(e) => edit({ port: e.target.value })} />
          </label>
          <label className="server-host">
            {t('accounts.smtpHost')}
            <input
              value={form.smtpHost}
              placeholder="smtps.example.it"
              onChange={(e) => edit({ smtpHost: e.target.value })}
            />
          </label>
          <label>
            {t('accounts.security')}
            <span className="sr-only"> {t('accounts.smtpPortSuffix')}</span>
            <select
              value={form.smtpSecurity}
              aria-label={`${t('accounts.security')} ${t('accounts.smtpPortSuffix')}`}
              onChange={(e) => {
                const smtpSecurity = e.target.value as 'tls' | 'starttls';
                setForm((f) => ({
                  ...f,
                  smtpSecurity,
                  smtpPort:
                    f.smtpPort === String(DEFAULT_SMTP_PORT[f.smtpSecurity])
                      ? String(DEFAULT_SMTP_PORT[smtpSecurity])
                      : f.smtpPort,
                }));
              }}
            >
              <option value="tls">{t('accounts.securityTls')}</option>
              <option value="starttls">{t('accounts.securityStarttls')}</option>
            </select>
          </label>
          <label className="server-port">
            {t('accounts.port')}
            <span className="sr-only"> {t('accounts.smtpPortSuffix')}</span>
            <input
              inputMode="numeric"
              value={form.smtpPort}
              onChange={(e) => edit({ smtpPort: e.target.value })}
            />
          </label>
          <p className="hint">{t('accounts.smtpHint')}</p>
        </div>
      )}
      {preset && (
        <p className="hint" data-testid="smtp-hint">
          {t('accounts.smtpPreset', { server: `${preset.smtp.host}:${preset.smtp.port}` })}
        </p>
      )}
      <label>
        {t('accounts.user')}
        <input
          autoComplete="off"
          placeholder={form.email.trim() || t('accounts.userPlaceholder')}
          aria-describedby={`${id}-user-hint`}
          value={form.user}
          onChange={(e) => edit({ user: e.target.value })}
        />
      </label>
      <p id={`${id}-user-hint`} className="hint">
        {userHint}
      </p>
      <label>
        {t('accounts.password')}
        <input
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={(e) => edit({ password: e.target.value })}
        />
      </label>
      {message && (
        <p
          className={`banner banner-${message.tone === 'info' ? 'info' : message.tone}`}
          role={message.tone === 'danger' ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      )}
      <div className="form-actions">
        <button type="button" disabled={busy} onClick={() => void test()}>
          {t('accounts.test')}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {t('accounts.add')}
        </button>
      </div>
    </form>
  );
}
