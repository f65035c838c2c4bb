/**
 * The archive: one folder with archive.db and objects/. The single ingest pipeline is here: the raw
 * bytes stored durably while worker threads parse, classify and verify (ingest-pool.ts) → reconcile
 * → commit → index hook. This thread stays the one writer of the database. A message is safe once
 * its bytes are fsynced and its row committed; the batch's bookkeeping (e.g. a folder's last UID)
 * commits in the same transaction as its last rows, and rows committed before (a big batch commits
 * in chunks) are known by their hash when the batch is fetched again, so a crash at any moment
 * loses nothing and duplicates nothing.
 * Attachment text is not read during ingest: the message is committed searchable by its
 * attachments' names, and the text queue (text-queue.ts) adds their text afterwards.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type Db, openDatabase } from '../../db/database.ts';
import {
  countMessages,
  findMessageIdsByHash,
  insertMessage,
  type Location,
  type NewMessage,
  setMessageThread,
  threadMembers,
  unthreadedByMessageId,
  upsertLocation,
} from '../../db/messages.ts';
import { deleteMeta, getMeta, setMeta } from '../../db/meta.ts';
import {
  countDocHeadsAfter,
  countHeadsWithoutDoc,
  countStaleText,
  DOCS_VERSION,
  docHeadsAfter,
  emptySearchText,
  headsWithoutDoc,
  rebuildDocs,
  refreshMessageText,
  SEARCH_VERSION,
  saveMessageText,
  staleText,
} from '../../db/search.ts';
import {
  countThreadsAfter,
  createThread,
  findThread,
  getThread,
  saveThreadSummary,
  setThreadMsgid,
  threadIdsAfter,
} from '../../db/threads.ts';
import type { CoreEvents } from '../common/core-events.ts';
import type { EventSink } from '../common/event-bus.ts';
import { isPecKind, type MessageKind } from '../pec/kinds.ts';
import type { AttachmentContent } from '../pec/original.ts';
import { RECONCILE_VERSION, reconcile, type ThreadMember } from '../pec/reconcile.ts';
import type { TrustAnchors } from '../pec/trust.ts';
import { TextExtractor } from '../search/extract/extractor.ts';
import { InstantIndex } from '../search/instant.ts';
import { IngestPool } from './ingest-pool.ts';
import { type IngestRecord, ingestRecord } from './ingest-record.ts';
import { ObjectStore } from './object-store.ts';
import { DEFAULT_MESSAGE_BUDGET_MS, TextQueue } from './text-queue.ts';

export interface IngestItem {
  raw: Buffer;
  location?: Location;
}

export interface IngestOutcome {
  messageId: number;
  created: boolean;
  kind: string;
  threadId: number | null;
}

export interface ArchiveOptions {
  anchors?: TrustAnchors;
  events?: EventSink<Pick<CoreEvents, 'archive.changed'>>;
  /** Reads attachment text for search; by default the archive runs its own. */
  extractor?: TextExtractor;
  /** Time to read all the attachments of one message (ms); what is left is marked failed. */
  textBudgetMs?: number;
  /**
   * Runs inside each ingest transaction, after the rows and threads, before the search documents
   * (issue 14: routing rules, so no message is ever seen unrouted and its tags are in its document).
   */
  onIngest?: (db: Db, outcomes: readonly IngestOutcome[]) => void;
  /**
   * Worker threads that parse, classify and verify (ingest-pool.ts); by default one per core but
   * the one the archive's own thread (the writer) needs, at least one, at most
   * MAX_INGEST_WORKERS. 0 reads every message on the archive's own thread.
   */
  ingestWorkers?: number;
}

/** The messages of a batch being read: a promise each, in order. */
interface Reading {
  records: Promise<IngestRecord>[];
  /** Read by the worker threads (then the batch is written and committed in chunks). */
  pooled: boolean;
}

/** What the chunks of a batch committed, for after the last one. */
interface Done {
  outcomes: IngestOutcome[];
  /** New messages with attachment text to read, and the bytes ingest already has for it. */
  unread: Map<number, AttachmentContent[]>;
  touched: Set<number>;
}

