/** Offices: groups of people that receive rights together ("Segreteria", "Contabilità"). */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PeopleResults, PublicUser } from '../../../../main/api/people-contract.ts';
import { commonErrorText } from './errors.ts';
import { Problem } from './fields.tsx';
import { useSessionStore } from './session-store.ts';

type OfficeList = PeopleResults['offices.list'];

export function Offices({
  offices,
  users,
  onChanged,
}: {
  offices: OfficeList;
  users: PublicUser[];
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const bridge = useSessionStore((s) => s.bridge);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!bridge) return;
    if (!name.trim()) return setProblem(t('people.offices.nameMissing'));
    const r = await bridge.call('offices.create', { name: name.trim() });
    if (!r.ok)
      return setProblem(
        r.error.code === 'conflict'
          ? t('people.offices.exists', { name: name.trim() })
          : commonErrorText(t, r.error),
      );
    setProblem(null);
    setName('');
    await onChanged();
  };
  return (
    <section className="card offices" aria-labelledby="offices-title">
      <h3 id="offices-title">{t('people.offices.title')}</h3>
      <p className="hint">{t('people.offices.text')}</p>
      {offices.length === 0 ? (
        <p className="muted">{t('people.offices.none')}</p>
      ) : (
        <ul className="office-list">
          {offices.map((o) => (
            <Office key={o.id} office={o} users={users} onChanged={onChanged} />
          ))}
        </ul>
      )}
      <form className="inline-row" onSubmit={(e) => void create(e)}>
        <label>
          {t('people.offices.newName')}
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit">{t('people.offices.create')}</button>
      </form>
      <Problem text={problem} />
    </section>
  );
}

function Office({
  office,
  users,
  onChanged,
}: {
  office: OfficeList[number];
  users: PublicUser[];
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const bridge = useSessionStore((s) => s.bridge);
  const outside = users.filter((u) => !office.members.includes(u.name));
  const [pick, setPick] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const add = async () => {
    if (!bridge || !pick) return;
    const r = await bridge.call('offices.addMember', { office: office.name, user: pick });
    if (!r.ok) return setProblem(commonErrorText(t, r.error));
    setProblem(null);
    setPick('');
    await onChanged();
  };
  return (
    <li className="office" data-testid="office">
      <strong>{office.name}</strong>{' '}
      <span className="muted">
        {office.members.length > 0 ? office.members.join(', ') : t('people.offices.empty')}
      </span>
      {outside.length > 0 && (
        <span className="inline-row">
          <label>
            <span className="sr-only">{t('people.offices.addMemberTo', { name: office.name })}</span>
            <select value={pick} onChange={(e) => setPick(e.target.value)}>
              <option value="">{t('people.offices.choosePerson')}</option>
              {outside.map((u) => (
                <option key={u.id} value={u.name}>
                  {u.displayName ? `${u.displayName} (${u.name})` : u.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" disabled={!pick} onClick={() => void add()}>
            {t('people.offices.addMember')}
          </button>
        </span>
      )}
      <Problem text={problem} />
    </li>
  );
}
