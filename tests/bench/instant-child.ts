/** The instant layer of the search benchmark, in a process of its own so its memory is its own. */
import { openDatabase } from '../../db/database.ts';
import { correspondentsSince, subjectsSince } from '../../db/suggest-sources.ts';
import { DEFAULT_INSTANT_LIMITS, InstantIndex } from '../../main/search/instant.ts';
import { seededRandom } from '../support/random.ts';
import { percentile, residentMiB } from './bench-support.ts';

const db = openDatabase(process.argv[2]!);
// 'warm': the archive's connection has already read what the layer reads, as in a running app
// (its page cache, up to db/database.ts cache_size, and the pages it maps are the archive's, not
// the layer's); 'cold': a connection that has read nothing yet, so the delta counts them too.
if (process.argv[3] === 'warm') {
  correspondentsSince(db, 0, DEFAULT_INSTANT_LIMITS.correspondents);
  subjectsSince(db, 0, DEFAULT_INSTANT_LIMITS.subjects);
}
globalThis.gc?.();
const resident0 = residentMiB();
const rss0 = process.memoryUsage().rss;
const heap0 = process.memoryUsage().heapUsed;
const index = new InstantIndex();
const t0 = performance.now();
await index.build(db);
const buildMs = performance.now() - t0;
globalThis.gc?.();
const rss1 = process.memoryUsage().rss;
const resident1 = residentMiB();
const deltaMiB = (k: 'anon' | 'file') => (resident0 && resident1 ? resident1[k] - resident0[k] : null);
const heap1 = process.memoryUsage().heapUsed;
const stats = index.stats();
const r = seededRandom(3);
const prefixes = [
  'ro',
  'ros',
  'bian',
  'fatt',
  'sollec',
  'from:ma',
  'to:co',
  'mailbox:st',
  'contr',
  'avv',
  'dif',
  'conv',
  'stu',
  'amm',
];
const syl =
  'ro ssi bi an chi fer ra ri co lom bo ma ni gal li con ti gre bru no mo re de lu ca sa la vi ta'.split(' ');
while (prefixes.length < 200)
  prefixes.push(syl[Math.floor(r() * syl.length)]! + syl[Math.floor(r() * syl.length)]!);
for (const p of prefixes) index.suggest(p);
// Each prefix's best of three, by the wall clock and in CPU time (tests/bench/search.bench.ts).
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const wall = prefixes.map(() => Number.POSITIVE_INFINITY);
const cpu = prefixes.map(() => Number.POSITIVE_INFINITY);
for (let k = 0; k < 3; k++)
  prefixes.forEach((p, i) => {
    const w0 = performance.now();
    const c0 = cpuMs();
    index.suggest(p);
    cpu[i] = Math.min(cpu[i]!, cpuMs() - c0);
    wall[i] = Math.min(wall[i]!, performance.now() - w0);
  });
wall.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    rssMiB: (rss1 - rss0) / 1024 / 1024,
    anonMiB: deltaMiB('anon'),
    fileMiB: deltaMiB('file'),
    heapMiB: (heap1 - heap0) / 1024 / 1024,
    buildMs,
    entries: stats.correspondents + stats.subjects + stats.places,
    p50: percentile(wall, 50),
    p95: percentile(wall, 95),
    p99: percentile(wall, 99),
    cpuP95: percentile(cpu, 95),
  }),
);
db.$client.close();
