import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { insertAccount } from '../../../db/accounts.ts';
import { verifyAudit } from '../../../main/auth/audit.ts';
import {
  type AuthError,
  authMode,
  FREE_ATTEMPTS,
  People,
  SESSION_IDLE_MS,
} from '../../../main/auth/people.ts';
import { accountsWith, has, rightsOf } from '../../../main/auth/rights.ts';
import { testArchive } from '../../support/archive.ts';

const cli = { actor: 'cli:test', actorName: 'test', origin: 'test' };

function setup() {
  const archive = testArchive();
  let now = new Date('2026-11-30T09:00:00Z');
  const clock = { now: () => now };
  const people = new People(archive.db, clock);
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  return { archive, people, advance, at: () => now };
}

async function failWith(p: Promise<unknown>): Promise<AuthError> {
  try {
    await p;
  } catch (error) {
    return error as AuthError;
  }
  throw new Error('expected a failure');
}

describe('people', () => {
  it('"solo io": the owner without a password, no logins; logins on once the owner has one', async () => {
    const { archive, people } = setup();
    await people.createOwner('giulia', 'Giulia Bianchi', null, cli);
    expect(authMode(archive.db)).toBe('single');
    await people.enableLogins('una password lunga', cli);
    expect(authMode(archive.db)).toBe('logins');
    const { pendingTotp, user } = await people.login('giulia', 'una password lunga', 'test');
    expect([pendingTotp, user.role]).toEqual([false, 'owner']);
    expect(verifyAudit(archive.db)).toMatchObject({ ok: true, entries: 3 });
  });

  it('locks out after repeated failures, with a backoff that doubles; a right password meanwhile is refused unchecked', async () => {
    const { people, advance } = setup();
    await people.createOwner('giulia', null, 'la password giusta', cli);
    for (let i = 0; i < FREE_ATTEMPTS; i++)
      expect((await failWith(people.login('giulia', 'sbagliata', 't'))).code).toBe('wrong-credentials');
    const locked = await failWith(people.login('giulia', 'la password giusta', 't'));
    expect(locked.code).toBe('locked');
    expect(Date.parse(locked.until!)).toBe(Date.parse('2026-11-30T09:00:30Z'));
    advance(31_000);
    // One more failure after the lock: the next lock is twice as long.
    expect((await failWith(people.login('giulia', 'sbagliata', 't'))).code).toBe('wrong-credentials');
    const again = await failWith(people.login('giulia', 'la password giusta', 't'));
    expect(Date.parse(again.until!) - Date.parse('2026-11-30T09:00:31Z')).toBe(60_000);
    advance(61_000);
    await expect(people.login('giulia', 'la password giusta', 't')).resolves.toMatchObject({
      pendingTotp: false,
    });
    // A success resets the count.
    expect((await failWith(people.login('giulia', 'sbagliata', 't'))).code).toBe('wrong-credentials');
  });

  it('two-step verification with a fixed clock: a code once, drift of one step, recovery codes once', async () => {
    const { people, advance, at } = setup();
    await people.createOwner('giulia', null, 'la password giusta', cli);
    const { secret, uri } = people.startTotp('giulia');
    expect(uri).toMatch(/^otpauth:\/\/totp\/PecDesk/);
    const code = () => generate({ secret, epoch: Math.floor(at().getTime() / 1000) });
    const recovery = await people.confirmTotp('giulia', secret, await code(), cli);
    expect(recovery).toHaveLength(10);
    advance(30_000);
    const first = await people.login('giulia', 'la password giusta', 't');
    expect(first.pendingTotp).toBe(true);
    // Not usable until the second step.
    expect(people.resolve(first.token)).toBeNull();
    const now = await code();
    await people.completeTotp(first.token, now);
    expect(people.resolve(first.token)?.user.name).toBe('giulia');
    // The same code a second time is refused (replay).
    const second = await people.login('giulia', 'la password giusta', 't');
    expect((await failWith(people.completeTotp(second.token, now))).code).toBe('totp-wrong');
    // A code from the previous step is forgiven once the clock moved on (drift).
    advance(30_000);
    const earlier = await code();
    advance(25_000);
    const third = await people.login('giulia', 'la password giusta', 't');
    await people.completeTotp(third.token, earlier);
    // A recovery code works once.
    const fourth = await people.login('giulia', 'la password giusta', 't');
    await people.completeTotp(fourth.token, recovery[0]!.toUpperCase());
    const fifth = await people.login('giulia', 'la password giusta', 't');
    expect((await failWith(people.completeTotp(fifth.token, recovery[0]!))).code).toBe('totp-wrong');
  });

  it('sessions end after idle time, on revocation, and with a new password', async () => {
    const { people, advance } = setup();
    await people.createOwner('giulia', null, 'la password giusta', cli);
    const { user: mario, invitation } = await people.addUser({ name: 'mario', role: 'operator' }, cli);
    expect(mario.passwordHash).toBeNull();
    await people.acceptInvitation(invitation!, 'la password di mario');
    expect((await failWith(people.acceptInvitation(invitation!, 'un altra password'))).code).toBe('invalid');
    const a = await people.login('mario', 'la password di mario', 't');
    advance(SESSION_IDLE_MS - 1000);
    expect(people.resolve(a.token)).not.toBeNull();
    advance(SESSION_IDLE_MS + 1000);
    expect(people.resolve(a.token)).toBeNull();
    const b = await people.login('mario', 'la password di mario', 't');
    expect(people.revokeSessions('mario', cli)).toBe(1);
    expect(people.resolve(b.token)).toBeNull();
    const c = await people.login('mario', 'la password di mario', 't');
    await people.setPassword('mario', 'una nuova password', cli);
    expect(people.resolve(c.token)).toBeNull();
    people.removeUser('mario', cli);
    expect((await failWith(people.login('mario', 'una nuova password', 't'))).code).toBe('wrong-credentials');
    expect(() => people.removeUser('giulia', cli)).toThrow(/owner cannot be removed/);
  });

  it('rights: a role caps what grants give; offices pass theirs on; all mailboxes means every one', async () => {
    const { archive, people } = setup();
    const account = (email: string) =>
      insertAccount(archive.db, {
        email,
        imapHost: 'h',
        imapPort: 993,
        imapSecurity: 'tls',
        imapUser: email,
        createdAt: '2026-01-01',
      }).id;
    const a = account('a@pec.it');
    const b = account('b@pec.it');
    await people.createOwner('giulia', null, 'la password giusta', cli);
    const reader = (
      await people.addUser({ name: 'anna', role: 'reader', password: 'la password di anna' }, cli)
    ).user;
    const operator = (
      await people.addUser({ name: 'mario', role: 'operator', password: 'la password di mario' }, cli)
    ).user;
    people.grant({ user: 'anna' }, a, 'read,route,send,manage', cli);
    people.createOffice('Contabilità', cli);
    people.addToOffice('Contabilità', 'mario', cli);
    people.grant({ office: 'Contabilità' }, null, 'read,send', cli);
    const annaRights = rightsOf(archive.db, reader);
    expect([...(annaRights.byAccount.get(a) ?? [])]).toEqual(['read']);
    expect(has(annaRights, 'read', b)).toBe(false);
    const marioRights = rightsOf(archive.db, operator);
    expect(accountsWith(marioRights, 'send').sort()).toEqual([a, b]);
    expect(has(marioRights, 'manage', a)).toBe(false);
    expect(people.revoke({ office: 'Contabilità' }, null, cli)).toBe(1);
    expect(accountsWith(rightsOf(archive.db, operator), 'read')).toEqual([]);
    expect(verifyAudit(archive.db)).toMatchObject({ ok: true });
  });
});
