/**
 * "Permessi sulle caselle": for one person or office, a row per mailbox (and one for every
 * mailbox) with a checkbox per right. A person's role caps what counts: the grid offers a reader
 * only reading and an operator everything but management, and says so.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PeopleResults, PublicUser } from '../../../../main/api/people-contract.ts';
import { commonErrorText } from './errors.ts';
import { Problem } from './fields.tsx';
import { grantCall, gridRows, rightOffered, type Subject, toggled } from './grants-model.ts';
import { RIGHTS, type Right, roleHasAll } from './rights.ts';
import { useSessionStore } from './session-store.ts';

export function Grants({
  users,
  offices,
  grants,
  mailboxes,
  onChanged,
}: {
  users: PublicUser[];
  offices: PeopleResults['offices.list'];
  grants: PeopleResults['grants.list'];
  mailboxes: string[];
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const bridge = useSessionStore((s) => s.bridge);
  const first = users.find((u) => !roleHasAll(u.role));
  const [chosen, setChosen] = useState<string>(first ? `user:${first.name}` : '');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [type, ...rest] = chosen.split(':');
  const subject: Subject | null = chosen ? { type: type as Subject['type'], name: rest.join(':') } : null;
  const person = subject?.type === 'user' ? users.find((u) => u.name === subject.name) : undefined;

  const change = async (mailbox: string | null, rights: Right[], right: Right, on: boolean) => {
    if (!bridge || !subject || busy) return;
    setBusy(true);
    try {
      const call = grantCall(subject, mailbox, toggled(rights, right, on));
      const r =
        call.method === 'grants.put'
          ? await bridge.call('grants.put', call.args)
          : await bridge.call('grants.remove', call.args);
      if (!r.ok) return setProblem(commonErrorText(t, r.error));
      setProblem(null);
      await onChanged();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card grants" aria-labelledby="grants-title" data-testid="grants">
      <h3 id="grants-title">{t('people.grants.title')}</h3>
      <label className="inline-row">
        {t('people.grants.subject')}
        <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">{t('people.grants.choose')}</option>
          <optgroup label={t('people.grants.people')}>
            {users.map((u) => (
              <option key={u.id} value={`user:${u.name}`}>
                {`${u.displayName || u.name} · ${t(`people.roles.${u.role}`)}`}
              </option>
            ))}
          </optgroup>
          {offices.length > 0 && (
            <optgroup label={t('people.grants.offices')}>
              {offices.map((o) => (
                <option key={o.id} value={`office:${o.name}`}>
                  {t('people.grants.officeOption', { name: o.name })}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      {subject && person && roleHasAll(person.role) && (
        <p className="banner banner-info" role="status">
          {t('people.grants.hasAll', { name: person.displayName || person.name })}
        </p>
      )}
      {subject && !(person && roleHasAll(person.role)) && (
        <>
          <p className="hint" data-testid="grants-cap">
            {subject.type === 'office'
              ? t('people.grants.officeNote')
              : t(`people.roleCaps.${person?.role ?? 'reader'}`)}
          </p>
          {mailboxes.length === 0 ? (
            <p className="muted">{t('people.grants.noMailboxes')}</p>
          ) : (
            <table className="grants-table">
              <thead>
                <tr>
                  <th>{t('people.grants.mailbox')}</th>
                  {RIGHTS.map((r) => (
                    <th key={r} title={t(`people.rightsHint.${r}`)}>
                      {t(`people.rights.${r}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {gridRows(grants, subject, mailboxes, person?.offices ?? []).map((row) => (
                  <tr key={row.mailbox ?? '*'} data-testid="grant-row" data-mailbox={row.mailbox ?? '*'}>
                    <th scope="row">
                      {row.mailbox ?? <strong>{t('people.grants.all')}</strong>}
                      {row.fromOffices.map((f) => (
                        <span key={f.office} className="hint grant-via">
                          {t('people.grants.via', {
                            office: f.office,
                            rights: f.rights.map((r) => t(`people.rights.${r}`).toLowerCase()).join(', '),
                          })}
                        </span>
                      ))}
                    </th>
                    {RIGHTS.map((r) => {
                      const offered = rightOffered(subject, users, r);
                      const label = t('people.grants.cell', {
                        right: t(`people.rights.${r}`),
                        mailbox: row.mailbox ?? t('people.grants.all'),
                      });
                      return (
                        <td key={r}>
                          <input
                            type="checkbox"
                            aria-label={label}
                            title={offered ? label : t('people.grants.notForRole')}
                            checked={row.rights.includes(r)}
                            disabled={busy || (!offered && !row.rights.includes(r))}
                            onChange={(e) => void change(row.mailbox, row.rights, r, e.target.checked)}
                          />
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <Problem text={problem} />
    </section>
  );
}
