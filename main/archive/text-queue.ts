/**
 * Attachment text, read after the message is archived. Ingest commits a message with its
 * attachments 'pending' and indexed by name, and goes on; this queue then reads the text of each
 * such message's attachments in the extraction child and, in a small transaction of its own, saves
 * it and rebuilds the list row's search document. So a hostile or huge attachment costs its own
 * message some search text, never the archiving of other messages or accounts.
 *
 * The work list is the database (attachments.text_status = 'pending'): a queue stopped by a crash
 * or a quit resumes where it was the next time it is started. Each message has a time budget for
 * all its attachments together; what is left unread when it runs out is marked failed, with why.
 * One message at a time, on the archive's one connection: the single-writer rule holds.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import {
  countPendingText,
  pendingTextMessages,
  rebuildDocs,
  saveAttachmentText,
  type TextAttachment,
  textWork,
} from '../../db/search.ts';
import { originalBytes } from '../pec/inspect.ts';
import { type AttachmentContent, readOriginal } from '../pec/original.ts';
import type { ExtractedText } from '../search/extract/attachment-text.ts';
import type { TextExtractor } from '../search/extract/extractor.ts';
import { attachmentSearchText } from './message-record.ts';
import type { ObjectStore } from './object-store.ts';

export interface TextQueueOptions {
  /** All attachments of one message together, in ms. */
  messageBudgetMs: number;
  /** Bytes of attachment contents kept from ingest for the queue (beyond: re-read from the original). */
  cacheBytes?: number;
  /** The queue ran out of work after reading the text of `messages` messages. */
  onIdle?: (messages: number) => void;
}

export const DEFAULT_MESSAGE_BUDGET_MS = 60_000;

/** Messages taken from the work list per look. */
const BATCH = 20;

export class TextQueue {
  private busy = false;
  private closed = false;
  private readonly cache = new Map<number, AttachmentContent[]>();
  private cachedBytes = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly objects: ObjectStore,
    private readonly extractor: TextExtractor,
    private readonly options: TextQueueOptions,
  ) {}

  /**
   * The attachment bytes ingest already has for a message just archived: read from memory instead
   * of parsing the original again, while they fit in the cache.
   */
  remember(messageId: number, contents: AttachmentContent[]): void {
    const bytes = contents.reduce((n, c) => n + c.content.byteLength, 0);
    if (this.cachedBytes + bytes > (this.options.cacheBytes ?? 64 * 1024 * 1024)) return;
    this.cache.set(messageId, contents);
    this.cachedBytes += bytes;
  }

  /** Starts reading pending text if it is not already being read. */
  kick(): void {
    if (this.busy || this.closed) return;
    this.busy = true;
    this.run().catch((error: Error) => {
      this.busy = false;
      this.notify();
      if (!this.closed) console.error(`attachment text queue stopped: ${error.message}`);
    });
  }

  /** Messages whose attachment text is still to be read. */
  pending(): number {
    return countPendingText(this.db);
  }

  /**
   * Waits until no text is pending, or `timeoutMs` passed; reports progress in messages. Returns
   * how many messages are still pending (they are read the next time the queue runs).
   */
  async drain(
    timeoutMs: number,
    onProgress: (done: number, total: number) => void = () => {},
    signal?: AbortSignal,
  ): Promise<number> {
    const total = this.pending();
    if (total === 0) return 0;
    this.kick();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = this.pending();
      onProgress(Math.max(0, total - left), total);
      if (left === 0 || !this.busy || signal?.aborted || Date.now() >= deadline) return left;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          this.listeners.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
        signal?.addEventListener('abort', done);
        this.listeners.add(done);
      });
    }
  }

  /** Stops after the message being read; its text stays pending, read the next time. */
  close(): void {
    this.closed = true;
    this.cache.clear();
    this.cachedBytes = 0;
    this.notify();
  }

  private notify(): void {
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const l of listeners) l();
  }

  private async run(): Promise<void> {
    let read = 0;
    for (;;) {
      // Looked up and released in the same turn: a message committed meanwhile finds busy false.
      const ids = this.closed ? [] : pendingTextMessages(this.db, BATCH);
      if (ids.length === 0) {
        this.busy = false;
        this.notify();
        if (read > 0 && !this.closed) this.options.onIdle?.(read);
        return;
      }
      for (const id of ids) {
        if (this.closed) break;
        await this.read(id);
        read++;
        this.notify();
      }
    }
  }

  /** Reads one message's attachment text and commits it with its list row's search document. */
  private async read(messageId: number): Promise<void> {
    const work = textWork(this.db, messageId);
    const cached = this.cache.get(messageId);
    if (cached) {
      this.cache.delete(messageId);
      this.cachedBytes -= cached.reduce((n, c) => n + c.content.byteLength, 0);
    }
    if (!work) return;
    const deadline = Date.now() + this.options.messageBudgetMs;
    let results: (ExtractedText | null)[];
    try {
      const contents = cached ?? (await this.contentsOf(work.objectHash));
      results = [];
      for (const [i, attachment] of work.attachments.entries()) {
        results.push(
          attachment.textStatus === 'pending' ? await this.readOne(attachment, contents, i, deadline) : null,
        );
      }
    } catch (error) {
      const reason = `the original could not be read again: ${(error as Error).message}`;
      results = work.attachments.map((a) =>
        a.textStatus === 'pending' ? { text: '', status: 'failed', error: reason } : null,
      );
    }
    // Closing: what was read is dropped, the message stays pending for the next run.
    if (this.closed || this.extractor.closed) return;
    this.db.$client.transaction(() => {
      saveAttachmentText(
        this.db,
        messageId,
        attachmentSearchText(
          work.attachments.map((a) => a.filename),
          results.map((r) => r?.text),
        ),
        work.attachments.flatMap((a, i) => {
          const r = results[i];
          return r ? [{ id: a.id, textStatus: r.status, textError: r.error }] : [];
        }),
      );
      rebuildDocs(this.db, [messageId]);
    })();
  }

  private async readOne(
    attachment: TextAttachment,
    contents: AttachmentContent[],
    index: number,
    deadline: number,
  ): Promise<ExtractedText> {
    // The same parse gives the same attachments in the same order; the hash makes sure.
    const file = [contents[index], ...contents].find((c) => c && sha256(c.content) === attachment.sha256);
    if (!file)
      return { text: '', status: 'failed', error: 'the attachment was not found again in the original' };
    return this.extractor.extract(file, { deadline });
  }

  /** The attachments of an archived message, parsed again from its original as ingest did. */
  private async contentsOf(objectHash: string): Promise<AttachmentContent[]> {
    const raw = await this.objects.get(objectHash);
    const parsed = await readOriginal(originalBytes(raw), { contents: true });
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.contents ?? [];
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
