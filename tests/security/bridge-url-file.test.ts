/**
 * Attack: another user of the machine creates the file `serve --url-file` will write (readable by
 * them), or a symbolic link there to a file of theirs, and waits for the access token. serve used to
 * write into whatever was there, keeping its mode and following links. Now it creates the file
 * itself (O_CREAT|O_EXCL, owner-only) or refuses to start (exit 2) and writes the token nowhere.
 */
import { chmodSync, existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/archive.ts';
import { runServe, startServeProcess } from './bridge-serve.ts';

const posix = process.platform !== 'win32';

function serveArgs(urlFile: string): string[] {
  return ['--port', '0', '--archive', join(tempDir('pecdesk-urlfile-'), 'archive'), '--url-file', urlFile];
}

describe.runIf(posix)('serve --url-file never hands the token to a file it did not create', () => {
  it('refuses a file that already exists, and leaves it as it was', async () => {
    const dir = tempDir('pecdesk-urlfile-');
    const planted = join(dir, 'url.txt');
    writeFileSync(planted, '');
    chmodSync(planted, 0o666);
    const run = await runServe(serveArgs(planted));
    expect(run.code, run.output).toBe(2);
    expect(run.output).toContain('already exists');
    expect(readFileSync(planted, 'utf8')).toBe('');
    expect(statSync(planted).mode & 0o777).toBe(0o666);
  });

  it('refuses a symbolic link, whether its target exists or not', async () => {
    const dir = tempDir('pecdesk-urlfile-');
    const theirs = join(dir, 'theirs.txt');
    writeFileSync(theirs, 'nothing yet');
    const toExisting = join(dir, 'link-existing.txt');
    symlinkSync(theirs, toExisting);
    const missing = join(dir, 'not-yet.txt');
    const dangling = join(dir, 'link-dangling.txt');
    symlinkSync(missing, dangling);
    for (const link of [toExisting, dangling]) {
      const run = await runServe(serveArgs(link));
      expect(run.code, run.output).toBe(2);
    }
    expect(readFileSync(theirs, 'utf8')).toBe('nothing yet');
    expect(existsSync(missing)).toBe(false);
  });

  it('creates a new file owner-only with the URL, and removes it when stopped', async () => {
    const serve = await startServeProcess();
    try {
      expect(statSync(serve.urlFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(serve.urlFile, 'utf8')).toBe(serve.url);
      expect(serve.token).toMatch(/^[\w-]{43}$/);
    } finally {
      await serve.stop();
    }
    expect(existsSync(serve.urlFile)).toBe(false);
  });
});
