/**
 * The core's answers to people's calls, said in the person's words: what happened and what to do.
 * The core's messages are English, for logs; only the code and, for a lockout, its time are read.
 */
import type { ApiError } from '../../../../main/api/contract.ts';
import type { Translate } from '../audit/actions.ts';

/** The end of a lockout, from the core's "try again after <ISO time>". */
export function lockedUntil(message: string): Date | null {
  const m = /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)/.exec(message);
  if (!m) return null;
  const d = new Date(m[1]!);
  return Number.isNaN(d.getTime()) ? null : d;
}

const ROME_TIME = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const ROME_DAY = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/**
 * "Troppi tentativi: riprova dopo le 10:43" (the minute rounded up, so the time said is never
 * too early), with the day when it is not today.
 */
export function lockoutText(t: Translate, until: Date | null, now = new Date()): string {
  if (!until) return t('login.errors.lockedNoTime');
  const minute = new Date(Math.ceil(until.getTime() / 60_000) * 60_000);
  const time = ROME_TIME.format(minute);
  return ROME_DAY.format(minute) === ROME_DAY.format(now)
    ? t('login.errors.locked', { time })
    : t('login.errors.lockedDay', { time, day: ROME_DAY.format(minute) });
}

/** A login's refusal: wrong name or password, or a lockout with its time. */
export function loginErrorText(t: Translate, error: ApiError, now = new Date()): string {
  if (error.code === 'locked') return lockoutText(t, lockedUntil(error.message), now);
  if (error.code === 'unauthenticated') return t('login.errors.wrong');
  return commonErrorText(t, error);
}

/**
 * The second step's refusal: a wrong code, or the wait for it over (five wrong codes, or five
 * minutes) so the password must be given again.
 */
export function totpErrorText(t: Translate, error: ApiError): { text: string; restart: boolean } {
  if (error.code === 'unauthenticated' && /sign in again/i.test(error.message))
    return { text: t('login.errors.totpExpired'), restart: true };
  if (error.code === 'unauthenticated') return { text: t('login.errors.totpWrong'), restart: false };
  return { text: commonErrorText(t, error), restart: false };
}

/** Any other refusal of a people call. */
export function commonErrorText(t: Translate, error: ApiError): string {
  switch (error.code) {
    case 'forbidden':
      return t('people.errors.forbidden');
    case 'not-found':
      return t('people.errors.notFound');
    case 'conflict':
      return t('people.errors.conflict');
    case 'unauthenticated':
      return t('people.errors.unauthenticated');
    case 'invalid-arguments':
      return t('people.errors.invalid');
    case 'locked':
      return lockoutText(t, lockedUntil(error.message));
    case 'unavailable':
      // The office server is away (issue 16): nothing was done, the banner says the rest.
      return t('office.errors.unavailable');
    default:
      return t('people.errors.internal');
  }
}
