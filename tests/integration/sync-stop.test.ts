/**
 * Stopping the syncs waits until they have let go of the archive, so the database can be closed
 * right after (switching to the demo, quitting) without a write landing on a closed connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrdinary } from '../factory/pec-factory.ts';
import { DovecotServer, dovecotAvailable } from '../support/dovecot.ts';
import { archiveWithAccount } from '../support/imap-archive.ts';

describe.runIf(dovecotAvailable)('stopping the syncs', () => {
  let server: DovecotServer;
  beforeAll(async () => {
    server = await DovecotServer.start();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('waits for a sync in the middle of a folder, then nothing more is written', async () => {
    const user = server.addUser('chiusura@pec.alfa.test');
    await server.append(
      user,
      'INBOX',
      Array.from({ length: 400 }, (_, i) => buildOrdinary({ subject: `Circolare ${i}` })),
    );
    const { archive, account, events, sync } = await archiveWithAccount(server, user, {});
    let started = false;
    events.on('sync.progress', () => {
      started = true;
    });
    let settled = false;
    void sync.syncAccount(account, true).finally(() => {
      settled = true;
    });
    await expect.poll(() => started, { timeout: 10_000 }).toBe(true);
    await sync.stop();
    expect(settled).toBe(true);
    // Closing now is safe: the sync has let go; a later sync request on this service does nothing.
    archive.close();
    expect((await sync.syncAccount(account, true)).ok).toBe(true);
  });
});
