/**
 * The first start, on the welcome screen: who will use PecDesk here. "Solo io" (chosen unless the
 * person picks otherwise) keeps the welcome screen's own buttons, and the first of them records the
 * choice; "Accessi personali" asks the owner's name and password first. The demo archive asks
 * nothing: it is a showcase of its own, thrown away when closed, and opening it chooses nothing.
 */
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/app-store.ts';
import { commonErrorText } from './errors.ts';
import { EMPTY_PAIR, PasswordPair, Problem, pairProblem } from './fields.tsx';
import { userNameProblem } from './rights.ts';
import { useSessionStore } from './session-store.ts';

/** Whether the archive still waits for the first start's choice (never in the demo). */
export function useFirstStartPending(): boolean {
  const needsSetup = useSessionStore((s) => s.needsSetup && s.status === 'ready');
  const demo = useAppStore((s) => s.info?.demo ?? false);
  return needsSetup && !demo;
}

/**
 * Before the welcome screen's "Aggiungi casella" goes on: the choice made so far ("solo io")
 * is recorded. False when that failed (the welcome screen says why).
 */
export async function settleFirstStart(): Promise<boolean> {
  const s = useSessionStore.getState();
  if (!s.needsSetup || s.status !== 'ready' || useAppStore.getState().info?.demo) return true;
  return s.chooseSolo();
}

export function FirstStart({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const pending = useFirstStartPending();
  const setupError = useSessionStore((s) => s.setupError);
  const [choice, setChoice] = useState<'solo' | 'logins'>('solo');
  if (!pending) return <>{children}</>;
  return (
    <div className="first-start" data-testid="first-start">
      <fieldset className="choices">
        <legend>{t('firstStart.question')}</legend>
        <label className={choice === 'solo' ? 'choice chosen' : 'choice'}>
          <input
            type="radio"
            name="first-start"
            checked={choice === 'solo'}
            onChange={() => setChoice('solo')}
          />
          <span>
            <strong>{t('firstStart.solo')}</strong>
            <span className="choice-text">{t('firstStart.soloText')}</span>
          </span>
        </label>
        <label className={choice === 'logins' ? 'choice chosen' : 'choice'}>
          <input
            type="radio"
            name="first-start"
            checked={choice === 'logins'}
            onChange={() => setChoice('logins')}
          />
          <span>
            <strong>{t('firstStart.logins')}</strong>
            <span className="choice-text">{t('firstStart.loginsText')}</span>
          </span>
        </label>
      </fieldset>
      {choice === 'solo' && setupError && <Problem text={commonErrorText(t, setupError)} />}
      {choice === 'solo' ? children : <OwnerForm />}
    </div>
  );
}

/** The owner of an archive with personal logins: user name, full name, password twice. */
export function OwnerForm({ submitLabel }: { submitLabel?: string }) {
  const { t } = useTranslation();
  const bridge = useSessionStore((s) => s.bridge);
  const signedIn = useSessionStore((s) => s.signedIn);
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [pair, setPair] = useState(EMPTY_PAIR);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!bridge || busy) return;
    const badName = userNameProblem(name);
    if (badName) return setProblem(t(`people.userName.${badName}`));
    const wrong = pairProblem(pair);
    if (wrong) return setProblem(t(`people.password.problem.${wrong}`));
    setBusy(true);
    try {
      const r = await bridge.call('auth.setup', {
        name: name.trim().toLowerCase(),
        ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
        password: pair.first,
      });
      if (!r.ok) return setProblem(commonErrorText(t, r.error));
      setProblem(null);
      await signedIn(r.value.token);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="people-form owner-form" onSubmit={(e) => void submit(e)}>
      <label>
        {t('people.userName.label')}
        <input
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          placeholder={t('people.userName.placeholder')}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <p className="hint">{t('people.userName.hint')}</p>
      <label>
        {t('people.displayName')}
        <input autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <PasswordPair value={pair} onChange={setPair} />
      <Problem text={problem} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel ?? t('firstStart.create')}
        </button>
      </div>
    </form>
  );
}
