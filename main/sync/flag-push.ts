/**
 * Writes the read state changed here back to the server (\Seen, RFC 3501 §6.4.6 UID STORE), folder
 * by folder, and forgets each change once the server has it. A folder renumbered meanwhile
 * (UIDVALIDITY changed) gets none of its old changes: those UIDs now name other messages.
 */
import type { ImapFlow } from 'imapflow';
import { mailboxesOf } from '../../db/accounts.ts';
import { clearFlagChange, type PendingFlagChange, pendingFlagChanges } from '../../db/flags.ts';
import type { Archive } from '../archive/archive.ts';

export async function pushFlagChanges(
  client: ImapFlow,
  archive: Archive,
  accountId: number,
): Promise<number> {
  const pending = pendingFlagChanges(archive.db, accountId);
  if (pending.length === 0) return 0;
  const folders = new Map(mailboxesOf(archive.db, accountId).map((m) => [m.id, m]));
  const byFolder = new Map<number, PendingFlagChange[]>();
  for (const c of pending) byFolder.set(c.mailboxId, [...(byFolder.get(c.mailboxId) ?? []), c]);
  let written = 0;
  for (const [mailboxId, changes] of byFolder) {
    const folder = folders.get(mailboxId);
    if (!folder) continue;
    // Read-write this time: STORE on a folder opened with EXAMINE is refused.
    const lock = await client.getMailboxLock(folder.path);
    try {
      const box = client.mailbox;
      if (!box || String(box.uidValidity) !== folder.uidValidity) {
        for (const c of changes) clearFlagChange(archive.db, c);
        continue;
      }
      const groups = new Map<string, PendingFlagChange[]>();
      for (const c of changes) {
        const key = `${c.value ? '+' : '-'}${c.flag}`;
        groups.set(key, [...(groups.get(key) ?? []), c]);
      }
      for (const group of groups.values()) {
        const { flag, value } = group[0]!;
        const uids = group.map((c) => c.uid).join(',');
        if (value) await client.messageFlagsAdd(uids, [flag], { uid: true });
        else await client.messageFlagsRemove(uids, [flag], { uid: true });
        for (const c of group) clearFlagChange(archive.db, c);
        written += group.length;
      }
    } finally {
      lock.release();
    }
  }
  return written;
}
