/**
 * A second process that keeps writing an archive, as the server does while a backup runs: batches of
 * PEC (each with a PDF attachment) and ordinary messages ingested in a loop, one line on stdout per
 * committed batch ({"messages": total, "at": ms}). SIGTERM stops it after the batch in progress.
 * Run by tests/integration/backup.test.ts: tsx backup-writer.child.ts ARCHIVE_DIR
 */
import { Archive } from '../../main/archive/archive.ts';
import { buildOrdinary, minimalPdf, pecOf, scenario } from '../factory/pec-factory.ts';
import { testAnchors } from '../support/pec.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: backup-writer.child.ts ARCHIVE_DIR');
const archive = Archive.open(dir, { anchors: testAnchors() });
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});

let total = 0;
for (let batch = 0; !stopping; batch++) {
  const raws = [];
  for (let i = 0; i < 4; i++) {
    const n = batch * 4 + i;
    raws.push(
      pecOf(scenario({ subject: `Diffida n. ${n}` }), 'posta-certificata'),
      buildOrdinary({
        subject: `Circolare ${n}`,
        text: `Testo della circolare ${n}. `.repeat(200),
        attachments: [
          {
            filename: `allegato-${n}.pdf`,
            contentType: 'application/pdf',
            content: minimalPdf(`Allegato ${n}`),
          },
        ],
      }),
    );
  }
  const outcomes = await archive.ingest(raws.map((raw) => ({ raw })));
  total += outcomes.filter((o) => o.created).length;
  process.stdout.write(`${JSON.stringify({ messages: total, at: Date.now() })}\n`);
}
archive.close();
