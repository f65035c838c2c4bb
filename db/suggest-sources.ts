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
}

export interface SubjectSource {
  subject: string;
  last: string;
}

/** Senders (certified sender of a PEC, From of ordinary mail) and PEC recipients, from id > after. */
export function correspondentsSince(db: Db, after: number, limit: number): CorrespondentSource[] {
  return db.$client
    .prepare(
      `SELECT address, max(name) AS name, count(*) AS count, max(last) AS last FROM (
         SELECT coalesce(certified_sender, from_address) AS address,
                CASE WHEN certified_sender IS NULL OR certified_sender = from_address THEN from_name END AS name,
                sort_date AS last
           FROM messages WHERE id > ? AND kind IN ('ordinary', 'posta-certificata')
         UNION ALL
         SELECT lower(j.value ->> '$.address'), NULL, m.sort_date
           FROM messages m, json_each(m.cert_recipients) j WHERE m.id > ? AND m.kind = 'accettazione'
       ) WHERE address IS NOT NULL AND address LIKE '%@%'
       GROUP BY address ORDER BY count DESC, last DESC LIMIT ?`,
    )
    .all(after, after, limit) as CorrespondentSource[];
}

/** Distinct subjects of list rows, newest first, from id > after. */
export function subjectsSince(db: Db, after: number, limit: number): SubjectSource[] {
  return db.$client
    .prepare(
      `SELECT coalesce(original_subject, subject) AS subject, max(sort_date) AS last FROM messages
       WHERE id > ? AND kind IN ('ordinary', 'posta-certificata') AND coalesce(original_subject, subject) <> ''
       GROUP BY 1 ORDER BY last DESC LIMIT ?`,
    )
    .all(after, limit) as SubjectSource[];
}

export function lastMessageId(db: Db): number {
  return (db.$client.prepare('SELECT coalesce(max(id), 0) AS n FROM messages').get() as { n: number }).n;
}

export interface PlaceSource {
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
    email: a.email,
    displayName: a.displayName,
    folders: folders.all(a.id) as { path: string; name: string }[],
  }));
}
