import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Starts `serve` on a free port for an archive and returns its URL; stop() ends it. */
export async function startServe(
  archiveDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; stop: () => void }> {
  const urlFile = join(archiveDir, '..', `url-${process.pid}-${Date.now()}.txt`);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'main/server/serve.ts',
      '--port',
      '0',
      '--archive',
      archiveDir,
      '--url-file',
      urlFile,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env,
    },
  );
  const started = Date.now();
  while (!existsSync(urlFile) || readFileSync(urlFile, 'utf8') === '') {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    if (Date.now() - started > 60_000) throw new Error('serve did not start in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: readFileSync(urlFile, 'utf8'), stop: () => child.kill('SIGTERM') };
}
