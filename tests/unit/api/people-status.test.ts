/**
 * What the app learns of the person signed in (auth.status's rights), so it can hide what they
 * cannot do, and the words the activity log gives its targets (audit.list's targetLabel), through
 * the one registry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryFor } from '../../../main/api/handlers.ts';
import type { AuditEntryView } from '../../../main/api/people-contract.ts';
import type { ApiRegistry } from '../../../main/api/registry.ts';
import { type PeopleWorld, peopleWorld } from '../../support/people-world.ts';

let world: PeopleWorld;
let registry: ApiRegistry;

beforeAll(async () => {
  world = await peopleWorld();
  registry = registryFor({
    version: '1',
    archiveDir: world.archive.dir,
    anchors: undefined,
    archive: world.archive,
  });
});
afterAll(() => world.archive.close());

const as = (session: string | null) => ({ transport: 'http' as const, session, origin: 'test' });

async function status(session: string | null) {
  const r = await registry.call('auth.status', {}, as(session));
  if (!r.ok) throw new Error(r.error.message);
  return r.value as {
    mode: string;
    user: { name: string; role: string } | null;
    rights: { administers: boolean; mailboxes: { email: string; rights: string[] }[] } | null;
  };
}

describe('auth.status says what the caller may do', () => {
  it('nothing before signing in', async () => {
    const s = await status(null);
    expect(s.mode).toBe('logins');
    expect(s.user).toBeNull();
    expect(s.rights).toBeNull();
  });

  it('owner and admin: every right on every mailbox, and they administer', async () => {
    for (const role of ['owner', 'admin'] as const) {
      const s = await status(world.tokens[role]);
      expect(s.rights?.administers).toBe(true);
      const byEmail = [...(s.rights?.mailboxes ?? [])].sort((x, y) => x.email.localeCompare(y.email));
      expect(byEmail).toEqual([
        { email: world.b.email, rights: ['read', 'route', 'send', 'manage'] },
        { email: world.a.email, rights: ['read', 'route', 'send', 'manage'] },
      ]);
    }
  });

  it('operator and reader: their grants, capped by the role; nothing of other mailboxes', async () => {
    const operator = await status(world.tokens.operator);
    expect(operator.user).toEqual({ name: 'otto', displayName: null, role: 'operator', totp: false });
    expect(operator.rights).toEqual({
      administers: false,
      mailboxes: [{ email: world.a.email, rights: ['read', 'route', 'send'] }],
    });
    // Granted everything through the office, a reader still only reads.
    const reader = await status(world.tokens.reader);
    expect(reader.rights).toEqual({
      administers: false,
      mailboxes: [{ email: world.a.email, rights: ['read'] }],
    });
    expect((await status(world.tokens.ungranted)).rights).toEqual({ administers: false, mailboxes: [] });
  });
});

describe('audit.list names its targets', () => {
  it('a message by its subject, a person and an office by their names', async () => {
    const opened = await registry.call('messages.get', { id: world.a.message }, as(world.tokens.reader));
    expect(opened.ok).toBe(true);
    const r = await registry.call('audit.list', { limit: 1000 }, as(world.tokens.owner));
    if (!r.ok) throw new Error(r.error.message);
    const { entries } = r.value as { entries: AuditEntryView[] };
    const open = entries.find((e) => e.action === 'message.open');
    expect(open).toMatchObject({ actorName: 'rita', targetLabel: 'Parcella alfaonly' });
    const created = entries.find(
      (e) => e.action === 'user.create' && e.targetId !== null && e.details.name === 'otto',
    );
    expect(created?.targetLabel).toBe('otto');
    const office = entries.find((e) => e.action === 'office.create');
    expect(office?.targetLabel).toBe('Segreteria');
    // Entries without a target have no label.
    const login = entries.find((e) => e.action === 'auth.logout' || e.targetType === null);
    if (login) expect(login.targetLabel ?? null).toBeNull();
  });
});
