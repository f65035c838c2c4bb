/**
 * The activity log in words (renderer/src/features/audit): every action the core records has an
 * Italian and an English phrase and filter label, never its code; who, what, on what, from where;
 * Italian dates read as days in Rome.
 */
import { readFileSync } from 'node:fs';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { methodRules } from '../../../main/api/contract.ts';
import type { AuditEntryView } from '../../../main/api/people-contract.ts';
import {
  ACTIONS,
  actionFilterLabel,
  actionKey,
  actionPhrase,
  actorText,
  entrySentence,
  originText,
  targetText,
} from '../../../renderer/src/features/audit/actions.ts';
import { italianDayStart } from '../../../renderer/src/features/audit/dates.ts';
import en from '../../../resources/i18n/en.json';
import it_ from '../../../resources/i18n/it.json';

let tIt: (key: string, options?: Record<string, unknown>) => string;
let tEn: (key: string, options?: Record<string, unknown>) => string;

beforeAll(async () => {
  const make = async (lng: 'it' | 'en') => {
    const i = i18next.createInstance();
    await i.init({
      resources: { it: { translation: it_ }, en: { translation: en } },
      lng,
      fallbackLng: false,
      interpolation: { escapeValue: false },
    });
    return i.t.bind(i) as unknown as (key: string, options?: Record<string, unknown>) => string;
  };
  tIt = await make('it');
  tEn = await make('en');
});

/** Every action the core writes: the rules' (registry and handlers) and main/auth/people.ts's. */
function coreActions(): string[] {
  const fromRules = Object.values(methodRules).flatMap((r) => (r.audit ? [r.audit.action] : []));
  const people = readFileSync('main/auth/people.ts', 'utf8');
  const fromPeople = [...people.matchAll(/action: (?:pendingTotp \? )?'([a-z.-]+)'(?: : '([a-z.-]+)')?/g)]
    .flatMap((m) => [m[1], m[2]])
    .filter((a): a is string => Boolean(a));
  return [...new Set([...fromRules, ...fromPeople])].sort();
}

const entry = (over: Partial<AuditEntryView>): AuditEntryView => ({
  id: 1,
  at: '2026-11-25T13:32:00.000Z',
  actor: 'user:4',
  actorName: 'rita',
  origin: 'browser browser',
  action: 'message.open',
  targetType: 'message',
  targetId: '12',
  mailbox: 'studio@pec.it',
  details: {},
  targetLabel: 'Fattura 118/2026',
  ...over,
});

describe('the actions the core records', () => {
  it('are all known to the app (a new one needs its words here)', () => {
    const known = new Set<string>(ACTIONS);
    expect(coreActions().filter((a) => !known.has(a))).toEqual([]);
    expect(coreActions()).toContain('auth.login-failed');
    expect(coreActions()).toContain('auth.password-ok');
  });

  it('each has a phrase and a filter label in Italian and English, never the code', () => {
    for (const t of [tIt, tEn])
      for (const a of ACTIONS) {
        const phrase = actionPhrase(t, a);
        const label = actionFilterLabel(t, a);
        for (const words of [phrase, label]) {
          expect(words, a).not.toContain(a);
          expect(words, a).not.toContain(actionKey(a));
          expect(words, a).not.toMatch(/^audit\./);
          expect(words.length, a).toBeGreaterThan(3);
        }
      }
    expect(new Set(ACTIONS.map((a) => actionPhrase(tIt, a))).size).toBe(ACTIONS.length);
  });

  it('an action of a later version is still shown, as another operation with its code', () => {
    expect(actionPhrase(tIt, 'retention.empty')).toBe('altra operazione (retention.empty)');
  });
});

describe('an entry in words', () => {
  it('who opened which message', () => {
    expect(entrySentence(tIt, entry({}))).toBe('rita ha aperto il messaggio «Fattura 118/2026»');
    // A message removed since: its number.
    expect(entrySentence(tIt, entry({ targetLabel: null }))).toBe('rita ha aperto il messaggio n. 12');
    expect(entrySentence(tIt, entry({ action: 'attachment.download' }))).toBe(
      'rita ha scaricato un allegato del messaggio «Fattura 118/2026»',
    );
    expect(entrySentence(tEn, entry({}))).toBe('rita opened the message “Fattura 118/2026”');
  });

  it('a failed login under a name nobody has; the CLI as its OS user', () => {
    const failed = entry({
      actor: 'anonymous',
      actorName: 'mrossi',
      action: 'auth.login-failed',
      targetType: null,
      targetId: null,
    });
    expect(entrySentence(tIt, failed)).toBe('nome sconosciuto «mrossi» accesso non riuscito');
    expect(actorText(tIt, { actor: 'cli:giulia', actorName: 'giulia' })).toBe('giulia (riga di comando)');
  });

  it('rights given, in words, on every mailbox', () => {
    const grant = entry({
      actorName: 'titolare',
      action: 'permission.grant',
      targetType: 'user',
      targetId: '4',
      targetLabel: 'rita',
      mailbox: null,
      details: { rights: ['read', 'send'], allMailboxes: true },
    });
    expect(entrySentence(tIt, grant)).toBe(
      'titolare ha dato permessi a rita (lettura, invio, su tutte le caselle)',
    );
    expect(targetText(tEn, grant)).toBe('rita (read, send, on every mailbox)');
  });

  it('sessions ended, a login with a recovery code, a mailbox added', () => {
    expect(
      targetText(
        tIt,
        entry({
          action: 'auth.sessions-revoked',
          targetType: 'user',
          targetLabel: 'rita',
          details: { sessions: 2 },
        }),
      ),
    ).toBe('rita (2 sessioni)');
    expect(
      targetText(
        tIt,
        entry({
          action: 'auth.login',
          targetType: 'user',
          targetLabel: 'rita',
          details: { second: 'recovery-code' },
        }),
      ),
    ).toBe('rita (con un codice di recupero)');
    expect(
      entrySentence(
        tIt,
        entry({
          actorName: 'titolare',
          action: 'account.add',
          targetType: 'account',
          targetId: 'studio@pec.it',
          targetLabel: null,
        }),
      ),
    ).toBe('titolare ha aggiunto la casella studio@pec.it');
  });

  it('where from, each word once and in words', () => {
    expect(originText(tIt, 'browser browser')).toBe('browser');
    expect(originText(tIt, 'desktop desktop')).toBe('app');
    expect(originText(tIt, 'cli')).toBe('riga di comando');
  });
});

describe('Italian dates in the filters', () => {
  it('the start of that day in Rome, winter and summer', () => {
    expect(italianDayStart('25/11/2026')).toBe('2026-11-24T23:00:00.000Z');
    expect(italianDayStart('1/7/2026')).toBe('2026-06-30T22:00:00.000Z');
    expect(italianDayStart('01.07.26')).toBe('2026-06-30T22:00:00.000Z');
    // The day the clocks go forward (29/03/2026, 02:00 → 03:00): midnight is still winter time.
    expect(italianDayStart('29/03/2026')).toBe('2026-03-28T23:00:00.000Z');
  });

  it('empty is no filter; what is not a date is said so', () => {
    expect(italianDayStart('  ')).toBeUndefined();
    expect(italianDayStart('31/02/2026')).toBeNull();
    expect(italianDayStart('2026-11-25')).toBeNull();
    expect(italianDayStart('ieri')).toBeNull();
  });
});
