/** "Assegna a": people and offices by name, or nobody. */
import { useTranslation } from 'react-i18next';
import { useWorkStore } from './work-store.ts';

/** The value is 'u:<login>', 'o:<office>' or '' (nobody). */
export function AssignSelect({
  value,
  onChange,
  label,
}: {
  value: string;
  onChange: (value: string) => void;
  label: string;
}) {
  const { t } = useTranslation();
  const people = useWorkStore((s) => s.people);
  return (
    <label className="inline-field">
      <span>{label}</span>
      <select
        value={value}
        onChange={(e) => {
          if (e.target.value !== '-') onChange(e.target.value);
        }}
        data-testid="assign-select"
      >
        {value === '-' && <option value="-">{t('work.assign.choose')}</option>}
        <option value="">{t('work.assign.nobody')}</option>
        {people && people.users.length > 0 && (
          <optgroup label={t('work.assign.people')}>
            {people.users.map((u) => (
              <option key={u.id} value={`u:${u.name}`}>
                {u.displayName ?? u.name}
              </option>
            ))}
          </optgroup>
        )}
        {people && people.offices.length > 0 && (
          <optgroup label={t('work.assign.offices')}>
            {people.offices.map((o) => (
              <option key={o.id} value={`o:${o.name}`}>
                {t('work.officeName', { name: o.name })}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </label>
  );
}

/** The assign call's arguments for a select value. */
export function assignArgs(value: string): { user: string | null; office?: string | null } {
  if (value.startsWith('u:')) return { user: value.slice(2) };
  if (value.startsWith('o:')) return { user: null, office: value.slice(2) };
  return { user: null, office: null };
}
