/** Actions on the rows chosen in the list: take in charge, handle, assign, tag. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AssignSelect, assignArgs } from './AssignSelect.tsx';
import { useWorkStore } from './work-store.ts';
import { problemText } from './work-words.ts';

export function BulkBar() {
  const { t } = useTranslation();
  const chosen = useWorkStore((s) => s.chosen);
  const tags = useWorkStore((s) => s.tags);
  const changeChosen = useWorkStore((s) => s.changeChosen);
  const clear = useWorkStore((s) => s.clearChosen);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (chosen.size === 0) return null;
  const run = async (job: () => Promise<string | null>) => {
    setBusy(true);
    const code = await job();
    setBusy(false);
    setProblem(code ? problemText(t, code) : null);
  };
  return (
    <div className="bulk-bar" role="toolbar" aria-label={t('work.bulk.toolbar')} data-testid="bulk-bar">
      <span className="bulk-count">{t('work.bulk.chosen', { count: chosen.size })}</span>
      <button type="button" disabled={busy} onClick={() => void run(() => changeChosen('work.claim', {}))}>
        {t('work.action.claim')}
      </button>
      <button type="button" disabled={busy} onClick={() => void run(() => changeChosen('work.done', {}))}>
        {t('work.action.done')}
      </button>
      <AssignSelect
        label={t('work.assign.label')}
        value="-"
        onChange={(v) => void run(() => changeChosen('work.assign', assignArgs(v)))}
      />
      <label className="inline-field">
        <span>{t('work.tags.add')}</span>
        <select
          value=""
          disabled={busy}
          onChange={(e) => {
            const name = e.target.value;
            if (name) void run(() => changeChosen('work.tag', { tag: name, add: true }));
          }}
          data-testid="bulk-tag"
        >
          <option value="">{t('work.tags.choose')}</option>
          {tags.map((tag) => (
            <option key={tag.id} value={tag.name}>
              {tag.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="link" onClick={clear}>
        {t('work.bulk.clear')}
      </button>
      {problem && (
        <span className="bulk-problem" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
