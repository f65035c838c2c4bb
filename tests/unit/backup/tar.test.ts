import { execFileSync } from 'node:child_process';
import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupProblem, restoreBackup, verifyBackup } from '../../../main/backup/restore.ts';
import { readTar, TarWriter, tarHeader } from '../../../main/backup/tar.ts';
import { tempDir } from '../../support/archive.ts';

async function entriesOf(file: string) {
  const out: { name: string; size: number; text: string }[] = [];
  for await (const entry of readTar(file)) {
    const parts: Buffer[] = [];
    for await (const chunk of entry.content) parts.push(chunk);
    out.push({ name: entry.name, size: entry.size, text: Buffer.concat(parts).toString('utf8') });
  }
  return out;
}

describe('backup tar files', () => {
  it('are read back by PecDesk and by GNU tar, gzipped or not, long paths included', async () => {
    const dir = tempDir('pecdesk-tar-');
    const long = `${'d'.repeat(70)}/${'n'.repeat(70)}`;
    for (const name of ['a.tar', 'a.tar.gz']) {
      const file = join(dir, name);
      const tar = new TarWriter(file, name.endsWith('.gz'));
      await tar.add({ name: 'archive.db', size: 5, mode: 0o600, mtime: 1_700_000_000 }, Buffer.from('hello'));
      await tar.add({ name: long, size: 513, mode: 0o600, mtime: 1_700_000_000 }, Buffer.alloc(513, 'x'));
      await tar.add({ name: 'empty', size: 0, mode: 0o600, mtime: 1_700_000_000 }, Buffer.alloc(0));
      await tar.finish();
      expect(await entriesOf(file)).toEqual([
        { name: 'archive.db', size: 5, text: 'hello' },
        { name: long, size: 513, text: 'x'.repeat(513) },
        { name: 'empty', size: 0, text: '' },
      ]);
      const listed = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
      expect(listed).toEqual(['archive.db', long, 'empty']);
    }
  });

  it('writes sizes past 8 GiB in the base-256 form GNU tar reads', () => {
    const dir = tempDir('pecdesk-tar-');
    const file = join(dir, 'big.tar');
    const size = 9 * 1024 ** 3 + 7;
    writeFileSync(file, tarHeader({ name: 'archive.db', size, mode: 0o600, mtime: 1_700_000_000 }));
    let listing = '';
    try {
      execFileSync('tar', ['-tvf', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      // The content is not there (9 GiB): tar lists the entry, then says the file ends early.
      listing = String((error as { stdout: string }).stdout);
    }
    expect(listing).toContain(String(size));
  });

  it('refuses links and paths outside the archive, leaving the target empty', async () => {
    const dir = tempDir('pecdesk-tar-');
    symlinkSync('/etc/passwd', join(dir, 'config.json'));
    execFileSync('tar', ['-cf', join(dir, 'link.tar'), '-C', dir, 'config.json']);
    await expect(verifyBackup(join(dir, 'link.tar'))).rejects.toThrow(/not a regular file/);

    const evil = join(dir, 'evil.tar');
    const tar = new TarWriter(evil, false);
    await tar.add({ name: '../evil', size: 1, mode: 0o600, mtime: 0 }, Buffer.from('x'));
    await tar.finish();
    const target = join(dir, 'target');
    const refused = await restoreBackup(evil, target).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackupProblem);
    expect(refused).toMatchObject({ file: '../evil', reason: 'not a file a PecDesk backup holds' });
    expect(readdirSync(target)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'evil.tar', 'link.tar', 'target']);
  });

  it('says a file cut short is cut short', async () => {
    const dir = tempDir('pecdesk-tar-');
    const file = join(dir, 'a.tar');
    const tar = new TarWriter(file, false);
    await tar.add({ name: 'archive.db', size: 2000, mode: 0o600, mtime: 0 }, Buffer.alloc(2000));
    await tar.finish();
    execFileSync('truncate', ['-s', '1024', file]);
    await expect(entriesOf(file)).rejects.toThrow(/cut short/);
  });
});
