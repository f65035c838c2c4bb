/**
 * Attachment text extraction off the main thread. One worker reads one file at a time; a file
 * that takes too long or exhausts the worker's memory is given up (status failed, indexed by its
 * name) and the worker is replaced, so ingest always goes on. The worker is started on first use
 * and stopped after a while without work.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEFAULT_LIMITS, type ExtractedText, type ExtractLimits } from './attachment-text.ts';
import type { AttachmentFile } from './formats.ts';

export interface WorkerRequest {
  id: number;
  file: AttachmentFile;
  limits: ExtractLimits;
}

export interface WorkerResponse {
  id: number;
  result: ExtractedText;
}

export interface ExtractorOptions {
  /** Per file. */
  timeoutMs?: number;
  limits?: ExtractLimits;
  /** Heap of the worker: a file needing more is given up. */
  maxHeapMb?: number;
  idleMs?: number;
}

interface Job {
  file: AttachmentFile;
  resolve: (r: ExtractedText) => void;
}

/** In a checkout the worker runs from its TypeScript source through tsx; a build ships it bundled. */
function workerEntry(): URL | string {
  if (import.meta.url.endsWith('.ts')) {
    // The ESM build of tsx's API (require.resolve finds the CommonJS one next to it).
    const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
    const api = pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
    const entry = new URL('./extract-worker.ts', import.meta.url).href;
    // Evaluated as the worker's script: registers tsx in that thread, then loads the entry.
    return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  }
  // Packaged apps keep the worker outside the asar archive (electron-builder.yml asarUnpack).
  const url = new URL('./extract-worker.mjs', import.meta.url);
  return new URL(url.href.replace('/app.asar/', '/app.asar.unpacked/'));
}

export class TextExtractor {
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private current: { id: number; job: Job; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly limits: ExtractLimits;
  private readonly maxHeapMb: number;
  private readonly idleMs: number;

  constructor(options: ExtractorOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.limits = options.limits ?? DEFAULT_LIMITS;
    this.maxHeapMb = options.maxHeapMb ?? 512;
    this.idleMs = options.idleMs ?? 30_000;
  }

  extract(file: AttachmentFile): Promise<ExtractedText> {
    if (this.closed) return Promise.resolve(failure('the extractor is closed'));
    return new Promise((resolve) => {
      this.queue.push({ file, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve(failure('the extractor is closed'));
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.job.resolve(failure('the extractor is closed'));
      this.current = null;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.stopWorker();
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) {
      this.scheduleIdleStop();
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const timer = setTimeout(() => this.giveUp(`timed out after ${this.timeoutMs} ms`), this.timeoutMs);
    this.current = { id, job, timer };
    // A copy is transferred: the caller keeps its buffer.
    const content = new Uint8Array(job.file.content);
    const request: WorkerRequest = { id, file: { ...job.file, content }, limits: this.limits };
    worker.postMessage(request, [content.buffer]);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const entry = workerEntry();
    const worker = new Worker(entry, {
      eval: typeof entry === 'string',
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
      stdout: true,
      stderr: true,
    });
    worker.unref();
    worker.on('message', (response: WorkerResponse) => {
      if (this.current?.id !== response.id) return;
      this.finish(response.result);
    });
    // pdf.js talks on the console about odd files; that is not the app's log.
    worker.stdout.resume();
    worker.stderr.resume();
    // Only the live worker's end concerns the current job: a replaced one is already given up.
    worker.on('error', (error) => {
      if (this.worker === worker) this.giveUp(`the extractor failed: ${error.message}`);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.giveUp('the extractor stopped');
    });
    this.worker = worker;
    return worker;
  }

  private finish(result: ExtractedText): void {
    const current = this.current;
    if (!current) return;
    clearTimeout(current.timer);
    this.current = null;
    current.job.resolve(result);
    this.pump();
  }

  /** The file is given up and the worker replaced: whatever it was doing is abandoned. */
  private giveUp(reason: string): void {
    void this.stopWorker();
    this.finish(failure(reason));
  }

  /** Forgets the worker first, so its exit is not taken for the current job's failure. */
  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private scheduleIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.stopWorker(), this.idleMs);
    this.idleTimer.unref();
  }
}

function failure(error: string): ExtractedText {
  return { text: '', status: 'failed', error };
}
