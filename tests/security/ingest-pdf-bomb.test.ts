/**
 * A 1 MB PDF whose content stream inflates to 1 GiB took the extraction worker to 2.3-2.8 GB of
 * resident memory: V8's 512 MiB heap limit does not count the buffers pdf.js inflates into. The
 * extractor is now a child process whose whole resident memory is capped (768 MiB): over it the
 * child is killed, the attachment flagged, and extraction goes on in a new child. Meanwhile other
 * messages are archived and searchable as usual. Memory is read from /proc (Linux).
 */
import { readFileSync } from 'node:fs';
import { createDeflate } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { messageAttachments } from '../../db/messages.ts';
import { Archive } from '../../main/archive/archive.ts';
import { DEFAULT_MAX_RSS_MB, TextExtractor } from '../../main/search/extract/extractor.ts';
import { runSearch } from '../../main/search/search.ts';
import { buildOrdinary } from '../factory/pec-factory.ts';
import { tempDir } from '../support/archive.ts';
import { testAnchors } from '../support/pec.ts';

const MiB = 1024 * 1024;

/** A one-page PDF whose content stream is `inflated` bytes of zeros, deflated (about 1000:1). */
async function pdfBomb(inflated: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => deflate.on('end', resolve));
  // Written a chunk at a time: the test itself never holds the inflated bytes.
  const zeros = Buffer.alloc(MiB);
  for (let n = 0; n < inflated / MiB; n++) {
    if (!deflate.write(zeros)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await ended;
  const stream = Buffer.concat(chunks);
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const add = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    parts.push(buf);
    length += buf.length;
  };
  add('%PDF-1.4\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>',
  ];
  objects.forEach((body, i) => {
    offsets.push(length);
    add(`${i + 1} 0 obj\n${body}\nendobj\n`);
  });
  offsets.push(length);
  add(`4 0 obj\n<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`);
  add(stream);
  add('\nendstream\nendobj\n');
  const xref = length;
  add(
    `xref\n0 5\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`,
  );
  add(`trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}

/** VmHWM (peak resident memory) of a process, in bytes; null once it is gone. */
function peakRss(pid: number | 'self'): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

describe.runIf(process.platform === 'linux')('ingest stays bounded: a PDF that inflates to 1 GiB', () => {
  it('the extractor is killed at its memory cap, the attachment flagged; other mail goes on', async () => {
    const extractor = new TextExtractor();
    const archive = Archive.open(tempDir('pecdesk-bomb-'), { anchors: testAnchors(), extractor });
    // Read every 5 ms while the bomb is read: the child's peak just before it is killed.
    let childPeak = 0;
    const children = new Set<number>();
    const sampler = setInterval(() => {
      const pid = extractor.pid;
      if (pid === null) return;
      children.add(pid);
      childPeak = Math.max(childPeak, peakRss(pid) ?? 0);
    }, 5);
    try {
      const bomb = await pdfBomb(1024 * MiB);
      expect(bomb.length).toBeLessThan(2 * MiB);
      const search = (q: string) =>
        runSearch(archive.db, { text: q, sort: 'date', offset: 0, limit: 10 }).total;

      const ingesting = performance.now();
      const [bombed] = await archive.ingest([
        {
          raw: buildOrdinary({
            subject: 'Bilancio',
            attachments: [{ filename: 'bilancio-2025.pdf', contentType: 'application/pdf', content: bomb }],
          }),
        },
      ]);
      // Archived at once, searchable by the attachment's name: reading it is not ingest's business.
      expect(performance.now() - ingesting).toBeLessThan(5_000);
      expect(search('bilancio')).toBe(1);

      // While the bomb is being read, another message is archived and searchable at once.
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const [other] = await archive.ingest([{ raw: buildOrdinary({ subject: 'Convocazione assemblea' }) }]);
      expect(other!.created).toBe(true);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(search('convocazione')).toBe(1);
      expect(archive.pendingText()).toBe(1);

      const reading = performance.now();
      expect(await archive.drainText(60_000)).toBe(0);
      expect(performance.now() - reading).toBeLessThan(45_000);
      const [attachment] = messageAttachments(archive.db, bombed!.messageId);
      expect(attachment).toMatchObject({
        textStatus: 'failed',
        textError: expect.stringMatching(/too much memory/),
      });
      expect(search('bilancio')).toBe(1);

      // The child was really watched (at least one sample), and stayed near its cap: the watchdog
      // polls every 10 ms, so it may overshoot by what pdf.js allocates in that time.
      expect(children.size).toBeGreaterThan(0);
      expect(childPeak).toBeGreaterThan(256 * MiB);
      expect(childPeak).toBeLessThan((DEFAULT_MAX_RSS_MB + 128) * MiB);
      // The app's own process never held the inflated bytes.
      expect(peakRss('self')!).toBeLessThan(DEFAULT_MAX_RSS_MB * MiB);

      // A new child reads the next file.
      const text = await extractor.extract({
        filename: 'nota.txt',
        contentType: 'text/plain',
        content: Buffer.from('ancora in piedi'),
      });
      expect(text).toMatchObject({ status: 'ok', text: 'ancora in piedi' });
    } finally {
      clearInterval(sampler);
      archive.close();
      await extractor.close();
    }
  }, 120_000);

  it('four of them in one message: its time budget bounds them all, the rest is flagged', async () => {
    const budgetMs = 2_000;
    const archive = Archive.open(tempDir('pecdesk-budget-'), {
      anchors: testAnchors(),
      textBudgetMs: budgetMs,
    });
    try {
      const bomb = await pdfBomb(1024 * MiB);
      const names = [1, 2, 3, 4].map((n) => `allegato-${n}.pdf`);
      const [out] = await archive.ingest([
        {
          raw: buildOrdinary({
            subject: 'Quattro allegati',
            attachments: names.map((filename) => ({
              filename,
              contentType: 'application/pdf',
              content: bomb,
            })),
          }),
        },
      ]);
      const reading = performance.now();
      expect(await archive.drainText(60_000)).toBe(0);
      // Without a budget per message: four times the per-file timeout (or the memory kill).
      expect(performance.now() - reading).toBeLessThan(budgetMs + 8_000);
      const attachments = messageAttachments(archive.db, out!.messageId);
      expect(attachments.map((a) => a.filename)).toEqual(names);
      expect(attachments.every((a) => a.textStatus === 'failed')).toBe(true);
      // The first ran into the budget (or the memory cap, on a fast machine); the others were not
      // even started once it was used up.
      expect(attachments[0]!.textError).toMatch(/time budget|too much memory/);
      for (const a of attachments.slice(1)) expect(a.textError).toMatch(/time budget/);
    } finally {
      archive.close();
    }
  }, 120_000);
});
