/**
 * Attachment text extraction in a child process. It reads one file at a time; a file that takes
 * too long, or makes the process go over its memory cap, is given up (status failed, with the
 * reason; the attachment stays indexed by its name) and the process replaced, so extraction always
 * goes on. A process, not a thread: the cap must count everything the file makes it allocate
 * (pdf.js inflates streams into ArrayBuffers, which V8's heap limit ignores), and the OS can take
 * it all back at once. Started on first use, stopped after a while without work.
 */
import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_LIMITS, type ExtractedText, type ExtractLimits } from './attachment-text.ts';
import { childLauncher, type ExtractorChild } from './child-launcher.ts';
import type { AttachmentFile } from './formats.ts';
import { MEMORY_MARKER } from './memory-marker.ts';

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
  /** V8 heap of the child. */
  maxHeapMb?: number;
  /** Resident memory of the whole child (heap, buffers, code): over it, the child is killed. */
  maxRssMb?: number;
  idleMs?: number;
}

export interface ExtractOptions {
  /** Epoch ms by which this file must be read (what is left of its message's time budget). */
  deadline?: number;
}

export const DEFAULT_MAX_RSS_MB = 768;

interface Job {
  file: AttachmentFile;
  deadline: number | undefined;
  resolve: (r: ExtractedText) => void;
}

/** In a checkout the child runs the TypeScript source through tsx; a build ships it bundled. */
function childEntry(): { modulePath: string; execArgv: string[] } {
  if (import.meta.url.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
    return {
      modulePath: fileURLToPath(new URL('./extract-worker.ts', import.meta.url)),
      execArgv: ['--import', tsx],
    };
  }
  // Packaged apps keep the worker outside the asar archive (electron-builder.yml asarUnpack).
  const path = fileURLToPath(new URL('./extract-worker.mjs', import.meta.url));
  return { modulePath: path.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`), execArgv: [] };
}

export class TextExtractor {
  private child: ExtractorChild | null = null;
  private readonly queue: Job[] = [];
  private current: { id: number; job: Job; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly timeoutMs: number;
  private readonly limits: ExtractLimits;
  private readonly maxHeapMb: number;
  private readonly maxRssMb: number;
  private readonly idleMs: number;

  constructor(options: ExtractorOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.limits = options.limits ?? DEFAULT_LIMITS;
    this.maxHeapMb = options.maxHeapMb ?? 512;
    this.maxRssMb = options.maxRssMb ?? DEFAULT_MAX_RSS_MB;
    this.idleMs = options.idleMs ?? 30_000;
  }

  /** Closed: every extract() answers failed from now on. */
  get closed(): boolean {
    return this.stopped;
  }

  /** The running child's process id (null when none runs): for diagnostics and tests. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  extract(file: AttachmentFile, options: ExtractOptions = {}): Promise<ExtractedText> {
    if (this.stopped) return Promise.resolve(failure('the extractor is closed'));
    return new Promise((resolve) => {
      this.queue.push({ file, deadline: options.deadline, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.stopped = true;
    for (const job of this.queue.splice(0)) job.resolve(failure('the extractor is closed'));
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.job.resolve(failure('the extractor is closed'));
      this.current = null;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.stopChild();
  }

  private pump(): void {
    if (this.current || this.stopped) return;
    const job = this.queue.shift();
    if (!job) {
      this.scheduleIdleStop();
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const left = job.deadline === undefined ? Number.POSITIVE_INFINITY : job.deadline - Date.now();
    if (left <= 0) {
      job.resolve(failure("not read: the message's time budget was used up by its other attachments"));
      this.pump();
      return;
    }
    const child = this.ensureChild();
    const id = this.nextId++;
    const timeoutMs = Math.min(this.timeoutMs, left);
    const reason =
      timeoutMs < this.timeoutMs
        ? `timed out after ${Math.round(timeoutMs)} ms: the message's time budget ran out`
        : `timed out after ${this.timeoutMs} ms`;
    const timer = setTimeout(() => this.giveUp(reason), timeoutMs);
    this.current = { id, job, timer };
    const request: WorkerRequest = { id, file: job.file, limits: this.limits };
    child.send(request, (error) => {
      if (error && this.current?.id === id)
        this.giveUp(`the extractor could not be reached: ${error.message}`);
    });
  }

  private ensureChild(): ExtractorChild {
    if (this.child) return this.child;
    const { modulePath, execArgv } = childEntry();
    const child = childLauncher()({
      modulePath,
      args: [String(this.maxRssMb)],
      execArgv: [...execArgv, `--max-old-space-size=${this.maxHeapMb}`],
    });
    // stderr is read only for the watchdog's marker and V8's out-of-memory report.
    let stderr = '';
    child.onStderr((text) => {
      stderr = (stderr + text).slice(-4096);
    });
    child.onMessage((response) => {
      if (this.child === child && this.current?.id === response.id) this.finish(response.result);
    });
    // Only the live child's end concerns the current job: a replaced one is already given up.
    child.onError((error) => {
      if (this.child === child) this.giveUp(`the extractor failed: ${error.message}`);
    });
    child.onExit((code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      if (this.current)
        this.finish(
          failure(exitReason(stderr, code, signal as NodeJS.Signals | null, this.maxRssMb, this.maxHeapMb)),
        );
    });
    this.child = child;
    return child;
  }

  private finish(result: ExtractedText): void {
    const current = this.current;
    if (!current) return;
    clearTimeout(current.timer);
    this.current = null;
    current.job.resolve(result);
    this.pump();
  }

  /** The file is given up and the child replaced: whatever it was doing is abandoned. */
  private giveUp(reason: string): void {
    this.stopChild();
    this.finish(failure(reason));
  }

  /** Forgets the child first, so its end is not taken for the current job's failure. */
  private stopChild(): void {
    const child = this.child;
    this.child = null;
    if (child?.alive()) child.kill();
  }

  private scheduleIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopChild(), this.idleMs);
    this.idleTimer.unref();
  }
}

/** Why the child ended in the middle of a file, in words for the details pane and the log. */
function exitReason(
  stderr: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  maxRssMb: number,
  maxHeapMb: number,
): string {
  if (stderr.includes(MEMORY_MARKER.trim()))
    return `too much memory: reading it took the extractor over ${maxRssMb} MiB`;
  if (/heap out of memory|Reached heap limit/i.test(stderr))
    return `too much memory: reading it took the extractor over its ${maxHeapMb} MiB heap`;
  return `the extractor stopped (${signal ?? `exit code ${code}`})`;
}

function failure(error: string): ExtractedText {
  return { text: '', status: 'failed', error };
}
