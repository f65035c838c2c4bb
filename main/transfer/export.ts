/**
 * Plain export for moving elsewhere (issue 15): the archived originals of a mailbox (one folder, a
 * period, a search) as .eml files in a folder per mailbox folder, or as one mbox file per folder
 * (mboxrd, mbox.ts), with indice.csv: one row per message, what it is and its SHA-256. The bytes
 * are the archived ones, checked against their hash as they are read.
 */
import Papa from 'papaparse';
import { type ExportRow, exportRows } from '../../db/conservation.ts';
import type { Db } from '../../db/database.ts';
import { threadMembers } from '../../db/messages.ts';
import { ObjectStore } from '../archive/object-store.ts';
import { kindWords, romeTime } from '../proof/words.ts';
import { runSearch } from '../search/search.ts';
import { mboxEntry } from './mbox.ts';

export interface ExportSelection {
  accountId: number;
  folder: string | null;
  /** [from, to) as ISO instants. */
  from: string | null;
  to: string | null;
  /** The search language; its matches in this mailbox only. */
  query: string | null;
}

export type ExportSink = (path: string, bytes: Buffer) => Promise<void>;

export class ExportError extends Error {}

/** Names that every file system takes (Windows included), at most 120 characters. */
export function safeName(text: string, fallback: string): string {
  const clean = text
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120)
    .replace(/[. ]+$/, '');
  return /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(clean) || !clean ? fallback : clean;
}

/** The message ids a search finds, its threads' members included. */
function searchIds(db: Db, query: string): number[] {
  const ids = new Set<number>();
  for (let offset = 0; ; offset += 500) {
    const page = runSearch(db, { text: query, sort: 'date', offset, limit: 500, exactCount: true });
    for (const hit of page.hits) {
      if (hit.threadId !== null) for (const m of threadMembers(db, hit.threadId)) ids.add(m.id);
      else ids.add(hit.id);
    }
    if (page.hits.length < 500 || offset > 1_000_000) break;
  }
  return [...ids];
}

export function selectForExport(db: Db, s: ExportSelection): ExportRow[] {
  const ids = s.query ? searchIds(db, s.query) : null;
  return exportRows(db, s.accountId, s.folder, s.from, s.to, ids);
}

export async function exportMessages(
  objects: ObjectStore,
  rows: ExportRow[],
  format: 'mbox' | 'eml',
  sink: ExportSink,
): Promise<{ messages: number; files: number }> {
  const index: Record<string, string | number>[] = [];
  const used = new Set<string>();
  const mbox = new Map<string, Buffer[]>();
  for (const r of rows) {
    const raw = await objects.get(r.objectHash);
    if (ObjectStore.hash(raw) !== r.objectHash)
      throw new ExportError(`the archived original of message ${r.id} does not match its SHA-256`);
    const folder = safeName(r.folder.replace(/\//g, ' - '), 'cartella');
    let file: string;
    if (format === 'eml') {
      const base = safeName(`${r.date.slice(0, 10)} ${r.subject ?? ''}`, `messaggio-${r.id}`);
      let name = `${folder}/${base}.eml`;
      for (let n = 2; used.has(name.toLowerCase()); n++) name = `${folder}/${base} (${n}).eml`;
      used.add(name.toLowerCase());
      file = name;
      await sink(file, raw);
    } else {
      file = `${folder}.mbox`;
      const list = mbox.get(file) ?? [];
      list.push(mboxEntry(raw, new Date(r.date)));
      mbox.set(file, list);
    }
    index.push({
      file,
      cartella: r.folder,
      data: romeTime(r.date),
      tipo: kindWords(r.kind),
      mittente: r.from ?? '',
      oggetto: r.subject ?? '',
      identificativo: r.identificativo ?? '',
      'message-id': r.messageId ?? '',
      sha256: r.objectHash,
      byte: r.size,
      'sul server': r.removedAt ? 'no (svuotata)' : 'sì',
    });
  }
  for (const [file, parts] of mbox) await sink(file, Buffer.concat(parts));
  // Semicolons and a BOM: what Excel in Italian opens as columns, accents intact.
  const csv = Papa.unparse(index, { delimiter: ';', newline: '\r\n' });
  await sink('indice.csv', Buffer.from(`\ufeff${csv}\r\n`, 'utf8'));
  return { messages: rows.length, files: (format === 'eml' ? rows.length : mbox.size) + 1 };
}
