import { unlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messageAttachments } from '../../../db/messages.ts';
import { EventBus } from '../../../main/api/events.ts';
import { Archive } from '../../../main/archive/archive.ts';
import { runSearch } from '../../../main/search/search.ts';
import { buildOrdinary } from '../../factory/pec-factory.ts';
import { tempDir } from '../../support/archive.ts';
import { testAnchors } from '../../support/pec.ts';

const withText = (subject: string, word: string) =>
  buildOrdinary({
    subject,
    attachments: [
      { filename: 'nota.txt', contentType: 'text/plain', content: `Verbale ${word}` },
      { filename: 'foto.jpg', contentType: 'image/jpeg', content: Buffer.from([0xff, 0xd8, 0xff]) },
    ],
  });

describe('attachment text after ingest (text queue)', () => {
  it('ingest commits names at once; the text follows, and the front ends are told', async () => {
    const events = new EventBus();
    const changed: number[] = [];
    events.on('archive.changed', (e) => changed.push(e.created));
    const archive = Archive.open(tempDir(), { anchors: testAnchors(), events });
    try {
      const [out] = await archive.ingest([{ raw: withText('Assemblea', 'ascensore') }]);
      const find = (q: string) => runSearch(archive.db, { text: q, sort: 'date', offset: 0, limit: 5 }).total;
      expect(find('nota')).toBe(1);
      expect(messageAttachments(archive.db, out!.messageId).map((a) => a.textStatus)).toEqual([
        'pending',
        'unsupported',
      ]);
      const progress: [number, number][] = [];
      expect(await archive.drainText(30_000, (d, t) => progress.push([d, t]))).toBe(0);
      expect(progress.at(-1)).toEqual([1, 1]);
      expect(find('ascensore')).toBe(1);
      expect(messageAttachments(archive.db, out!.messageId).map((a) => a.textStatus)).toEqual([
        'ok',
        'unsupported',
      ]);
      expect(changed).toEqual([1, 0]);
    } finally {
      archive.close();
    }
  });

  it('text left pending by a run that stopped is read when the archive is opened again', async () => {
    const dir = tempDir();
    const first = Archive.open(dir, { anchors: testAnchors() });
    await first.ingest([{ raw: withText('Uno', 'caldaia') }, { raw: withText('Due', 'grondaia') }]);
    // Closed before the queue could read anything (as a quit or a crash would leave it).
    first.close();
    const again = Archive.open(dir, { anchors: testAnchors() });
    try {
      expect(again.pendingText()).toBe(2);
      // Opening the app runs the search back-fill, which resumes the queue.
      await again.backfillSearchIndex();
      expect(await again.drainText(30_000)).toBe(0);
      const find = (q: string) => runSearch(again.db, { text: q, sort: 'date', offset: 0, limit: 5 }).total;
      expect([find('caldaia'), find('grondaia')]).toEqual([1, 1]);
    } finally {
      again.close();
    }
  });

  it('an original that cannot be read again: its attachments are flagged, not retried forever', async () => {
    const dir = tempDir();
    const first = Archive.open(dir, { anchors: testAnchors() });
    const [out] = await first.ingest([{ raw: withText('Perso', 'tombino') }]);
    first.close();
    const again = Archive.open(dir, { anchors: testAnchors() });
    try {
      const hash = again.db.$client
        .prepare('SELECT object_hash FROM messages WHERE id = ?')
        .pluck()
        .get(out!.messageId) as string;
      unlinkSync(again.objects.pathOf(hash));
      expect(await again.drainText(30_000)).toBe(0);
      const [attachment] = messageAttachments(again.db, out!.messageId);
      expect(attachment).toMatchObject({
        textStatus: 'failed',
        textError: expect.stringMatching(/could not be read again/),
      });
      const find = (q: string) => runSearch(again.db, { text: q, sort: 'date', offset: 0, limit: 5 }).total;
      expect(find('nota')).toBe(1);
    } finally {
      again.close();
    }
  });
});
