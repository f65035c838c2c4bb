/**
 * Attachment text waits for ingest to pause: the text queue takes the writer thread (a commit per
 * message) and a core (its extraction process), which a sync needs. It starts two seconds after the
 * last batch, at once when someone waits for it (drainText), and the text is read all the same.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { messageAttachments } from '../../../db/messages.ts';
import { TextQueue } from '../../../main/archive/text-queue.ts';
import { buildOrdinary } from '../../factory/pec-factory.ts';
import { testArchive } from '../../support/archive.ts';

const withText = (n: number) =>
  buildOrdinary({
    subject: `Verbale ${n}`,
    attachments: [
      { filename: `verbale-${n}.txt`, contentType: 'text/plain', content: `Assemblea numero ${n}` },
    ],
  });

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('attachment text after ingest pauses', () => {
  it('batches close together do not start the text queue; two seconds after the last one, it starts', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const kick = vi.spyOn(TextQueue.prototype, 'kick');
    const archive = testArchive();
    try {
      for (let n = 1; n <= 3; n++) {
        await archive.ingest([{ raw: withText(n) }]);
        await vi.advanceTimersByTimeAsync(1_500);
      }
      expect(kick).not.toHaveBeenCalled();
      expect(archive.pendingText()).toBe(3);
      await vi.advanceTimersByTimeAsync(600);
      expect(kick).toHaveBeenCalledTimes(1);
    } finally {
      archive.close();
    }
  });

  it('someone waiting for the text starts it at once, and it is read', async () => {
    const archive = testArchive();
    try {
      const [out] = await archive.ingest([{ raw: withText(4) }]);
      expect(await archive.drainText(30_000)).toBe(0);
      expect(messageAttachments(archive.db, out!.messageId).map((a) => a.textStatus)).toEqual(['ok']);
    } finally {
      archive.close();
    }
  });
});
