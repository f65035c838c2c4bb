// Rebuilds what `serve` and `start` run when its sources changed since the last build, so they
// never show a stale app, and costs a few milliseconds of file dates when nothing changed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_TARGETS, stampPath } from './node-targets.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export async function ensureRendererBuilt() {
  const index = join(root, 'dist/renderer/index.html');
  const sources = Math.max(
    newest(join(root, 'renderer')),
    newest(join(root, 'resources/i18n')),
    statSync(join(root, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  console.log('Building the interface…');
  const { buildRenderer } = await import('./build.mjs');
  await buildRenderer();
}

/**
 * A Node target is current when its outputs exist and every file it was built from (the sources
 * esbuild read, package-lock.json for the dependencies, the build scripts) has the date and size
 * it had then. Equal, not older: a file put back to an earlier version counts as a change too.
 */
export function nodeTargetCurrent(name, checkout = root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(checkout, stampPath(name)), 'utf8'));
  } catch {
    return false;
  }
  if (!stamp.outputs.every((file) => existsSync(join(checkout, file)))) return false;
  return Object.entries(stamp.inputs).every(([file, [mtimeMs, size]]) => {
    try {
      const info = statSync(join(checkout, file));
      return info.mtimeMs === mtimeMs && info.size === size;
    } catch {
      return false;
    }
  });
}

/** Builds the Node target (electron, cli, server) when it is not current. */
export async function ensureNodeBuilt(name) {
  if (!NODE_TARGETS[name]) throw new Error(`no Node target ${name}`);
  if (nodeTargetCurrent(name)) return;
  console.log(`Building the ${name === 'electron' ? 'desktop app' : name}…`);
  const { buildNodeTarget } = await import('./build.mjs');
  await buildNodeTarget(name);
}

if (import.meta.url === `file://${process.argv[1]}`) await ensureRendererBuilt();
