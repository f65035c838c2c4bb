// Builds what the desktop app, `serve` and the packaged CLI run: the renderer (Vite), the Electron
// main process, the HTTP server and the CLI (ESM bundles, each with the workers it starts beside
// it), and the preload script (CommonJS, as sandboxed preloads must be). Each Node target records
// what it was built from (scripts/ensure-built.mjs: nodeTargetCurrent), so `serve` and `start`
// rebuild only when a source changed.
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { NODE_TARGETS, stampPath, TRACKED_FILES } from './node-targets.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// pdfkit reads its own data files (the sRGB profile of PDF/A) beside its module: it stays a
// package of node_modules rather than part of a bundle.
const external = [
  'electron',
  'better-sqlite3',
  'keytar',
  '@napi-rs/keyring',
  'bufferutil',
  'utf-8-validate',
  'pdfkit',
];
const banner = {
  // Bundled CommonJS dependencies still call require(); give ESM bundles one.
  js: "import { createRequire as __pecdeskRequire } from 'node:module'; const require = __pecdeskRequire(import.meta.url);",
};

export async function buildRenderer() {
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

const nodeBundle = (entry, outfile) =>
  written(
    build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external,
      banner,
      sourcemap: true,
      metafile: true,
      write: false,
      logLevel: 'warning',
    }),
  );

const preloadBundle = (outfile) =>
  written(
    build({
      absWorkingDir: root,
      entryPoints: ['preload/index.ts'],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron'],
      metafile: true,
      write: false,
      logLevel: 'warning',
    }),
  );

/**
 * Each output file is written beside itself and renamed into place: a process starting the bundle
 * while another start rebuilds it reads the old file or the new one, never half of one.
 */
async function written(building) {
  const result = await building;
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const partial = `${file.path}.${process.pid}.partial`;
    writeFileSync(partial, file.contents);
    renameSync(partial, file.path);
  }
  return result;
}

/**
 * A Node target's files (scripts/node-targets.mjs nodeTarget): its bundle, its workers, what it
 * reads beside itself. The esbuild results, for what they were built from.
 */
export async function buildBundle(target) {
  const results = await Promise.all([
    nodeBundle(target.entry, target.out),
    ...target.workers.map(([entry, file]) => nodeBundle(entry, join(target.dir, file))),
    ...(target.preload ? [preloadBundle(target.preload)] : []),
  ]);
  for (const folder of target.copies)
    cpSync(folder.from, join(root, target.dir, folder.to), { recursive: true });
  return results;
}

/**
 * One Node target (electron, cli, server): its bundle, its workers, what it reads beside itself,
 * then the record of its inputs. The record goes first and comes back last, so a build that stops
 * half-way is never taken for a current one.
 */
export async function buildNodeTarget(name) {
  const target = NODE_TARGETS[name];
  if (!target) throw new Error(`no Node target ${name}`);
  const stamp = join(root, stampPath(name));
  rmSync(stamp, { force: true });
  const started = Date.now();
  const results = await buildBundle(target);
  const inputs = new Set([...TRACKED_FILES, ...target.copies.flatMap((f) => filesIn(f.from))]);
  // Dependencies are covered by package-lock.json: npm writes their files with a fixed date.
  for (const result of results)
    for (const input of Object.keys(result.metafile.inputs))
      if (!input.startsWith('node_modules/') && !input.includes(':')) inputs.add(input);
  const record = {};
  for (const input of [...inputs].sort()) {
    const info = statSync(join(root, input));
    // Changed while it was being bundled: the bundle may hold the older text, so no record, and
    // the next start builds again.
    if (info.mtimeMs >= started) return;
    record[input] = [info.mtimeMs, info.size];
  }
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${JSON.stringify({ outputs: target.outputs, inputs: record })}\n`);
}

function filesIn(folder) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(join(root, folder));
  return out;
}

export async function buildNode() {
  await Promise.all(Object.keys(NODE_TARGETS).map(buildNodeTarget));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv[2];
  if (!only || only === 'renderer') await buildRenderer();
  if (!only || only === 'node') await buildNode();
  else if (only in NODE_TARGETS) await buildNodeTarget(only);
  console.log(`build: ${only ?? 'renderer + main + preload + server + cli'} done`);
}
