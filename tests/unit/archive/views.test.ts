import { describe, expect, it } from 'vitest';
import { listView, smartViewCounts } from '../../../db/views.ts';
import { buildOrdinary, pecOf, scenario } from '../../factory/pec-factory.ts';
import { studioInbox, testArchive } from '../../support/archive.ts';

describe('list views', () => {
  it('one row per PEC thread and the smart views', async () => {
    const archive = testArchive();
    // "Da gestire" holds the incoming PEC of a mailbox's work period not handled yet (issue 14).
    const inbox = studioInbox(archive.db).inbox.id;
    let uid = 1;
    const inInbox = () => ({ mailboxId: inbox, uid: uid++, flags: ['\\Seen'] });
    const sent = scenario({ subject: 'Diffida 100% urgente' });
    const failed = scenario({ subject: 'Convocazione assemblea' });
    await archive.ingest([
      { raw: pecOf(sent, 'accettazione') },
      ...sent.recipients.map((r) => ({
        raw: pecOf(sent, 'avvenuta-consegna', { deliveryAddress: r.address }),
      })),
      { raw: pecOf(failed, 'accettazione') },
      { raw: pecOf(failed, 'errore-consegna', { deliveryAddress: failed.recipients[0]!.address }) },
      // Read already: opening a message does not handle it.
      { raw: pecOf(scenario({ subject: 'Fattura in arrivo' }), 'posta-certificata'), location: inInbox() },
      {
        raw: pecOf(scenario({ subject: 'Falsa' }), 'posta-certificata', { signing: { mode: 'tampered' } }),
        location: inInbox(),
      },
      { raw: buildOrdinary({ subject: 'Newsletter' }) },
    ]);
    const all = listView(archive.db, { kind: 'smart', view: 'all' }, 0, 50, 'all');
    expect(all.total).toBe(5);
    const counts = Object.fromEntries(smartViewCounts(archive.db, 'all').map((c) => [c.view, c.total]));
    expect(counts).toMatchObject({
      all: 5,
      'to-handle': 2,
      'awaiting-delivery': 0,
      'delivery-failures': 1,
      anomalies: 1,
    });
    expect(listView(archive.db, { kind: 'smart', view: 'all' }, 0, 50, 'all').total).toBe(5);
    archive.close();
  });
});
