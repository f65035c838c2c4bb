// Installs the npm dependencies when node_modules does not match package-lock.json, so the README's
// commands work on a fresh clone. Where Electron's binary cannot be downloaded (no route to its
// host, as on CI machines) it installs without it, says so once, and `npm start` serves the app
// in the browser instead.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const marker = `${root}node_modules/.pecdesk-lock-sha256`;

function lockHash() {
  return createHash('sha256')
    .update(readFileSync(`${root}package-lock.json`))
    .digest('hex');
}

async function canReachElectronDownloads() {
  try {
    await Promise.race([
      lookup('github.com'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000)),
    ]);
    return true;
  } catch {
    return false;
  }
}

function npmCi(env) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return (
    spawnSync(npm, ['ci', '--no-audit', '--no-fund'], {
      cwd: root,
      stdio: 'inherit',
      env,
      shell: process.platform === 'win32',
    }).status === 0
  );
}

export async function ensureDeps() {
  const hash = lockHash();
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) return;
  const env = { ...process.env };
  if (!env.ELECTRON_SKIP_BINARY_DOWNLOAD && !(await canReachElectronDownloads())) {
    console.log(
      "Electron's binary cannot be downloaded here: installing without it (the app will open in the browser).",
    );
    env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';
  }
  console.log('Installing dependencies (npm ci)…');
  let ok = npmCi(env);
  if (!ok && !env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    console.log(
      "Installing with Electron's binary failed: installing without it (the app will open in the browser).",
    );
    ok = npmCi({ ...env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
  }
  if (!ok) throw new Error('npm ci failed: see the messages above');
  writeFileSync(marker, hash);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureDeps().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
