/**
 * Import of an mbox file or .eml files (a person's old Thunderbird archive) through the archive's
 * one ingest pipeline (stored durably, parsed, classified, reconciled, indexed), into a folder of
 * the mailbox that lives only in the archive ("Importati/<name>"): never synced, never emptied.
 * The same messages imported again add nothing.
 */
import { recordMailboxProgress } from '../../db/accounts.ts';
import { hashesInFolder, localFolder } from '../../db/transfer.ts';
import type { Archive, IngestItem } from '../archive/archive.ts';
import { ObjectStore } from '../archive/object-store.ts';
import { looksLikeMbox, readMbox } from './mbox.ts';

export const IMPORT_PREFIX = 'Importati';

export interface ImportFile {
  name: string;
  bytes: Buffer;
}

export interface ImportResult {
  folder: string;
  /** Messages read from the files. */
  read: number;
  /** New to the archive. */
  imported: number;
  /** Already archived (elsewhere, or by an earlier import): now in this folder too. */
  known: number;
  /** Files that are neither mbox nor a message. */
  failed: number;
}

const BATCH = 100;

function* messagesOf(files: ImportFile[], failed: { n: number }): Generator<Buffer> {
  for (const f of files) {
    if (looksLikeMbox(f.bytes)) yield* readMbox(f.bytes);
    else if (
      /\.eml$/i.test(f.name) ||
      /^[\x21-\x39\x3b-\x7e]+:/.test(f.bytes.subarray(0, 200).toString('latin1'))
    )
      yield f.bytes;
    else failed.n++;
  }
}

export async function importMessages(
  archive: Archive,
  accountId: number,
  folderName: string,
  files: ImportFile[],
  onProgress: (done: number) => void = () => {},
): Promise<ImportResult> {
  const name = folderName.replace(/[/\\]+/g, ' ').trim() || 'Archivio';
  const path = `${IMPORT_PREFIX}/${name}`;
  const folder = localFolder(archive.db, accountId, path, name);
  let uid = folder.lastUid;
  const failed = { n: 0 };
  const result: ImportResult = { folder: path, read: 0, imported: 0, known: 0, failed: 0 };
  let batch: Buffer[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const hashes = batch.map((b) => ObjectStore.hash(b));
    const here = hashesInFolder(archive.db, folder.id, hashes);
    const items: IngestItem[] = [];
    const seen = new Set<string>();
    batch.forEach((raw, i) => {
      const h = hashes[i]!;
      if (here.has(h) || seen.has(h)) return;
      seen.add(h);
      items.push({ raw, location: { mailboxId: folder.id, uid: ++uid, flags: ['\\Seen'] } });
    });
    const top = uid;
    if (items.length > 0) {
      const outcomes = await archive.ingest(items, (db) =>
        recordMailboxProgress(db, folder.id, { lastUid: top }),
      );
      result.imported += outcomes.filter((o) => o.created).length;
      result.known += outcomes.filter((o) => !o.created).length;
    }
    result.known += batch.length - items.length;
    batch = [];
    onProgress(result.read);
  };
  for (const raw of messagesOf(files, failed)) {
    if (raw.length === 0) continue;
    result.read++;
    batch.push(raw);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  result.failed = failed.n;
  return result;
}
