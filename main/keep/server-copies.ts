/**
 * What the server says of the copies emptying means to remove, and the archive's check of each:
 * the object re-read from the store, its SHA-256 equal to its name, and its length equal to the
 * server's RFC822.SIZE. No IMAP command is issued inside a fetch iteration (imapflow deadlocks).
 */
import type { ImapFlow } from 'imapflow';
import type { ServerCopy } from '../../db/keep.ts';
import { ObjectStore } from '../archive/object-store.ts';

/** Why a copy stays on the server. */
export type SkipReason =
  /** Not yet handled (issue 14's work states) and the person did not include such messages. */
  | 'not-handled'
  /** The archived object is not in the store. */
  | 'object-missing'
  /** The archived object's bytes no longer hash to its name (damaged on disk). */
  | 'object-corrupt'
  /** The server's RFC822.SIZE differs from the archived bytes. */
  | 'size-mismatch'
  /** The UID is no longer in the folder (deleted elsewhere, e.g. the provider's webmail). */
  | 'not-on-server'
  /** The folder was renumbered since the archive read it: its UIDs name other messages now. */
  | 'uidvalidity-changed'
  /** The folder is not on the server any more. */
  | 'folder-missing'
  /** The server lacks UIDPLUS (RFC 4315): EXPUNGE would remove other clients' \Deleted messages. */
  | 'no-uidplus'
  /** The server still lists the copy after it was told to remove it. */
  | 'server-kept';

export const SKIP_REASONS: readonly SkipReason[] = [
  'not-handled',
  'object-missing',
  'object-corrupt',
  'size-mismatch',
  'not-on-server',
  'uidvalidity-changed',
  'folder-missing',
  'no-uidplus',
  'server-kept',
];

export interface FolderFacts {
  uidValidity: string;
  /** RFC822.SIZE of each UID asked for that is still there. */
  sizes: Map<number, number>;
}

/** Opens the folder (read-only) and reads the sizes of these UIDs; null when the folder is gone. */
export async function readFolderFacts(
  client: ImapFlow,
  path: string,
  uids: number[],
): Promise<FolderFacts | null> {
  let lock: Awaited<ReturnType<ImapFlow['getMailboxLock']>>;
  try {
    lock = await client.getMailboxLock(path, { readOnly: true });
  } catch (error) {
    if (/NONEXISTENT|doesn't exist|does not exist|not found|Mailbox doesn/i.test(String(error))) return null;
    throw error;
  }
  try {
    const box = client.mailbox;
    if (!box) return null;
    return { uidValidity: String(box.uidValidity), sizes: await fetchSizes(client, uids) };
  } finally {
    lock.release();
  }
}

/** RFC822.SIZE of the UIDs still in the selected folder. */
export async function fetchSizes(client: ImapFlow, uids: number[]): Promise<Map<number, number>> {
  const sizes = new Map<number, number>();
  const wanted = uids.filter((u) => u > 0);
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    for await (const msg of client.fetch(chunk.join(','), { uid: true, size: true }, { uid: true })) {
      if (msg.size !== undefined && chunk.includes(msg.uid)) sizes.set(msg.uid, msg.size);
    }
  }
  return sizes;
}

/**
 * The archive's copy of a message, checked against what the server has: re-read now from the
 * store, hashed, measured. Null when it may go; else why it may not.
 */
export async function checkCopy(
  objects: ObjectStore,
  copy: Pick<ServerCopy, 'objectHash' | 'size'>,
  serverSize: number | undefined,
): Promise<SkipReason | null> {
  if (serverSize === undefined) return 'not-on-server';
  let bytes: Buffer;
  try {
    bytes = await objects.get(copy.objectHash);
  } catch {
    return 'object-missing';
  }
  if (ObjectStore.hash(bytes) !== copy.objectHash) return 'object-corrupt';
  if (bytes.length !== serverSize || copy.size !== serverSize) return 'size-mismatch';
  return null;
}
