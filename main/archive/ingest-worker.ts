/**
 * The ingest worker thread (ingest-pool.ts): parses, classifies and verifies the messages it is
 * given (ingest-record.ts) and answers with what ingest commits for each. It holds no database and
 * writes nothing: the archive's thread stays the one writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { certificateFromDer, type TrustAnchors } from '../pec/trust.ts';
import type { PoolAnchors, WorkerJob, WorkerReply } from './ingest-pool.ts';
import { ingestRecord } from './ingest-record.ts';

if (!parentPort) throw new Error('ingest-worker runs as a worker thread');
const port = parentPort;

const given = (workerData as { anchors: PoolAnchors | null }).anchors;
// The trust anchors rebuilt from their DER; without any, the shipped PEC trust list (read here).
const anchors: TrustAnchors | undefined = given
  ? {
      certificates: given.certificates.map((der) => certificateFromDer(der)),
      eras: given.eras,
      source: given.source,
    }
  : undefined;

/**
 * One message at a time, in the order given: the messages given together would otherwise be read
 * interleaved and all answered at about the same moment, and the worker would wait, empty, until
 * the archive's thread, busy committing, gave it the next ones (issue 11). Read one after the
 * other, they are answered one by one and the worker always holds the rest (ingest-pool.ts
 * PER_WORKER).
 */
let reading: Promise<void> = Promise.resolve();

port.on('message', (job: WorkerJob) => {
  // read() answers every failure of the message itself; anything else stops the worker, as an
  // unhandled rejection would, and the pool reads its messages again.
  reading = reading
    .then(() => read(job))
    .catch((error: unknown) =>
      process.nextTick(() => {
        throw error;
      }),
    );
});

async function read(job: WorkerJob): Promise<void> {
  let reply: WorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
    const record = await ingestRecord(raw, job.archivedAt, anchors);
    // Attachment bytes move to the archive's thread instead of being copied. A small one is a
    // view into a larger buffer (Node's 8 KiB pool, a decoded part): cloned, the whole of that
    // buffer would cross and stay alive for as long as the text queue keeps the attachment,
    // about 13 times its size in the bench's mail; it gets a buffer of its own first.
    for (const c of record.contents) {
      const own =
        c.content.byteOffset === 0 &&
        c.content.byteLength === c.content.buffer.byteLength &&
        c.content.buffer instanceof ArrayBuffer;
      if (!own) {
        const copy = Buffer.allocUnsafeSlow(c.content.byteLength);
        c.content.copy(copy);
        c.content = copy;
      }
      const buffer = c.content.buffer as ArrayBuffer;
      if (!transfer.includes(buffer)) transfer.push(buffer);
    }
    reply = { id: job.id, record };
  } catch (error) {
    reply = { id: job.id, error: (error as Error).message ?? String(error) };
  }
  try {
    port.postMessage(reply, transfer);
  } catch {
    // A buffer that cannot move is copied instead.
    port.postMessage(reply);
  }
}

port.postMessage({ ready: true } satisfies WorkerReply);
