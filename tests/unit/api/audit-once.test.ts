/**
 * A change made through main/auth/people.ts is logged once, by people.ts inside the change's own
 * transaction: the registry, told so (CallContext.auditor), adds no entry of its own and reports no
 * missing one. Before, signing out, adding a person and granting rights were logged twice, with an
 * error line each time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntriesAfter, lastAuditEntry } from '../../../db/audit.ts';
import { registryFor } from '../../../main/api/handlers.ts';
import type { ApiRegistry } from '../../../main/api/registry.ts';
import { type PeopleWorld, peopleWorld } from '../../support/people-world.ts';

describe('changes to people are logged exactly once', () => {
  let world: PeopleWorld;
  let registry: ApiRegistry;
  const errors: string[] = [];

  beforeAll(async () => {
    world = await peopleWorld();
    registry = registryFor(
      { version: 'test', archiveDir: world.archive.dir, anchors: undefined, archive: world.archive },
      { error: (line) => errors.push(line) },
    );
  });
  afterAll(() => world?.archive.close());

  it('adding a person, granting a right, signing out: one entry each, no error', async () => {
    const owner = { transport: 'http' as const, session: world.tokens.owner, origin: 'test' };
    const since = lastAuditEntry(world.archive.db)?.id ?? 0;
    expect(
      await registry.call(
        'users.add',
        { name: 'bruno', role: 'reader', password: 'password-di-bruno-1' },
        owner,
      ),
    ).toMatchObject({ ok: true });
    const granted = await registry.call(
      'grants.put',
      { user: 'bruno', mailbox: world.a.email, rights: 'read' },
      owner,
    );
    expect(granted, JSON.stringify(granted)).toMatchObject({ ok: true });
    const reader = { transport: 'http' as const, session: world.tokens.reader, origin: 'test' };
    expect(await registry.call('auth.logout', {}, reader)).toMatchObject({ ok: true });
    const actions = auditEntriesAfter(world.archive.db, since, 100).map((e) => e.action);
    expect(actions.sort()).toEqual(['auth.logout', 'permission.grant', 'user.create']);
    expect(errors).toEqual([]);
  });
});
