/**
 * One client process of office-concurrency.test.ts: signs in to the office server, listens to its
 * events, and, once told "go" on standard input, claims and tags the given threads while reading
 * back every thread an event names. Prints one JSON line when told "stop": what it changed (with
 * when each answer came) and every read (when, which tags, who claimed).
 */
import { createInterface } from 'node:readline';
import { connectRemote, untilConnected } from '../../main/client/remote.ts';

interface Job {
  url: string;
  fingerprint: string;
  user: string;
  password: string;
  threads: number[];
  rounds: number;
}

const job = JSON.parse(process.env.OFFICE_JOB!) as Job;
const client = await connectRemote({ url: job.url, fingerprint: job.fingerprint });
const login = await client.login(job.user, job.password);
if (!login.ok) throw new Error(`login: ${login.error.message}`);

/** What the child prints last, one JSON line: its changes and its reads, with their times. */
export interface ClientReport {
  user: string;
  changes: {
    kind: 'claim' | 'tag';
    thread: number;
    tag?: string;
    start: number;
    end: number;
    ok: boolean;
    code?: string;
  }[];
  reads: { thread: number; at: number; tags: string[]; claimedBy: string | null }[];
}

const reads: ClientReport['reads'] = [];
const changes: ClientReport['changes'] = [];

// Reads follow events: a thread named by an event is read again (once more if another event came
// while reading), so the last read after any change reflects it.
const dirty = new Set<number>();
let reading: Promise<void> | null = null;
function readDirty(): void {
  if (reading) return;
  reading = (async () => {
    while (dirty.size > 0) {
      const batch = [...dirty];
      dirty.clear();
      await Promise.all(
        batch.map(async (thread) => {
          const r = await client.call('work.get', { threadId: thread });
          if (!r.ok) throw new Error(`work.get: ${r.error.message}`);
          reads.push({
            thread,
            at: Date.now(),
            tags: r.value.tags.map((t) => t.name),
            claimedBy: r.value.claimedBy,
          });
        }),
      );
    }
    reading = null;
  })();
}
client.on('event', (event, payload) => {
  if (event !== 'archive.changed') return;
  const named = (payload as { threads: number[] }).threads;
  for (const t of named.length > 0 ? named : job.threads) if (job.threads.includes(t)) dirty.add(t);
  readDirty();
});
await untilConnected(client);

const lines = createInterface({ input: process.stdin });
const commands = lines[Symbol.asyncIterator]();
process.stdout.write('ready\n');
await commands.next(); // "go"

const change = async (kind: 'claim' | 'tag', thread: number, tag?: string) => {
  const start = Date.now();
  const r =
    kind === 'claim'
      ? await client.call('work.claim', { threadId: thread })
      : await client.call('work.tag', { threadId: thread, tag: tag!, add: true });
  changes.push({
    kind,
    thread,
    ...(tag ? { tag } : {}),
    start,
    end: Date.now(),
    ok: r.ok,
    ...(r.ok ? {} : { code: `${r.error.code}: ${r.error.message}` }),
  });
};
await Promise.all(job.threads.map((t) => change('claim', t)));
for (let round = 0; round < job.rounds; round++)
  await Promise.all(job.threads.map((t) => change('tag', t, `${job.user}-${round}`)));
process.stdout.write('done\n');
await commands.next(); // "stop"
while (reading) await reading;
const report: ClientReport = { user: job.user, changes, reads };
process.stdout.write(`${JSON.stringify(report)}\n`);
await client.call('auth.logout', {});
await client.close();
lines.close();
