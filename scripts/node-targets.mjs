// What each Node bundle is built from and where it goes: shared by the build (scripts/build.mjs)
// and the check that a build is current (scripts/ensure-built.mjs), which must stay light: it runs
// at every `npm run serve` and `npm start`.

/** Workers sit beside each bundle that starts them: they are found next to import.meta.url. */
const WORKERS = [
  // The attachment text worker (main/search/extract/extractor.ts).
  ['main/search/extract/extract-worker.ts', 'extract-worker.mjs'],
  // The ingest worker thread (main/archive/ingest-pool.ts).
  ['main/archive/ingest-worker.ts', 'ingest-worker.mjs'],
];

/**
 * The bundles read the migrations and the PEC trust list beside themselves (db/database.ts,
 * main/pec/trust-store.ts). The server runs from a checkout only, where both fall back to the
 * sources (db/migrations, resources/trust, resources/fonts): nothing to copy, nothing to go stale.
 */
const BESIDE = [
  { from: 'db/migrations', to: 'migrations' },
  { from: 'resources/trust', to: 'trust' },
  // The fonts proof bundles embed in their PDF (main/proof/pdf.ts fontsFolder).
  { from: 'resources/fonts', to: 'fonts' },
];

/** A bundle in `dir` from `main.entry`, with the workers and the folders it reads beside it. */
export const nodeTarget = (dir, main, extra = {}) => ({
  dir,
  entry: main.entry,
  out: `${dir}/${main.file}`,
  workers: WORKERS,
  copies: BESIDE,
  preload: null,
  ...extra,
  outputs: [
    `${dir}/${main.file}`,
    ...WORKERS.map(([, file]) => `${dir}/${file}`),
    ...(extra.preload ? [extra.preload] : []),
  ],
});

export const NODE_TARGETS = {
  electron: nodeTarget(
    'dist/electron',
    { entry: 'main/electron/main.ts', file: 'main.mjs' },
    { preload: 'dist/preload/index.cjs' },
  ),
  cli: nodeTarget('dist/cli', { entry: 'main/cli/main.ts', file: 'main.mjs' }),
  server: nodeTarget('dist/server', { entry: 'main/server/serve.ts', file: 'serve.mjs' }, { copies: [] }),
};

/** Besides the sources a bundle imports: the dependencies' versions and the build itself. */
export const TRACKED_FILES = ['package-lock.json', 'scripts/build.mjs', 'scripts/node-targets.mjs'];

/** The record of what a target was built from. */
export function stampPath(name) {
  return `${NODE_TARGETS[name].dir}/build-inputs.json`;
}
