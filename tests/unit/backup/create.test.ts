import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackup } from '../../../main/backup/create.ts';
import { buildOrdinary } from '../../factory/pec-factory.ts';
import { tempDir, testArchive } from '../../support/archive.ts';

describe('createBackup', () => {
  it('fails with the real cause when an object cannot be read, leaving nothing behind', async () => {
    const root = tempDir('pecdesk-backup-unit-');
    const archive = testArchive(join(root, 'archive'));
    const raws = Array.from({ length: 12 }, (_, i) => buildOrdinary({ subject: `Circolare ${i}` }));
    await archive.ingest(raws.map((raw) => ({ raw })));
    const hash = archive.objects.pathOf(
      archive.db.$client
        .prepare('SELECT object_hash FROM messages ORDER BY object_hash')
        .pluck()
        .get() as string,
    );
    archive.close();
    // Not a file any more: reading it fails (EISDIR) while later objects are being read ahead.
    rmSync(hash);
    mkdirSync(hash);
    const out = join(root, 'backups');
    mkdirSync(out);
    await expect(
      createBackup({ archiveDir: join(root, 'archive'), out: join(out, 'b.tar') }),
    ).rejects.toThrow(/EISDIR/);
    expect(readdirSync(out)).toEqual([]);
  });
});
