/**
 * A row's work follows it (issue 14): a sent copy archived alone is a row of its own; once its
 * acceptance arrives it is part of the PEC's thread, and the tags, deadline and history given to it
 * meanwhile move to the thread's row.
 */
import { describe, expect, it } from 'vitest';
import { getMessage } from '../../../db/messages.ts';
import { getItem, rowOfMessage } from '../../../db/work.ts';
import { appendAudit } from '../../../main/auth/audit.ts';
import { setDeadline, tagRow, type WorkContext } from '../../../main/work/work.ts';
import { buildOriginal, pecOf, scenario } from '../../factory/pec-factory.ts';
import { workWorld } from '../../support/work-world.ts';

describe('work follows a message into its thread', () => {
  it('the sent copy’s tag and deadline move to the PEC thread when its acceptance arrives', async () => {
    const w = await workWorld(new Date());
    const db = w.archive.db;
    const s = scenario({ subject: 'Trasmissione bilancio 2025' });
    const [copy] = await w.archive.ingest([
      {
        raw: buildOriginal({
          from: s.sender,
          to: s.recipients.map((r) => r.address),
          subject: s.subject,
          text: 'x',
          messageId: s.msgid,
        }),
      },
    ]);
    expect(rowOfMessage(db, copy!.messageId)).toEqual({ messageId: copy!.messageId });
    db.$client
      .prepare(
        "INSERT INTO tags (name, name_key, color, created_at, created_by) VALUES ('Bilanci', 'bilanci', '#1f6feb', 'x', 'x')",
      )
      .run();
    const who = { actor: 'test', actorName: 'test', origin: 'test' };
    const ctx: WorkContext = {
      db,
      now: new Date(),
      actor: { ...who, person: { userId: null, name: 'test' } },
      audit: (e) => appendAudit(db, who, e),
    };
    db.$client.transaction(() => {
      tagRow(ctx, { messageId: copy!.messageId }, 'bilanci', true);
      setDeadline(ctx, { messageId: copy!.messageId }, '2026-12-31', 'manual', null);
    })();
    const [acceptance] = await w.archive.ingest([{ raw: pecOf(s, 'accettazione') }]);
    const thread = getMessage(db, acceptance!.messageId)!.threadId!;
    expect(getMessage(db, copy!.messageId)!.threadId).toBe(thread);
    expect(getItem(db, { messageId: copy!.messageId })).toBeUndefined();
    const item = getItem(db, { threadId: thread })!;
    expect(item).toMatchObject({ dueDate: '2026-12-31', messageId: null, threadId: thread });
    expect(db.$client.prepare('SELECT count(*) FROM work_tags WHERE item_id = ?').pluck().get(item.id)).toBe(
      1,
    );
    w.archive.close();
  });
});
