/** Italian dates and times in Europe/Rome, whatever the PC's zone (UI-ITALIANO.md "Form"). */
const ZONE = 'Europe/Rome';

const dateTime = new Intl.DateTimeFormat('it-IT', {
  timeZone: ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const time = new Intl.DateTimeFormat('it-IT', { timeZone: ZONE, hour: '2-digit', minute: '2-digit' });
const dayKey = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const shortDay = new Intl.DateTimeFormat('it-IT', {
  timeZone: ZONE,
  weekday: 'short',
  day: 'numeric',
  month: 'short',
});
const fullDate = new Intl.DateTimeFormat('it-IT', {
  timeZone: ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** 25/11/2026 14:32 */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateTime.format(d).replace(',', '');
}

/** For lists: "oggi 14:32", "ieri 09:10", "lun 24 nov" this year, else 24/11/2025. */
export function formatListDate(
  iso: string | null | undefined,
  now: Date,
  words: { today: (t: string) => string; yesterday: (t: string) => string },
): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const key = dayKey.format(d);
  if (key === dayKey.format(now)) return words.today(time.format(d));
  if (key === dayKey.format(new Date(now.getTime() - 86_400_000))) return words.yesterday(time.format(d));
  if (key.slice(0, 4) === dayKey.format(now).slice(0, 4)) return shortDay.format(d).replace('.', '');
  return fullDate.format(d);
}

/** 1,2 MB, 340 kB, 12 byte: Italian decimals. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} byte`;
  const units = ['kB', 'MB', 'GB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toLocaleString('it-IT', { maximumFractionDigits: value < 10 ? 1 : 0 })} ${units[unit]}`;
}
