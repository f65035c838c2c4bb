/**
 * Dates, times and sizes as the person reads them: Italian (25/11/2026 14:32) or English
 * (25 Nov 2026, 14:32) after the UI language, always in Europe/Rome whatever the PC's zone
 * (UI-ITALIANO.md "Form"): legal terms of a PEC run from Italian time.
 */
const ZONE = 'Europe/Rome';

export type FormatLocale = 'it' | 'en';

let current: FormatLocale = 'it';

/** The UI language changed (i18n 'languageChanged'): formats follow it. */
export function setFormatLocale(language: string): void {
  current = language.startsWith('en') ? 'en' : 'it';
}

const BCP47: Record<FormatLocale, string> = { it: 'it-IT', en: 'en-GB' };

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${current}:${kind}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(BCP47[current], { timeZone: ZONE, ...options });
    cache.set(key, f);
  }
  return f;
}

const DATE_TIME: Record<FormatLocale, Intl.DateTimeFormatOptions> = {
  it: { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  en: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false },
};

const dayKey = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * 25/11/2026 14:32 (English: 25 Nov 2026, 14:32). `seconds` for receipt and certification
 * times: legal deadlines run from them, to the second (25/11/2026 14:32:07).
 */
export function formatDateTime(iso: string | null | undefined, options: { seconds?: boolean } = {}): string {
  const d = parse(iso);
  if (!d) return '';
  const f = formatter(options.seconds ? 'dts' : 'dt', {
    ...DATE_TIME[current],
    ...(options.seconds ? { second: '2-digit' } : {}),
  });
  const text = f.format(d);
  return current === 'it' ? text.replace(',', '') : text;
}

/** For lists: "oggi 14:32", "ieri 09:10", "lun 24 nov" this year, else 24/11/2025. */
export function formatListDate(
  iso: string | null | undefined,
  now: Date,
  words: { today: (t: string) => string; yesterday: (t: string) => string },
): string {
  const d = parse(iso);
  if (!d) return '';
  const time = formatter('t', { hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  const key = dayKey.format(d);
  if (key === dayKey.format(now)) return words.today(time);
  if (key === dayKey.format(new Date(now.getTime() - 86_400_000))) return words.yesterday(time);
  if (key.slice(0, 4) === dayKey.format(now).slice(0, 4))
    return formatter('short', { weekday: 'short', day: 'numeric', month: 'short' })
      .format(d)
      .replace('.', '')
      .replace(',', '');
  return formatter(
    'full',
    current === 'it'
      ? { day: '2-digit', month: '2-digit', year: 'numeric' }
      : { day: 'numeric', month: 'short', year: 'numeric' },
  ).format(d);
}

/** 1,2 MB, 340 kB, 12 byte (English: 1.2 MB, 12 bytes). */
export function formatBytes(n: number): string {
  if (n < 1024) return current === 'it' ? `${n} byte` : `${n} bytes`;
  const units = ['kB', 'MB', 'GB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toLocaleString(BCP47[current], { maximumFractionDigits: value < 10 ? 1 : 0 })} ${units[unit]}`;
}

/**
 * 1.234 (English 1,234). Italian locale data leaves four-digit numbers ungrouped ("1234"); the
 * UI's words (UI-ITALIANO.md) group them always.
 */
export function formatNumber(n: number): string {
  return n.toLocaleString(BCP47[current], { useGrouping: 'always' } as unknown as Intl.NumberFormatOptions);
}
