/**
 * The office server SIGKILLed in the middle of a sync and started again (issue 16): its clients
 * reconnect by themselves with the session they had, and the mailbox ends up with every message
 * exactly once (the batches committed before the kill are not fetched again, nothing is missing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../main/api/contract.ts';
import { connectRemote, type RemoteClient, type RemoteStatus } from '../../main/client/remote.ts';
import { buildOrdinary } from '../factory/pec-factory.ts';
import { runPecdesk } from '../support/cli.ts';
import { dovecotAvailable, mailboxClient, startTestSim, type TestSim } from '../support/sim.ts';
import { A, makeOffice, type Office, PASSWORD, type RunningServer, startServer } from './office-world.ts';

const N = 1200;

describe.runIf(dovecotAvailable)('the office server killed during a sync', () => {
  let sim: TestSim;
  let office: Office;
  let server: RunningServer;
  let client: RemoteClient;

  beforeAll(async () => {
    sim = await startTestSim();
    office = await makeOffice(sim);
  }, 180_000);
  afterAll(async () => {
    await client?.close();
    await server?.stop('SIGKILL');
    await sim?.stop();
  });

  async function appendToA(count: number) {
    const imap = await mailboxClient(sim, office.box(A));
    try {
      for (let i = 0; i < count; i++)
        await imap.append('INBOX', buildOrdinary({ subject: `Lotto ${String(i).padStart(4, '0')}` }));
    } finally {
      await imap.logout();
    }
  }

  const lotti = async () => {
    const r = await client.call('search.query', {
      text: 'Lotto',
      sort: 'date',
      offset: 0,
      limit: 500,
      exactCount: true,
    });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.total;
  };

  it('clients reconnect; every message is archived once', async () => {
    server = await startServer(office);
    const port = server.port;
    client = await connectRemote({
      url: server.url,
      fingerprint: server.fingerprint,
      reconnect: { minMs: 50, maxMs: 300 },
    });
    expect((await client.login('operatore', PASSWORD)).ok).toBe(true);
    const statuses: RemoteStatus[] = [];
    client.on('status', (s) => statuses.push(s));
    const progress: SyncProgress[] = [];
    client.onEvent('sync.progress', (p) => {
      if (p.email === A) progress.push(p);
    });
    await expect.poll(() => statuses.at(-1), { timeout: 10_000 }).toBe('connected');
    // The mail arrives while the server is down: its first sync at start is one long pass.
    await server.stop();
    await expect.poll(() => statuses.at(-1), { timeout: 10_000 }).toBe('disconnected');
    await appendToA(N);

    server = await startServer(office, { port });
    await expect
      .poll(() => progress.some((p) => p.done > 0 && p.done < p.total), { timeout: 60_000, interval: 5 })
      .toBe(true);
    await server.stop('SIGKILL');
    const atKill = progress.at(-1)!;
    expect(atKill.done).toBeLessThan(atKill.total);
    const reconnectsBefore = statuses.filter((s) => s === 'connected').length;

    server = await startServer(office, { port });
    // The same client, the same session: reconnected without signing in again.
    await expect
      .poll(() => statuses.filter((s) => s === 'connected').length, { timeout: 15_000 })
      .toBeGreaterThan(reconnectsBefore);
    await expect.poll(lotti, { timeout: 120_000, interval: 500 }).toBe(N);
    // And its events flow again: another person's change reaches it.
    const changed: number[][] = [];
    client.onEvent('archive.changed', (p) => changed.push(p.threads));
    const admin = await connectRemote({ url: server.url, fingerprint: server.fingerprint });
    expect((await admin.login('titolare', PASSWORD)).ok).toBe(true);
    expect((await admin.call('tags.create', { name: 'Ripreso' })).ok).toBe(true);
    const tagged = await admin.call('work.tag', { threadId: office.threadsA[0]!, tag: 'Ripreso', add: true });
    expect(tagged.ok, JSON.stringify(tagged)).toBe(true);
    await expect
      .poll(() => changed.some((t) => t.includes(office.threadsA[0]!)), { timeout: 5_000 })
      .toBe(true);
    await admin.close();

    // Exactly once each: N rows, N different subjects, read from the archive itself.
    expect((await server.stop()).code).toBe(0);
    const local = await runPecdesk(
      ['--archive', office.archive, 'messages', '--json', '--limit', String(N * 2)],
      office.env,
    );
    expect(local.code, local.stderr).toBe(0);
    const subjects = (JSON.parse(local.stdout) as { subject: string | null }[])
      .map((m) => m.subject ?? '')
      .filter((s) => s.startsWith('Lotto '));
    expect(subjects).toHaveLength(N);
    expect(new Set(subjects).size).toBe(N);
  }, 400_000);
});
