/**
 * "Scadenze" (issue 14): a month as a calendar, each day with what falls due; what is past due and
 * not handled on top. A row opens in the reader.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListRow } from '../../../../main/api/contract.ts';
import { useMailStore } from '../../store/mail-store.ts';
import { TagChips } from './TagChips.tsx';
import { useWorkStore } from './work-store.ts';
import { assigneeLabel, formatDay, romeToday } from './work-words.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** The Monday-first weeks covering a month, as days (null outside it). */
function monthGrid(year: number, month: number): (string | null)[][] {
  const first = new Date(Date.UTC(year, month, 1));
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (string | null)[] = [
    ...Array<null>(lead).fill(null),
    ...Array.from({ length: days }, (_, i) => `${year}-${pad(month + 1)}-${pad(i + 1)}`),
  ];
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
}

function Item({ row }: { row: ListRow }) {
  const { t } = useTranslation();
  const openMessage = useMailStore((s) => s.openMessage);
  const who = row.work ? assigneeLabel(t, row.work) : null;
  return (
    <button
      type="button"
      className={`agenda-item${row.work?.state === 'done' ? ' agenda-done' : ''}`}
      title={`${row.subject ?? ''}${who ? ` — ${who}` : ''}`}
      onClick={() => void openMessage(row.id)}
      data-testid="agenda-item"
    >
      <span className="agenda-subject">{row.subject || t('list.noSubject')}</span>
      {row.work?.dueSource === 'proposed' && (
        <span className="agenda-flag">{t('work.deadline.toVerify')}</span>
      )}
      {who && <span className="muted agenda-who">{who}</span>}
    </button>
  );
}

export function AgendaView() {
  const { t, i18n } = useTranslation();
  const bridge = useWorkStore((s) => s.bridge);
  const today = romeToday();
  const [month, setMonth] = useState(() => ({
    year: Number(today.slice(0, 4)),
    month: Number(today.slice(5, 7)) - 1,
  }));
  const [rows, setRows] = useState<ListRow[]>([]);
  const grid = useMemo(() => monthGrid(month.year, month.month), [month]);
  const from = `${month.year}-${pad(month.month + 1)}-01`;
  const to = grid.flat().filter(Boolean).at(-1)!;
  useEffect(() => {
    if (!bridge) return;
    const look = () =>
      void bridge.call('work.agenda', { from: from < today ? from : today, to }).then((r) => {
        if (r.ok) setRows(r.value.rows);
      });
    look();
    return bridge.on('archive.changed', look);
  }, [bridge, from, to, today]);
  const byDay = new Map<string, ListRow[]>();
  for (const r of rows) if (r.work?.due) byDay.set(r.work.due, [...(byDay.get(r.work.due) ?? []), r]);
  const late = rows.filter((r) => r.work?.due && r.work.due < today && r.work.state !== 'done');
  const title = new Intl.DateTimeFormat(i18n.language.startsWith('en') ? 'en-GB' : 'it-IT', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(month.year, month.month, 1)));
  const weekdays = i18n.language.startsWith('en')
    ? ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
    : ['lun', 'mar', 'mer', 'gio', 'ven', 'sab', 'dom'];
  const move = (n: number) =>
    setMonth((m) => {
      const d = new Date(Date.UTC(m.year, m.month + n, 1));
      return { year: d.getUTCFullYear(), month: d.getUTCMonth() };
    });
  return (
    <section className="card agenda" aria-label={t('work.nav.agenda')}>
      <h2>{t('work.agenda.title')}</h2>
      {late.length > 0 && (
        <div className="agenda-late" data-testid="agenda-late">
          <h3>{t('work.agenda.late', { count: late.length })}</h3>
          {late.map((r) => (
            <div key={r.id} className="agenda-late-row">
              <span className="work-due work-due-late">{formatDay(r.work!.due!, i18n.language)}</span>
              <Item row={r} />
              <TagChips tags={r.work!.tags} />
            </div>
          ))}
        </div>
      )}
      <div className="agenda-bar">
        <button type="button" onClick={() => move(-1)} aria-label={t('work.agenda.previous')}>
          ‹
        </button>
        <h3 className="agenda-month">{title}</h3>
        <button type="button" onClick={() => move(1)} aria-label={t('work.agenda.next')}>
          ›
        </button>
        <button
          type="button"
          className="link"
          onClick={() => setMonth({ year: Number(today.slice(0, 4)), month: Number(today.slice(5, 7)) - 1 })}
        >
          {t('work.agenda.today')}
        </button>
      </div>
      <table className="agenda-grid">
        <thead>
          <tr>
            {weekdays.map((d) => (
              <th key={d} scope="col">
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.map((week) => (
            <tr key={week.find(Boolean) ?? Math.random()}>
              {week.map((day, i) => (
                <td
                  key={day ?? `x${i}`}
                  className={[
                    day === today ? 'agenda-today' : '',
                    day && day < today ? 'agenda-past' : '',
                    i >= 5 ? 'agenda-weekend' : '',
                  ]
                    .filter(Boolean)
                    .join(' ')}
                  data-day={day ?? undefined}
                >
                  {day && <span className="agenda-day">{Number(day.slice(8))}</span>}
                  {day && (byDay.get(day) ?? []).map((r) => <Item key={r.id} row={r} />)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">{t('work.agenda.empty')}</p>}
    </section>
  );
}
