/**
 * The ingest writer's statements are prepared once per connection (issue 11): a batch after the
 * first prepares nothing, whatever its messages (PEC threads made and adopted, receipts, ordinary
 * mail, attachments, locations, routing rules, the folder's bookkeeping). And db/rows.ts writes
 * and reads rows exactly as drizzle's builders do (defaults, booleans).
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { mailboxesOf, recordMailboxProgress } from '../../../db/accounts.ts';
import { getMessage, insertMessage, type NewMessage, threadMembers } from '../../../db/messages.ts';
import { insertRow, rowColumns, toRow } from '../../../db/rows.ts';
import { messages, threads } from '../../../db/schema.ts';
import { getThread } from '../../../db/threads.ts';
import { insertTag } from '../../../db/work.ts';
import { insertRule } from '../../../db/work-rules.ts';
import { Archive } from '../../../main/archive/archive.ts';
import { workOnIngest } from '../../../main/work/ingest-hook.ts';
import { fold } from '../../../main/work/match.ts';
import { buildOrdinary, buildOriginal, minimalPdf, pecOf, scenario } from '../../factory/pec-factory.ts';
import { studioInbox, tempDir } from '../../support/archive.ts';
import { testAnchors } from '../../support/pec.ts';

const AT = '2026-11-30T10:00:00.000Z';

/** A sent PEC's whole story, an incoming PEC, ordinary mail with a PDF: every path of the writer. */
function story(n: number): Buffer[] {
  const s = scenario();
  const [first, second] = s.recipients.map((r) => r.address);
  return [
    pecOf(s, 'avvenuta-consegna', { deliveryAddress: first }),
    buildOriginal({
      from: s.sender,
      to: [first!, second!],
      subject: s.subject,
      text: 'x',
      messageId: s.msgid,
    }),
    pecOf(s, 'accettazione'),
    pecOf(s, 'errore-consegna', { deliveryAddress: second }),
    pecOf(scenario(), 'posta-certificata'),
    buildOrdinary({
      subject: `Fattura ${n}`,
      attachments: [{ filename: 'f.pdf', contentType: 'application/pdf', content: minimalPdf(`Nota ${n}`) }],
    }),
  ];
}

describe('the ingest writer', () => {
  it('prepares no statement after the first batch', async () => {
    const archive = Archive.open(tempDir('pecdesk-writer-'), {
      anchors: testAnchors(),
      ingestWorkers: 0,
      onIngest: workOnIngest(() => new Date(AT)),
    });
    try {
      const { account, inbox } = studioInbox(archive.db, { createdAt: AT });
      insertTag(archive.db, {
        name: 'Fatture',
        nameKey: fold('Fatture'),
        color: 'blue',
        category: null,
        createdAt: AT,
        createdBy: 'user:1',
      });
      insertRule(archive.db, {
        name: 'Fatture',
        enabled: true,
        definition: JSON.stringify({
          name: 'Fatture',
          conditions: [{ field: 'subject', op: 'contains', value: 'fattura' }],
          actions: [{ type: 'tag', tags: ['fatture'] }],
        }),
        at: AT,
        by: 'user:1',
      });
      let uid = 0;
      const batch = (raws: Buffer[]) =>
        archive.ingest(
          raws.map((raw) => ({
            raw,
            location: { mailboxId: inbox.id, uid: ++uid, flags: ['\\Seen'], modseq: '7', internalDate: AT },
          })),
          (db) => recordMailboxProgress(db, inbox.id, { lastUid: uid }),
        );
      await batch([...story(1), ...story(2)]);
      const prepare = vi.spyOn(archive.db.$client, 'prepare');
      const outcomes = await batch([...story(3), ...story(4)]);
      expect(outcomes.filter((o) => o.created)).toHaveLength(12);
      expect(outcomes.filter((o) => o.threadId !== null).length).toBeGreaterThanOrEqual(8);
      expect(prepare.mock.calls.map((c) => c[0])).toEqual([]);
      expect(mailboxesOf(archive.db, account.id)[0]!.lastUid).toBe(24);
      // The rule ran on the new messages in the same transactions: the invoices carry its tag.
      expect(
        archive.db.$client.prepare('SELECT count(*) FROM work_tags').pluck().get(),
      ).toBeGreaterThanOrEqual(2);
    } finally {
      vi.restoreAllMocks();
      archive.close();
    }
  });
});

describe('db/rows.ts', () => {
  it('writes and reads a row as drizzle does: defaults, booleans, every column', () => {
    const archive = Archive.open(tempDir('pecdesk-rows-'), { ingestWorkers: 0 });
    try {
      const db = archive.db;
      const row: NewMessage = {
        objectHash: 'a'.repeat(64),
        size: 10,
        kind: 'ordinary',
        basis: 'headers',
        signatureVerdict: 'absent',
        archivedAt: AT,
        subject: 'Oggetto',
        hasAttachments: true,
      };
      const mine = insertMessage(db, row, [
        { filename: 'a.txt', contentType: 'text/plain', size: 1, sha256: 'x' },
      ]);
      const theirs = db
        .insert(messages)
        .values({ ...row, objectHash: 'b'.repeat(64), seq: 0 })
        .returning({ id: messages.id })
        .get().id;
      const read = (id: number) => {
        const { id: _i, objectHash: _h, seq: _s, ...rest } = getMessage(db, id)!;
        return rest;
      };
      expect(read(mine)).toEqual(read(theirs));
      expect(getMessage(db, mine)).toMatchObject({
        virus: false,
        hasAttachments: true,
        certRecipients: '[]',
      });

      const threadId = insertRow(db, threads, { msgid: 'm@x', direction: 'sent', state: 'sent', seq: 1 });
      db.$client.prepare('UPDATE threads SET acceptance_missing = 1 WHERE id = ?').run(threadId);
      db.$client.prepare('UPDATE messages SET thread_id = ? WHERE id = ?').run(threadId, mine);
      expect(getThread(db, threadId)).toEqual(db.select().from(threads).get());
      expect(getThread(db, threadId)!.acceptanceMissing).toBe(true);
      expect(threadMembers(db, threadId)).toEqual(
        db.select().from(messages).where(eq(messages.id, mine)).all(),
      );
      const raw = db.$client
        .prepare(`SELECT ${rowColumns(messages, 'm')} FROM messages m WHERE m.id = ?`)
        .get(mine);
      expect(toRow(messages, raw as Record<string, unknown>)).toEqual(getMessage(db, mine));
    } finally {
      archive.close();
    }
  });
});
