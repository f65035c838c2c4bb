/**
 * The person's own two-step verification: a new secret shown as a QR code for the authenticator
 * app (and as text, for typing it in), confirmed with a first code; then ten recovery codes, shown
 * once, to copy or download.
 */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadText } from '../audit/download.ts';
import { totpErrorText } from './errors.ts';
import { CopyButton, Problem } from './fields.tsx';
import { QrCode } from './QrCode.tsx';
import { useSessionStore } from './session-store.ts';

type State =
  | { kind: 'idle' }
  | { kind: 'enrolling'; secret: string; uri: string }
  | { kind: 'codes'; codes: string[] };

/** "JBSW Y3DP EHPK 3PXP": the secret in groups of four, easier to type into a phone. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

export function TwoFactor() {
  const { t } = useTranslation();
  const bridge = useSessionStore((s) => s.bridge);
  const user = useSessionStore((s) => s.user);
  const refresh = useSessionStore((s) => s.refresh);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  if (!user) return null;

  const start = async () => {
    const r = await bridge?.call('auth.totpStart', {});
    if (!r) return;
    if (!r.ok) return setProblem(t('people.errors.internal'));
    setProblem(null);
    setCode('');
    setState({ kind: 'enrolling', ...r.value });
  };
  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    if (state.kind !== 'enrolling' || !bridge) return;
    const r = await bridge.call('auth.totpConfirm', { secret: state.secret, code: code.trim() });
    if (!r.ok) return setProblem(totpErrorText(t, r.error).text);
    setProblem(null);
    setState({ kind: 'codes', codes: r.value.recoveryCodes });
    await refresh();
  };

  return (
    <section className="card two-factor" aria-labelledby="two-factor-title" data-testid="two-factor">
      <h3 id="two-factor-title">{t('totp.title')}</h3>
      {state.kind === 'idle' && (
        <>
          <p>{user.totp ? t('totp.on') : t('totp.off')}</p>
          <button type="button" className={user.totp ? '' : 'primary'} onClick={() => void start()}>
            {user.totp ? t('totp.again') : t('totp.start')}
          </button>
        </>
      )}
      {state.kind === 'enrolling' && (
        <form className="people-form" onSubmit={(e) => void confirm(e)}>
          <ol className="totp-steps">
            <li>{t('totp.step1')}</li>
            <li>
              {t('totp.step2')}
              <div className="totp-qr">
                <QrCode text={state.uri} label={t('totp.qrLabel')} />
                <div>
                  <p className="muted">{t('totp.manual')}</p>
                  <code className="totp-secret" data-testid="totp-secret">
                    {groupSecret(state.secret)}
                  </code>
                  <div>
                    <CopyButton text={state.secret} label={t('totp.copySecret')} />
                  </div>
                </div>
              </div>
            </li>
            <li>
              <label>
                {t('totp.step3')}
                <input
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                />
              </label>
            </li>
          </ol>
          <Problem text={problem} />
          <div className="form-actions">
            <button type="submit" className="primary">
              {t('totp.confirm')}
            </button>
            <button type="button" onClick={() => setState({ kind: 'idle' })}>
              {t('people.cancel')}
            </button>
          </div>
        </form>
      )}
      {state.kind === 'codes' && (
        <div className="recovery" data-testid="recovery-codes">
          <p className="banner banner-ok" role="status">
            {t('totp.done')}
          </p>
          <p>{t('totp.codesText')}</p>
          <ol className="recovery-codes">
            {state.codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ol>
          <div className="form-actions">
            <CopyButton text={state.codes.join('\n')} label={t('totp.copyCodes')} />
            <button
              type="button"
              onClick={() =>
                downloadText(
                  `${t('totp.fileHeader', { name: user.name })}\r\n\r\n${state.codes.join('\r\n')}\r\n`,
                  `pecdesk-codici-di-recupero-${user.name}.txt`,
                )
              }
            >
              {t('totp.downloadCodes')}
            </button>
            <button type="button" className="primary" onClick={() => setState({ kind: 'idle' })}>
              {t('totp.saved')}
            </button>
          </div>
        </div>
      )}
      {state.kind === 'idle' && <Problem text={problem} />}
    </section>
  );
}
