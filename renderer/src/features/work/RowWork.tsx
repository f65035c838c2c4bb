/**
 * What a list row shows of its work (issue 14): its tags, its state when someone is on it, who has
 * it, its due day; and the box that chooses it for actions on several rows at once.
 */
import { useTranslation } from 'react-i18next';
import type { ListRow } from '../../../../main/api/contract.ts';
import { can } from '../people/rights.ts';
import { useSessionStore } from '../people/session-store.ts';
import { TagChips } from './TagChips.tsx';
import { useWorkStore } from './work-store.ts';
import { assigneeLabel, formatDay, romeToday, stateLabel } from './work-words.ts';

export function RowWorkChips({ row }: { row: ListRow }) {
  const { t, i18n } = useTranslation();
  const w = row.work;
  if (!w) return null;
  const who = assigneeLabel(t, w);
  const late = w.due !== null && w.due < romeToday() && w.state !== 'done';
  return (
    <span className="row-work">
      <TagChips tags={w.tags} />
      {w.state && w.state !== 'new' && (
        <span
          className={`work-state work-state-${w.state}`}
          data-testid="row-work-state"
          data-state={w.state}
        >
          {stateLabel(t, w.state)}
          {who && w.state !== 'done' ? ` · ${who}` : ''}
        </span>
      )}
      {w.due && w.state !== 'done' && (
        <span className={late ? 'work-due work-due-late' : 'work-due'} title={t('work.deadline.title')}>
          {late
            ? t('work.deadline.lateShort', { day: formatDay(w.due, i18n.language) })
            : t('work.deadline.short', { day: formatDay(w.due, i18n.language) })}
        </span>
      )}
    </span>
  );
}

export function RowCheck({ id }: { id: number }) {
  const { t } = useTranslation();
  const chosen = useWorkStore((s) => s.chosen.has(id));
  const toggle = useWorkStore((s) => s.toggleChosen);
  const routes = useSessionStore((s) => can(s.rights, 'route'));
  if (routes === false) return null;
  return (
    <input
      type="checkbox"
      className="row-check"
      checked={chosen}
      aria-label={t('work.bulk.choose')}
      title={t('work.bulk.choose')}
      onClick={(e) => e.stopPropagation()}
      onChange={() => toggle(id)}
      data-testid="row-check"
    />
  );
}
