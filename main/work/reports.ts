/**
 * The reports of work (issue 14): backlog per office and person, time to take in charge and to
 * close, overdue items, PEC sent per mailbox and their delivery-failure rate; as data for the
 * charts and as CSV (semicolons and decimal commas, as Excel in Italian reads it).
 */
import type { Db } from '../../db/database.ts';
import type { Scope } from '../../db/scope.ts';
import { officeRows, reportItems, sentByMailbox, userNames } from '../../db/work-queries.ts';
import { romeDay } from './calendar.ts';

export interface BacklogRow {
  /** "Anna Neri", "Ufficio Contabilità", "Non assegnate". */
  who: string;
  kind: 'user' | 'office' | 'nobody';
  new: number;
  assigned: number;
  claimed: number;
  waiting: number;
  overdue: number;
}

export interface TimesRow {
  who: string;
  /** Hours from arrival to presa in carico / to gestita: median and mean; null without any. */
  claimMedianHours: number | null;
  claimMeanHours: number | null;
  closeMedianHours: number | null;
  closeMeanHours: number | null;
  claimed: number;
  closed: number;
}

export interface SentRow {
  mailbox: string;
  sent: number;
  delivered: number;
  failed: number;
  /** failed / sent, 0–1. */
  failureRate: number;
}

export interface WorkReport {
  since: string;
  backlog: BacklogRow[];
  times: TimesRow[];
  overdue: number;
  sent: SentRow[];
}

const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const mean = (values: number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/** The report over rows that arrived since `since` (ISO); the backlog is everything not handled. */
export function workReport(db: Db, scope: Scope, since: string, now = new Date()): WorkReport {
  const today = romeDay(now);
  const names = userNames(db);
  const offices = new Map(officeRows(db).map((o) => [o.id, o.name]));
  const items = reportItems(db, scope, since);
  const backlog = new Map<string, BacklogRow>();
  const row = (key: string, who: string, kind: BacklogRow['kind']) => {
    let r = backlog.get(key);
    if (!r) {
      r = { who, kind, new: 0, assigned: 0, claimed: 0, waiting: 0, overdue: 0 };
      backlog.set(key, r);
    }
    return r;
  };
  let overdue = 0;
  const claimTimes = new Map<string, number[]>();
  const closeTimes = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, v: number) => {
    if (v < 0) return;
    map.set(key, [...(map.get(key) ?? []), v]);
  };
  for (const i of items) {
    const late = i.dueDate !== null && i.dueDate < today && i.state !== 'done';
    if (late) overdue++;
    if (i.state && i.state !== 'done') {
      const person = i.claimedBy ?? i.assigneeUserId;
      const r =
        person !== null
          ? row(`u:${person}`, names.get(person) ?? i.claimedByName ?? `#${person}`, 'user')
          : i.claimedByName
            ? row(`n:${i.claimedByName}`, i.claimedByName, 'user')
            : i.assigneeOfficeId !== null
              ? row(
                  `o:${i.assigneeOfficeId}`,
                  offices.get(i.assigneeOfficeId) ?? `#${i.assigneeOfficeId}`,
                  'office',
                )
              : row('nobody', '', 'nobody');
      r[i.state as 'new' | 'assigned' | 'claimed' | 'waiting']++;
      if (late) r.overdue++;
    }
    if (i.arrivedAt < since) continue;
    const who =
      i.claimedBy !== null ? (names.get(i.claimedBy) ?? i.claimedByName ?? '') : (i.claimedByName ?? '');
    if (i.claimedAt) {
      push(claimTimes, who, hours(i.arrivedAt, i.claimedAt));
      if (who !== '') push(claimTimes, '', hours(i.arrivedAt, i.claimedAt));
    }
    // Handled by a rule or by PecDesk is not anyone's time: only what people closed counts.
    const closer = i.doneByName ?? who;
    if (i.doneAt && !/^(regola «|PecDesk$)/.test(i.doneByName ?? '')) {
      push(closeTimes, closer, hours(i.arrivedAt, i.doneAt));
      if (closer !== '') push(closeTimes, '', hours(i.arrivedAt, i.doneAt));
    }
  }
  const people = new Set([...claimTimes.keys(), ...closeTimes.keys()]);
  people.add('');
  const times = [...people]
    .map((who) => {
      const c = claimTimes.get(who) ?? [];
      const d = closeTimes.get(who) ?? [];
      return {
        who,
        claimMedianHours: round1(median(c)),
        claimMeanHours: round1(mean(c)),
        closeMedianHours: round1(median(d)),
        closeMeanHours: round1(mean(d)),
        claimed: c.length,
        closed: d.length,
      };
    })
    // Everyone first (''), then people by name.
    .sort((a, b) => (a.who === '' ? -1 : b.who === '' ? 1 : a.who.localeCompare(b.who, 'it')));
  const sent = sentByMailbox(db, scope, since).map((s) => ({
    mailbox: s.email,
    sent: s.sent,
    delivered: s.delivered,
    failed: s.failed,
    failureRate: s.sent === 0 ? 0 : s.failed / s.sent,
  }));
  const order = { user: 0, office: 1, nobody: 2 };
  return {
    since,
    backlog: [...backlog.values()].sort(
      (a, b) => order[a.kind] - order[b.kind] || a.who.localeCompare(b.who, 'it'),
    ),
    times,
    overdue,
    sent,
  };
}

const cell = (v: string | number | null) => {
  if (v === null) return '';
  const text = typeof v === 'number' ? String(v).replace('.', ',') : v;
  // Formulas are not run when the file is opened: a leading =, +, - or @ is quoted away.
  const safe = /^[=+\-@]/.test(text) && typeof v === 'string' ? `'${text}` : text;
  return /[;"\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The report as CSV for Excel in Italian: UTF-8 with BOM, semicolons, decimal commas. */
export function reportCsv(r: WorkReport): string {
  const lines: (string | number | null)[][] = [
    ['Arretrato per persona e ufficio'],
    ['Chi', 'Nuove', 'Assegnate', 'Prese in carico', 'In attesa', 'Scadute'],
    ...r.backlog.map((b) => [
      b.kind === 'nobody' ? 'Non assegnate' : b.who,
      b.new,
      b.assigned,
      b.claimed,
      b.waiting,
      b.overdue,
    ]),
    [],
    ['Tempi (ore dall’arrivo)'],
    [
      'Chi',
      'Presa in carico (mediana)',
      'Presa in carico (media)',
      'Gestione (mediana)',
      'Gestione (media)',
      'Prese in carico',
      'Gestite',
    ],
    ...r.times.map((t) => [
      t.who || 'Tutti',
      t.claimMedianHours,
      t.claimMeanHours,
      t.closeMedianHours,
      t.closeMeanHours,
      t.claimed,
      t.closed,
    ]),
    [],
    ['Scadute non gestite', r.overdue],
    [],
    ['PEC inviate per casella'],
    ['Casella', 'Inviate', 'Consegnate', 'Con mancata consegna', 'Tasso di mancata consegna (%)'],
    ...r.sent.map((s) => [s.mailbox, s.sent, s.delivered, s.failed, Math.round(s.failureRate * 1000) / 10]),
  ];
  return `\ufeff${lines.map((l) => l.map(cell).join(';')).join('\r\n')}\r\n`;
}
