/**
 * Full-text search (SQLite FTS5 in the archive db). Each message's searchable text is kept in
 * message_text; the index holds one document per list row (a PEC thread: sent copy, receipts and
 * envelopes together; or a message outside any thread), rebuilt in the ingest transaction whenever
 * the row or any of its messages changes, so a hit on a receipt is a hit on its thread.
 *
 * Two choices make queries fast at any size: a document's rowid is its date key (newest first is
 * FTS5's own rowid order, a date range is a rowid range, the first page of a common word costs
 * what the page costs), and filters are facet tokens in the document (kind, state, attachment,
 * mailbox, folder, sender domain), so FTS5 intersects them with the words in one pass.
 */
import type { SearchText } from '../main/archive/message-record.ts';
import { type Db, prepared } from './database.ts';
import type { MessageRow } from './messages.ts';
import {
  type ListRow,
  type RawListRow,
  ROW_SELECT,
  THREAD_FAILED,
  THREAD_PENDING,
  toListRow,
} from './views.ts';
import { tagKeysOfRow } from './work.ts';

/**
 * The version of what ingest extracts for search: 2 added attachment text. Older messages are
 * re-read in the background (staleText). The partial index messages_search_stale (db/schema.ts)
 * is written with this number: change both together.
 */
export const SEARCH_VERSION = 2;

/**
 * The version of the search documents' facets (buildDoc): 2 added the original's sender to the
 * sender-domain facet. Documents of an older version are rebuilt in the background
 * (main/archive/archive.ts refreshSearchDocs).
 */
export const DOCS_VERSION = 2;

/** Heads of list rows that have a document, after `afterHead`, in order: rebuild batches. */
export function docHeadsAfter(db: Db, afterHead: number, limit: number): number[] {
  return prepared(db, 'SELECT head_id FROM search_docs WHERE head_id > ? ORDER BY head_id LIMIT ?')
    .pluck()
    .all(afterHead, limit) as number[];
}

export function countDocHeadsAfter(db: Db, afterHead: number): number {
  return prepared(db, 'SELECT count(*) FROM search_docs WHERE head_id > ?').pluck().get(afterHead) as number;
}

/** The longest prefix the index keeps lists for (migration 0010: prefix = '2 3 4'). */
export const LONGEST_INDEXED_PREFIX = 4;

/** Every document carries it: a query of filters only matches it. */
export const FACET_ALL = 'fall';

const KEY_SHIFT = 2 ** 21;

/** The FTS5 rowid range of a date: documents from that instant on have keys >= dateKey. */
export function dateKey(iso: string): number {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(seconds) ? Math.max(0, seconds) * KEY_SHIFT : 0;
}

export function saveMessageText(db: Db, messageId: number, text: SearchText): void {
  prepared(
    db,
    `INSERT INTO message_text (message_id, subject, sender, recipients, body, attachments) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(message_id) DO UPDATE SET subject = excluded.subject, sender = excluded.sender,
         recipients = excluded.recipients, body = excluded.body, attachments = excluded.attachments`,
  ).run(messageId, text.subject, text.sender, text.recipients, text.body, text.attachments);
}

export interface AttachmentTextStatus {
  textStatus: 'pending' | 'ok' | 'empty' | 'unsupported' | 'failed';
  textError: string | null;
}

/** A message's text re-read (back-fill): its text, what extraction said of each attachment. */
export function refreshMessageText(
  db: Db,
  messageId: number,
  text: SearchText,
  attachmentStatus: readonly AttachmentTextStatus[],
): void {
  saveMessageText(db, messageId, text);
  prepared(db, `UPDATE messages SET search_version = ${SEARCH_VERSION} WHERE id = ?`).run(messageId);
  const ids = prepared(db, 'SELECT id FROM attachments WHERE message_id = ? ORDER BY id')
    .pluck()
    .all(messageId) as number[];
  const update = prepared(db, 'UPDATE attachments SET text_status = ?, text_error = ? WHERE id = ?');
  ids.forEach((id, i) => {
    const s = attachmentStatus[i];
    if (s) update.run(s.textStatus, s.textError, id);
  });
}

/** Messages whose text was extracted by an older version (or never), oldest first. */
export type StaleMessage = Pick<
  MessageRow,
  'id' | 'objectHash' | 'archivedAt' | 'subject' | 'originalSubject'
