/**
 * Starts `serve` as a person would (`npm run serve` minus the install step), on a free port, with
 * the test CA as PEC trust anchor, and hands its URL to the tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testPki } from '../factory/pki.ts';

export default async function globalSetup() {
  const dir = mkdtempSync(join(tmpdir(), 'pecdesk-e2e-'));
  const anchor = join(dir, 'test-ca.pem');
  writeFileSync(anchor, testPki().rootPem);
  const urlFile = join(dir, 'url.txt');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'main/server/serve.ts',
      '--port',
      '0',
      '--archive',
      join(dir, 'archive'),
      '--url-file',
      urlFile,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PECDESK_PEC_TRUST_ANCHORS: anchor } },
  );
  const started = Date.now();
  while (!existsSync(urlFile) || readFileSync(urlFile, 'utf8') === '') {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    if (Date.now() - started > 60_000) throw new Error('serve did not start in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  process.env.PECDESK_E2E_URL = readFileSync(urlFile, 'utf8');
  process.env.PECDESK_E2E_DIR = dir;
  return async () => {
    child.kill('SIGTERM');
  };
}
