/**
 * Rights and roles as the app shows them (renderer/src/features/people): the same role caps as the
 * core, what is hidden from whom, the permissions grid, password hints, a lockout's time in
 * Italian, and the QR code of the authenticator app read back.
 */
import i18next from 'i18next';
import decodeQR from 'qr/decode.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CallerRights, PeopleResults, PublicUser } from '../../../main/api/people-contract.ts';
import { ROLE_CAP as CORE_ROLE_CAP } from '../../../main/auth/rights.ts';
import {
  commonErrorText,
  lockedUntil,
  lockoutText,
  loginErrorText,
  totpErrorText,
} from '../../../renderer/src/features/people/errors.ts';
import {
  grantCall,
  gridRows,
  rightOffered,
  toggled,
} from '../../../renderer/src/features/people/grants-model.ts';
import { qrPath } from '../../../renderer/src/features/people/QrCode.tsx';
import {
  administers,
  can,
  passwordStrength,
  ROLE_CAP,
  userNameProblem,
} from '../../../renderer/src/features/people/rights.ts';
import { groupSecret } from '../../../renderer/src/features/people/TwoFactor.tsx';
import en from '../../../resources/i18n/en.json';
import it_ from '../../../resources/i18n/it.json';

let t: (key: string, options?: Record<string, unknown>) => string;

beforeAll(async () => {
  const i = i18next.createInstance();
  await i.init({
    resources: { it: { translation: it_ }, en: { translation: en } },
    lng: 'it',
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });
  t = i.t.bind(i) as unknown as typeof t;
});

const reader: CallerRights = { administers: false, mailboxes: [{ email: 'a@pec.it', rights: ['read'] }] };
const operator: CallerRights = {
  administers: false,
  mailboxes: [{ email: 'a@pec.it', rights: ['read', 'route', 'send'] }],
};

describe('roles and rights', () => {
  it("the app's role caps are the core's", () => {
    expect(ROLE_CAP).toEqual(CORE_ROLE_CAP);
  });

  it('a reader may read, not route, send or manage; only where granted', () => {
    expect(can(reader, 'read', 'a@pec.it')).toBe(true);
    expect(can(reader, 'read', 'b@pec.it')).toBe(false);
    for (const right of ['route', 'send', 'manage'] as const) expect(can(reader, right)).toBe(false);
    expect(administers(reader)).toBe(false);
  });

  it('an operator sends but does not manage the mailbox', () => {
    expect(can(operator, 'send', 'a@pec.it')).toBe(true);
    expect(can(operator, 'manage', 'a@pec.it')).toBe(false);
  });

  it('administrators may do everything; rights not yet known hide nothing', () => {
    const admin: CallerRights = { administers: true, mailboxes: [] };
    expect(can(admin, 'manage', 'x@pec.it')).toBe(true);
    expect(administers(admin)).toBe(true);
    expect(can(null, 'manage')).toBe(true);
    expect(administers(null)).toBe(true);
  });
});

describe('the permissions grid', () => {
  const users = [
    { id: 1, name: 'titolare', role: 'owner' },
    { id: 2, name: 'otto', role: 'operator', offices: ['Segreteria'] },
    { id: 3, name: 'rita', role: 'reader', offices: [] },
  ] as PublicUser[];
  const grants: PeopleResults['grants.list'] = [
    { subject: 'otto', subjectType: 'user', mailbox: 'a@pec.it', rights: ['read', 'send'] },
    { subject: 'Segreteria', subjectType: 'office', mailbox: null, rights: ['read'] },
  ];

  it('a row for every mailbox and one for all of them, with what the subject holds and gets from offices', () => {
    const rows = gridRows(grants, { type: 'user', name: 'otto' }, ['a@pec.it', 'b@pec.it'], ['Segreteria']);
    expect(rows).toEqual([
      { mailbox: null, rights: [], fromOffices: [{ office: 'Segreteria', rights: ['read'] }] },
      { mailbox: 'a@pec.it', rights: ['read', 'send'], fromOffices: [] },
      { mailbox: 'b@pec.it', rights: [], fromOffices: [] },
    ]);
    expect(gridRows(grants, { type: 'office', name: 'Segreteria' }, ['a@pec.it'])[0]?.rights).toEqual([
      'read',
    ]);
  });

  it('offers a reader only reading, an operator all but managing, an office everything, owners nothing', () => {
    expect(rightOffered({ type: 'user', name: 'rita' }, users, 'read')).toBe(true);
    expect(rightOffered({ type: 'user', name: 'rita' }, users, 'send')).toBe(false);
    expect(rightOffered({ type: 'user', name: 'otto' }, users, 'send')).toBe(true);
    expect(rightOffered({ type: 'user', name: 'otto' }, users, 'manage')).toBe(false);
    expect(rightOffered({ type: 'office', name: 'Segreteria' }, users, 'manage')).toBe(true);
    expect(rightOffered({ type: 'user', name: 'titolare' }, users, 'read')).toBe(false);
  });

  it('a tick puts the new rights in order; the last one unticked removes the grant', () => {
    expect(toggled(['send'], 'read', true)).toEqual(['read', 'send']);
    expect(grantCall({ type: 'user', name: 'otto' }, 'a@pec.it', ['read', 'send'])).toEqual({
      method: 'grants.put',
      args: { user: 'otto', mailbox: 'a@pec.it', rights: 'read,send' },
    });
    expect(grantCall({ type: 'office', name: 'Segreteria' }, null, toggled(['read'], 'read', false))).toEqual(
      {
        method: 'grants.remove',
        args: { office: 'Segreteria', all: true },
      },
    );
  });
});

