/**
 * Days as a person gives them (25/11/2026, or 2026-11-25), as the instants they begin in Rome:
 * a period "from 01/11/2026 to 30/11/2026" covers both days whole, whatever the PC's zone.
 */

export class PeriodError extends Error {}

/** [year, month, day] of 25/11/2026, 25-11-2026 or 2026-11-25. */
export function parseDay(text: string): [number, number, number] {
  const t = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) return check([Number(m[1]), Number(m[2]), Number(m[3])], text);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) return check([Number(m[3]), Number(m[2]), Number(m[1])], text);
  throw new PeriodError(`"${text}" is not a day (use 25/11/2026 or 2026-11-25)`);
}

function check(ymd: [number, number, number], text: string): [number, number, number] {
  const d = new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2]));
  if (d.getUTCFullYear() !== ymd[0] || d.getUTCMonth() !== ymd[1] - 1 || d.getUTCDate() !== ymd[2])
    throw new PeriodError(`"${text}" is not a day of the calendar`);
  return ymd;
}

/** Rome's offset from UTC (minutes) at an instant. */
function romeOffset(at: Date): number {
  const name =
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The instant the day begins in Rome. */
export function romeDayStart([y, mo, d]: [number, number, number]): Date {
  const guess = new Date(Date.UTC(y, mo - 1, d));
  return new Date(guess.getTime() - romeOffset(new Date(guess.getTime() - 2 * 3_600_000)) * 60_000);
}

/** [from, to) as ISO instants for the days given, both whole. */
export function period(from: string, to: string): { from: string; to: string } {
  const a = romeDayStart(parseDay(from));
  const [y, m, d] = parseDay(to);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  const b = romeDayStart([next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()]);
  if (b.getTime() <= a.getTime()) throw new PeriodError(`the period ends (${to}) before it begins (${from})`);
  return { from: a.toISOString(), to: b.toISOString() };
}
