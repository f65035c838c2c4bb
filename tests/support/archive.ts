import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertAccount, type NewAccount, upsertMailbox } from '../../db/accounts.ts';
import type { Db } from '../../db/database.ts';
import { Archive } from '../../main/archive/archive.ts';
import { testAnchors } from './pec.ts';

export function tempDir(prefix = 'pecdesk-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testArchive(dir = tempDir('pecdesk-archive-')): Archive {
  return Archive.open(dir, { anchors: testAnchors() });
}

/**
 * The studio's PEC account (studio@pec.alfa.test, never connected to) and its INBOX, as adding
 * the account and a first sync leave them: what ingest with a folder location needs.
 */
export function studioInbox(db: Db, account: Partial<NewAccount> = {}) {
  const row = insertAccount(db, {
    email: 'studio@pec.alfa.test',
    imapHost: '127.0.0.1',
    imapPort: 993,
    imapSecurity: 'tls',
    imapUser: 'studio@pec.alfa.test',
    createdAt: new Date().toISOString(),
    ...account,
  });
  return { account: row, inbox: upsertMailbox(db, row.id, 'INBOX', 'INBOX', null) };
}