describe('names and passwords', () => {
  it('user names as the core takes them', () => {
    expect(userNameProblem('giulia')).toBeNull();
    expect(userNameProblem('Mario.Rossi')).toBeNull();
    expect(userNameProblem('')).toBe('missing');
    expect(userNameProblem('mario rossi')).toBe('invalid');
    expect(userNameProblem('g')).toBe('invalid');
  });

  it('strength: short below 10, then longer and more varied is stronger', () => {
    expect(passwordStrength('Abc1!')).toBe('short');
    expect(passwordStrength('aaaaaaaaaaaa')).toBe('weak');
    expect(passwordStrength('studiorossi')).toBe('weak');
    expect(passwordStrength('studiorossi2026')).toBe('fair');
    expect(passwordStrength('Studio-Rossi-2026')).toBe('strong');
    expect(passwordStrength('la casa sul lago di como')).toBe('strong');
  });
});

describe('refusals in words', () => {
  const now = new Date('2026-11-30T09:40:00Z');

  it('a lockout says until when, in Italian time, the minute rounded up', () => {
    const message = 'too many failed attempts: try again after 2026-11-30T09:41:30.000Z';
    expect(lockedUntil(message)?.toISOString()).toBe('2026-11-30T09:41:30.000Z');
    expect(loginErrorText(t, { code: 'locked', message }, now)).toBe(
      'Troppi tentativi: riprova dopo le 10:42.',
    );
    expect(lockoutText(t, new Date('2026-12-01T07:00:00Z'), now)).toBe(
      'Troppi tentativi: riprova dopo le 08:00 del 01/12/2026.',
    );
    expect(lockoutText(t, null, now)).toBe('Troppi tentativi: riprova più tardi.');
  });

  it('a wrong password, a wrong code, a code too late', () => {
    expect(loginErrorText(t, { code: 'unauthenticated', message: 'wrong user name or password' })).toBe(
      'Nome utente o password non corretti.',
    );
    expect(totpErrorText(t, { code: 'unauthenticated', message: 'the code is not valid' })).toEqual({
      text: "Codice non valido: controlla che l'ora del telefono sia giusta e riprova.",
      restart: false,
    });
    expect(totpErrorText(t, { code: 'unauthenticated', message: 'sign in again' }).restart).toBe(true);
    expect(commonErrorText(t, { code: 'forbidden', message: 'x' })).toBe(
      'Non hai i permessi per questa operazione.',
    );
  });
});

describe('two-step verification', () => {
  it('the QR code drawn reads back as the otpauth URI', () => {
    const uri = 'otpauth://totp/PecDesk:giulia?secret=JBSWY3DPEHPK3PXP&issuer=PecDesk';
    const { size, d } = qrPath(uri);
    // Rasterise the path's 1×1 squares, 4 pixels a module, and read it as a camera would.
    const scale = 4;
    const width = size * scale;
    const data = new Uint8ClampedArray(width * width * 4).fill(255);
    for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)/g)) {
      const [x, y, w] = [Number(m[1]), Number(m[2]), Number(m[3])];
      for (let py = y * scale; py < (y + 1) * scale; py++)
        for (let px = x * scale; px < (x + w) * scale; px++)
          data.fill(0, (py * width + px) * 4, (py * width + px) * 4 + 3);
    }
    expect(decodeQR({ width, height: width, data })).toBe(uri);
  });

  it('the secret in groups of four for typing', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
  });
});
