/**
 * Parse, classify and verify in worker threads, one per core: they are the CPU of ingest (MIME,
 * daticert.xml, the signature, the original via mailparser), while the archive's own thread keeps
 * the object store and the database, the one writer. Each worker has at most a few messages in
 * flight, so memory stays bounded by the batch ingest already holds.
 *
 * A worker that stops (a crash, memory) takes no message with it: the messages it was reading are
 * read again, each alone in a worker, so the one that stops workers is found and archived as
 * unparseable, with why (after stopping two), and the others are read as usual. Workers that cannot start at all (a missing bundle) leave the archive's thread to do the
 * work. Idle workers are stopped after a while and never keep the process alive.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { certificateDer } from '../pec/cms-parse.ts';
import type { TrustAnchors, TrustEra } from '../pec/trust.ts';
import { pecTrustList } from '../pec/trust-store.ts';
import { type IngestRecord, ingestRecord, unreadableRecord } from './ingest-record.ts';

/** Trust anchors as they cross to a worker: pkijs objects do not, their DER does. */
export interface PoolAnchors {
  certificates: Uint8Array[];
  eras: TrustEra[] | null;
  source: TrustAnchors['source'];
}

export interface WorkerJob {
  id: number;
  raw: Uint8Array;
  archivedAt: string;
}

export type WorkerReply =
  | { ready: true }
  | { id: number; record: IngestRecord; error?: undefined }
  | { id: number; error: string; record?: undefined };

export interface IngestPoolOptions {
  /** Worker threads; by default one per core. */
  size?: number;
  /** The trust anchors signatures are judged by; by default the shipped PEC trust list. */
  anchors?: TrustAnchors;
  /** Messages given to one worker before it answers (it reads the next while one waits). */
  perWorker?: number;
  /** Raw bytes given to one worker before it answers; it always gets at least one message. */
  perWorkerBytes?: number;
  /** Stop the workers after this long without work (ms). */
  idleMs?: number;
}

interface Job {
  id: number;
  raw: Uint8Array;
  archivedAt: string;
  /** It was in a worker that stopped: it is read alone from now on. */
  suspect: boolean;
  /** Workers it stopped while it was alone in them. */
  stopped: number;
  resolve: (record: IngestRecord) => void;
}

interface PoolWorker {
  worker: Worker;
  ready: boolean;
  inFlight: Map<number, Job>;
  /** Raw bytes of the messages in flight. */
  inFlightBytes: number;
  /** It reads a suspect message alone: nothing else is given to it meanwhile. */
  isolated: boolean;
  /** Set when it stopped on purpose (idle, close): its exit is not a failure. */
  stopping: boolean;
}

