// Builds what the desktop app and the packaged CLI run: the renderer (Vite), the Electron main
// process and the CLI (ESM bundles), and the preload script (CommonJS, as sandboxed preloads must be).
import { cpSync } from 'node:fs';
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';

const external = ['electron', 'better-sqlite3', 'keytar', '@napi-rs/keyring', 'bufferutil', 'utf-8-validate'];
const banner = {
  // Bundled CommonJS dependencies still call require(); give ESM bundles one.
  js: "import { createRequire as __pecdeskRequire } from 'node:module'; const require = __pecdeskRequire(import.meta.url);",
};

export async function buildRenderer() {
  await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
}

const nodeBundle = (entry, outfile) =>
  build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    banner,
    sourcemap: true,
    logLevel: 'warning',
  });

export async function buildNode() {
  await Promise.all([
    nodeBundle('main/electron/main.ts', 'dist/electron/main.mjs'),
    nodeBundle('main/cli/main.ts', 'dist/cli/main.mjs'),
    // The attachment text worker sits beside each bundle that starts it (main/search/extract).
    nodeBundle('main/search/extract/extract-worker.ts', 'dist/electron/extract-worker.mjs'),
    nodeBundle('main/search/extract/extract-worker.ts', 'dist/cli/extract-worker.mjs'),
    build({
      entryPoints: ['preload/index.ts'],
      outfile: 'dist/preload/index.cjs',
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron'],
      logLevel: 'warning',
    }),
  ]);
  // The bundles look for the migrations beside themselves (db/database.ts: migrationsFolder).
  for (const dir of ['dist/electron/migrations', 'dist/cli/migrations'])
    cpSync('db/migrations', dir, { recursive: true });
  // And the PEC trust list beside themselves too (main/pec/trust-store.ts: trustFolder).
  for (const dir of ['dist/electron/trust', 'dist/cli/trust'])
    cpSync('resources/trust', dir, { recursive: true });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv[2];
  if (!only || only === 'renderer') await buildRenderer();
  if (!only || only === 'node') await buildNode();
  console.log(`build: ${only ?? 'renderer + main + preload + cli'} done`);
}
