/**
 * One folder: new messages by UID (in batches, each committed with the folder's last UID), flag
 * changes by MODSEQ where the server has CONDSTORE, and a full re-read when UIDVALIDITY changed.
 * No IMAP command is issued inside a fetch iteration (imapflow deadlocks); ingest is not one.
 */
import type { ImapFlow } from 'imapflow';
import { type MailboxRow, recordMailboxProgress, resetMailbox } from '../../db/accounts.ts';
import { updateLocationFlags } from '../../db/messages.ts';
import type { Archive, IngestItem, IngestOutcome } from '../archive/archive.ts';

export interface FolderProgress {
  folder: string;
  done: number;
  total: number;
  rate: number;
}

export interface FolderResult {
  fetched: number;
  created: number;
  flagUpdates: number;
  uidValidityReset: boolean;
}

const BATCH = 100;
const BATCH_BYTES = 32 * 1024 * 1024;

export async function syncFolder(
  client: ImapFlow,
  archive: Archive,
  row: MailboxRow,
  onProgress: (p: FolderProgress) => void = () => {},
): Promise<FolderResult> {
  const lock = await client.getMailboxLock(row.path, { readOnly: true });
  try {
    const box = client.mailbox;
    if (!box) throw new Error(`${row.path} could not be opened`);
    const uidValidity = String(box.uidValidity);
    let lastUid = row.lastUid;
    let reset = false;
    if (row.uidValidity !== uidValidity) {
      if (row.uidValidity !== null) reset = true;
      resetMailbox(archive.db, row.id, uidValidity);
      lastUid = 0;
    }

    let flagUpdates = 0;
    const serverModseq = box.highestModseq ?? null;
    if (
      !reset &&
      serverModseq !== null &&
      row.highestModseq &&
      lastUid > 0 &&
      BigInt(row.highestModseq) < serverModseq
    ) {
      const changes: { uid: number; flags: string[]; modseq: string | null }[] = [];
      for await (const msg of client.fetch(
        `1:${lastUid}`,
        { uid: true, flags: true },
        { uid: true, changedSince: BigInt(row.highestModseq) },
      )) {
        changes.push({
          uid: msg.uid,
          flags: [...(msg.flags ?? [])],
          modseq: msg.modseq ? String(msg.modseq) : null,
        });
      }
      archive.db.$client.transaction(() => {
        for (const c of changes) updateLocationFlags(archive.db, row.id, c.uid, c.flags, c.modseq);
      })();
      flagUpdates = changes.length;
    }

    let fetched = 0;
    let created = 0;
    // uidNext is only known as of the SELECT; after an EXISTS in IDLE it is stale, so always ask.
    if (box.exists > 0) {
      const uids = ((await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || []).filter(
        (u) => u > lastUid,
      );
      const total = uids.length;
      const started = performance.now();
      let batch: IngestItem[] = [];
      let batchBytes = 0;
      let batchMaxUid = lastUid;
      // The batch being ingested while the next one is fetched and read (issue 11: the workers
      // would otherwise wait for every batch's last commit and the next fetch). Batches commit in
      // order: each one only after the one before it has (Archive.ingest's `after`), and not at all
      // when that one failed, so the folder's last UID never passes a batch that is not archived.
      type Ingesting = { done: Promise<IngestOutcome[]>; size: number };
      let previous = null as Ingesting | null;
      const settle = async ({ done, size }: Ingesting) => {
        const outcomes = await done;
        created += outcomes.filter((o) => o.created).length;
        fetched += size;
        const seconds = (performance.now() - started) / 1000;
        onProgress({ folder: row.path, done: fetched, total, rate: seconds > 0 ? fetched / seconds : 0 });
      };
      const flush = async () => {
        if (batch.length === 0) return;
        const maxUid = batchMaxUid;
        const before: Ingesting | null = previous;
        const done = archive.ingest(
          batch,
          (db) => recordMailboxProgress(db, row.id, { lastUid: maxUid }),
          before?.done,
        );
        // Answered when settled; a failure of the batch before is reported there first.
        done.catch(() => {});
        previous = { done, size: batch.length };
        batch = [];
        batchBytes = 0;
        if (before) await settle(before);
      };
      if (total > 0)
        try {
          onProgress({ folder: row.path, done: 0, total, rate: 0 });
          for await (const msg of client.fetch(
            `${lastUid + 1}:*`,
            { uid: true, source: true, flags: true, internalDate: true },
            { uid: true },
          )) {
            // "n:*" always returns the highest message, even when it is older than n.
            if (msg.uid <= lastUid || !msg.source) continue;
            batch.push({
              raw: msg.source,
              location: {
                mailboxId: row.id,
                uid: msg.uid,
                flags: [...(msg.flags ?? [])],
                modseq: msg.modseq ? String(msg.modseq) : null,
                internalDate: msg.internalDate ? new Date(msg.internalDate).toISOString() : null,
              },
            });
            batchBytes += msg.source.length;
            batchMaxUid = Math.max(batchMaxUid, msg.uid);
            if (batch.length >= BATCH || batchBytes >= BATCH_BYTES) await flush();
          }
          await flush();
          if (previous) await settle(previous);
        } catch (error) {
          // A fetch that failed: the batch being ingested ends before the folder is left.
          await previous?.done.catch(() => {});
          throw error;
        }
    }
    recordMailboxProgress(archive.db, row.id, {
      highestModseq: serverModseq !== null ? String(serverModseq) : null,
      messageCount: box.exists,
      syncedAt: new Date().toISOString(),
    });
    return { fetched, created, flagUpdates, uidValidityReset: reset };
  } finally {
    lock.release();
  }
}
