import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Archive } from '../../main/archive/archive.ts';
import { testAnchors } from './pec.ts';

export function tempDir(prefix = 'pecdesk-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testArchive(dir = tempDir('pecdesk-archive-')): Archive {
  return Archive.open(dir, { anchors: testAnchors() });
}
