import { describe, expect, it } from 'vitest';
import { resetMailbox, upsertMailbox } from '../../../db/accounts.ts';
import { isMessageSeen, pendingFlagChanges, setMessageSeen } from '../../../db/flags.ts';
import { updateLocationFlags } from '../../../db/messages.ts';
import { buildOrdinary } from '../../factory/pec-factory.ts';
import { studioInbox, testArchive } from '../../support/archive.ts';

async function archiveWithOneMessage(writeSeen = true) {
  const archive = testArchive();
  const { account, inbox } = studioInbox(archive.db, { writeSeen });
  const sent = upsertMailbox(archive.db, account.id, 'Archivio', 'Archivio', null);
  const raw = buildOrdinary();
  const [m] = await archive.ingest([{ raw, location: { mailboxId: inbox.id, uid: 7, flags: [] } }]);
  await archive.ingest([{ raw, location: { mailboxId: sent.id, uid: 3, flags: ['\\Flagged'] } }]);
  return { archive, account, inbox, sent, id: m!.messageId };
}

describe('read state and the changes waiting for the server', () => {
  it('marks every place of the message and queues one change per place', async () => {
    const { archive, account, id } = await archiveWithOneMessage();
    expect(setMessageSeen(archive.db, id, true)).toEqual([account.id]);
    expect(isMessageSeen(archive.db, id)).toBe(true);
    expect(pendingFlagChanges(archive.db, account.id).map((c) => [c.path, c.uid, c.value])).toEqual([
      ['Archivio', 3, true],
      ['INBOX', 7, true],
    ]);
    // The last change wins: unread again replaces the queued "read".
    setMessageSeen(archive.db, id, false);
    expect(pendingFlagChanges(archive.db, account.id).map((c) => c.value)).toEqual([false, false]);
    expect(isMessageSeen(archive.db, id)).toBe(false);
    archive.close();
  });

  it('flags read from the server before the change is written do not undo it', async () => {
    const { archive, inbox, id } = await archiveWithOneMessage();
    setMessageSeen(archive.db, id, true);
    updateLocationFlags(archive.db, inbox.id, 7, ['\\Answered'], '42');
    const flags = archive.db.$client
      .prepare('SELECT flags FROM message_locations WHERE mailbox_id = ? AND uid = 7')
      .pluck()
      .get(inbox.id) as string;
    expect(JSON.parse(flags)).toEqual(['\\Answered', '\\Seen']);
    archive.close();
  });

  it('a renumbered folder (UIDVALIDITY) drops the changes waiting for its old UIDs', async () => {
    const { archive, account, inbox, id } = await archiveWithOneMessage();
    setMessageSeen(archive.db, id, true);
    resetMailbox(archive.db, inbox.id, '999');
    expect(pendingFlagChanges(archive.db, account.id).map((c) => c.path)).toEqual(['Archivio']);
    archive.close();
  });

  it('an account that does not write the read state back queues nothing', async () => {
    const { archive, account, id } = await archiveWithOneMessage(false);
    expect(setMessageSeen(archive.db, id, true)).toEqual([]);
    expect(pendingFlagChanges(archive.db, account.id)).toEqual([]);
    expect(isMessageSeen(archive.db, id)).toBe(true);
    archive.close();
  });
});
