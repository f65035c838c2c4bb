/**
 * "Report" (issue 14): backlog per person and office, time to take in charge and to close, overdue
 * items, PEC sent per mailbox and their delivery-failure rate; as charts (Recharts: SVG, its text in
 * the page) with the same figures in tables, and as CSV for Excel. Loaded only when opened.
 */

import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { WorkReport } from '../../../../main/api/contract.ts';
import { formatNumber } from '../../format.ts';
import { useWorkStore } from './work-store.ts';
import { formatDay, romeToday } from './work-words.ts';

const COLORS = {
  new: '#8c959f',
  assigned: '#1f6feb',
  claimed: '#9a6700',
  waiting: '#8250df',
  overdue: '#d1242f',
};

function download(base64: string, filename: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const hours = (t: TFunction, h: number | null) =>
  h === null
    ? '—'
    : h < 48
      ? t('work.reports.hours', { value: formatNumber(h) })
      : t('work.reports.days', { value: formatNumber(Math.round((h / 24) * 10) / 10) });

export default function ReportsView() {
  const { t, i18n } = useTranslation();
  const bridge = useWorkStore((s) => s.bridge);
  const today = romeToday();
  const [since, setSince] = useState(() => `${today.slice(0, 8)}01`);
  const [report, setReport] = useState<WorkReport | null>(null);
  useEffect(() => {
    if (!bridge) return;
    void bridge.call('reports.get', { since }).then((r) => {
      if (r.ok) setReport(r.value);
    });
  }, [bridge, since]);
  if (!bridge || !report) return null;
  const backlog = report.backlog.map((b) => ({
    ...b,
    who:
      b.kind === 'nobody'
        ? t('work.reports.nobody')
        : b.kind === 'office'
          ? t('work.officeName', { name: b.who })
          : b.who,
  }));
  const times = report.times
    .filter((x) => x.claimed + x.closed > 0)
    .map((x) => ({ ...x, who: x.who || t('work.reports.everyone') }));
  const sent = report.sent.map((s) => ({ ...s, rate: Math.round(s.failureRate * 1000) / 10 }));
  const label = (key: string) => t(`work.reports.series.${key}`);
  return (
    <section className="card reports" aria-label={t('work.nav.reports')} data-testid="reports">
      <div className="reports-head">
        <h2>{t('work.reports.title')}</h2>
        <label className="inline-field">
          <span>{t('work.reports.since')}</span>
          <input
            type="date"
            value={since}
            max={today}
            onChange={(e) => e.target.value && setSince(e.target.value)}
          />
        </label>
        <button
          type="button"
          onClick={async () => {
            const r = await bridge.call('reports.csv', { since });
            if (r.ok) download(r.value.contentBase64, r.value.filename);
          }}
          data-testid="report-csv"
        >
          {t('work.reports.csv')}
        </button>
      </div>
      <p className="muted">{t('work.reports.period', { day: formatDay(since, i18n.language) })}</p>
      <p className="report-overdue" data-testid="report-overdue">
        {t('work.reports.overdue', { count: report.overdue, formatted: formatNumber(report.overdue) })}
      </p>
      <h3>{t('work.reports.backlog')}</h3>
      {backlog.length === 0 ? (
        <p className="muted">{t('work.reports.noBacklog')}</p>
      ) : (
        <div className="report-chart" data-testid="chart-backlog">
          <ResponsiveContainer width="100%" height={Math.max(160, backlog.length * 44 + 60)}>
            <BarChart data={backlog} layout="vertical" margin={{ left: 24, right: 24 }} accessibilityLayer>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="who" width={160} />
              <Tooltip />
              <Legend />
              {(['new', 'assigned', 'claimed', 'waiting'] as const).map((k) => (
                <Bar
                  key={k}
                  dataKey={k}
                  name={label(k)}
                  stackId="s"
                  fill={COLORS[k]}
                  isAnimationActive={false}
                />
              ))}
              <Bar
                dataKey="overdue"
                name={label('overdue')}
                fill={COLORS.overdue}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <table className="report-table">
        <thead>
          <tr>
            <th scope="col">{t('work.reports.who')}</th>
            {(['new', 'assigned', 'claimed', 'waiting', 'overdue'] as const).map((k) => (
              <th key={k} scope="col">
                {label(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {backlog.map((b) => (
            <tr key={`${b.kind}:${b.who}`}>
              <th scope="row">{b.who}</th>
              <td>{b.new}</td>
              <td>{b.assigned}</td>
              <td>{b.claimed}</td>
              <td>{b.waiting}</td>
              <td>{b.overdue}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('work.reports.times')}</h3>
      {times.length === 0 ? (
        <p className="muted">{t('work.reports.noTimes')}</p>
      ) : (
        <>
          <div className="report-chart" data-testid="chart-times">
            <ResponsiveContainer width="100%" height={Math.max(160, times.length * 44 + 60)}>
              <BarChart data={times} layout="vertical" margin={{ left: 24, right: 24 }} accessibilityLayer>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" unit=" h" />
                <YAxis type="category" dataKey="who" width={160} />
                <Tooltip />
                <Legend />
                <Bar
                  dataKey="claimMedianHours"
                  name={label('claim')}
                  fill="#1f6feb"
                  isAnimationActive={false}
                />
                <Bar
                  dataKey="closeMedianHours"
                  name={label('close')}
                  fill="#2da44e"
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <table className="report-table">
            <thead>
              <tr>
                <th scope="col">{t('work.reports.who')}</th>
                <th scope="col">{label('claim')}</th>
                <th scope="col">{label('close')}</th>
                <th scope="col">{t('work.reports.counted')}</th>
              </tr>
            </thead>
            <tbody>
              {times.map((x) => (
                <tr key={x.who}>
                  <th scope="row">{x.who}</th>
                  <td>{hours(t, x.claimMedianHours)}</td>
                  <td>{hours(t, x.closeMedianHours)}</td>
                  <td>{t('work.reports.countedValue', { claimed: x.claimed, closed: x.closed })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>{t('work.reports.sent')}</h3>
      {sent.length === 0 ? (
        <p className="muted">{t('work.reports.noSent')}</p>
      ) : (
        <>
          <div className="report-chart" data-testid="chart-sent">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={sent} margin={{ left: 8, right: 24 }} accessibilityLayer>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="mailbox" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar dataKey="sent" name={label('sent')} fill="#1f6feb" isAnimationActive={false} />
                <Bar dataKey="failed" name={label('failed')} fill="#d1242f" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <table className="report-table">
            <thead>
              <tr>
                <th scope="col">{t('work.reports.mailbox')}</th>
                <th scope="col">{label('sent')}</th>
                <th scope="col">{label('delivered')}</th>
                <th scope="col">{label('failed')}</th>
                <th scope="col">{t('work.reports.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {sent.map((s) => (
                <tr key={s.mailbox}>
                  <th scope="row">{s.mailbox}</th>
                  <td>{s.sent}</td>
                  <td>{s.delivered}</td>
                  <td>{s.failed}</td>
                  <td>{formatNumber(s.rate)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
