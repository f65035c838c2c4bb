/**
 * Issue 10, the archive on disk: the folder was 0755 and archive.db and the objects 0644, so another
 * local user read every subject and every message. Folders are 0700 and files 0600 whatever the
 * umask, and an archive made before is fixed when it is opened. Where the machine allows it the
 * other user is real (`runuser -u nobody`); the modes are checked everywhere.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive } from '../../main/archive/archive.ts';
import { buildOrdinary } from '../../main/demo/pec-builder.ts';
import { openSecretStore } from '../../main/secrets/open-store.ts';
import { tempDir } from '../support/archive.ts';

const otherUser =
  process.platform !== 'win32' &&
  process.getuid?.() === 0 &&
  spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0;
if (!otherUser)
  console.warn('[pecdesk tests] no second local user (runuser -u nobody): modes are checked only');

/** Can `nobody` read it? (cat for files, ls for folders.) */
function otherUserReads(path: string): boolean {
  const folder = statSync(path).isDirectory();
  return spawnSync('runuser', ['-u', 'nobody', '--', folder ? 'ls' : 'cat', path]).status === 0;
}

function everything(dir: string): string[] {
  return [
    dir,
    ...readdirSync(dir, { recursive: true, withFileTypes: true }).map((e) => join(e.parentPath, e.name)),
  ];
}

/** Where archives usually sit: a folder every user may traverse (~/.config is 0755). */
function openParent(): string {
  const parent = tempDir('pecdesk-perms-');
  chmodSync(parent, 0o755);
  return parent;
}

async function archiveWithMail(dir: string): Promise<Archive> {
  const archive = Archive.open(dir);
  await archive.ingest([
    { raw: buildOrdinary({ subject: 'Diffida riservata' }) },
    { raw: buildOrdinary({ subject: 'Verbale di assemblea' }) },
  ]);
  await (
    await openSecretStore(dir, { env: { PECDESK_SECRETS: 'file', PECDESK_SECRET_KEY: 'k' }, warn: () => {} })
  ).set('probe', 'x');
  return archive;
}

function expectPrivate(dir: string): void {
  const paths = everything(dir);
  expect(paths.some((p) => p.endsWith('archive.db-wal'))).toBe(true);
  expect(paths.some((p) => p.endsWith('.eml'))).toBe(true);
  for (const path of paths) {
    const st = statSync(path);
    expect(st.mode & 0o777, path).toBe(st.isDirectory() ? 0o700 : 0o600);
  }
}

describe('the archive on disk is the owner’s only', () => {
  const umask = process.umask();
  afterEach(() => {
    process.umask(umask);
  });

  it.runIf(otherUser)('another local user cannot read the database, the messages or the folder', async () => {
    const dir = join(openParent(), 'archive');
    const archive = await archiveWithMail(dir);
    try {
      const eml = everything(dir).find((p) => p.endsWith('.eml'))!;
      for (const path of [
        join(dir, 'archive.db'),
        join(dir, 'archive.db-wal'),
        eml,
        dir,
        join(dir, 'objects'),
      ])
        expect(otherUserReads(path), path).toBe(false);
    } finally {
      archive.close();
    }
  });

  it('folders 0700 and files 0600, with the umask of a shared machine (000) as with 022', async () => {
    for (const mask of [0o022, 0o000]) {
      process.umask(mask);
      const dir = join(openParent(), 'archive');
      const archive = await archiveWithMail(dir);
      try {
        expectPrivate(dir);
      } finally {
        archive.close();
      }
    }
  });

  it('an archive made before is fixed when opened, links out of it are not followed', async () => {
    const parent = openParent();
    const dir = join(parent, 'archive');
    (await archiveWithMail(dir)).close();
    // As an older PecDesk left it: 0755 folders, 0644 files, and no record of a fix.
    for (const path of everything(dir)) chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
    const older = Archive.open(dir);
    older.db.$client.prepare("DELETE FROM meta WHERE key = 'private_modes'").run();
    older.close();
    for (const path of everything(dir)) chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
    // Someone's file linked from inside objects/: not the archive's, it must keep its mode.
    const outside = join(parent, 'not-the-archive.txt');
    writeFileSync(outside, 'x', { mode: 0o644 });
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(dir, 'objects', 'link.eml'));
    // A file another user put there is theirs: PecDesk (even as root) does not change it.
    const theirs = join(dir, 'objects', 'theirs.eml');
    writeFileSync(theirs, 'y');
    chmodSync(theirs, 0o644);
    const root = process.getuid?.() === 0;
    if (root) chownSync(theirs, 65534, 65534);

    const reopened = Archive.open(dir);
    reopened.close();
    const linkless = (p: string) => !p.endsWith('link.eml') && !(root && p === theirs);
    for (const path of everything(dir).filter(linkless)) {
      const st = statSync(path);
      expect(st.mode & 0o777, path).toBe(st.isDirectory() ? 0o700 : 0o600);
    }
    expect(statSync(outside).mode & 0o777).toBe(0o644);
    if (root) expect(statSync(theirs).mode & 0o777).toBe(0o644);
    if (otherUser) expect(otherUserReads(join(dir, 'archive.db'))).toBe(false);
  });

  it('a copy made with the umask modes (cp -r) is fixed again at open', async () => {
    const dir = join(openParent(), 'archive');
    (await archiveWithMail(dir)).close();
    for (const path of everything(dir)) chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
    Archive.open(dir).close();
    expect(existsSync(join(dir, 'objects'))).toBe(true);
    for (const path of everything(dir)) {
      const st = statSync(path);
      expect(st.mode & 0o777, path).toBe(st.isDirectory() ? 0o700 : 0o600);
    }
  });
});
