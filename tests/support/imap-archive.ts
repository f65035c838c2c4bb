import { join } from 'node:path';
import type { AccountRow } from '../../db/accounts.ts';
import { addAccount } from '../../main/accounts/account-service.ts';
import { EventBus } from '../../main/api/events.ts';
import type { Archive } from '../../main/archive/archive.ts';
import { FileSecretStore } from '../../main/secrets/file-store.ts';
import type { AccountSyncOptions } from '../../main/sync/account-sync.ts';
import { SyncService } from '../../main/sync/sync-service.ts';
import { tempDir, testArchive } from './archive.ts';
import type { DovecotServer, DovecotUser } from './dovecot.ts';

/**
 * A test archive with one account on the tests' Dovecot (implicit TLS, its CA), its password in an
 * encrypted-file secret store, and a sync service over them: what most sync tests start from.
 */
export async function archiveWithAccount(
  server: DovecotServer,
  user: DovecotUser,
  options: Partial<AccountSyncOptions> = { backoff: { initialMs: 50, maxMs: 200 } },
): Promise<{
  archive: Archive;
  secrets: FileSecretStore;
  account: AccountRow;
  events: EventBus;
  sync: SyncService;
}> {
  const archive = testArchive();
  const secrets = new FileSecretStore(join(tempDir(), 'secrets.json'), {
    kind: 'passphrase',
    passphrase: 'test',
  });
  const account = await addAccount(
    archive.db,
    secrets,
    {
      email: user.user,
      imapHost: '127.0.0.1',
      imapPort: server.tlsPort,
      security: 'tls',
      caPem: server.caPem,
    },
    user.password,
  );
  const events = new EventBus();
  return { archive, secrets, account, events, sync: new SyncService(archive, secrets, events, options) };
}
