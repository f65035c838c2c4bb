/** Work's codes in the person's words (i18n keys under work.*). */
import type { TFunction } from 'i18next';
import type { RowWork } from '../../../../main/api/contract.ts';

export const STATE_KEYS = ['new', 'assigned', 'claimed', 'waiting', 'done'] as const;

/** "Nuova", "Assegnata", "Presa in carico", "In attesa", "Gestita". */
export function stateLabel(t: TFunction, state: string | null): string {
  return state ? t(`work.state.${state}`) : t('work.state.none');
}

/** Who has it: "Anna Neri", "Ufficio Contabilità", or nothing. */
export function assigneeLabel(
  t: TFunction,
  w: Pick<RowWork, 'assigneeUser' | 'assigneeOffice' | 'claimedBy'>,
): string | null {
  if (w.claimedBy) return w.claimedBy;
  if (w.assigneeUser) return w.assigneeUser;
  if (w.assigneeOffice) return t('work.officeName', { name: w.assigneeOffice });
  return null;
}

/** A day 'YYYY-MM-DD' as Italians write it: 18/03/2026 (or 18 Mar 2026 in English). */
export function formatDay(day: string, language: string): string {
  const [y, m, d] = day.split('-');
  if (language.startsWith('en')) {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    return `${Number(d)} ${months[Number(m) - 1]} ${y}`;
  }
  return `${d}/${m}/${y}`;
}

/** Today in Rome, YYYY-MM-DD. */
export function romeToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(now);
}

/** The problem code of a failed change, in words. */
export function problemText(t: TFunction, code: string): string {
  return t(`work.problem.${code}`, { defaultValue: t('work.problem.other') });
}