/**
 * Messages per transaction of a batch read by the workers: the writer commits one chunk while the
 * workers read the next (a transaction costs a WAL fsync, so not one per message).
 */
const COMMIT_CHUNK = 25;

/** Messages read at once on the archive's own thread (their parsing waits on streams). */
const PARSE_CONCURRENCY = 4;
/**
 * A batch this big starts the worker threads; smaller ones (a message sent, a test) are read on
 * the archive's thread, which costs less than starting threads. While the workers start, batches
 * are read here too.
 */
const POOL_THRESHOLD = 16;
/**
 * Past a few workers the writer (one thread, by design) is what ingest waits for, while each
 * worker holds a heap of its own.
 */
const MAX_INGEST_WORKERS = 3;
/**
 * The text queue starts this long after the last batch: during a sync it would take the writer
 * thread (a commit per message) and a core (its extraction process) from ingest, which people wait
 * for; the messages are searchable by their attachments' names meanwhile, and `pecdesk sync` and
 * drainText start it at once.
 */
const TEXT_AFTER_INGEST_MS = 2_000;

export class Archive {
  readonly db: Db;
  readonly objects: ObjectStore;
  private readonly extractor: TextExtractor;
  private readonly ownsExtractor: boolean;
  private readonly texts: TextQueue;
  private instantIndex: InstantIndex | null = null;
  private instantBuild: Promise<InstantIndex> | null = null;
  private pool: IngestPool | null = null;
  private textTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly dir: string,
    private readonly options: ArchiveOptions,
  ) {
    this.db = openDatabase(join(dir, 'archive.db'));
    markCurrentIfEmpty(this.db);
    this.objects = new ObjectStore(join(dir, 'objects'));
    this.ownsExtractor = !options.extractor;
    this.extractor = options.extractor ?? new TextExtractor();
    this.texts = new TextQueue(this.db, this.objects, this.extractor, {
      messageBudgetMs: options.textBudgetMs ?? DEFAULT_MESSAGE_BUDGET_MS,
      // Search results may have changed: front ends refresh what they show.
      onIdle: () => this.options.events?.emit('archive.changed', { created: 0, threads: [] }),
    });
  }

  static open(dir: string, options: ArchiveOptions = {}): Archive {
    return new Archive(dir, options);
  }

  /** Start-up housekeeping: temporary object files left by a killed writer. */
  async sweep(): Promise<number> {
    return this.objects.sweepTemporary();
  }

  /** The in-memory suggestion layer: built once, on first use, and kept current by ingest. */
  instant(): Promise<InstantIndex> {
    if (!this.instantBuild) {
      const index = new InstantIndex();
      this.instantIndex = index;
      this.instantBuild = index.build(this.db).then(() => index);
    }
    return this.instantBuild;
  }

  close(): void {
    if (this.textTimer) clearTimeout(this.textTimer);
    this.texts.close();
    this.db.$client.close();
    if (this.ownsExtractor) void this.extractor.close();
    void this.pool?.close();
    this.pool = null;
  }

  /**
   * Reads the attachment text still pending (left by ingest, or by a run that stopped) in the
   * background; ingest and the search back-fill start it by themselves.
   */
  resumeText(): void {
    this.texts.kick();
  }

  /** Messages whose attachment text is not read yet. */
  pendingText(): number {
    return this.texts.pending();
  }

  /**
   * Waits (at most timeoutMs) until every attachment text is read, with progress in messages;
   * returns how many messages are still pending (read the next time the archive is opened).
   */
  drainText(
    timeoutMs: number,
    onProgress?: (done: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<number> {
    return this.texts.drain(timeoutMs, onProgress, signal);
  }

  /**
   * Ingests a batch. `commitWith` runs inside the same transaction as the last rows (sync
   * bookkeeping). A big batch read by the worker threads commits in chunks, in the batch's order,
   * each as soon as its messages are read, while the workers read the next ones: a crash between
   * two chunks leaves the bookkeeping before the batch, so the batch is fetched again and the
   * messages already committed are known by their hash (their location is written again, no row
   * twice).
   * With `after` (the batch before, still being committed), this batch is read and its objects
   * written at once, but its rows commit only once `after` has; if `after` fails, nothing of this
   * batch is committed and it fails with the same error (so a folder's bookkeeping never passes a
   * batch that is not archived).
   */
  async ingest(
    items: IngestItem[],
    commitWith?: (db: Db) => void,
    after?: Promise<unknown>,
  ): Promise<IngestOutcome[]> {
    const hashes = items.map((i) => ObjectStore.hash(i.raw));
    const known = findMessageIdsByHash(this.db, hashes);
    const fresh = new Map<string, IngestItem>();
    hashes.forEach((h, i) => {
      if (!known.has(h) && !fresh.has(h)) fresh.set(h, items[i]!);
    });
    // 1. Raw bytes, durable, and 2. parsing (in the worker threads), at once: the disk works while
    // the workers read. The objects go to disk a chunk after the other, each chunk fsynced as one.
    const archivedAt = new Date().toISOString();
    const entries = [...fresh];
    const reading = this.records(
      entries.map(([, item]) => item.raw),
      archivedAt,
    );
    const size = reading.pooled ? COMMIT_CHUNK : Math.max(1, entries.length);
    const chunks: [number, number][] = [];
    for (let a = 0; a < entries.length; a += size) chunks.push([a, Math.min(entries.length, a + size)]);
    let previous: Promise<void> = Promise.resolve();
    const written = chunks.map(([a, b]) => {
      previous = previous.then(() =>
        this.objects.putMany(entries.slice(a, b).map(([hash, item]) => ({ bytes: item.raw, hash }))),
      );
      return previous;
    });
    // Each failure is answered below, in order; the later chunks only repeat it.
    for (const w of written) w.catch(() => {});
    if (after) {
      try {
        await after;
      } catch (error) {
        await Promise.allSettled([...reading.records, ...written]);
        throw error;
      }
      // The batch before may have archived some of these (the same bytes twice in a folder): each
      // chunk's transaction asks again which are known (commitItems).
    }
    // 3. Rows, locations, threads, bookkeeping, in the batch's order: a chunk's rows commit once
    // its objects are on disk and its messages read, while the next chunk is written and read.
    const done: Done = { outcomes: [], unread: new Map(), touched: new Set() };
    const records = new Map<string, IngestRecord>();
    try {
      let from = 0;
      for (const [k, [a, b]] of chunks.entries()) {
        await written[k];
        for (let r = a; r < b; r++) records.set(entries[r]![0], await reading.records[r]!);
        let to = from;
        while (to < items.length && (known.has(hashes[to]!) || records.has(hashes[to]!))) to++;
        this.commitItems(
          items,
          hashes,
          from,
          to,
          known,
          records,
          done,
          to === items.length ? commitWith : undefined,
        );
        from = to;
      }
      // Nothing new in the batch: its locations and bookkeeping alone.
      if (chunks.length === 0)
        this.commitItems(items, hashes, 0, items.length, known, records, done, commitWith);
    } catch (error) {
      // The workers still hold some of these messages: let them finish before saying why.
      await Promise.allSettled(reading.records);
      throw error;
    }
    for (const [id, contents] of done.unread) this.texts.remember(id, contents);
    if (done.unread.size > 0) this.readTextSoon();
    const createdCount = done.outcomes.filter((o) => o.created).length;
    if (createdCount > 0) {
      this.instantIndex?.refresh(this.db);
      this.options.events?.emit('archive.changed', { created: createdCount, threads: [...done.touched] });
    }
    return done.outcomes;
  }

  /** One transaction: the items [from, to) of a batch, whose new messages are all read. */
  private commitItems(
    items: IngestItem[],
    hashes: string[],
    from: number,
    to: number,
    known: Map<string, number>,
    records: Map<string, IngestRecord>,
    done: Done,
    commitWith?: (db: Db) => void,
  ): void {
    const outcomes: IngestOutcome[] = [];
    const touched = new Set<number>();
    // Messages whose list row's search document must be rebuilt: new ones, moved ones.
    const changed = new Set<number>();
    this.db.$client.transaction(() => {
      // Another ingest of this archive (another folder or mailbox syncing at the same time) may
      // have committed some of these bytes since this batch looked: asked again here, inside the
      // transaction, where no other commit can come in between (else UNIQUE object_hash fails).
      const unseen = hashes.slice(from, to).filter((h) => !known.has(h));
      if (unseen.length > 0)
        for (const [hash, id] of findMessageIdsByHash(this.db, unseen)) known.set(hash, id);
      for (let i = from; i < to; i++) {
        const hash = hashes[i]!;
        const item = items[i]!;
        let id = known.get(hash);
        let created = false;
        let kind: string;
        let threadId: number | null = null;
        if (id === undefined) {
          const rec = records.get(hash)!;
          id = insertMessage(this.db, { ...rec.row, searchVersion: SEARCH_VERSION }, rec.attachments);
          saveMessageText(this.db, id, rec.searchText);
          if (rec.attachments.some((a) => a.textStatus === 'pending')) done.unread.set(id, rec.contents);
          changed.add(id);
          known.set(hash, id);
          created = true;
          kind = rec.row.kind;
          threadId = this.thread(id, rec.row);
          if (threadId !== null) touched.add(threadId);
        } else {
          kind = records.get(hash)?.row.kind ?? 'known';
        }
        if (item.location) {
          upsertLocation(this.db, id, item.location);
          changed.add(id);
        }
        outcomes.push({ messageId: id, created, kind, threadId });
      }
      for (const threadId of touched) this.recompute(threadId);
      this.options.onIngest?.(this.db, outcomes);
      rebuildDocs(this.db, changed);
      commitWith?.(this.db);
    })();
    done.outcomes.push(...outcomes);
    for (const t of touched) done.touched.add(t);
  }

  /** Starts the text queue once ingest has paused (TEXT_AFTER_INGEST_MS), not between batches. */
  private readTextSoon(): void {
    if (this.textTimer) clearTimeout(this.textTimer);
    this.textTimer = setTimeout(() => {
      this.textTimer = null;
      this.texts.kick();
    }, TEXT_AFTER_INGEST_MS);
    // An archive nobody closes must not be kept alive by it: drainText and the next open read it.
    this.textTimer.unref();
  }

  /**
   * Brings search up to date for archives made by an older version: first the text of messages
   * extracted by an older version (or never), re-read from their originals, then the search
   * documents of list rows that have none. Resumable by construction: each step looks for what
   * is still missing, in batches, each committed on its own; a message whose object cannot be
   * read is indexed by its row alone.
   */
  async backfillSearchIndex(
    onProgress: (done: number, total: number) => void = () => {},
    batch = 100,
  ): Promise<number> {
    const total = countStaleText(this.db) + countHeadsWithoutDoc(this.db);
    let done = 0;
    // Attachment text left pending by a run that stopped is read again from here on.
    this.texts.kick();
    if (total === 0) return 0;
    onProgress(0, total);
    for (;;) {
      const rows = staleText(this.db, batch);
      if (rows.length === 0) break;
      const raws = await Promise.all(rows.map((row) => this.objects.get(row.objectHash).catch(() => null)));
      const found = raws.flatMap((raw, i) => (raw ? [{ raw, archivedAt: rows[i]!.archivedAt }] : []));
      const read = await Promise.all(
        this.records(
          found.map((f) => f.raw),
          found.map((f) => f.archivedAt),
        ).records,
      );
      let next = 0;
      const records = raws.map((raw) => (raw ? read[next++]! : null));
      this.db.$client.transaction(() => {
        rows.forEach((row, i) => {
          const rec = records[i];
          refreshMessageText(
            this.db,
            row.id,
            rec?.searchText ?? emptySearchText(row.originalSubject ?? row.subject),
            rec?.attachments.map((a) => ({
              textStatus: a.textStatus ?? 'unsupported',
              textError: a.textError ?? null,
            })) ?? [],
          );
        });
        rebuildDocs(
          this.db,
          rows.map((r) => r.id),
        );
      })();
      rows.forEach((row, i) => {
        const rec = records[i];
        if (rec?.attachments.some((a) => a.textStatus === 'pending'))
          this.texts.remember(row.id, rec.contents);
      });
      done += rows.length;
      onProgress(Math.min(done, total), total);
      this.texts.kick();
    }
    for (;;) {
      const heads = headsWithoutDoc(this.db, batch * 10);
      if (heads.length === 0) break;
      this.db.$client.transaction(() => rebuildDocs(this.db, heads))();
      done += heads.length;
      onProgress(Math.min(done, total), total);
      // Let the app breathe between batches: this runs beside the person using it.
      await new Promise((r) => setImmediate(r));
    }
    onProgress(total, total);
    return done;
  }

  /**
   * Starts the ingest worker threads now rather than at the first big batch (a first sync about to
   * begin); true once they run, false when they cannot or are not to be used.
   */
  async startIngestWorkers(): Promise<boolean> {
    const pool = this.poolFor(Number.POSITIVE_INFINITY) ?? this.pool;
    return pool ? pool.whenReady() : false;
  }

  /**
   * What ingest commits for each message, in order: read by the worker threads when the batch is
   * worth it and they are running, on this thread otherwise (the same function either way).
   */
  private records(raws: Uint8Array[], archivedAt: string | string[]): Reading {
    const at = (i: number) => (typeof archivedAt === 'string' ? archivedAt : archivedAt[i]!);
    const pool = this.poolFor(raws.length);
    if (pool) return { pooled: true, records: raws.map((raw, i) => pool.record(raw, at(i))) };
    // On this thread, a few at a time (their parsing waits on streams): each starts when the one
    // PARSE_CONCURRENCY places before it has ended.
    const results: Promise<IngestRecord>[] = [];
    const noop = () => undefined;
    raws.forEach((raw, i) => {
      const before = results[i - PARSE_CONCURRENCY];
      const start = before ? before.then(noop, noop) : Promise.resolve();
      results.push(start.then(() => ingestRecord(raw, at(i), this.options.anchors)));
    });
    return { pooled: false, records: results };
  }

  /** The worker pool when it is ready for this batch; started (for the next ones) when worth it. */
  private poolFor(size: number): IngestPool | null {
    const workers = this.options.ingestWorkers;
    if (workers === 0) return null;
    if (!this.pool) {
      if (size < POOL_THRESHOLD) return null;
      this.pool = new IngestPool({
        size: workers ?? Math.min(MAX_INGEST_WORKERS, Math.max(1, availableParallelism() - 1)),
        ...(this.options.anchors && { anchors: this.options.anchors }),
      });
    }
    if (this.pool.ready) return this.pool;
    if (size >= POOL_THRESHOLD) this.pool.start();
    return null;
  }

  /** Puts a new message in its PEC thread, creating the thread and adopting earlier arrivals. */
  private thread(messageId: number, row: NewMessage): number | null {
    if (isPecKind(row.kind as MessageKind)) {
      // The envelope's own Message-ID is the identificativo; its author's id is the msgid.
      const msgid = row.pecMsgid ?? row.referenceMessageId ?? null;
      const ident = row.identificativo ?? null;
      if (!msgid && !ident) return null;
      const existing = findThread(this.db, msgid, ident);
      const threadId = existing?.id ?? createThread(this.db, msgid ?? `identificativo:${ident}`, ident);
      // A thread first known by its identificativo alone (a receipt without msgid) learns the
      // sender's Message-ID, so that the sent copy, synced later, finds it.
      if (existing && msgid && existing.msgid.startsWith('identificativo:'))
        setThreadMsgid(this.db, existing.id, msgid);
      setMessageThread(this.db, messageId, threadId);
      // Earlier PEC objects of this thread are in it already (each found or made the thread when
      // it arrived); only the sent copy, ordinary mail with the PEC's Message-ID, can be waiting.
      if (msgid)
        for (const id of unthreadedByMessageId(this.db, msgid)) setMessageThread(this.db, id, threadId);
      return threadId;
    }
    if (row.kind === 'ordinary' && row.messageId) {
      const existing = findThread(this.db, row.messageId, null);
      if (existing) {
        setMessageThread(this.db, messageId, existing.id);
        return existing.id;
      }
    }
    return null;
  }

  /**
   * Threads reconciled by older rules (an archive made by an earlier version) are recomputed once
   * by today's, in small batches that give the app back between them; resumable, since the last
   * thread done is kept in the same transaction. A thread whose state changed gets its search
   * document rebuilt (its state is a search facet). Returns how many threads were recomputed.
   */
  async reconcileThreads(onProgress: (done: number, total: number) => void = () => {}): Promise<number> {
    return this.upgradeOnce(
      { name: 'reconcile', version: RECONCILE_VERSION, batch: 200 },
      (after, limit) => threadIdsAfter(this.db, after, limit),
      (after) => countThreadsAfter(this.db, after),
      (ids) => {
        const changed: number[] = [];
        for (const id of ids) {
          const before = getThread(this.db, id);
          this.recompute(id);
          const now = getThread(this.db, id);
          if (now?.headMessageId && (before?.state !== now.state || before.failedCount !== now.failedCount))
            changed.push(now.headMessageId);
        }
        rebuildDocs(this.db, changed);
      },
      onProgress,
    );
  }

  /**
   * Search documents built by an older version of their facets (db/search.ts DOCS_VERSION) are
   * rebuilt once, in batches that give the app back between them; resumable like reconcileThreads.
   */
  async refreshSearchDocs(onProgress: (done: number, total: number) => void = () => {}): Promise<number> {
    return this.upgradeOnce(
      { name: 'docs', version: DOCS_VERSION, batch: 500 },
      (after, limit) => docHeadsAfter(this.db, after, limit),
      (after) => countDocHeadsAfter(this.db, after),
      (heads) => rebuildDocs(this.db, heads),
      onProgress,
    );
  }

  /**
   * Derived data made by an older version (meta `<name>_version` below `version`) is brought up to
   * date once: ids in order, a batch per transaction that also records the last id done
   * (`<name>_progress`), so a quit or a crash resumes where it stopped; the event loop is given
   * back between batches. Returns how many ids were done.
   */
  private async upgradeOnce(
    step: { name: string; version: number; batch: number },
    idsAfter: (after: number, limit: number) => number[],
    countAfter: (after: number) => number,
    apply: (ids: number[]) => void,
    onProgress: (done: number, total: number) => void,
  ): Promise<number> {
    const versionKey = `${step.name}_version`;
    const progressKey = `${step.name}_progress`;
    if (Number(getMeta(this.db, versionKey) ?? 0) >= step.version) return 0;
    let after = Number(getMeta(this.db, progressKey) ?? 0);
    const total = countAfter(after);
    let done = 0;
    for (;;) {
      const ids = idsAfter(after, step.batch);
      if (ids.length === 0) break;
      this.db.$client.transaction(() => {
        apply(ids);
        setMeta(this.db, progressKey, String(ids.at(-1)));
      })();
      after = ids.at(-1)!;
      done += ids.length;
      onProgress(done, total);
      await new Promise((r) => setImmediate(r));
    }
    this.db.$client.transaction(() => {
      setMeta(this.db, versionKey, String(step.version));
      deleteMeta(this.db, progressKey);
    })();
    return done;
  }

  private recompute(threadId: number): void {
    const members: ThreadMember[] = threadMembers(this.db, threadId).map((m) => ({
      id: m.id,
      kind: m.kind,
      certDate: m.certDate,
      date: m.date,
      identificativo: m.identificativo,
      certifiedSender: m.certifiedSender,
      subject: m.originalSubject,
      certRecipients: JSON.parse(m.certRecipients),
      deliveryAddress: m.deliveryAddress,
      certProvider: m.certProvider,
      certError: m.certError,
      certErrorDetail: m.certErrorDetail,
      signatureVerdict: m.signatureVerdict,
    }));
    saveThreadSummary(this.db, threadId, reconcile(members));
  }
}

/**
 * A new, empty archive is made by today's rules: nothing to recompute or rebuild later. (An
 * archive of an older version has messages and no marks, so its upgrade runs once.)
 */
function markCurrentIfEmpty(db: Db): void {
  if (countMessages(db) > 0) return;
  db.$client.transaction(() => {
    if (getMeta(db, 'reconcile_version') === undefined)
      setMeta(db, 'reconcile_version', String(RECONCILE_VERSION));
    if (getMeta(db, 'docs_version') === undefined) setMeta(db, 'docs_version', String(DOCS_VERSION));
  })();
}
