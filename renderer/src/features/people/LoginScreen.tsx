/**
 * The login screen (personal logins): name and password; then, for those with two-step
 * verification, a code of the authenticator app or a recovery code; or an invitation code and a
 * new password for a person the office has just added.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOfficeStore } from '../office/office-store.ts';
import { loginErrorText, totpErrorText } from './errors.ts';
import { EMPTY_PAIR, PasswordPair, Problem, pairProblem } from './fields.tsx';
import { useSessionStore } from './session-store.ts';

type Step = { kind: 'password' } | { kind: 'totp'; token: string } | { kind: 'invite' };

export function LoginScreen() {
  const { t } = useTranslation();
  const bridge = useSessionStore((s) => s.bridge);
  const notice = useSessionStore((s) => s.notice);
  const signedIn = useSessionStore((s) => s.signedIn);
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [name, setName] = useState('');
  // On an office server, the name last used there (office-server.json on this PC), once known.
  const lastUser = useOfficeStore((s) => (s.status?.state === 'local' ? null : (s.status?.lastUser ?? null)));
  useEffect(() => {
    if (lastUser) setName((typed) => typed || lastUser);
  }, [lastUser]);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [invite, setInvite] = useState('');
  const [pair, setPair] = useState(EMPTY_PAIR);
  const [problem, setProblem] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<void>) => {
    if (busy || !bridge) return;
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };

  const login = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      // The answer to this attempt replaces the last one's words.
      setProblem(null);
      if (!name.trim() || !password) return setProblem(t('login.errors.missing'));
      const r = await bridge!.call('auth.login', { name: name.trim(), password });
      if (!r.ok) {
        // A refused password is typed again, not left in the field.
        setPassword('');
        return setProblem(loginErrorText(t, r.error));
      }
      setProblem(null);
      setPassword('');
      if (r.value.pendingTotp) return setStep({ kind: 'totp', token: r.value.token });
      await signedIn(r.value.token);
    });
  };

  const second = (e: FormEvent) => {
    e.preventDefault();
    if (step.kind !== 'totp') return;
    void run(async () => {
      if (!code.trim()) return setProblem(t('login.errors.codeMissing'));
      const r = await bridge!.call('auth.totp', { token: step.token, code: code.trim() });
      setCode('');
      if (!r.ok) {
        const said = totpErrorText(t, r.error);
        setProblem(said.text);
        if (said.restart) setStep({ kind: 'password' });
        return;
      }
      setProblem(null);
      await signedIn(r.value.token);
    });
  };

  const accept = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      if (!invite.trim()) return setProblem(t('login.errors.inviteMissing'));
      const wrong = pairProblem(pair);
      if (wrong) return setProblem(t(`people.password.problem.${wrong}`));
      const r = await bridge!.call('users.acceptInvitation', { code: invite.trim(), password: pair.first });
      if (!r.ok)
        return setProblem(
          r.error.code === 'invalid-arguments' ? t('login.errors.inviteInvalid') : loginErrorText(t, r.error),
        );
      // Straight in with the password just chosen.
      const login = await bridge!.call('auth.login', { name: r.value.name, password: pair.first });
      setPair(EMPTY_PAIR);
      setInvite('');
      if (!login.ok) {
        setName(r.value.name);
        setStep({ kind: 'password' });
        setInfo(t('login.inviteAccepted', { name: r.value.name }));
        return setProblem(null);
      }
      setProblem(null);
      await signedIn(login.value.token);
    });
  };

  const go = (next: Step) => {
    setProblem(null);
    setInfo(null);
    setStep(next);
  };

  return (
    <main className="wide-pane login-pane">
      <section className="card login-card" data-testid="login">
        {step.kind === 'password' && (
          <form className="people-form" onSubmit={login}>
            <h2>{t('login.title')}</h2>
            {notice === 'ended' && (
              <p className="banner banner-warn" role="status">
                {t('login.ended')}
              </p>
            )}
            {info && (
              <p className="banner banner-ok" role="status">
                {info}
              </p>
            )}
            <label>
              {t('login.name')}
              <input
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </label>
            <label>
              {t('login.password')}
              <input
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            <Problem text={problem} />
            <div className="form-actions">
              <button type="submit" className="primary" disabled={busy}>
                {t('login.submit')}
              </button>
              <button type="button" className="link" onClick={() => go({ kind: 'invite' })}>
                {t('login.haveInvite')}
              </button>
            </div>
          </form>
        )}
        {step.kind === 'totp' && (
          <form className="people-form" onSubmit={second}>
            <h2>{t('login.totpTitle')}</h2>
            <p>{t('login.totpText')}</p>
            <label>
              {t('login.code')}
              <input
                autoComplete="one-time-code"
                inputMode="text"
                spellCheck={false}
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </label>
            <Problem text={problem} />
            <div className="form-actions">
              <button type="submit" className="primary" disabled={busy}>
                {t('login.confirm')}
              </button>
              <button type="button" onClick={() => go({ kind: 'password' })}>
                {t('login.back')}
              </button>
            </div>
          </form>
        )}
        {step.kind === 'invite' && (
          <form className="people-form" onSubmit={accept}>
            <h2>{t('login.inviteTitle')}</h2>
            <p>{t('login.inviteText')}</p>
            <label>
              {t('login.inviteCode')}
              <input
                autoComplete="off"
                spellCheck={false}
                value={invite}
                onChange={(e) => setInvite(e.target.value)}
              />
            </label>
            <PasswordPair value={pair} onChange={setPair} label={t('login.choosePassword')} />
            <Problem text={problem} />
            <div className="form-actions">
              <button type="submit" className="primary" disabled={busy}>
                {t('login.inviteSubmit')}
              </button>
              <button type="button" onClick={() => go({ kind: 'password' })}>
                {t('login.back')}
              </button>
            </div>
          </form>
        )}
      </section>
    </main>
  );
}
