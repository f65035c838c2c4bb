/**
 * What the instant layer (main/search/instant.ts) learns from the archive: correspondents with how
 * often they occur, recent subjects, mailboxes and folders. Read in full once, then only messages
 * past the last id it has seen.
 */
import type { Db } from './database.ts';

export interface CorrespondentSource {
  address: string;
  name: string | null;
  count: number;
  last: string;
  /** The mailboxes (account ids) of the messages it occurs in: a suggestion is theirs only. */
  accounts: number[];
}

export interface SubjectSource {
  subject: string;
  last: string;
  accounts: number[];
}

/**
 * The accounts of each message `i.mid` (its folders', and the sending mailbox of a copy the outbox
 * archived), as two comma lists: joined row by row on indexed columns, not through db/scope.ts's
 * HOMES union, which SQLite would materialise for the whole archive.
 */
const ACCOUNTS_OF_MID = `LEFT JOIN message_locations l ON l.message_id = i.mid
  LEFT JOIN mailboxes b ON b.id = l.mailbox_id
  LEFT JOIN outbox o ON o.archived_message_id = i.mid`;
const ACCOUNT_LISTS =
  'group_concat(DISTINCT b.account_id) AS folderAccounts, group_concat(DISTINCT o.account_id) AS sentAccounts';

interface AccountLists {
  folderAccounts: string | null;
  sentAccounts: string | null;
}

function accountsOf(row: AccountLists): number[] {
  const ids = new Set<number>();
  for (const list of [row.folderAccounts, row.sentAccounts])
    for (const id of list ? list.split(',') : []) ids.add(Number(id));
  return [...ids];
}

/** Senders (certified sender of a PEC, From of ordinary mail) and PEC recipients, from id > after. */
export function correspondentsSince(db: Db, after: number, limit: number): CorrespondentSource[] {
  const rows = db.$client
    .prepare(
      `SELECT i.address AS address, max(i.name) AS name, count(DISTINCT i.mid) AS count, max(i.last) AS last, ${ACCOUNT_LISTS} FROM (
         SELECT id AS mid, coalesce(certified_sender, from_address) AS address,
                CASE WHEN certified_sender IS NULL OR certified_sender = from_address THEN from_name END AS name,
                sort_date AS last
           FROM messages WHERE id > ? AND kind IN ('ordinary', 'posta-certificata')
         UNION ALL
         SELECT m.id, lower(j.value ->> '$.address'), NULL, m.sort_date
           FROM messages m, json_each(m.cert_recipients) j WHERE m.id > ? AND m.kind = 'accettazione'
       ) i ${ACCOUNTS_OF_MID} WHERE i.address IS NOT NULL AND i.address LIKE '%@%'
       GROUP BY i.address ORDER BY count DESC, last DESC LIMIT ?`,
    )
    .all(after, after, limit) as (Omit<CorrespondentSource, 'accounts'> & AccountLists)[];
  return rows.map(({ folderAccounts, sentAccounts, ...c }) => ({
    ...c,
    accounts: accountsOf({ folderAccounts, sentAccounts }),
  }));
}

/** Distinct subjects of list rows, newest first, from id > after. */
export function subjectsSince(db: Db, after: number, limit: number): SubjectSource[] {
  const rows = db.$client
    .prepare(
      `SELECT i.subject AS subject, max(i.last) AS last, ${ACCOUNT_LISTS} FROM (
         SELECT id AS mid, coalesce(original_subject, subject) AS subject, sort_date AS last FROM messages
          WHERE id > ? AND kind IN ('ordinary', 'posta-certificata') AND coalesce(original_subject, subject) <> ''
       ) i ${ACCOUNTS_OF_MID}
       GROUP BY 1 ORDER BY last DESC LIMIT ?`,
    )
    .all(after, limit) as (Omit<SubjectSource, 'accounts'> & AccountLists)[];
  return rows.map(({ folderAccounts, sentAccounts, ...s }) => ({
    ...s,
    accounts: accountsOf({ folderAccounts, sentAccounts }),
  }));
}

export function lastMessageId(db: Db): number {
  return (db.$client.prepare('SELECT coalesce(max(id), 0) AS n FROM messages').get() as { n: number }).n;
}

export interface PlaceSource {
  id: number;
  email: string;
  displayName: string | null;
  folders: { path: string; name: string }[];
}

export function mailboxPlaces(db: Db): PlaceSource[] {
  const accounts = db.$client
    .prepare('SELECT id, email, display_name AS displayName FROM accounts ORDER BY email')
    .all() as { id: number; email: string; displayName: string | null }[];
  const folders = db.$client.prepare('SELECT path, name FROM mailboxes WHERE account_id = ? ORDER BY path');
  return accounts.map((a) => ({
    id: a.id,
    email: a.email,
    displayName: a.displayName,
    folders: folders.all(a.id) as { path: string; name: string }[],
  }));
}
