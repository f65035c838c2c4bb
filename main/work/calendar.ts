/**
 * Days as Italian terms count them (deadlines-sdi.md A2–A3), in Europe/Rome: the first day is
 * excluded, holidays inside the term count, a last day on a Saturday, Sunday or national holiday
 * moves to the next working day (art. 155 c.p.c.), and where the August suspension applies
 * (L. 742/1969) days from 1 to 31 August do not run. Pure; days are 'YYYY-MM-DD' strings.
 */

const ROME = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Rome',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const ROME_HOUR = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Rome',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** The day in Rome of an instant. */
export function romeDay(at: Date): string {
  return ROME.format(at);
}

/** The hour (0–23) in Rome of an instant. */
export function romeHour(at: Date): number {
  return Number(ROME_HOUR.format(at));
}

function toUtc(day: string): Date {
  return new Date(`${day}T12:00:00Z`);
}

export function addDays(day: string, n: number): string {
  const d = toUtc(day);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000);
}

/** Easter Sunday (Gregorian, the anonymous algorithm). */
export function easter(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** National holidays (L. 260/1949 as amended; San Francesco, 4 October, from 2026). */
export function isHoliday(day: string): boolean {
  const year = Number(day.slice(0, 4));
  const md = day.slice(5);
  const fixed = ['01-01', '01-06', '04-25', '05-01', '06-02', '08-15', '11-01', '12-08', '12-25', '12-26'];
  if (fixed.includes(md)) return true;
  if (year >= 2026 && md === '10-04') return true;
  const e = easter(year);
  return day === e || day === addDays(e, 1);
}

/** 0 Sunday … 6 Saturday. */
export function weekday(day: string): number {
  return toUtc(day).getUTCDay();
}

export function isWorkingDay(day: string): boolean {
  const w = weekday(day);
  return w !== 0 && w !== 6 && !isHoliday(day);
}

/** The day itself when working, else the next working day. */
export function nextWorkingDay(day: string): string {
  let d = day;
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

const inAugust = (day: string) => day.slice(5, 7) === '08';

export interface TermOptions {
  /** The August suspension applies (procedural terms, tax litigation). */
  feriale?: boolean;
  /** A civil notification: delivered from 21:00 it counts from the next day (art. 147 c.p.c.). */
  civil?: boolean;
}

export interface Term {
  /** The last day, shifted off Saturdays, Sundays and holidays. */
  due: string;
  /** The day the term runs from (the delivery day, or the next one for a civil notice after 21:00). */
  from: string;
  shiftedFrom: string | null;
  suspended: boolean;
}

/** The last day of a term of `days` days from a delivery at `deliveredAt`. */
export function computeTerm(deliveredAt: Date, days: number, options: TermOptions = {}): Term {
  let from = romeDay(deliveredAt);
  if (options.civil && romeHour(deliveredAt) >= 21) from = addDays(from, 1);
  let day = from;
  let left = days;
  let suspended = false;
  // The first day is excluded; each day after it counts unless August is suspended.
  while (left > 0) {
    day = addDays(day, 1);
    if (options.feriale && inAugust(day)) {
      suspended = true;
      continue;
    }
    left--;
  }
  const due = nextWorkingDay(day);
  return { due, from, shiftedFrom: due === day ? null : day, suspended };
}

/** The instant a Rome day starts, as ISO (UTC). */
export function romeDayStart(day: string): string {
  const noon = new Date(`${day}T12:00:00Z`);
  const offsetHours = romeHour(noon) - 12;
  return new Date(Date.parse(`${day}T00:00:00Z`) - offsetHours * 3_600_000).toISOString();
}
