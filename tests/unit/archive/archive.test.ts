import { describe, expect, it } from 'vitest';
import { getMessage, listMessages, messageAttachments } from '../../../db/messages.ts';
import { getThread, threadRecipientsOf } from '../../../db/threads.ts';
import { ObjectStore } from '../../../main/archive/object-store.ts';
import { buildOriginal, pecOf, scenario } from '../../factory/pec-factory.ts';
import { testArchive } from '../../support/archive.ts';

describe('archive ingest', () => {
  it('stores the raw bytes content-addressed and the same message once', async () => {
    const archive = testArchive();
    const raw = pecOf(scenario(), 'accettazione');
    const [first] = await archive.ingest([{ raw }]);
    const [again] = await archive.ingest([{ raw }]);
    expect(first!.created).toBe(true);
    expect(again).toMatchObject({ created: false, messageId: first!.messageId });
    const row = getMessage(archive.db, first!.messageId)!;
    expect(row.objectHash).toBe(ObjectStore.hash(raw));
    expect((await archive.objects.get(row.objectHash)).equals(raw)).toBe(true);
    expect(await archive.objects.verify(row.objectHash)).toBe(true);
    expect(listMessages(archive.db)).toHaveLength(1);
    archive.close();
  });

  it('reconciles a sent PEC in any arrival order: receipts before the sent copy, duplicates ignored', async () => {
    const s = scenario();
    const [first, second] = s.recipients.map((r) => r.address);
    const sentCopy = buildOriginal({
      from: s.sender,
      to: [first!, second!],
      subject: s.subject,
      text: 'x',
      messageId: s.msgid,
    });
    const pieces = {
      acceptance: pecOf(s, 'accettazione'),
      delivery1: pecOf(s, 'avvenuta-consegna', { deliveryAddress: first }),
      failure2: pecOf(s, 'errore-consegna', { deliveryAddress: second }),
      warning2: pecOf(s, 'preavviso-errore-consegna', {
        deliveryAddress: second,
        errorDetail: '4.4.7 ritardo',
      }),
    };
    const orders = [
      ['delivery1', 'warning2', 'failure2', 'acceptance', 'sent'],
      ['sent', 'acceptance', 'failure2', 'delivery1', 'warning2'],
      ['failure2', 'sent', 'delivery1', 'acceptance', 'warning2', 'delivery1'],
    ];
    for (const order of orders) {
      const archive = testArchive();
      for (const name of order) {
        const raw = name === 'sent' ? sentCopy : pieces[name as keyof typeof pieces];
        await archive.ingest([{ raw }]);
      }
      const all = listMessages(archive.db);
      expect(all).toHaveLength(5);
      const threadIds = new Set(all.map((m) => m.threadId));
      expect(threadIds.size, `order ${order}`).toBe(1);
      const thread = getThread(archive.db, [...threadIds][0]!)!;
      expect(thread).toMatchObject({
        msgid: s.msgid,
        identificativo: s.identificativo,
        direction: 'sent',
        state: 'partial',
        deliveredCount: 1,
        failedCount: 1,
        recipientCount: 2,
      });
      const recipients = threadRecipientsOf(archive.db, thread.id);
      expect(recipients.map((r) => [r.address, r.state])).toEqual([
        [first, 'delivered'],
        [second, 'failed'],
      ]);
      archive.close();
    }
  });

  it('a forged delivery receipt is linked but proves nothing', async () => {
    const archive = testArchive();
    const s = scenario();
    await archive.ingest([
      { raw: pecOf(s, 'accettazione') },
      { raw: pecOf(s, 'avvenuta-consegna', { signing: { mode: 'tampered' } }) },
    ]);
    const [m] = listMessages(archive.db);
    const thread = getThread(archive.db, m!.threadId!)!;
    expect(thread.state).toBe('accepted');
    expect(threadRecipientsOf(archive.db, thread.id).every((r) => r.state === 'pending')).toBe(true);
    archive.close();
  });

  it('every certified recipient delivered makes the thread delivered; esterno recipients have no proof', async () => {
    const archive = testArchive();
    const s = scenario({
      recipients: [
        { address: 'a@pec.beta.test', type: 'certificato' },
        { address: 'b@example.test', type: 'esterno' },
      ],
    });
    await archive.ingest([
      { raw: pecOf(s, 'accettazione') },
      { raw: pecOf(s, 'avvenuta-consegna', { deliveryAddress: 'a@pec.beta.test' }) },
    ]);
    const thread = getThread(archive.db, listMessages(archive.db)[0]!.threadId!)!;
    expect(thread.state).toBe('delivered');
    expect(threadRecipientsOf(archive.db, thread.id).map((r) => r.state)).toEqual(['delivered', 'no-proof']);
    archive.close();
  });

  it('an incoming envelope is a received thread with its original and attachments', async () => {
    const archive = testArchive();
    const s = scenario();
    const [out] = await archive.ingest([{ raw: pecOf(s, 'posta-certificata') }]);
    const row = getMessage(archive.db, out!.messageId)!;
    expect(row).toMatchObject({
      kind: 'posta-certificata',
      originalSubject: s.subject,
      hasAttachments: true,
      certifiedSender: s.sender,
    });
    expect(messageAttachments(archive.db, row.id).map((a) => a.filename)).toEqual(['contratto-42-2026.pdf']);
    expect(getThread(archive.db, out!.threadId!)).toMatchObject({ direction: 'received', state: 'received' });
    archive.close();
  });

  it('a message that cannot be parsed is archived raw, flagged and listed', async () => {
    const archive = testArchive();
    const junk = Buffer.from([0xff, 0x00, 0x13, 0x37]);
    const [out] = await archive.ingest([{ raw: junk }]);
    const row = getMessage(archive.db, out!.messageId)!;
    expect(row.kind).toBe('unparseable');
    expect(row.parseError).toBeTruthy();
    expect((await archive.objects.get(row.objectHash)).equals(junk)).toBe(true);
    expect(listMessages(archive.db).map((m) => m.kind)).toEqual(['unparseable']);
    archive.close();
  });
});
