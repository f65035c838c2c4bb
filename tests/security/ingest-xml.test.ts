/**
 * Six 1 MB XML attachments made of "<!--" once took 181 s for one message: a quadratic
 * comment-stripping regex (30 s per file until the per-file timeout), the attachments read one
 * after another during ingest, so the whole archive (every account) waited. Now the message is
 * archived and searchable by its attachments' names at once, and their text follows in linear time,
 * well within the message's budget. Times are generous for a loaded 2-core CI machine; the old code
 * fails them by minutes.
 */
import { describe, expect, it } from 'vitest';
import { messageAttachments } from '../../db/messages.ts';
import { runSearch } from '../../main/search/search.ts';
import { buildOrdinary } from '../factory/pec-factory.ts';
import { testArchive } from '../support/archive.ts';

const MB = 1024 * 1024;

describe('ingest stays bounded: hostile XML', () => {
  it('six 1 MB "<!--" attachments: archived at once, read within the message budget', async () => {
    const archive = testArchive();
    try {
      const raw = buildOrdinary({
        subject: 'Fatture di ottobre',
        attachments: [
          ...Array.from({ length: 6 }, (_, i) => ({
            filename: `commenti-${i + 1}.xml`,
            contentType: 'application/xml',
            content: Buffer.from('<!--'.repeat(MB / 4)),
          })),
          {
            filename: 'IT01234567890_FPR01.xml',
            contentType: 'application/xml',
            content: Buffer.from(
              '<?xml version="1.0"?><FatturaElettronica><Denominazione>Officine Zanardelli</Denominazione></FatturaElettronica>',
            ),
          },
        ],
      });
      const search = (q: string) =>
        runSearch(archive.db, { text: q, sort: 'date', offset: 0, limit: 10 }).total;

      const started = performance.now();
      const [out] = await archive.ingest([{ raw }]);
      const ingestMs = performance.now() - started;
      expect(out!.created).toBe(true);
      expect(ingestMs, `ingest took ${Math.round(ingestMs)} ms`).toBeLessThan(5_000);
      // Archived and searchable by name before any text is read.
      expect(search('commenti')).toBe(1);

      const reading = performance.now();
      expect(await archive.drainText(60_000)).toBe(0);
      const readMs = performance.now() - reading;
      expect(readMs, `reading took ${Math.round(readMs)} ms`).toBeLessThan(20_000);
      const statuses = messageAttachments(archive.db, out!.messageId).map((a) => [a.filename, a.textStatus]);
      expect(statuses).toEqual([
        ...Array.from({ length: 6 }, (_, i) => [`commenti-${i + 1}.xml`, 'empty']),
        ['IT01234567890_FPR01.xml', 'ok'],
      ]);
      expect(search('zanardelli')).toBe(1);
    } finally {
      archive.close();
    }
  }, 120_000);
});
