/**
 * "Persone e permessi" (owner and admins): how people sign in ("solo io" or personal logins),
 * the people and their roles, offices, the rights of each on each mailbox, and one's own two-step
 * verification.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PeopleResults, PublicUser } from '../../../../main/api/people-contract.ts';
import { useAppStore } from '../../store/app-store.ts';
import { commonErrorText } from './errors.ts';
import { OwnerForm } from './FirstStart.tsx';
import { EMPTY_PAIR, PasswordPair, Problem, pairProblem } from './fields.tsx';
import { Grants } from './Grants.tsx';
import { Offices } from './Offices.tsx';
import { PeopleList } from './PeopleList.tsx';
import { useSessionStore } from './session-store.ts';
import { TwoFactor } from './TwoFactor.tsx';

export interface PeopleData {
  users: PublicUser[];
  offices: PeopleResults['offices.list'];
  grants: PeopleResults['grants.list'];
}

export function PeoplePanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const bridge = useSessionStore((s) => s.bridge);
  const mode = useSessionStore((s) => s.mode);
  const accounts = useAppStore((s) => s.accounts);
  const [data, setData] = useState<PeopleData | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const reload = useCallback(async () => {
    if (!bridge) return;
    const [users, offices, grants] = await Promise.all([
      bridge.call('users.list', {}),
      bridge.call('offices.list', {}),
      bridge.call('grants.list', {}),
    ]);
    if (!users.ok) return setProblem(commonErrorText(t, users.error));
    if (!offices.ok) return setProblem(commonErrorText(t, offices.error));
    if (!grants.ok) return setProblem(commonErrorText(t, grants.error));
    setProblem(null);
    setData({ users: users.value, offices: offices.value, grants: grants.value });
  }, [bridge, t]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <section className="people-panel" aria-label={t('people.title')} data-testid="people-panel">
      <header className="panel-head">
        <h2>{t('people.title')}</h2>
        <button type="button" onClick={onClose}>
          {t('people.close')}
        </button>
      </header>
      <Problem text={problem} />
      {mode === 'single' ? <LoginsOff /> : <p className="muted">{t('people.logins.on')}</p>}
      {mode === 'logins' && <TwoFactor />}
      {data && (
        <>
          <PeopleList users={data.users} onChanged={reload} />
          <Grants
            users={data.users}
            offices={data.offices}
            grants={data.grants}
            mailboxes={accounts.map((a) => a.email)}
            onChanged={reload}
          />
          <Offices offices={data.offices} users={data.users} onChanged={reload} />
        </>
      )}
    </section>
  );
}

/**
 * "Solo io" today: turning personal logins on. The owner gives their password (an archive from
 * before people existed has no owner yet: their name too) and stays signed in.
 */
function LoginsOff() {
  const { t } = useTranslation();
  const bridge = useSessionStore((s) => s.bridge);
  const needsSetup = useSessionStore((s) => s.needsSetup);
  const user = useSessionStore((s) => s.user);
  const signedIn = useSessionStore((s) => s.signedIn);
  const [open, setOpen] = useState(false);
  const [pair, setPair] = useState(EMPTY_PAIR);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!bridge) return;
    const wrong = pairProblem(pair);
    if (wrong) return setProblem(t(`people.password.problem.${wrong}`));
    const r = await bridge.call('auth.enableLogins', { password: pair.first });
    if (!r.ok) return setProblem(commonErrorText(t, r.error));
    setProblem(null);
    await signedIn(r.value.token);
  };
  return (
    <section className="card logins-off" data-testid="logins-off">
      <h3>{t('people.logins.title')}</h3>
      <p>{t('people.logins.solo')}</p>
      {!open ? (
        <button type="button" className="primary" onClick={() => setOpen(true)}>
          {t('people.logins.turnOn')}
        </button>
      ) : needsSetup ? (
        <>
          <p>{t('people.logins.ownerText')}</p>
          <OwnerForm submitLabel={t('people.logins.turnOn')} />
        </>
      ) : (
        <form className="people-form" onSubmit={(e) => void submit(e)}>
          <p>{t('people.logins.passwordText', { name: user?.name ?? '' })}</p>
          <PasswordPair value={pair} onChange={setPair} label={t('people.logins.ownerPassword')} />
          <Problem text={problem} />
          <div className="form-actions">
            <button type="submit" className="primary">
              {t('people.logins.turnOn')}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {t('people.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
