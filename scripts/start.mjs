// `npm start`: the desktop app when Electron's binary is installed (its native modules built for
// Electron first); otherwise one line saying so and the same app served on 127.0.0.1 for the browser.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function run(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

await ensureDeps();
const { ensureNodeBuilt, ensureRendererBuilt } = await import('./ensure-built.mjs');
await ensureRendererBuilt();
const electron = electronBinary();
if (electron) {
  await ensureNodeBuilt('electron');
  // better-sqlite3 as npm ci built it is for Node's ABI: the window gets its own copy for Electron's,
  // built once per Electron version (scripts/native-electron.mjs).
  const { ensureElectronNative } = await import('./native-electron.mjs');
  try {
    ensureElectronNative();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  run(electron, ['.', ...process.argv.slice(2)]);
} else {
  console.log('Electron is not installed on this machine: serving PecDesk for the browser instead.');
  await ensureNodeBuilt('server');
  // Here, in this process: serve reads its arguments from process.argv as when started directly.
  await import('../dist/server/serve.mjs');
}
