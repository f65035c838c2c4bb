/** The instant layer of the search benchmark, in a process of its own so its memory is its own. */
import { openDatabase } from '../../db/database.ts';
import { InstantIndex } from '../../main/search/instant.ts';
import { seededRandom } from '../support/random.ts';
import { percentile } from './bench-support.ts';

const db = openDatabase(process.argv[2]!);
globalThis.gc?.();
const rss0 = process.memoryUsage().rss;
const heap0 = process.memoryUsage().heapUsed;
const index = new InstantIndex();
const t0 = performance.now();
await index.build(db);
const buildMs = performance.now() - t0;
globalThis.gc?.();
const rss1 = process.memoryUsage().rss;
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
const times = prefixes.map((p) => {
  const s = performance.now();
  index.suggest(p);
  return performance.now() - s;
});
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    rssMiB: (rss1 - rss0) / 1024 / 1024,
    heapMiB: (heap1 - heap0) / 1024 / 1024,
    buildMs,
    entries: stats.correspondents + stats.subjects + stats.places,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  }),
);
db.$client.close();
