/**
 * The people of the archive: role, offices, two-step verification, lockout; add a person (with an
 * invitation code shown once, or a password chosen now), a new password, end their sessions,
 * disable them (never deleted: the log names them).
 */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../../main/api/people-contract.ts';
import { commonErrorText } from './errors.ts';
import { CopyButton, EMPTY_PAIR, PasswordPair, Problem, pairProblem } from './fields.tsx';
import { userNameProblem } from './rights.ts';
import { useSessionStore } from './session-store.ts';

export function PeopleList({ users, onChanged }: { users: PublicUser[]; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const mode = useSessionStore((s) => s.mode);
  return (
    <section className="card people-list" aria-labelledby="people-list-title">
      <h3 id="people-list-title">{t('people.list.title')}</h3>
      <table className="people-table">
        <thead>
          <tr>
            <th>{t('people.list.name')}</th>
            <th>{t('people.list.role')}</th>
            <th>{t('people.list.offices')}</th>
            <th>{t('people.list.totp')}</th>
            <th>{t('people.list.state')}</th>
            <th>
              <span className="sr-only">{t('people.list.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <PersonRow key={u.id} user={u} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
      {mode === 'single' && <p className="hint">{t('people.list.soloHint')}</p>}
      {adding ? (
        <AddPerson onDone={() => setAdding(false)} onChanged={onChanged} />
      ) : (
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          {t('people.add.open')}
        </button>
      )}
    </section>
  );
}

function PersonRow({ user: u, onChanged }: { user: PublicUser; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const bridge = useSessionStore((s) => s.bridge);
  const me = useSessionStore((s) => s.user);
  const [form, setForm] = useState(false);
  const [pair, setPair] = useState(EMPTY_PAIR);
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const fail = (error: Parameters<typeof commonErrorText>[1]) =>
    setSaid({ ok: false, text: commonErrorText(t, error) });

  const setPassword = async (e: FormEvent) => {
    e.preventDefault();
    const wrong = pairProblem(pair);
    if (wrong) return setSaid({ ok: false, text: t(`people.password.problem.${wrong}`) });
    const r = await bridge?.call('users.setPassword', { name: u.name, password: pair.first });
    if (!r) return;
    if (!r.ok) return fail(r.error);
    setForm(false);
    setPair(EMPTY_PAIR);
    setSaid({ ok: true, text: t('people.list.passwordSet', { name: u.name }) });
    await onChanged();
  };
  const revoke = async () => {
    const r = await bridge?.call('users.revokeSessions', { name: u.name });
    if (!r) return;
    if (!r.ok) return fail(r.error);
    setSaid({ ok: true, text: t('people.list.sessionsEnded', { count: r.value.revoked, name: u.name }) });
  };
  const disable = async () => {
    if (!window.confirm(t('people.list.disableConfirm', { name: u.name }))) return;
    const r = await bridge?.call('users.remove', { name: u.name });
    if (!r) return;
    if (!r.ok) return fail(r.error);
    await onChanged();
  };
  const self = me?.name === u.name;
  return (
    <>
      <tr data-testid="person" data-name={u.name}>
        <td>
          <strong>{u.displayName || u.name}</strong>
          {u.displayName && <span className="muted"> · {u.name}</span>}
          {self && <span className="muted"> ({t('people.list.you')})</span>}
        </td>
        <td>{t(`people.roles.${u.role}`)}</td>
        <td>{u.offices.length > 0 ? u.offices.join(', ') : <span className="muted">—</span>}</td>
        <td>
          {u.totp ? t('people.list.totpOn') : <span className="muted">{t('people.list.totpOff')}</span>}
        </td>
        <td>
          {u.locked ? (
            <span className="badge badge-danger">{t('people.list.locked')}</span>
          ) : (
            t('people.list.active')
          )}
        </td>
        <td className="person-actions">
          <button type="button" onClick={() => setForm(!form)}>
            {t('people.list.newPassword')}
          </button>
          {!self && (
            <button type="button" onClick={() => void revoke()}>
              {t('people.list.endSessions')}
            </button>
          )}
          {u.role !== 'owner' && !self && (
            <button type="button" onClick={() => void disable()}>
              {t('people.list.disable')}
            </button>
          )}
        </td>
      </tr>
      {(form || said) && (
        <tr className="person-extra">
          <td colSpan={6}>
            {form && (
              <form className="people-form inline-form" onSubmit={(e) => void setPassword(e)}>
                <PasswordPair
                  value={pair}
                  onChange={setPair}
                  label={t('people.list.newPasswordFor', { name: u.name })}
                />
                <p className="hint">{t('people.list.newPasswordHint')}</p>
                <div className="form-actions">
                  <button type="submit" className="primary">
                    {t('people.list.savePassword')}
                  </button>
                  <button type="button" onClick={() => setForm(false)}>
                    {t('people.cancel')}
                  </button>
                </div>
              </form>
            )}
            {said && (
              <p
                className={said.ok ? 'banner banner-ok' : 'banner banner-danger'}
                role={said.ok ? 'status' : 'alert'}
              >
                {said.text}
              </p>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function AddPerson({ onDone, onChanged }: { onDone: () => void; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const bridge = useSessionStore((s) => s.bridge);
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<'admin' | 'operator' | 'reader'>('operator');
  const [how, setHow] = useState<'invite' | 'password'>('invite');
  const [pair, setPair] = useState(EMPTY_PAIR);
  const [problem, setProblem] = useState<string | null>(null);
  const [invited, setInvited] = useState<{ name: string; code: string } | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!bridge) return;
    const badName = userNameProblem(name);
    if (badName) return setProblem(t(`people.userName.${badName}`));
    if (how === 'password') {
      const wrong = pairProblem(pair);
      if (wrong) return setProblem(t(`people.password.problem.${wrong}`));
    }
    const login = name.trim().toLowerCase();
    const r = await bridge.call('users.add', {
      name: login,
      role,
      ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
      ...(how === 'password' ? { password: pair.first } : {}),
    });
    if (!r.ok)
      return setProblem(
        r.error.code === 'conflict' ? t('people.add.exists', { name: login }) : commonErrorText(t, r.error),
      );
    setProblem(null);
    setPair(EMPTY_PAIR);
    setName('');
    setDisplayName('');
    if (r.value.invitation) setInvited({ name: r.value.user.name, code: r.value.invitation });
    else setAdded(r.value.user.name);
    await onChanged();
  };

  if (invited)
    return (
      <div className="invitation" data-testid="invitation">
        <p className="banner banner-ok" role="status">
          {t('people.add.invited', { name: invited.name })}
        </p>
        <p>
          <code className="invitation-code" data-testid="invitation-code">
            {invited.code}
          </code>{' '}
          <CopyButton text={invited.code} />
        </p>
        <p className="hint">{t('people.add.inviteHint')}</p>
        <p className="hint">{t('people.add.grantsNext')}</p>
        <button type="button" onClick={onDone}>
          {t('people.add.close')}
        </button>
      </div>
    );
  if (added)
    return (
      <div className="invitation">
        <p className="banner banner-ok" role="status">
          {t('people.add.added', { name: added })}
        </p>
        <p className="hint">{t('people.add.grantsNext')}</p>
        <button type="button" onClick={onDone}>
          {t('people.add.close')}
        </button>
      </div>
    );
  return (
    <form
      className="people-form add-person"
      onSubmit={(e) => void submit(e)}
      aria-label={t('people.add.title')}
    >
      <h4>{t('people.add.title')}</h4>
      <label>
        {t('people.userName.label')}
        <input
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          placeholder={t('people.userName.placeholderOther')}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <p className="hint">{t('people.userName.hint')}</p>
      <label>
        {t('people.displayName')}
        <input autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <label>
        {t('people.list.role')}
        <select value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
          <option value="admin">{t('people.roles.admin')}</option>
          <option value="operator">{t('people.roles.operator')}</option>
          <option value="reader">{t('people.roles.reader')}</option>
        </select>
      </label>
      <p className="hint" data-testid="role-cap">
        {t(`people.roleCaps.${role}`)}
      </p>
      <fieldset className="choices compact">
        <legend>{t('people.add.how')}</legend>
        <label className="choice">
          <input type="radio" name="add-how" checked={how === 'invite'} onChange={() => setHow('invite')} />
          <span>{t('people.add.byInvite')}</span>
        </label>
        <label className="choice">
          <input
            type="radio"
            name="add-how"
            checked={how === 'password'}
            onChange={() => setHow('password')}
          />
          <span>{t('people.add.byPassword')}</span>
        </label>
      </fieldset>
      {how === 'password' && <PasswordPair value={pair} onChange={setPair} />}
      <Problem text={problem} />
      <div className="form-actions">
        <button type="submit" className="primary">
          {t('people.add.submit')}
        </button>
        <button type="button" onClick={onDone}>
          {t('people.cancel')}
        </button>
      </div>
    </form>
  );
}