/** In a checkout the worker runs the TypeScript source through tsx; a build ships it bundled. */
function workerEntry(): { entry: string | URL; eval: boolean } {
  if (import.meta.url.endsWith('.ts')) {
    // tsx's ESM API (its "import" export; require.resolve would give the CommonJS one), registered
    // inside the worker before the worker's own module is imported.
    const require = createRequire(import.meta.url);
    const pkgPath = require.resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
      exports: Record<string, { import: { default: string } }>;
    };
    const api = pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
    const source = new URL('./ingest-worker.ts', import.meta.url).href;
    return {
      entry: `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`,
      eval: true,
    };
  }
  // Packaged apps keep the worker outside the asar archive (electron-builder.yml asarUnpack).
  const path = fileURLToPath(new URL('./ingest-worker.mjs', import.meta.url));
  return { entry: path.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`), eval: false };
}

function poolAnchors(anchors: TrustAnchors | undefined): PoolAnchors | null {
  let chosen = anchors;
  if (!chosen) {
    try {
      chosen = pecTrustList();
    } catch {
      // A trust list that cannot be read: each worker reads it and says why, per message.
      return null;
    }
  }
  return { certificates: chosen.certificates.map(certificateDer), eras: chosen.eras, source: chosen.source };
}

/**
 * Messages a worker holds: the archive's thread answers and feeds the workers between commits,
 * and a commit holds it for a WAL fsync plus the chunk's rows (5–10 ms); with 4 messages of about
 * a millisecond each the worker ran dry during every commit (idle 29 % of a 10,000-message sync,
 * issue 11). Enough for a commit, bounded in bytes too (PER_WORKER_BYTES) so that big messages
 * are not read many at once.
 */
const PER_WORKER = 16;
const PER_WORKER_BYTES = 8 * 1024 * 1024;

export class IngestPool {
  private readonly workers = new Set<PoolWorker>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Why the workers could not start: the archive's thread does the work from then on. */
  private broken: string | null = null;
  private readonly size: number;
  private readonly perWorker: number;
  private readonly perWorkerBytes: number;
  private readonly idleMs: number;
  private shared: PoolAnchors | null | undefined;
  private waiting: (() => void)[] = [];

  constructor(private readonly options: IngestPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.perWorker = Math.max(1, options.perWorker ?? PER_WORKER);
    this.perWorkerBytes = options.perWorkerBytes ?? PER_WORKER_BYTES;
    this.idleMs = options.idleMs ?? 30_000;
  }

  /** True when every worker has started and can take messages at once. */
  get ready(): boolean {
    return this.workers.size === this.size && [...this.workers].every((w) => w.ready);
  }

  /** Workers running now: for diagnostics and tests. */
  get threadIds(): number[] {
    return [...this.workers].map((w) => w.worker.threadId);
  }

  /** Messages the workers can be given at once: enough to keep each of them busy. */
  get capacity(): number {
    return this.size * this.perWorker;
  }

  /** Messages given to workers and not answered yet. */
  get inFlight(): number {
    let n = 0;
    for (const w of this.workers) n += w.inFlight.size;
    return n;
  }

  /** Starts the workers; true once they all run, false when they cannot (work stays here). */
  async whenReady(): Promise<boolean> {
    this.start();
    if (!this.ready && !this.broken && !this.closed) await new Promise<void>((r) => this.waiting.push(r));
    return this.ready;
  }

  /** Starts the workers (if they are not running) without waiting for them. */
  start(): void {
    if (this.closed || this.broken) return;
    while (this.workers.size < this.size) this.spawn();
    this.scheduleIdleStop();
  }

  record(raw: Uint8Array, archivedAt: string): Promise<IngestRecord> {
    if (this.closed) return Promise.reject(new Error('the ingest pool is closed'));
    if (this.broken) return ingestRecord(raw, archivedAt, this.options.anchors);
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, raw, archivedAt, suspect: false, stopped: 0, resolve });
      this.start();
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await Promise.all([...this.workers].map((w) => this.stop(w)));
    // Whatever was queued or in flight is read here, so no caller waits forever.
    for (const job of this.queue.splice(0))
      job.resolve(await ingestRecord(job.raw, job.archivedAt, this.options.anchors));
  }

  private spawn(): void {
    this.shared ??= poolAnchors(this.options.anchors);
    const { entry, eval: isEval } = workerEntry();
    const worker = new Worker(entry, { eval: isEval, workerData: { anchors: this.shared } });
    const pw: PoolWorker = {
      worker,
      ready: false,
      inFlight: new Map(),
      inFlightBytes: 0,
      isolated: false,
      stopping: false,
    };
    this.workers.add(pw);
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.answer(pw, reply));
    worker.on('error', (error) => this.lost(pw, error.message));
    worker.on('exit', (code) => this.lost(pw, `it exited with code ${code}`));
  }

  private answer(pw: PoolWorker, reply: WorkerReply): void {
    if ('ready' in reply) {
      pw.ready = true;
      if (this.ready) this.wake();
      this.pump();
      return;
    }
    const job = pw.inFlight.get(reply.id);
    if (!job) return;
    pw.inFlight.delete(reply.id);
    pw.inFlightBytes -= job.raw.byteLength;
    if (pw.inFlight.size === 0) pw.isolated = false;
    if (reply.record) {
      // Structured cloning turns Buffers into plain Uint8Arrays: the text queue wants Buffers.
      for (const c of reply.record.contents)
        c.content = Buffer.from(c.content.buffer, c.content.byteOffset, c.content.byteLength);
      job.resolve(reply.record);
    } else {
      job.resolve(unreadableRecord(job.raw, job.archivedAt, `the message could not be read: ${reply.error}`));
    }
    this.pump();
  }

  /** A worker stopped or failed: its messages go to another, once; then they are unreadable. */
  private lost(pw: PoolWorker, reason: string): void {
    if (!this.workers.delete(pw)) return;
    if (!pw.ready && !pw.stopping && !this.closed) {
      // It never started: the bundle or the loader is missing. Say so once, work here instead.
      this.broken = reason;
      console.error(`ingest workers could not start (${reason}): messages are read on the main thread`);
      this.wake();
      for (const w of this.workers) void this.stop(w);
      const jobs = [...pw.inFlight.values(), ...this.queue.splice(0)];
      for (const job of jobs)
        void ingestRecord(job.raw, job.archivedAt, this.options.anchors).then(job.resolve);
      return;
    }
    const alone = pw.inFlight.size === 1;
    for (const job of pw.inFlight.values()) {
      if (alone) job.stopped++;
      job.suspect = true;
      if (job.stopped >= 2 || this.closed)
        job.resolve(
          unreadableRecord(
            job.raw,
            job.archivedAt,
            `the message could not be read: the thread reading it stopped (${reason})`,
          ),
        );
      else this.queue.unshift(job);
    }
    pw.inFlight.clear();
    pw.inFlightBytes = 0;
    if (!this.closed && this.queue.length > 0) {
      this.start();
      this.pump();
    }
  }

  private pump(): void {
    // A suspect goes alone to an idle worker; the others fill workers up to perWorker. A job that
    // cannot be placed now does not hold back those behind it.
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i]!;
      let best: PoolWorker | null = null;
      for (const w of this.workers) {
        if (!w.ready || w.stopping || w.isolated) continue;
        const room = job.suspect
          ? w.inFlight.size === 0
          : w.inFlight.size === 0 ||
            (w.inFlight.size < this.perWorker && w.inFlightBytes + job.raw.byteLength <= this.perWorkerBytes);
        if (room && (!best || w.inFlight.size < best.inFlight.size)) best = w;
      }
      if (!best) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      best.inFlight.set(job.id, job);
      best.inFlightBytes += job.raw.byteLength;
      best.isolated = job.suspect;
      if (best.inFlight.size === 1) best.worker.ref();
      best.worker.postMessage({ id: job.id, raw: job.raw, archivedAt: job.archivedAt } satisfies WorkerJob);
    }
    // A worker with nothing to do must not keep the process alive.
    for (const w of this.workers) if (w.inFlight.size === 0) w.worker.unref();
    this.scheduleIdleStop();
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  private scheduleIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.closed || this.workers.size === 0) return;
    const busy = this.queue.length > 0 || [...this.workers].some((w) => w.inFlight.size > 0);
    if (busy) return;
    this.idleTimer = setTimeout(() => {
      for (const w of this.workers) void this.stop(w);
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private async stop(pw: PoolWorker): Promise<void> {
    pw.stopping = true;
    this.workers.delete(pw);
    for (const job of pw.inFlight.values()) this.queue.unshift(job);
    pw.inFlight.clear();
    pw.inFlightBytes = 0;
    await pw.worker.terminate();
  }
}
