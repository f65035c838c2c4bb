import { describe, expect, it } from 'vitest';
import { listView, smartViewCounts } from '../../../db/views.ts';
import { buildOrdinary, pecOf, scenario } from '../../factory/pec-factory.ts';
import { testArchive } from '../../support/archive.ts';

describe('list views', () => {
  it('one row per PEC thread, smart views, and the quick word filter (LIKE wildcards are literal)', async () => {
    const archive = testArchive();
    const sent = scenario({ subject: 'Diffida 100% urgente' });
    const failed = scenario({ subject: 'Convocazione assemblea' });
    await archive.ingest([
      { raw: pecOf(sent, 'accettazione') },
      ...sent.recipients.map((r) => ({
        raw: pecOf(sent, 'avvenuta-consegna', { deliveryAddress: r.address }),
      })),
      { raw: pecOf(failed, 'accettazione') },
      { raw: pecOf(failed, 'errore-consegna', { deliveryAddress: failed.recipients[0]!.address }) },
      { raw: pecOf(scenario({ subject: 'Fattura in arrivo' }), 'posta-certificata') },
      { raw: pecOf(scenario({ subject: 'Falsa' }), 'posta-certificata', { signing: { mode: 'tampered' } }) },
      { raw: buildOrdinary({ subject: 'Newsletter' }) },
    ]);
    const all = listView(archive.db, { kind: 'smart', view: 'all' }, 0, 50);
    expect(all.total).toBe(5);
    const counts = Object.fromEntries(smartViewCounts(archive.db).map((c) => [c.view, c.total]));
    expect(counts).toMatchObject({
      all: 5,
      'to-handle': 2,
      'awaiting-delivery': 0,
      'delivery-failures': 1,
      anomalies: 1,
    });
    const byWord = listView(archive.db, { kind: 'smart', view: 'all' }, 0, 50, 'diffida URGENTE');
    expect(byWord.rows.map((r) => r.subject)).toEqual(['Diffida 100% urgente']);
    expect(byWord.rows[0]).toMatchObject({ threadState: 'delivered', deliveredCount: 2, recipientCount: 2 });
    expect(listView(archive.db, { kind: 'smart', view: 'all' }, 0, 50, '100%').total).toBe(1);
    expect(listView(archive.db, { kind: 'smart', view: 'all' }, 0, 50, '%').total).toBe(1);
    expect(listView(archive.db, { kind: 'smart', view: 'all' }, 0, 50, '_').total).toBe(0);
    expect(
      listView(archive.db, { kind: 'smart', view: 'all' }, 0, 50, "x'; DROP TABLE messages; --").total,
    ).toBe(0);
    expect(listView(archive.db, { kind: 'smart', view: 'all' }, 0, 50).total).toBe(5);
    archive.close();
  });
});
