/**
 * `npm run bench`: each benchmark prints its figures and a ratio against a baseline measured in the
 * same run on the same data, so results compare across machines. Add benchmarks to BENCHES.
 */
import { benchInspect } from './inspect.bench.ts';
import { benchSearch } from './search.bench.ts';
import { benchStartup } from './startup.bench.ts';
import { benchSync } from './sync.bench.ts';

const BENCHES: Record<string, (args: string[]) => Promise<void>> = {
  inspect: benchInspect,
  sync: benchSync,
  search: benchSearch,
  startup: benchStartup,
};

const [only, ...rest] = process.argv.slice(2);
for (const [name, run] of Object.entries(BENCHES)) {
  if (only && !only.startsWith('-') && only !== name) continue;
  console.log(`\n== ${name}`);
  await run(only?.startsWith('-') ? [only, ...rest] : rest);
}
