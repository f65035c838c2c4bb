/** What the credentials tests share: opening the core as the app does, and an attacker's archive. */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { findAccount, insertAccount, setAccountSyncState } from '../../db/accounts.ts';
import { meta } from '../../db/schema.ts';
import { Archive } from '../../main/archive/archive.ts';
import { type Core, openCore } from '../../main/core.ts';
import { tempDir } from '../support/archive.ts';

/** A person's environment: their own config folder, passwords in the encrypted file. */
export function personEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = tempDir('pecdesk-home-');
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    PECDESK_SECRETS: 'file',
    ...extra,
  };
}

export async function callApi(core: Core, method: string, args: unknown): Promise<unknown> {
  const r = await core.registry.call(method, args, { transport: 'ipc' });
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/**
 * Opens the archive as `serve --archive` and the app do (every account synced at once), waits until
 * the account's first sync attempt has ended or a login reached `seen`, and closes it.
 */
export async function openAndWait(
  archiveDir: string,
  env: NodeJS.ProcessEnv,
  email: string,
  seen: () => boolean,
): Promise<{ lastErrorCode: string | null; lastError: string | null }> {
  // The state a previous opening left in the db must not pass for this attempt's outcome.
  const before = Archive.open(archiveDir);
  const account = findAccount(before.db, email);
  if (account) setAccountSyncState(before.db, account.id, 'idle', null);
  before.close();
  const core = await openCore({ archiveDir, env, watch: true });
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const row = findAccount(core.services.archive!.db, email);
      if (row?.lastErrorCode || seen() || Date.now() > deadline)
        return { lastErrorCode: row?.lastErrorCode ?? null, lastError: row?.lastError ?? null };
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await core.close();
  }
}

/**
 * An archive folder prepared by someone else: the victim's address with the attacker's server and
 * the attacker's CA (as a PEM in the row, and as a file, as archives from before named it), plus
 * whatever else the attacker could copy in (a secrets file, an archive id read from a backup).
 */
export function preparedArchive(options: {
  email: string;
  port: number;
  caPem: string;
  copySecretsFrom?: string;
  archiveId?: string;
}): string {
  const dir = join(tempDir('pecdesk-prepared-'), 'archive');
  mkdirSync(dir, { recursive: true });
  const caFile = join(dir, 'their-ca.pem');
  writeFileSync(caFile, options.caPem);
  const archive = Archive.open(dir);
  insertAccount(archive.db, {
    email: options.email,
    imapHost: '127.0.0.1',
    imapPort: options.port,
    imapSecurity: 'tls',
    imapUser: options.email,
    caFile,
    caPem: options.caPem,
    createdAt: new Date().toISOString(),
  });
  if (options.archiveId) {
    archive.db.delete(meta).where(eq(meta.key, 'archive_id')).run();
    archive.db.insert(meta).values({ key: 'archive_id', value: options.archiveId }).run();
  }
  archive.close();
  if (options.copySecretsFrom)
    copyFileSync(join(options.copySecretsFrom, 'secrets.enc.json'), join(dir, 'secrets.enc.json'));
  return dir;
}

export function archiveIdOf(dir: string): string | undefined {
  const archive = Archive.open(dir);
  try {
    return archive.db.select().from(meta).where(eq(meta.key, 'archive_id')).get()?.value;
  } finally {
    archive.close();
  }
}
