/**
 * Three client processes on one office server (issue 16), claiming and tagging the same PEC
 * threads at the same time: no change is lost (each thread has every tag each client added, one
 * claim won per thread, the others told it was taken), and every change is seen by the two other
 * clients within a second of its answer, through the server's events.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRemote } from '../../main/client/remote.ts';
import { dovecotAvailable, startTestSim, type TestSim } from '../support/sim.ts';
import type { ClientReport } from './office-client-child.ts';
import { makeOffice, type Office, PASSWORD, type RunningServer, startServer } from './office-world.ts';

const CHILD = new URL('./office-client-child.ts', import.meta.url).pathname;
const USERS = ['op1', 'op2', 'op3'];
const ROUNDS = 3;

describe.runIf(dovecotAvailable)('three clients at once on one office server', () => {
  let sim: TestSim;
  let office: Office;
  let server: RunningServer;

  beforeAll(async () => {
    sim = await startTestSim();
    office = await makeOffice(sim, USERS);
    server = await startServer(office);
  }, 180_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await sim?.stop();
  });

  it('claims and tags the same threads: nothing lost, each change seen by the others within a second', async () => {
    const threads = office.threadsA;
    // The tags exist beforehand (who may create tags is a setting of its own).
    const admin = await connectRemote({ url: server.url, fingerprint: server.fingerprint });
    expect((await admin.login('titolare', PASSWORD)).ok).toBe(true);
    for (const u of USERS)
      for (let round = 0; round < ROUNDS; round++) {
        const r = await admin.call('tags.create', { name: `${u}-${round}` });
        expect(r.ok, JSON.stringify(r)).toBe(true);
      }

    const children = USERS.map((user) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        env: {
          ...office.env,
          OFFICE_JOB: JSON.stringify({
            url: server.url,
            fingerprint: server.fingerprint,
            user,
            password: PASSWORD,
            threads,
            rounds: ROUNDS,
          }),
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const next = async () => {
        const line = await lines.next();
        if (line.done) throw new Error(`${user} ended early: ${stderr}`);
        return line.value;
      };
      return { child, next, stderr: () => stderr };
    });
    for (const c of children) expect(await c.next()).toBe('ready');
    for (const c of children) c.child.stdin.write('go\n');
    for (const c of children) expect(await c.next()).toBe('done');
    // Room for the last events to arrive and be read (the bound below is checked per change).
    await new Promise((r) => setTimeout(r, 1500));
    for (const c of children) c.child.stdin.write('stop\n');
    const reports = (await Promise.all(children.map((c) => c.next()))).map(
      (l) => JSON.parse(l) as ClientReport,
    );
    for (const c of children) c.child.stdin.end();

    // No lost update: the final state has every tag, one claim per thread, the winner's.
    for (const t of threads) {
      const work = await admin.call('work.get', { threadId: t });
      if (!work.ok) throw new Error(work.error.message);
      expect(work.value.tags.map((x) => x.name).sort()).toEqual(
        USERS.flatMap((u) => Array.from({ length: ROUNDS }, (_, r) => `${u}-${r}`)).sort(),
      );
      const claims = reports.flatMap((r) =>
        r.changes.filter((c) => c.kind === 'claim' && c.thread === t).map((c) => ({ ...c, user: r.user })),
      );
      const won = claims.filter((c) => c.ok);
      expect(won).toHaveLength(1);
      expect(work.value.state).toBe('claimed');
      expect(work.value.claimedBy).toBe(won[0]!.user);
      for (const lost of claims.filter((c) => !c.ok)) expect(lost.code).toMatch(/already-claimed/);
      expect(
        reports.every((r) => r.changes.filter((c) => c.kind === 'tag' && c.thread === t).every((c) => c.ok)),
      ).toBe(true);
    }

    // Seen by the others: for each tag added by one client, the first read at each other client
    // that shows it, measured from the answer to the change.
    const delays: number[] = [];
    for (const from of reports)
      for (const change of from.changes.filter((c) => c.kind === 'tag')) {
        for (const other of reports.filter((r) => r !== from)) {
          const seen = other.reads.find((r) => r.thread === change.thread && r.tags.includes(change.tag!));
          expect(seen, `${other.user} never saw ${change.tag} on ${change.thread}`).toBeDefined();
          delays.push(seen!.at - change.end);
        }
      }
    expect(delays).toHaveLength(USERS.length * ROUNDS * threads.length * (USERS.length - 1));
    const sorted = [...delays].sort((a, b) => a - b);
    console.info(
      `office events: ${delays.length} changes seen by others, median ${sorted[sorted.length >> 1]} ms, max ${sorted.at(-1)} ms`,
    );
    expect(Math.max(...delays), `delays: ${delays.join(', ')}`).toBeLessThan(1000);
    await admin.close();
  }, 240_000);
});
