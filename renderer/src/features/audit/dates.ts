/**
 * Dates typed in the activity log's filters, as Italians write them (25/11/2026, 1/3/26), read as
 * the start of that day in Italy (Europe/Rome), whatever the computer's time zone: "dal 25/11"
 * means from midnight in Rome.
 */
const ZONE = 'Europe/Rome';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Rome's offset from UTC at that instant, in ms (+1 h in winter, +2 h in summer). */
function romeOffset(ms: number): number {
  const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return wall - ms;
}

/**
 * "25/11/2026" → the ISO instant of 00:00 that day in Rome; '' → undefined (no filter); a date
 * that does not exist (31/02) → null.
 */
export function italianDayStart(text: string): string | undefined | null {
  const clean = text.trim();
  if (!clean) return undefined;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(clean);
  if (!m) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  const utc = Date.UTC(year, month - 1, day);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return null;
  // Midnight in Rome is UTC midnight minus Rome's offset; the offset is read at that instant
  // (twice: the first guess may sit on the other side of a change of hour).
  let instant = utc - romeOffset(utc);
  instant = utc - romeOffset(instant);
  return new Date(instant).toISOString();
}
