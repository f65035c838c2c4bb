/**
 * Work settings (issue 14, owner and administrators): who creates tags, escalation after N hours
 * to the office head, reminders before due days, proposed deadlines and their terms table (per
 * sender or subject, "da verificare"), office heads, and the tags themselves.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TermView, WorkSettings } from '../../../../main/api/contract.ts';
import { TAG_COLORS_UI } from './tag-colors.ts';
import { problemCode, useWorkStore } from './work-store.ts';
import { problemText } from './work-words.ts';

type Term = Omit<TermView, 'id'>;

export function SettingsView() {
  const { t } = useTranslation();
  const bridge = useWorkStore((s) => s.bridge);
  const people = useWorkStore((s) => s.people);
  const tags = useWorkStore((s) => s.tags);
  const load = useWorkStore((s) => s.load);
  const createTag = useWorkStore((s) => s.createTag);
  const [settings, setSettings] = useState<WorkSettings | null>(null);
  const [terms, setTerms] = useState<Term[]>([]);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [newTag, setNewTag] = useState({ name: '', color: TAG_COLORS_UI[0]! });
  useEffect(() => {
    if (!bridge) return;
    void bridge.call('work.settings', {}).then((r) => r.ok && setSettings(r.value));
    void bridge
      .call('work.terms', {})
      .then((r) => r.ok && setTerms(r.value.map(({ id: _id, ...rest }) => rest)));
  }, [bridge]);
  if (!bridge || !settings) return null;
  const report = (r: { ok: boolean }, okText: string) =>
    setStatus(
      r.ok
        ? { ok: true, text: okText }
        : { ok: false, text: problemText(t, problemCode(r as never) ?? 'other') },
    );
  const saveSettings = async () => {
    const { escalateSince: _since, ...next } = settings;
    const r = await bridge.call('work.setSettings', next);
    if (r.ok) setSettings(r.value);
    report(r, t('work.settings.saved'));
  };
  const saveTerms = async () => {
    const r = await bridge.call('work.setTerms', {
      terms: terms.map((x) => ({
        ...x,
        subjectWords: x.subjectWords?.trim() || null,
        note: x.note?.trim() || null,
      })),
    });
    report(r, t('work.settings.termsSaved'));
  };
  const setTerm = (i: number, change: Partial<Term>) =>
    setTerms(terms.map((x, j) => (j === i ? { ...x, ...change } : x)));
  return (
    <section className="card work-settings" aria-label={t('work.nav.settings')}>
      <h2>{t('work.settings.title')}</h2>
      {status && (
        <p className={status.ok ? 'banner banner-ok' : 'banner banner-danger'} role="status">
          {status.text}
        </p>
      )}
      <fieldset>
        <legend>{t('work.settings.general')}</legend>
        <label className="inline-field">
          <span>{t('work.settings.tagCreators')}</span>
          <select
            value={settings.tagCreators}
            onChange={(e) =>
              setSettings({ ...settings, tagCreators: e.target.value as 'admins' | 'routers' })
            }
          >
            <option value="admins">{t('work.settings.tagCreatorsAdmins')}</option>
            <option value="routers">{t('work.settings.tagCreatorsRouters')}</option>
          </select>
        </label>
        <label className="inline-field">
          <input
            type="checkbox"
            checked={settings.escalateAfterHours !== null}
            onChange={(e) => setSettings({ ...settings, escalateAfterHours: e.target.checked ? 4 : null })}
          />
          <span>{t('work.settings.escalate')}</span>
          {settings.escalateAfterHours !== null && (
            <>
              <input
                type="number"
                min={1}
                max={720}
                value={settings.escalateAfterHours}
                aria-label={t('work.settings.hours')}
                onChange={(e) =>
                  setSettings({ ...settings, escalateAfterHours: Math.max(1, Number(e.target.value) || 1) })
                }
              />
              <span>{t('work.settings.hours')}</span>
            </>
          )}
        </label>
        <label className="inline-field">
          <span>{t('work.settings.remind')}</span>
          <input
            type="text"
            value={settings.remindDays.join(', ')}
            onChange={(e) =>
              setSettings({
                ...settings,
                remindDays: e.target.value
                  .split(/[,\s]+/)
                  .filter(Boolean)
                  .map(Number)
                  .filter((n) => Number.isInteger(n) && n >= 0 && n <= 60)
                  .slice(0, 5),
              })
            }
          />
          <span className="muted">{t('work.settings.remindHint')}</span>
        </label>
        <label className="inline-field">
          <input
            type="checkbox"
            checked={settings.proposeDeadlines}
            onChange={(e) => setSettings({ ...settings, proposeDeadlines: e.target.checked })}
          />
          <span>{t('work.settings.propose')}</span>
        </label>
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => void saveSettings()}>
            {t('work.settings.save')}
          </button>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('work.settings.heads')}</legend>
        {people?.offices.length ? (
          people.offices.map((o) => (
            <label key={o.id} className="inline-field">
              <span>{t('work.officeName', { name: o.name })}</span>
              <select
                value={people.users.find((u) => (u.displayName ?? u.name) === o.head)?.name ?? ''}
                onChange={async (e) => {
                  const r = await bridge.call('offices.setHead', {
                    office: o.name,
                    user: e.target.value || null,
                  });
                  report(r, t('work.settings.headSaved', { office: o.name }));
                  await load();
                }}
              >
                <option value="">{t('work.settings.noHead')}</option>
                {people.users.map((u) => (
                  <option key={u.id} value={u.name}>
                    {u.displayName ?? u.name}
                  </option>
                ))}
              </select>
            </label>
          ))
        ) : (
          <p className="muted">{t('work.settings.noOffices')}</p>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('work.settings.terms')}</legend>
        <p className="muted">{t('work.settings.termsIntro')}</p>
        <table className="terms-table">
          <thead>
            <tr>
              <th scope="col">{t('work.settings.termLabel')}</th>
              <th scope="col">{t('work.settings.termSender')}</th>
              <th scope="col">{t('work.settings.termWords')}</th>
              <th scope="col">{t('work.settings.termDays')}</th>
              <th scope="col">{t('work.settings.termFeriale')}</th>
              <th scope="col">{t('work.settings.termCivil')}</th>
              <th scope="col">{t('work.settings.termNote')}</th>
              <th scope="col">
                <span className="sr-only">{t('work.settings.termRemove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {terms.map((x, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows of a table being edited have only their place
              <tr key={i}>
                <td>
                  <input
                    type="text"
                    value={x.label}
                    aria-label={t('work.settings.termLabel')}
                    onChange={(e) => setTerm(i, { label: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    type="text"
                    value={x.senderPattern}
                    aria-label={t('work.settings.termSender')}
                    onChange={(e) => setTerm(i, { senderPattern: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    type="text"
                    value={x.subjectWords ?? ''}
                    aria-label={t('work.settings.termWords')}
                    onChange={(e) => setTerm(i, { subjectWords: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    type="number"
                    min={1}
                    max={3650}
                    value={x.days}
                    aria-label={t('work.settings.termDays')}
                    onChange={(e) => setTerm(i, { days: Math.max(1, Number(e.target.value) || 1) })}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    checked={x.feriale}
                    aria-label={t('work.settings.termFeriale')}
                    onChange={(e) => setTerm(i, { feriale: e.target.checked })}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    checked={x.civil}
                    aria-label={t('work.settings.termCivil')}
                    onChange={(e) => setTerm(i, { civil: e.target.checked })}
                  />
                </td>
                <td>
                  <textarea
                    rows={2}
                    value={x.note ?? ''}
                    aria-label={t('work.settings.termNote')}
                    onChange={(e) => setTerm(i, { note: e.target.value })}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => setTerms(terms.filter((_, j) => j !== i))}
                  >
                    {t('work.settings.termRemove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="form-actions">
          <button
            type="button"
            onClick={() =>
              setTerms([
                ...terms,
                {
                  label: '',
                  senderPattern: '*@',
                  subjectWords: null,
                  days: 30,
                  feriale: false,
                  civil: false,
                  note: null,
                },
              ])
            }
          >
            {t('work.settings.termAdd')}
          </button>
          <button type="button" className="primary" onClick={() => void saveTerms()}>
            {t('work.settings.termsSave')}
          </button>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('work.tags.title')}</legend>
        <ul className="tag-admin">
          {tags.map((tag) => (
            <li key={tag.id}>
              <input
                type="color"
                value={tag.color}
                aria-label={t('work.tags.color', { name: tag.name })}
                onChange={async (e) => {
                  report(
                    await bridge.call('tags.update', { id: tag.id, color: e.target.value }),
                    t('work.tags.saved'),
                  );
                  await load();
                }}
              />
              <span>{tag.name}</span>
              <span className="muted">{t('work.tags.rows', { count: tag.count })}</span>
              <button
                type="button"
                className="link"
                onClick={async () => {
                  if (!window.confirm(t('work.tags.confirmRemove', { name: tag.name }))) return;
                  report(await bridge.call('tags.remove', { id: tag.id }), t('work.tags.removed'));
                  await load();
                }}
              >
                {t('work.tags.delete')}
              </button>
            </li>
          ))}
        </ul>
        <form
          className="inline-field"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!newTag.name.trim()) return;
            const code = await createTag(newTag.name.trim(), newTag.color);
            setStatus(
              code ? { ok: false, text: problemText(t, code) } : { ok: true, text: t('work.tags.saved') },
            );
            if (!code)
              setNewTag({ name: '', color: TAG_COLORS_UI[(tags.length + 1) % TAG_COLORS_UI.length]! });
          }}
        >
          <input
            type="color"
            value={newTag.color}
            aria-label={t('work.tags.newColor')}
            onChange={(e) => setNewTag({ ...newTag, color: e.target.value })}
          />
          <input
            type="text"
            maxLength={60}
            value={newTag.name}
            placeholder={t('work.tags.newPlaceholder')}
            aria-label={t('work.tags.new')}
            onChange={(e) => setNewTag({ ...newTag, name: e.target.value })}
          />
          <button type="submit">{t('work.tags.create')}</button>
        </form>
      </fieldset>
    </section>
  );
}
