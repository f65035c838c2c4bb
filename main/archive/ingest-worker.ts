/**
 * The ingest worker thread (ingest-pool.ts): parses, classifies and verifies the messages it is
 * given (ingest-record.ts) and answers with what ingest commits for each. It holds no database and
 * writes nothing: the archive's thread stays the one writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { certificateFromDer, type TrustAnchors } from '../pec/trust.ts';
import type { PoolAnchors, WorkerJob, WorkerReply } from './ingest-pool.ts';
import { ingestRecord } from './ingest-record.ts';

const port = parentPort;
if (!port) throw new Error('ingest-worker runs as a worker thread');

const given = (workerData as { anchors: PoolAnchors | null }).anchors;
// The trust anchors rebuilt from their DER; without any, the shipped PEC trust list (read here).
const anchors: TrustAnchors | undefined = given
  ? {
      certificates: given.certificates.map((der) => certificateFromDer(der)),
      eras: given.eras,
      source: given.source,
    }
  : undefined;

port.on('message', async (job: WorkerJob) => {
  let reply: WorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
    const record = await ingestRecord(raw, job.archivedAt, anchors);
    // Attachment bytes that own their memory move to the archive's thread instead of being copied.
    for (const { content } of record.contents) {
      const own = content.byteOffset === 0 && content.byteLength === content.buffer.byteLength;
      if (own && content.buffer instanceof ArrayBuffer && !transfer.includes(content.buffer))
        transfer.push(content.buffer);
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
});

port.postMessage({ ready: true } satisfies WorkerReply);
