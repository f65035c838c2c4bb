/**
 * A batch ingested while the one before it still commits (main/sync/folder-sync.ts, issue 11):
 * it commits after that one, finds what that one archived, and commits nothing when it failed.
 */
import { describe, expect, it } from 'vitest';
import { upsertMailbox } from '../../../db/accounts.ts';
import { countMessages, messageLocationsOf } from '../../../db/messages.ts';
import { getMeta, setMeta } from '../../../db/meta.ts';
import { Archive } from '../../../main/archive/archive.ts';
import { buildOrdinary, pecOf, scenario } from '../../factory/pec-factory.ts';
import { studioInbox, tempDir } from '../../support/archive.ts';
import { testAnchors } from '../../support/pec.ts';

function archive(): Archive {
  return Archive.open(tempDir('pecdesk-after-'), { anchors: testAnchors(), ingestWorkers: 0 });
}

describe('a batch after another', () => {
  it('commits after it, in order, and stores a message both hold once', async () => {
    const a = archive();
    try {
      const s = scenario();
      const shared = pecOf(s, 'accettazione');
      const first = [pecOf(s, 'posta-certificata'), shared, buildOrdinary({ subject: 'Uno' })];
      const second = [shared, pecOf(s, 'avvenuta-consegna'), buildOrdinary({ subject: 'Due' })];
      const order: string[] = [];
      const one = a.ingest(
        first.map((raw) => ({ raw })),
        (db) => {
          order.push('first');
          setMeta(db, 'last', 'first');
        },
      );
      const two = a.ingest(
        second.map((raw) => ({ raw })),
        (db) => {
          order.push('second');
          setMeta(db, 'last', 'second');
        },
        one,
      );
      const [o1, o2] = await Promise.all([one, two]);
      expect(order).toEqual(['first', 'second']);
      expect(getMeta(a.db, 'last')).toBe('second');
      expect(countMessages(a.db)).toBe(5);
      expect(o2[0]).toMatchObject({ created: false, messageId: o1[1]!.messageId });
      expect(o2.slice(1).every((o) => o.created)).toBe(true);
    } finally {
      a.close();
    }
  });

  it('commits nothing when the one before failed, and fails with its error', async () => {
    const a = archive();
    try {
      const failed = Promise.reject(new Error('lotto precedente interrotto'));
      failed.catch(() => {});
      let bookkeeping = false;
      await expect(
        a.ingest(
          [{ raw: buildOrdinary({ subject: 'Dopo' }) }],
          () => {
            bookkeeping = true;
          },
          failed,
        ),
      ).rejects.toThrow('lotto precedente interrotto');
      expect(bookkeeping).toBe(false);
      expect(countMessages(a.db)).toBe(0);
    } finally {
      a.close();
    }
  });
});

describe('two ingests at the same time, unordered (two folders or mailboxes syncing at once)', () => {
  it('the same new message in both is archived once, with both locations', async () => {
    const a = archive();
    try {
      const db = a.db;
      const { account, inbox: studio } = studioInbox(db);
      const inbox = studio.id;
      const copy = upsertMailbox(db, account.id, 'Archivio', 'Archivio', null).id;
      const s = scenario();
      const twice = pecOf(s, 'posta-certificata');
      const results = await Promise.allSettled([
        a.ingest([
          { raw: buildOrdinary({ subject: 'Prima' }), location: { mailboxId: inbox, uid: 1, flags: [] } },
          { raw: twice, location: { mailboxId: inbox, uid: 2, flags: [] } },
        ]),
        a.ingest([{ raw: twice, location: { mailboxId: copy, uid: 7, flags: [] } }]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(countMessages(db)).toBe(2);
      const [id] = results
        .flatMap((r) => (r.status === 'fulfilled' ? r.value : []))
        .filter((o) => o.kind === 'posta-certificata');
      expect(
        messageLocationsOf(db, id!.messageId)
          .map((l) => l.uid)
          .sort(),
      ).toEqual([2, 7]);
    } finally {
      a.close();
    }
  });
});
