import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicAccount } from '../../../../main/api/contract.ts';
import { formatBytes, formatNumber } from '../../format.ts';
import { useAppStore } from '../../store/app-store.ts';

/**
 * A mailbox's sending: its SMTP server (changing it asks for the password again: it goes only to
 * a server the person confirmed) and the provider's limits PecDesk keeps to (messages a minute,
 * recipients per message, size × recipients), each editable by whoever manages the mailbox.
 */
export function SmtpSettings({
  account: a,
  manage,
  onChanged,
}: {
  account: PublicAccount;
  manage: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const [editing, setEditing] = useState<'smtp' | 'limits' | null>(null);
  const [host, setHost] = useState(a.smtpHost ?? '');
  const [port, setPort] = useState(String(a.smtpPort ?? 465));
  const [security, setSecurity] = useState<'tls' | 'starttls'>(a.smtpSecurity ?? 'tls');
  const [password, setPassword] = useState('');
  const [perMinute, setPerMinute] = useState(String(a.sendLimits.perMinute));
  const [maxRecipients, setMaxRecipients] = useState(String(a.sendLimits.maxRecipients));
  const [maxMb, setMaxMb] = useState(String(Math.round(a.sendLimits.maxTotalBytes / 1024 / 1024)));
  const [problem, setProblem] = useState<string | null>(null);

  const saveSmtp = async (e: FormEvent) => {
    e.preventDefault();
    const p = Number(port);
    if (!host.trim() || !Number.isInteger(p) || p < 1 || p > 65535)
      return setProblem(t('accounts.smtpInvalid'));
    const r = await bridge?.call('accounts.setSmtp', {
      email: a.email,
      smtpHost: host.trim(),
      smtpPort: p,
      smtpSecurity: security,
      password,
    });
    if (!r) return;
    if (!r.ok) return setProblem(r.error.message);
    setPassword('');
    setProblem(null);
    setEditing(null);
    onChanged();
  };
  const saveLimits = async (e: FormEvent) => {
    e.preventDefault();
    const n = (v: string) => (v.trim() ? Math.round(Number(v)) : null);
    const [rate, recipients, mb] = [n(perMinute), n(maxRecipients), n(maxMb)];
    if ([rate, recipients, mb].some((v) => v !== null && (!Number.isFinite(v) || v < 1)))
      return setProblem(t('accounts.limitsInvalid'));
    const r = await bridge?.call('accounts.setSendLimits', {
      email: a.email,
      sendPerMinute: rate,
      maxRecipients: recipients,
      maxTotalBytes: mb === null ? null : mb * 1024 * 1024,
    });
    if (!r) return;
    if (!r.ok) return setProblem(r.error.message);
    setProblem(null);
    setEditing(null);
    onChanged();
  };

  return (
    <div className="account-smtp" data-testid="account-smtp">
      <p>
        {a.smtpHost
          ? t('accounts.smtpServer', {
              server: `${a.smtpHost}:${a.smtpPort}`,
              security: t(
                a.smtpSecurity === 'starttls' ? 'accounts.securityStarttls' : 'accounts.securityTls',
              ),
            })
          : t('accounts.smtpNone')}
        {manage && editing !== 'smtp' && (
          <>
            {' '}
            <button type="button" className="link" onClick={() => setEditing('smtp')}>
              {t('accounts.smtpEdit')}
            </button>
          </>
        )}
      </p>
      <p className="muted">
        {t('accounts.limits', {
          perMinute: formatNumber(a.sendLimits.perMinute),
          recipients: formatNumber(a.sendLimits.maxRecipients),
          size: formatBytes(a.sendLimits.maxTotalBytes),
        })}
        {manage && editing !== 'limits' && (
          <>
            {' '}
            <button type="button" className="link" onClick={() => setEditing('limits')}>
              {t('accounts.limitsEdit')}
            </button>
          </>
        )}
      </p>
      {editing === 'smtp' && (
        <form className="server-fields smtp-form" onSubmit={(e) => void saveSmtp(e)}>
          <label className="server-host">
            {t('accounts.smtpHost')}
            <input value={host} placeholder="smtps.example.it" onChange={(e) => setHost(e.target.value)} />
          </label>
          <label>
            {t('accounts.security')}
            <span className="sr-only"> {t('accounts.smtpPortSuffix')}</span>
            <select value={security} onChange={(e) => setSecurity(e.target.value as 'tls' | 'starttls')}>
              <option value="tls">{t('accounts.securityTls')}</option>
              <option value="starttls">{t('accounts.securityStarttls')}</option>
            </select>
          </label>
          <label className="server-port">
            {t('accounts.port')}
            <span className="sr-only"> {t('accounts.smtpPortSuffix')}</span>
            <input inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
          </label>
          <label>
            {t('accounts.password')}
            <input
              type="password"
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <p className="hint">{t('accounts.smtpPasswordHint')}</p>
          <div className="form-actions">
            <button type="button" onClick={() => setEditing(null)}>
              {t('compose.cancel')}
            </button>
            <button type="submit" className="primary" disabled={!password}>
              {t('accounts.save')}
            </button>
          </div>
        </form>
      )}
      {editing === 'limits' && (
        <form className="server-fields smtp-form" onSubmit={(e) => void saveLimits(e)}>
          <label>
            {t('accounts.perMinute')}
            <input inputMode="numeric" value={perMinute} onChange={(e) => setPerMinute(e.target.value)} />
          </label>
          <label>
            {t('accounts.maxRecipients')}
            <input
              inputMode="numeric"
              value={maxRecipients}
              onChange={(e) => setMaxRecipients(e.target.value)}
            />
          </label>
          <label>
            {t('accounts.maxMb')}
            <input inputMode="numeric" value={maxMb} onChange={(e) => setMaxMb(e.target.value)} />
          </label>
          <p className="hint">{t('accounts.limitsHint')}</p>
          <div className="form-actions">
            <button type="button" onClick={() => setEditing(null)}>
              {t('compose.cancel')}
            </button>
            <button type="submit" className="primary">
              {t('accounts.save')}
            </button>
          </div>
        </form>
      )}
      {problem && (
        <p className="banner banner-danger" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
