/**
 * What the reader shows of an archived message, read fast enough to show at once: the archived
 * original is read again and its signature checked again at every opening, as before, but its
 * attachments are not decoded. They are listed from what was recorded when the message was
 * archived (name, type, size, SHA-256, from the same bytes, which never change: the object store
 * is write-once and addressed by hash), and the text and headers come from the original without
 * the attachments' bodies (main/pec/original-skeleton.ts). Opening a message with a 2.4 MB PDF
 * used to decode the PDF (and hash it) at every click.
 */
import type { Db } from '../../db/database.ts';
import { messageAttachments } from '../../db/messages.ts';
import { type InspectResult, inspectMessage } from '../pec/inspect.ts';
import { type OriginalResult, readOriginal } from '../pec/original.ts';
import { originalSkeleton } from '../pec/original-skeleton.ts';
import type { VerifyOptions } from '../pec/signature.ts';

type ArchivedAttachment = ReturnType<typeof messageAttachments>[number];

export async function messageInspection(
  db: Db,
  messageId: number,
  raw: Buffer,
  options: VerifyOptions,
): Promise<InspectResult> {
  const archived = messageAttachments(db, messageId).sort((a, b) => a.id - b.id);
  const read = (bytes: Buffer) => readListed(bytes, archived);
  const inspect = await inspectMessage(raw, { ...options, readOriginal: read });
  // Ordinary mail (a sent copy, a newsletter) is its own original.
  if (inspect.kind === 'ordinary') {
    const own = await read(raw);
    if (own.ok) inspect.original = own.value;
  }
  return inspect;
}

/**
 * The original without decoding its attachments, listed as archived. Whenever the two disagree
 * (an archive written by an older version, a message mailparser splits differently), the whole
 * original is read as before: what is shown is always what the archived bytes say.
 */
export async function readListed(bytes: Buffer, archived: ArchivedAttachment[]): Promise<OriginalResult> {
  const skeleton = originalSkeleton(bytes);
  if (skeleton.skipped === 0) return readOriginal(bytes);
  const parsed = await readOriginal(skeleton.bytes);
  if (!parsed.ok) return readOriginal(bytes);
  const listed = parsed.value.attachments;
  const same =
    listed.length === archived.length &&
    listed.every(
      (a, i) => a.filename === archived[i]!.filename && a.contentType === archived[i]!.contentType,
    );
  if (!same) return readOriginal(bytes);
  return {
    ok: true,
    value: {
      ...parsed.value,
      attachments: listed.map((a, i) => ({ ...a, size: archived[i]!.size, sha256: archived[i]!.sha256 })),
    },
  };
}
