import { describe, expect, it } from 'vitest';
import { getMessage } from '../../../db/messages.ts';
import { setMeta } from '../../../db/meta.ts';
import { rebuildDocs } from '../../../db/search.ts';
import { getThread } from '../../../db/threads.ts';
import { runSearch } from '../../../main/search/search.ts';
import { buildOriginal, pecOf, scenario } from '../../factory/pec-factory.ts';
import { testArchive } from '../../support/archive.ts';

describe('PEC threads', () => {
  it('a receipt without the sender Message-ID, then the acceptance, then the sent copy: one thread', async () => {
    const archive = testArchive();
    const s = scenario();
    const sentCopy = buildOriginal({
      from: s.sender,
      to: s.recipients.map((r) => r.address),
      subject: s.subject,
      text: 'x',
      messageId: s.msgid,
    });
    const [delivery] = await archive.ingest([{ raw: pecOf(s, 'avvenuta-consegna', { omitMsgid: true }) }]);
    const [acceptance] = await archive.ingest([{ raw: pecOf(s, 'accettazione') }]);
    const [sent] = await archive.ingest([{ raw: sentCopy }]);
    expect(acceptance!.threadId).toBe(delivery!.threadId);
    expect(getMessage(archive.db, sent!.messageId)?.threadId).toBe(delivery!.threadId);
    const thread = getThread(archive.db, delivery!.threadId!)!;
    expect(thread.msgid).toBe(s.msgid);
    expect([thread.direction, thread.state, thread.deliveredCount]).toEqual(['sent', 'accepted', 1]);
    expect(thread.headMessageId).toBe(sent!.messageId);
    archive.close();
  });

  it('keeps the truthful counts of a thread in the archive', async () => {
    const archive = testArchive();
    const s = scenario({
      recipients: [
        { address: 'a@pec.beta.test', type: 'certificato' },
        { address: 'b@pec.beta.test', type: 'certificato' },
        { address: 'c@example.it', type: 'esterno' },
      ],
    });
    await archive.ingest([
      { raw: pecOf(s, 'avvenuta-consegna', { deliveryAddress: 'a@pec.beta.test' }) },
      { raw: pecOf(s, 'errore-consegna', { deliveryAddress: 'b@pec.beta.test' }) },
    ]);
    const [sent] = await archive.ingest([
      {
        raw: buildOriginal({
          from: s.sender,
          to: ['a@pec.beta.test'],
          subject: s.subject,
          text: 'x',
          messageId: s.msgid,
        }),
      },
    ]);
    const t = getThread(archive.db, sent!.threadId!)!;
    expect(t).toMatchObject({
      state: 'partial',
      acceptanceMissing: true,
      recipientCount: 2,
      recipientTotal: 3,
      deliveredCount: 1,
      failedCount: 1,
      pendingCount: 0,
      noProofCount: 1,
    });
    archive.close();
  });

  it('an archive reconciled by older rules is brought up to date once, states and search facets too', async () => {
    const archive = testArchive();
    const s = scenario();
    const [first] = s.recipients.map((r) => r.address);
    await archive.ingest([
      { raw: pecOf(s, 'accettazione') },
      { raw: pecOf(s, 'avvenuta-consegna', { deliveryAddress: first }) },
    ]);
    const threadId = (await archive.ingest([{ raw: pecOf(s, 'accettazione') }]))[0]!.threadId!;
    // A new archive is made by today's rules: nothing to recompute.
    expect(await archive.reconcileThreads()).toBe(0);
    // As an older version left it: no counts, a wrong state, its search document stale.
    archive.db.$client
      .prepare(
        "UPDATE threads SET state = 'failed', delivered_count = 0, recipient_total = 0, pending_count = 0 WHERE id = ?",
      )
      .run(threadId);
    rebuildDocs(archive.db, [getThread(archive.db, threadId)!.headMessageId!]);
    setMeta(archive.db, 'reconcile_version', '1');
    expect(runSearch(archive.db, { text: 'is:failed', sort: 'date', offset: 0, limit: 10 }).total).toBe(1);
    const progress: number[] = [];
    expect(await archive.reconcileThreads((done) => progress.push(done))).toBe(1);
    expect(progress).toEqual([1]);
    expect(getThread(archive.db, threadId)).toMatchObject({
      state: 'accepted',
      deliveredCount: 1,
      pendingCount: 1,
      recipientTotal: 2,
    });
    expect(runSearch(archive.db, { text: 'is:failed', sort: 'date', offset: 0, limit: 10 }).total).toBe(0);
    expect(runSearch(archive.db, { text: 'is:pending', sort: 'date', offset: 0, limit: 10 }).total).toBe(1);
    archive.close();
  });

  it('search documents of an older version are rebuilt once: an SdI notice without daticert is found by its sender domain', async () => {
    const archive = testArchive();
    const sdi = scenario({ sender: 'sdi48@pec.fatturapa.it', subject: 'Notifica di scarto' });
    // Re-wrapped as an anomaly envelope: no daticert, the provider's posta-certificata@ as From.
    await archive.ingest([{ raw: pecOf(sdi, 'errore') }]);
    const find = () =>
      runSearch(archive.db, { text: 'dominio:fatturapa.it', sort: 'date', offset: 0, limit: 5 }).total;
    expect(find()).toBe(1);
    expect(await archive.refreshSearchDocs()).toBe(0);
    setMeta(archive.db, 'docs_version', '1');
    expect(await archive.refreshSearchDocs()).toBe(1);
    expect(await archive.refreshSearchDocs()).toBe(0);
    expect(find()).toBe(1);
    archive.close();
  });
});
