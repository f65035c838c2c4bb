/**
 * From one raw message to what ingest commits for it: parse, classify, verify (inspectMessage),
 * the row, its attachments and its search text (toMessageRecord), and the attachments' bytes for
 * the text queue. Pure and free of the database, so it runs the same in a worker thread
 * (ingest-worker.ts) as in the archive's own thread.
 */
import { inspectMessage, unparseable } from '../pec/inspect.ts';
import { type AttachmentContent, readOriginal } from '../pec/original.ts';
import type { TrustAnchors } from '../pec/trust.ts';
import type { ExtractedText } from '../search/extract/attachment-text.ts';
import { detectFormat } from '../search/extract/formats.ts';
import { type MessageRecord, toMessageRecord } from './message-record.ts';
import { ObjectStore } from './object-store.ts';

export interface IngestRecord extends MessageRecord {
  /** The original's attachment bytes, in the order of its attachments, for the text queue. */
  contents: AttachmentContent[];
}

/** An attachment whose text the text queue will read. */
const PENDING: ExtractedText = { text: '', status: 'pending', error: null };

export async function ingestRecord(
  raw: Uint8Array,
  archivedAt: string,
  anchors?: TrustAnchors,
): Promise<IngestRecord> {
  // One parse of the original gives its attachments' bytes too, kept for the text queue.
  const inspected = await inspectMessage(raw, { ...(anchors && { anchors }), attachmentContents: true });
  const own = inspected.kind === 'ordinary' ? await readOriginal(raw, { contents: true }) : null;
  const contents = (own?.ok ? own.contents : inspected.attachmentContents) ?? [];
  // Pending where there is text to read (the text queue reads it after the commit), none otherwise.
  const texts = contents.map((file) => (detectFormat(file) ? PENDING : null));
  return { ...toMessageRecord(inspected, own?.ok ? own.value : null, archivedAt, texts), contents };
}

/** The record of a message nothing could read: archived as unparseable, with why. */
export function unreadableRecord(raw: Uint8Array, archivedAt: string, reason: string): IngestRecord {
  const inspected = unparseable(raw.byteLength, ObjectStore.hash(raw), reason);
  return { ...toMessageRecord(inspected, null, archivedAt, []), contents: [] };
}
