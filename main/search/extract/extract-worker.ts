/**
 * Worker-thread entry of the text extractor (extractor.ts): reads attachments one at a time, so a
 * slow or hostile file stalls only this thread, and its owner can terminate it.
 */
import { parentPort } from 'node:worker_threads';
import { extractAttachmentText } from './attachment-text.ts';
import type { WorkerRequest, WorkerResponse } from './extractor.ts';

parentPort?.on('message', async (request: WorkerRequest) => {
  const result = await extractAttachmentText(request.file, request.limits);
  const response: WorkerResponse = { id: request.id, result };
  parentPort?.postMessage(response);
});