>;

export function staleText(db: Db, limit: number): StaleMessage[] {
  return prepared(
    db,
    `SELECT id, object_hash AS objectHash, archived_at AS archivedAt, subject, original_subject AS originalSubject
       FROM messages WHERE search_version < ${SEARCH_VERSION} ORDER BY id LIMIT ?`,
  ).all(limit) as StaleMessage[];
}

export function countStaleText(db: Db): number {
  return (
    prepared(db, `SELECT count(*) AS n FROM messages WHERE search_version < ${SEARCH_VERSION}`).get() as {
      n: number;
    }
  ).n;
}

const HEADS_WITHOUT_DOC = `FROM messages m LEFT JOIN threads t ON t.id = m.thread_id
  WHERE (m.thread_id IS NULL OR t.head_message_id = m.id OR t.head_message_id IS NULL)
    AND NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.head_id = m.id)`;

/** List rows with no search document yet (archives indexed before documents existed). */
export function headsWithoutDoc(db: Db, limit: number): number[] {
  return prepared(db, `SELECT m.id ${HEADS_WITHOUT_DOC} ORDER BY m.id LIMIT ?`)
    .pluck()
    .all(limit) as number[];
}

export function countHeadsWithoutDoc(db: Db): number {
  return (prepared(db, `SELECT count(*) AS n ${HEADS_WITHOUT_DOC}`).get() as { n: number }).n;
}

/**
 * Messages whose attachment text is still to be read (archived, text pending), oldest first: the
 * work list of the archive's text queue, the same after a restart.
 */
export function pendingTextMessages(db: Db, limit: number): number[] {
  return prepared(
    db,
    "SELECT DISTINCT message_id FROM attachments WHERE text_status = 'pending' ORDER BY message_id LIMIT ?",
  )
    .pluck()
    .all(limit) as number[];
}

export function countPendingText(db: Db): number {
  return prepared(db, "SELECT count(DISTINCT message_id) FROM attachments WHERE text_status = 'pending'")
    .pluck()
    .get() as number;
}

export interface TextAttachment {
  id: number;
  filename: string | null;
  contentType: string;
  sha256: string;
  textStatus: AttachmentTextStatus['textStatus'] | null;
}

/** A message's original (object hash) and its attachments in order, for the text queue. */
export function textWork(
  db: Db,
  messageId: number,
): { objectHash: string; attachments: TextAttachment[] } | null {
  const objectHash = prepared(db, 'SELECT object_hash FROM messages WHERE id = ?').pluck().get(messageId) as
    | string
    | undefined;
  if (objectHash === undefined) return null;
  const attachments = prepared(
    db,
    `SELECT id, filename, content_type AS contentType, sha256, text_status AS textStatus
       FROM attachments WHERE message_id = ? ORDER BY id`,
  ).all(messageId) as TextAttachment[];
  return { objectHash, attachments };
}

/**
 * The attachment text of a message has been read: its attachments' statuses and the searchable
 * attachment text. The caller rebuilds the list row's document in the same transaction.
 */
export function saveAttachmentText(
  db: Db,
  messageId: number,
  attachmentsText: string,
  statuses: readonly ({ id: number } & AttachmentTextStatus)[],
): void {
  prepared(db, 'UPDATE message_text SET attachments = ? WHERE message_id = ?').run(
    attachmentsText,
    messageId,
  );
  const update = prepared(
    db,
    'UPDATE attachments SET text_status = ?, text_error = ? WHERE id = ? AND message_id = ?',
  );
  for (const s of statuses) update.run(s.textStatus, s.textError, s.id, messageId);
}

export function emptySearchText(subject: string | null): SearchText {
  return { subject: subject ?? '', sender: '', recipients: '', body: '', attachments: '' };
}

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

/**
 * Facet tokens: letters and digits only, so the tokenizer keeps each one whole, and each begins
 * with FACET_INITIAL: a word that begins with another letter or a digit can never match one, and
 * is searched without naming the text columns (main/search/query.ts). FACET_ALL too.
 */
export const FACET_INITIAL = 'f';

/**
 * Whether a token (as the person typed it) could be, or begin, a facet token once the tokenizer
 * folds it: any but an ASCII letter or digit other than FACET_INITIAL might fold to it ("Ḟ").
 */
