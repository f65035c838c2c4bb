/**
 * Child-process entry of the text extractor (extractor.ts): reads attachments one at a time, so a
 * slow or hostile file stalls only this process, and its owner can kill it.
 *
 * The memory cap is enforced from inside, by a watchdog thread: V8's heap limit does not count the
 * ArrayBuffers pdf.js inflates streams into (a 1.5 MB PDF inflating to 1 GiB took 2.8 GB), and the
 * main thread cannot watch itself while it is inside a long synchronous decode. The watchdog thread
 * has its own event loop; it reads the process's resident memory and kills the whole process the
 * moment it goes over the cap, leaving a marker on stderr so the parent can say why. It also ends
 * the process when the parent is gone (killed), so no extractor outlives the app.
 */
import { Worker } from 'node:worker_threads';
import { extractAttachmentText } from './attachment-text.ts';
import type { WorkerRequest, WorkerResponse } from './extractor.ts';
import { MEMORY_MARKER } from './memory-marker.ts';

/** Evaluated in the watchdog thread (CommonJS, no imports of ours). */
const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { maxRss, parentPid, marker, pollMs } = workerData;
const die = () => process.kill(process.pid, 'SIGKILL');
let ticks = 0;
setInterval(() => {
  if (process.memoryUsage.rss() > maxRss) {
    try { writeSync(2, marker); } catch {}
    die();
  }
  if (++ticks % 25 === 0) {
    try { process.kill(parentPid, 0); } catch (error) { if (error.code === 'ESRCH') die(); }
  }
}, pollMs);
`;

const maxRssMb = Number(process.argv[2]);
if (Number.isFinite(maxRssMb) && maxRssMb > 0) {
  const watchdog = new Worker(WATCHDOG, {
    eval: true,
    workerData: {
      maxRss: maxRssMb * 1024 * 1024,
      parentPid: process.ppid,
      marker: MEMORY_MARKER,
      pollMs: 10,
    },
    resourceLimits: { maxOldGenerationSizeMb: 16 },
  });
  watchdog.unref();
}

const answer = async (request: WorkerRequest): Promise<WorkerResponse> => ({
  id: request.id,
  result: await extractAttachmentText(request.file, request.limits),
});

/** Electron's utilityProcess (the packaged app: child-launcher.ts) talks through parentPort. */
interface ParentPort {
  on(event: 'message', listener: (e: { data: WorkerRequest }) => void): void;
  postMessage(message: WorkerResponse): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

if (parentPort) {
  parentPort.on('message', async (e) => parentPort.postMessage(await answer(e.data)));
} else {
  process.on('message', async (request: WorkerRequest) => process.send?.(await answer(request)));
  // The parent closed the channel (it is closing, or it died): nothing more will be asked.
  process.on('disconnect', () => process.exit(0));
}
