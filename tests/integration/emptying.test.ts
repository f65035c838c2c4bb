/**
 * Emptying the provider's mailbox against a real Dovecot with a quota (issue 15): the quota read at
 * sync with its history; a dry run equal to the run that follows; a copy whose archived object is
 * missing or damaged never deleted; a message still to handle kept; every removal in the activity
 * log with its SHA-256, the chain intact; the archive keeps every message in its folder; the oldest
 * removed until usage is under a percentage.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAuditEntries } from '../../db/audit.ts';
import { latestQuotaSample } from '../../db/keep.ts';
import type { ApiArgs, ApiResults } from '../../main/api/contract.ts';
import { registryFor } from '../../main/api/handlers.ts';
import { verifyAudit } from '../../main/auth/audit.ts';
import { accountQuota } from '../../main/keep/quota.ts';
import { buildOrdinary, pecOf, scenario } from '../factory/pec-factory.ts';
import { DovecotServer, type DovecotUser, dovecotAvailable } from '../support/dovecot.ts';
import { archiveWithAccount } from '../support/imap-archive.ts';

const DAY = 86_400_000;

async function appendDated(server: DovecotServer, user: DovecotUser, items: { raw: Buffer; date: Date }[]) {
  const client: ImapFlow = await server.client(user);
  try {
    for (const it of items) await client.append('INBOX', it.raw, [], it.date);
  } finally {
    await client.logout();
  }
}

async function serverUids(server: DovecotServer, user: DovecotUser): Promise<number[]> {
  const client = await server.client(user);
  try {
    await client.mailboxOpen('INBOX', { readOnly: true });
    return ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
  } finally {
    await client.logout();
  }
}

describe.runIf(dovecotAvailable)('emptying the provider mailbox, verified', () => {
  let server: DovecotServer;
  beforeAll(async () => {
    server = await DovecotServer.start();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  let n = 0;
  async function setup(count: number, quotaBytes = 400_000) {
    const user = server.addUser(`svuota${++n}@pec.alfa.test`, undefined, { quotaBytes });
    const old = Array.from({ length: count }, (_, i) => ({
      raw: buildOrdinary({ subject: `Comunicazione n. ${i + 1}`, text: `Testo ${i + 1} `.repeat(200) }),
      date: new Date(Date.now() - (100 - i) * DAY),
    }));
    // A PEC that arrived yesterday and nobody has handled yet: it stays unless chosen.
    const fresh = scenario({ date: new Date(Date.now() - DAY) });
    await appendDated(server, user, [
      ...old,
      { raw: pecOf(fresh, 'posta-certificata'), date: new Date(Date.now() - DAY) },
    ]);
    const world = await archiveWithAccount(server, user);
    const registry = registryFor({
      version: 'test',
      archiveDir: world.archive.dir,
      anchors: undefined,
      archive: world.archive,
      secrets: world.secrets,
      sync: world.sync,
    });
    const results = await world.sync.syncAll();
    expect(results[0]?.ok).toBe(true);
    const call = async <M extends 'emptying.preview' | 'emptying.run'>(method: M, args: ApiArgs<M>) => {
      const r = await registry.call(method, args, { transport: 'ipc' });
      if (!r.ok) throw new Error(r.error.message);
      return r.value as ApiResults[M];
    };
    return { user, ...world, registry, call };
  }

  it('reads the quota at sync and keeps its history', async () => {
    const { archive, account } = await setup(5);
    const sample = latestQuotaSample(archive.db, account.id)!;
    expect(sample.limitBytes).toBe(Math.ceil(400_000 / 1024) * 1024);
    expect(sample.usedBytes).toBeGreaterThan(5 * 2000);
    expect(accountQuota(archive.db, account.id)).toMatchObject({
      used: sample.usedBytes,
      forecastFullAt: null,
    });
    archive.close();
  });

  it('a dry run lists exactly what the run then removes; missing or damaged objects, unhandled PEC stay', async () => {
    const { user, archive, account, call } = await setup(12);
    const before = await serverUids(server, user);
    expect(before).toHaveLength(13);
    // Two archived originals go wrong on disk: one disappears, one gets a changed byte.
    const rows = archive.db.$client
      .prepare(
        `SELECT l.uid, m.object_hash AS hash FROM message_locations l JOIN messages m ON m.id = l.message_id ORDER BY l.uid`,
      )
      .all() as { uid: number; hash: string }[];
    const [missing, corrupt] = [rows[2]!, rows[5]!];
    rmSync(archive.objects.pathOf(missing.hash));
    const bytes = readFileSync(archive.objects.pathOf(corrupt.hash));
    bytes[100] = bytes[100]! ^ 0x20;
    writeFileSync(archive.objects.pathOf(corrupt.hash), bytes);

    const policy = {
      email: account.email,
      mode: 'older-than' as const,
      olderThanDays: 0,
      action: 'delete' as const,
      includeUnhandled: false,
    };
    const dry = await call('emptying.preview', policy);
    expect(dry.dryRun).toBe(true);
    expect(dry.deleted).toBe(0);
    expect(dry.candidates).toBe(13);
    const reasons = Object.fromEntries(dry.skipped.map((s) => [s.uid, s.reason]));
    expect(reasons).toEqual({
      [missing.uid]: 'object-missing',
      [corrupt.uid]: 'object-corrupt',
      [before.at(-1)!]: 'not-handled',
    });
    expect(dry.items).toHaveLength(10);
    expect(await serverUids(server, user)).toEqual(before);

    const run = await call('emptying.run', policy);
    expect(run.items.map((i) => i.uid)).toEqual(dry.items.map((i) => i.uid));
    expect(run.deleted).toBe(10);
    expect(run.skipped.map((s) => [s.uid, s.reason])).toEqual(dry.skipped.map((s) => [s.uid, s.reason]));
    expect(await serverUids(server, user)).toEqual(
      [missing.uid, corrupt.uid, before.at(-1)!].sort((a, b) => a - b),
    );

    // Each removal in the log with the archived object's hash; the chain holds.
    const entries = findAuditEntries(archive.db, {
      action: 'message.server-delete',
      limit: 100,
      offset: 0,
    }).rows;
    expect(entries).toHaveLength(10);
    const logged = entries.map(
      (e) => JSON.parse(e.details) as { sha256: string; uid: number; folder: string },
    );
    for (const item of run.items)
      expect(logged).toContainEqual(
        expect.objectContaining({ uid: item.uid, sha256: item.sha256, folder: 'INBOX' }),
      );
    expect(findAuditEntries(archive.db, { action: 'mailbox.empty', limit: 10, offset: 0 }).total).toBe(1);
    expect(verifyAudit(archive.db).ok).toBe(true);
    // The archive keeps them all, in their folder, marked as no longer on the server.
    const kept = archive.db.$client
      .prepare('SELECT count(*) AS all_, sum(removed_at IS NOT NULL) AS removed FROM message_locations')
      .get() as { all_: number; removed: number };
    expect(kept).toEqual({ all_: 13, removed: 10 });
    // A second run finds nothing new to remove and never touches what stayed.
    const again = await call('emptying.run', policy);
    expect(again.deleted).toBe(0);
    archive.close();
  });

  it('until under a percentage: the oldest first, and the quota read again says so', async () => {
    const { user, archive, account, call, sync } = await setup(20, 100_000);
    const q = accountQuota(archive.db, account.id)!;
    expect(q.percent).toBeGreaterThan(40);
    const run = await call('emptying.run', {
      email: account.email,
      mode: 'until-percent',
      untilPercent: 25,
      action: 'delete',
      includeUnhandled: false,
    });
    expect(run.deleted).toBeGreaterThan(0);
    // The oldest went: what is left on the server is the newest.
    const left = await serverUids(server, user);
    expect(left).toHaveLength(21 - run.deleted);
    expect(Math.max(...run.items.map((i) => i.uid))).toBeLessThan(Math.min(...left));
    await sync.syncAll();
    expect(accountQuota(archive.db, account.id)!.percent).toBeLessThan(25);
    archive.close();
  });
});