export function canBeginFacet(token: string): boolean {
  return !/^[a-z0-9]/i.test(token) || token[0]!.toLowerCase() === FACET_INITIAL;
}

export const facet = {
  kind: (kind: string) => `fk${kind.replace(/[^a-z]/g, '')}`,
  state: (state: 'failed' | 'delivered' | 'pending') => `fs${state}`,
  attachment: 'fhatt',
  account: (id: number) => `fa${id}`,
  folder: (id: number) => `fb${id}`,
  domain: (domain: string) => `fd${hex(domain.toLowerCase())}`,
  /** A tag on the row (issue 14), by its folded name. */
  tag: (nameKey: string) => `fg${hex(nameKey)}`,
};

/** A domain and its parents down to two labels: pec.studio.it → pec.studio.it, studio.it. */
function domainFacets(address: string | null): string[] {
  const at = address?.lastIndexOf('@') ?? -1;
  if (!address || at < 0) return [];
  const labels = address
    .slice(at + 1)
    .toLowerCase()
    .split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(facet.domain(labels.slice(i).join('.')));
  return out;
}

const ADDRESS = /[^\s<>"',;:()]+@[^\s<>"',;:()]+/;

/**
 * Who sent a message, as the sender-domain filter reads it: the certified sender (daticert), the
 * original's From, "Per conto di: …" in the envelope's From name; the envelope's own address only
 * when it is not the provider's posta-certificata@. A notice without daticert (an SdI notice
 * re-wrapped as an anomaly) is thus found by its real sender's domain.
 */
function senderAddresses(m: MemberRow): string[] {
  const found = [
    m.sender,
    ADDRESS.exec(m.originalFrom ?? '')?.[0],
    ADDRESS.exec(m.fromName ?? '')?.[0],
    m.fromAddress && !m.fromAddress.startsWith('posta-certificata@') ? m.fromAddress : null,
  ];
  return [...new Set(found.filter((a): a is string => Boolean(a)).map((a) => a.toLowerCase()))];
}

interface MemberRow {
  id: number;
  kind: string;
  sender: string | null;
  /** The original's From (postacert.eml, or the message itself) and the envelope's From name. */
  originalFrom: string | null;
  fromName: string | null;
  fromAddress: string | null;
  hasAttachments: number;
  subject: string | null;
  senderText: string | null;
  recipients: string | null;
  body: string | null;
  attachments: string | null;
}

/**
 * Rebuilds the search documents of the list rows these messages belong to, and drops the
 * documents of messages that stopped being list rows (adopted into a thread, head replaced).
 * Called in the transaction that changed them.
 */
export function rebuildDocs(db: Db, messageIds: Iterable<number>): void {
  const headOf = prepared(
    db,
    'SELECT coalesce(t.head_message_id, m.id) FROM messages m LEFT JOIN threads t ON t.id = m.thread_id WHERE m.id = ?',
  ).pluck();
  const heads = new Set<number>();
  const all = new Set<number>(messageIds);
  // Whole threads: a new member can change the head, and every member's old document must go.
  const threadOf = prepared(db, 'SELECT thread_id FROM messages WHERE id = ?').pluck();
  const members = prepared(db, 'SELECT id FROM messages WHERE thread_id = ?').pluck();
  for (const id of [...all]) {
    const threadId = threadOf.get(id) as number | null | undefined;
    if (threadId) for (const m of members.all(threadId) as number[]) all.add(m);
  }
  for (const id of all) {
    const head = headOf.get(id) as number | undefined;
    if (head === undefined) continue;
    heads.add(head);
    if (head !== id) dropDoc(db, id);
  }
  for (const head of heads) buildDoc(db, head);
}

/** Removes the document of this list row, if it has one. */
function dropDoc(db: Db, headId: number): void {
  const key = prepared(db, 'SELECT key FROM search_docs WHERE head_id = ?').pluck().get(headId) as
    | number
    | undefined;
  if (key === undefined) return;
  prepared(db, 'DELETE FROM search_fts WHERE rowid = ?').run(key);
  prepared(db, 'DELETE FROM search_docs WHERE head_id = ?').run(headId);
}

function buildDoc(db: Db, headId: number): void {
  // The thread's delivery state, by the same rules as the smart views (db/views.ts).
  const head = prepared(
    db,
    `SELECT m.id, m.sort_date AS sortDate, m.thread_id AS threadId, t.state = 'delivered' AS delivered,
            ${THREAD_FAILED} AS failed, ${THREAD_PENDING} AS pending
       FROM messages m LEFT JOIN threads t ON t.id = m.thread_id WHERE m.id = ?`,
  ).get(headId) as
    | {
        id: number;
        sortDate: string;
        threadId: number | null;
        delivered: number | null;
        failed: number | null;
        pending: number | null;
      }
    | undefined;
  if (!head) return;
  const members = prepared(
    db,
    `SELECT m.id, m.kind, m.certified_sender AS sender, m.original_from AS originalFrom, m.from_name AS fromName,
              m.from_address AS fromAddress, m.has_attachments AS hasAttachments,
              x.subject, x.sender AS senderText, x.recipients, x.body, x.attachments
       FROM messages m LEFT JOIN message_text x ON x.message_id = m.id
       WHERE ${head.threadId ? 'm.thread_id = ?' : 'm.id = ?'} ORDER BY m.id = ? DESC, m.id`,
  ).all(head.threadId ?? headId, headId) as MemberRow[];
  // A receipt repeats the original it certifies: each distinct text once.
  const column = (pick: (m: MemberRow) => string | null) =>
    [...new Set(members.map(pick).filter((v): v is string => Boolean(v)))].join('\n');
  const facets = new Set<string>([FACET_ALL]);
  for (const m of members) {
    facets.add(facet.kind(m.kind));
    if (m.hasAttachments) facets.add(facet.attachment);
    for (const address of senderAddresses(m)) for (const d of domainFacets(address)) facets.add(d);
  }
  if (head.failed) facets.add(facet.state('failed'));
  if (head.delivered) facets.add(facet.state('delivered'));
  if (head.pending) facets.add(facet.state('pending'));
  const places = prepared(
    db,
    `SELECT DISTINCT b.account_id AS accountId, b.id AS folderId FROM message_locations l JOIN mailboxes b ON b.id = l.mailbox_id
       WHERE l.message_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(members.map((m) => m.id))) as { accountId: number; folderId: number }[];
  for (const p of places) {
    facets.add(facet.account(p.accountId));
    facets.add(facet.folder(p.folderId));
  }
  for (const key of tagKeysOfRow(db, headId, head.threadId)) facets.add(facet.tag(key));

  dropDoc(db, headId);
  let key = dateKey(head.sortDate) + (headId % KEY_SHIFT);
  const taken = prepared(db, 'SELECT 1 FROM search_docs WHERE key = ?').pluck();
  while (taken.get(key)) key++;
  prepared(db, 'INSERT INTO search_docs (key, head_id) VALUES (?, ?)').run(key, headId);
  prepared(
    db,
    'INSERT INTO search_fts (rowid, subject, sender, recipients, body, attachments, facets) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(
    key,
    column((m) => m.subject),
    column((m) => m.senderText),
    column((m) => m.recipients),
    column((m) => m.body),
    column((m) => m.attachments),
    [...facets].join(' '),
  );
}

export interface SearchPlan {
  /** A complete FTS5 MATCH expression (words and facets); null = nothing can match. */
  match: string | null;
  /**
   * The words of `match` alone, without its facets; null when there are none (filters only).
   * Relevance ranks by them: bm25 counts every phrase of its MATCH in the whole index, a facet
   * in half the archive included, though facets weigh nothing.
   */
  words: string | null;
  /** Date range as document keys: [from, to). */
  fromKey: number;
  toKey: number;
  sort: 'date' | 'relevance';
  /**
   * A prefix longer than the index keeps (LONGEST_INDEXED_PREFIX): FTS5 merges the lists of every
   * word that begins with it at each statement, so a page by date comes from the pass that counts.
   */
  mergesPrefixes: boolean;
  offset: number;
  limit: number;
  /**
   * Count every match. Otherwise counting stops past COUNT_LIMIT ("più di 5.000"): an exact count
   * reads every match, a common word's hundreds of thousands in a large archive.
   */
  exactCount: boolean;
}

/** Accounts whose address starts with this, or whose display name it is. */
export function accountIdsLike(db: Db, value: string): number[] {
  const like = `${value.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return prepared(
    db,
    "SELECT id FROM accounts WHERE email LIKE ? ESCAPE '\\' OR display_name = ? COLLATE NOCASE",
  )
    .pluck()
    .all(like, value) as number[];
}

/** Folders by path or name. */
export function folderIdsLike(db: Db, value: string): number[] {
  return prepared(db, 'SELECT id FROM mailboxes WHERE path = ? COLLATE NOCASE OR name = ? COLLATE NOCASE')
    .pluck()
    .all(value, value) as number[];
}

export interface SearchPage {
  total: number;
  /** More than `total` (COUNT_LIMIT) match; how many was not counted. */
  totalApproximate: boolean;
  rows: ListRow[];
  /**
   * Sorted by relevance with more matches than RELEVANCE_WINDOW: only the newest that many were
   * ranked (and can be paged through). null otherwise.
   */
  rankedNewest: number | null;
}

/**
 * Relevance ranks at most this many matches, the newest (the page says so): bm25 costs half a
 * microsecond per ranked document after a pass over each word's matches in the whole archive,
 * and a word in thousands of messages says little about which of them matter; a date filter
 * (dopo:, prima:) moves the window. 5,000 cost 90x less than a LIKE scan at 100,000 messages in
 * `npm run bench search`, 2,000 cost 100-110x less (README "Benchmarks").
 */
export const RELEVANCE_WINDOW = 2_000;

/**
 * Counting stops past this many matches, unless the exact count is asked for or the page asked
 * for lies past it: the count of a word in half of a million-message archive costs tens of
 * milliseconds, its first page well under one. At least RELEVANCE_WINDOW.
 */
export const COUNT_LIMIT = 5_000;

/** A word in the subject weighs most, then sender and recipients, attachments, body; facets none. */
const BM25_WEIGHTS = '10.0, 5.0, 5.0, 1.0, 3.0, 0.0';

export interface SearchMatch {
  total: number;
  totalApproximate: boolean;
  /** The page's list rows (message ids of their heads), in order. */
  ids: number[];
  rankedNewest: number | null;
}

/** The page of list rows a plan selects, in its order, and how many rows match in all. */
export function searchDocs(db: Db, plan: SearchPlan): SearchPage {
  const { keys, ...counts } = matchKeys(db, plan);
  if (keys.length === 0) return { ...counts, rows: [] };
  // The page's rows through their documents' keys, in one statement.
  const rows = new Map(
    (
      prepared(
        db,
        `SELECT d.key AS docKey, ${ROW_SELECT} FROM search_docs d JOIN messages m ON m.id = d.head_id
           LEFT JOIN threads t ON t.id = m.thread_id WHERE d.key IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(keys)) as (RawListRow & { docKey: number })[]
    ).map(({ docKey, ...r }) => [docKey, toListRow(r)]),
  );
  return { ...counts, rows: keys.map((k) => rows.get(k)).filter((r): r is ListRow => r !== undefined) };
}

/** The matching alone: how many list rows match, and which are on the page. */
export function matchDocs(db: Db, plan: SearchPlan): SearchMatch {
  const { keys, ...counts } = matchKeys(db, plan);
  if (keys.length === 0) return { ...counts, ids: [] };
  const heads = new Map(
    (
      prepared(
        db,
        'SELECT key, head_id AS headId FROM search_docs WHERE key IN (SELECT value FROM json_each(?))',
      ).all(JSON.stringify(keys)) as { key: number; headId: number }[]
    ).map((r) => [r.key, r.headId]),
  );
  return { ...counts, ids: keys.map((k) => heads.get(k)).filter((id): id is number => id !== undefined) };
}

/**
 * A document key as FTS5 must be given it: an integer. better-sqlite3 binds a JS number as a
 * REAL, and FTS5 ignores a rowid bound that is not an integer: it would read every match and
 * leave the range to SQLite (a date filter or the relevance window then cost a full scan).
 */
const keyParam = (key: number) => BigInt(key);

/** A query's bm25 with the subject weighing most (BM25_WEIGHTS); among equal scores, newest first. */
const BY_RELEVANCE = `ORDER BY bm25(search_fts, ${BM25_WEIGHTS}), rowid DESC LIMIT ? OFFSET ?`;

/**
 * The page by relevance of the matches from `oldest` on. bm25() itself, not
 * the rank column: FTS5's ORDER BY rank ignores a rowid range. With filters (`words` differs from
 * `match`) and a window of few documents, bm25 is asked of the words alone over the window's
 * list: bm25 counts every phrase of its MATCH in the whole index, a facet in half the archive
 * included, and the facets' weight is 0, so the order is the same. A large window is ranked
 * with the whole MATCH: walking the words' matches across the window's span would cost more.
 */
function rankWindow(
  db: Db,
  plan: SearchPlan,
  where: string,
  params: unknown[],
  window: { oldest: number; keys?: number[] },
): number[] {
  if (!window.keys || plan.words === plan.match)
    return prepared(db, `SELECT rowid FROM search_fts WHERE ${where} AND rowid >= ? ${BY_RELEVANCE}`)
      .pluck()
      .all(...params, keyParam(window.oldest), plan.limit, plan.offset) as number[];
  // `+rowid`: the list is a filter, not a constraint FTS5 would be asked to look up key by key.
  return prepared(
    db,
    `SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid >= ? AND rowid <= ?
       AND +rowid IN (SELECT value FROM json_each(?)) ${BY_RELEVANCE}`,
  )
    .pluck()
    .all(
      plan.words,
      keyParam(window.oldest),
      keyParam(window.keys[0]!),
      JSON.stringify(window.keys),
      plan.limit,
      plan.offset,
    ) as number[];
}

/** Below this many matches to rank, a query with filters ranks its words over the list of them. */
const SMALL_WINDOW = 1_000;

/**
 * The total a page reports, from the matches seen (counted up to one past COUNT_LIMIT): past it,
 * COUNT_LIMIT and approximate, unless the exact count is asked for or the page lies past it.
 */
function countsOf(
  db: Db,
  plan: SearchPlan,
  where: string,
  params: unknown[],
  seen: number,
): { total: number; totalApproximate: boolean } {
  if (seen <= COUNT_LIMIT) return { total: seen, totalApproximate: false };
  if (!plan.exactCount && plan.offset + plan.limit <= COUNT_LIMIT)
    return { total: COUNT_LIMIT, totalApproximate: true };
  const total = prepared(db, `SELECT count(*) FROM search_fts WHERE ${where}`)
    .pluck()
    .get(...params) as number;
  return { total, totalApproximate: false };
}

/** The document keys of the page, how many match (up to COUNT_LIMIT unless exact), the window. */
function matchKeys(db: Db, plan: SearchPlan): Omit<SearchMatch, 'ids'> & { keys: number[] } {
  const none = { total: 0, totalApproximate: false, keys: [], rankedNewest: null };
  if (!plan.match || plan.fromKey >= plan.toKey) return none;
  // Open ends are left out: FTS5 then needs no range at all.
  const conditions = ['search_fts MATCH ?'];
  const params: unknown[] = [plan.match];
  if (plan.fromKey > 0) {
    conditions.push('rowid >= ?');
    params.push(keyParam(plan.fromKey));
  }
  if (plan.toKey < Number.MAX_SAFE_INTEGER) {
    conditions.push('rowid < ?');
    params.push(keyParam(plan.toKey));
  }
  const where = conditions.join(' AND ');
  const counts = (seen: number) => countsOf(db, plan, where, params, seen);
  // The matches newest first, in FTS5's own order (which stops at the last row asked for).
  const newest = `SELECT rowid AS r FROM search_fts WHERE ${where} ORDER BY rowid DESC`;
  const upToCountLimit = `${newest} LIMIT ${COUNT_LIMIT + 1}`;
  const page = () =>
    prepared(db, `${newest} LIMIT ? OFFSET ?`)
      .pluck()
      .all(...params, plan.limit, plan.offset) as number[];

  if (plan.sort === 'relevance' && plan.words !== null && plan.limit > 0) {
    // One pass over the newest matches, up to one past COUNT_LIMIT: how many match, and the key
    // the window starts at (the RELEVANCE_WINDOW-th newest, or the oldest).
    let seen: number;
    let oldest: number | null;
    let keys: number[] | undefined;
    if (plan.words === plan.match) {
      // Only the two numbers leave SQLite.
      [seen, oldest] = prepared(
        db,
        `WITH m AS MATERIALIZED (${upToCountLimit}) SELECT (SELECT count(*) FROM m),
           coalesce((SELECT r FROM m ORDER BY r DESC LIMIT 1 OFFSET ${RELEVANCE_WINDOW - 1}), (SELECT min(r) FROM m))`,
      )
        .raw()
        .get(...params) as [number, number | null];
    } else {
      // With filters, a small window's list too.
      const all = prepared(db, upToCountLimit)
        .pluck()
        .all(...params) as number[];
      seen = all.length;
      oldest = all[Math.min(all.length, RELEVANCE_WINDOW) - 1] ?? null;
      if (all.length <= SMALL_WINDOW) keys = all;
    }
    if (oldest === null) return none;
    return {
      ...counts(seen),
      keys: rankWindow(db, plan, where, params, { oldest, keys }),
      rankedNewest: seen > RELEVANCE_WINDOW ? RELEVANCE_WINDOW : null,
    };
  }

  if (plan.mergesPrefixes) {
    // By date, one pass: the newest matches up to one past COUNT_LIMIT, counted and paged here.
    const all = prepared(db, upToCountLimit)
      .pluck()
      .all(...params) as number[];
    const end = plan.offset + plan.limit;
    const keys = end <= all.length || all.length <= COUNT_LIMIT ? all.slice(plan.offset, end) : page();
    return { ...counts(all.length), keys, rankedNewest: null };
  }
  // By date: the count, in FTS5's cheaper oldest-first order (its rowids stay in SQLite), then
  // the page.
  const { total, totalApproximate } = counts(
    prepared(db, `SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE ${where} LIMIT ${COUNT_LIMIT + 1})`)
      .pluck()
      .get(...params) as number,
  );
  if (total === 0 || plan.limit === 0 || plan.offset >= total)
    return { total, totalApproximate, keys: [], rankedNewest: null };
  return { total, totalApproximate, keys: page(), rankedNewest: null };
}

/** Members of a thread read for its snippet after the head: receipts repeat the original. */
const TEXTS_PER_ROW = 20;

type RowText = Pick<SearchText, 'body' | 'attachments'>;

/** The body and attachment text of these list rows' heads, in one statement. */
export function headTexts(db: Db, headIds: readonly number[]): Map<number, RowText> {
  if (headIds.length === 0) return new Map();
  const rows = prepared(
    db,
    `SELECT message_id AS id, body, attachments FROM message_text
       WHERE message_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(headIds)) as ({ id: number } & RowText)[];
  return new Map(rows.map(({ id, body, attachments }) => [id, { body, attachments }]));
}

/**
 * The texts of the other messages of these list rows' threads (receipts, envelopes), first
 * TEXTS_PER_ROW of each by id, each distinct text once: for the rows whose head's own text holds
 * no match. One statement; members are picked by their ids first and only their texts read (a
 * PEC sent to two hundred addresses has two hundred receipts, each repeating the original).
 */
export function memberTexts(db: Db, headIds: readonly number[]): Map<number, RowText[]> {
  const out = new Map<number, RowText[]>();
  if (headIds.length === 0) return out;
  // CROSS JOIN keeps the page the outer loop.
  const rows = prepared(
    db,
    `WITH members(head, id, n) AS (
       SELECT h.id, m.id, row_number() OVER (PARTITION BY h.id ORDER BY m.id)
         FROM json_each(?) p CROSS JOIN messages h ON h.id = p.value
         JOIN messages m ON m.thread_id = h.thread_id AND m.id <> h.id)
     SELECT s.head AS headId, x.body, x.attachments FROM members s JOIN message_text x ON x.message_id = s.id
       WHERE s.n <= ${TEXTS_PER_ROW} ORDER BY s.head, s.n`,
  ).all(JSON.stringify(headIds)) as ({ headId: number } & RowText)[];
  for (const { headId, body, attachments } of rows) {
    const list = out.get(headId) ?? [];
    if (!list.some((t) => t.body === body && t.attachments === attachments)) list.push({ body, attachments });
    out.set(headId, list);
  }
  return out;
}
