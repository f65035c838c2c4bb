/**
 * Read and unread, round trip with a real Dovecot: opening a message here marks it \Seen on the
 * server (when the account writes it back), "segna come non letto" removes it, and changes made
 * on the server keep arriving.
 */
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAccountSettings } from '../../db/accounts.ts';
import { isMessageSeen } from '../../db/flags.ts';
import { listMessages } from '../../db/messages.ts';
import { registryFor } from '../../main/api/handlers.ts';
import { buildOrdinary } from '../factory/pec-factory.ts';
import { DovecotServer, type DovecotUser, dovecotAvailable } from '../support/dovecot.ts';
import { archiveWithAccount } from '../support/imap-archive.ts';

describe.runIf(dovecotAvailable)('read state written back to the server (\\Seen)', () => {
  let server: DovecotServer;
  beforeAll(async () => {
    server = await DovecotServer.start();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  let n = 0;
  async function setup() {
    const user = server.addUser(`lettura${++n}@pec.alfa.test`);
    await server.append(user, 'INBOX', [buildOrdinary({ subject: 'Da leggere' })]);
    const { archive, secrets, account, sync } = await archiveWithAccount(server, user);
    const registry = registryFor({
      version: 'test',
      archiveDir: archive.dir,
      anchors: undefined,
      archive,
      secrets,
      sync,
    });
    await sync.syncAll();
    const id = listMessages(archive.db)[0]!.id;
    const setSeen = async (seen: boolean) => {
      const r = await registry.call('messages.setSeen', { id, seen }, { transport: 'ipc' });
      expect(r.ok).toBe(true);
    };
    return { user, archive, account, sync, id, setSeen };
  }

  async function serverFlags(user: DovecotUser): Promise<string[]> {
    const client: ImapFlow = await server.client(user);
    try {
      await client.mailboxOpen('INBOX', { readOnly: true });
      const msg = await client.fetchOne('1', { flags: true });
      return [...(msg ? (msg.flags ?? []) : [])];
    } finally {
      await client.logout();
    }
  }

  async function setOnServer(user: DovecotUser, seen: boolean) {
    const client = await server.client(user);
    try {
      await client.mailboxOpen('INBOX');
      if (seen) await client.messageFlagsAdd('1', ['\\Seen']);
      else await client.messageFlagsRemove('1', ['\\Seen']);
    } finally {
      await client.logout();
    }
  }

  it("opened here: \\Seen on the server after the next sync; unread again: removed; the server's own changes arrive", async () => {
    const { user, archive, sync, id, setSeen } = await setup();
    expect(isMessageSeen(archive.db, id)).toBe(false);
    await setSeen(true);
    expect(isMessageSeen(archive.db, id)).toBe(true);
    expect(await serverFlags(user)).not.toContain('\\Seen');
    await sync.syncAll();
    expect(await serverFlags(user)).toContain('\\Seen');
    expect(isMessageSeen(archive.db, id)).toBe(true);

    await setSeen(false);
    await sync.syncAll();
    expect(await serverFlags(user)).not.toContain('\\Seen');
    expect(isMessageSeen(archive.db, id)).toBe(false);

    // Read in the provider's webmail: the flag comes here (CONDSTORE).
    await setOnServer(user, true);
    await sync.syncAll();
    expect(isMessageSeen(archive.db, id)).toBe(true);
    archive.close();
  });

  it('while the account is watched (IDLE), the change reaches the server at once', async () => {
    const { user, archive, account, sync, setSeen } = await setup();
    const watching = sync.syncAccount(account, true);
    try {
      await new Promise((r) => setTimeout(r, 800));
      await setSeen(true);
      await expect.poll(() => serverFlags(user), { timeout: 5000, interval: 100 }).toContain('\\Seen');
    } finally {
      sync.stop();
      await watching;
    }
    archive.close();
  });

  it('an account set not to write the read state back leaves the server as it is', async () => {
    const { user, archive, account, sync, id, setSeen } = await setup();
    updateAccountSettings(archive.db, account.id, { writeSeen: false });
    await setSeen(true);
    await sync.syncAll();
    expect(await serverFlags(user)).not.toContain('\\Seen');
    // Here the message stays read: the server's unchanged flags do not undo the person's choice…
    expect(isMessageSeen(archive.db, id)).toBe(true);
    archive.close();
  });
});
