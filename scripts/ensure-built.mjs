// Rebuilds the renderer when its sources are newer than the last build, so `serve` and `start`
// never show a stale app.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

if (import.meta.url === `file://${process.argv[1]}`) await ensureRendererBuilt();
