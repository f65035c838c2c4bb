/**
 * The SQL of work on list rows (issue 14, main/work/): items keyed by row, their history and
 * comments, tags on them. Rows are a PEC thread ('t:<id>') or a message outside any thread
 * ('m:<id>'), as db/work-sql.ts ROW_KEY computes them for the list.
 */
import { type Db, prepared } from './database.ts';
import { DEFAULT_NEW } from './work-sql.ts';

export type WorkStateCode = 'new' | 'assigned' | 'claimed' | 'waiting' | 'done';

export interface WorkItemRow {
  id: number;
  rowKey: string;
  threadId: number | null;
  messageId: number | null;
  state: WorkStateCode | null;
  assigneeUserId: number | null;
  assigneeOfficeId: number | null;
  claimedBy: number | null;
  claimedByName: string | null;
  claimedAt: string | null;
  doneAt: string | null;
  doneByName: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent' | null;
  dueDate: string | null;
  dueSource: 'manual' | 'rule' | 'proposed' | null;
  dueNote: string | null;
  remindedFor: number | null;
  escalatedAt: string | null;
  arrivedAt: string;
  createdAt: string;
  updatedAt: string;
}

const ITEM_COLUMNS = `id, row_key AS rowKey, thread_id AS threadId, message_id AS messageId, state,
  assignee_user_id AS assigneeUserId, assignee_office_id AS assigneeOfficeId, claimed_by AS claimedBy,
  claimed_by_name AS claimedByName, claimed_at AS claimedAt, done_at AS doneAt, done_by_name AS doneByName,
  priority, due_date AS dueDate, due_source AS dueSource, due_note AS dueNote, reminded_for AS remindedFor,
  escalated_at AS escalatedAt, arrived_at AS arrivedAt, created_at AS createdAt, updated_at AS updatedAt`;

/** A list row: a thread, or a message outside any thread. */
export type RowRef = { threadId: number } | { messageId: number };

export function rowKeyOf(ref: RowRef): string {
  return 'threadId' in ref ? `t:${ref.threadId}` : `m:${ref.messageId}`;
}

/** The row a message belongs to (its thread's, or its own), or undefined when there is no message. */
export function rowOfMessage(db: Db, messageId: number): RowRef | undefined {
  const row = prepared(db, 'SELECT thread_id AS threadId FROM messages WHERE id = ?').get(messageId) as
    | { threadId: number | null }
    | undefined;
  if (!row) return undefined;
  return row.threadId !== null ? { threadId: row.threadId } : { messageId };
}

export function threadExists(db: Db, threadId: number): boolean {
  return prepared(db, 'SELECT 1 FROM threads WHERE id = ?').pluck().get(threadId) === 1;
}

/** The message that stands for the row in lists (thread head, or the message itself). */
export function headOfRow(db: Db, ref: RowRef): number | null {
  if ('messageId' in ref) return ref.messageId;
  return (prepared(
    db,
    `SELECT coalesce(t.head_message_id, (SELECT min(id) FROM messages WHERE thread_id = t.id)) FROM threads t WHERE t.id = ?`,
  )
    .pluck()
    .get(ref.threadId) ?? null) as number | null;
}

export function getItem(db: Db, ref: RowRef): WorkItemRow | undefined {
  return prepared(db, `SELECT ${ITEM_COLUMNS} FROM work_items WHERE row_key = ?`).get(rowKeyOf(ref)) as
    | WorkItemRow
    | undefined;
}

export function getItemById(db: Db, id: number): WorkItemRow | undefined {
  return prepared(db, `SELECT ${ITEM_COLUMNS} FROM work_items WHERE id = ?`).get(id) as
    | WorkItemRow
    | undefined;
}

/**
 * The row's state when it has no item: 'new' for an incoming PEC of its mailbox's work period,
 * else null (db/work-sql.ts DEFAULT_NEW, the same rule as the lists).
 */
export function defaultState(db: Db, ref: RowRef): 'new' | null {
  const head = headOfRow(db, ref);
  if (head === null) return null;
  const isNew = prepared(
    db,
    `SELECT ${DEFAULT_NEW} FROM messages m LEFT JOIN threads t ON t.id = m.thread_id WHERE m.id = ?`,
  )
    .pluck()
    .get(head);
  return isNew ? 'new' : null;
}

/** The row's item, made now when it has none (its state the row's default, its arrival the row's date). */
export function ensureItem(db: Db, ref: RowRef, now: string): WorkItemRow {
  const found = getItem(db, ref);
  if (found) return found;
  const head = headOfRow(db, ref);
  const arrived =
    (head !== null
      ? (prepared(db, 'SELECT sort_date FROM messages WHERE id = ?').pluck().get(head) as string | undefined)
      : undefined) || now;
  prepared(
    db,
    `INSERT INTO work_items (row_key, thread_id, message_id, state, arrived_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    rowKeyOf(ref),
    'threadId' in ref ? ref.threadId : null,
    'messageId' in ref ? ref.messageId : null,
    defaultState(db, ref),
    arrived,
    now,
    now,
  );
  return getItem(db, ref)!;
}

export type ItemChange = Partial<
  Omit<WorkItemRow, 'id' | 'rowKey' | 'threadId' | 'messageId' | 'createdAt' | 'arrivedAt'>
>;

const CHANGE_COLUMNS: Record<keyof ItemChange, string> = {
  state: 'state',
  assigneeUserId: 'assignee_user_id',
  assigneeOfficeId: 'assignee_office_id',
  claimedBy: 'claimed_by',
  claimedByName: 'claimed_by_name',
  claimedAt: 'claimed_at',
  doneAt: 'done_at',
  doneByName: 'done_by_name',
  priority: 'priority',
  dueDate: 'due_date',
  dueSource: 'due_source',
  dueNote: 'due_note',
  remindedFor: 'reminded_for',
  escalatedAt: 'escalated_at',
  updatedAt: 'updated_at',
};

export function updateItem(db: Db, id: number, change: ItemChange): void {
  const keys = (Object.keys(change) as (keyof ItemChange)[]).filter((k) => k in CHANGE_COLUMNS);
  if (keys.length === 0) return;
  // Routing rules update items inside ingest: one statement per set of columns, prepared once.
  prepared(
    db,
    `UPDATE work_items SET ${keys.map((k) => `${CHANGE_COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`,
  ).run(...keys.map((k) => change[k] ?? null), id);
}

export interface WorkEventRow {
  id: number;
  itemId: number;
  at: string;
  actor: string;
  actorName: string;
  action: string;
  fromState: string | null;
  toState: string | null;
  comment: string | null;
  details: string;
}

export function insertEvent(db: Db, e: Omit<WorkEventRow, 'id'>): number {
  return Number(
    prepared(
      db,
      `INSERT INTO work_events (item_id, at, actor, actor_name, action, from_state, to_state, comment, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(e.itemId, e.at, e.actor, e.actorName, e.action, e.fromState, e.toState, e.comment, e.details)
      .lastInsertRowid,
  );
}

export function eventsOf(db: Db, itemId: number): WorkEventRow[] {
  return prepared(
    db,
    `SELECT id, item_id AS itemId, at, actor, actor_name AS actorName, action, from_state AS fromState,
            to_state AS toState, comment, details FROM work_events WHERE item_id = ? ORDER BY at, id`,
  ).all(itemId) as WorkEventRow[];
}

export interface TagRow {
  id: number;
  name: string;
  nameKey: string;
  color: string;
  category: string | null;
  createdAt: string;
  createdBy: string;
}

const TAG_COLUMNS =
  'id, name, name_key AS nameKey, color, category, created_at AS createdAt, created_by AS createdBy';

export function listTags(db: Db): TagRow[] {
  return prepared(db, `SELECT ${TAG_COLUMNS} FROM tags ORDER BY name COLLATE NOCASE`).all() as TagRow[];
}

export function findTag(db: Db, nameKey: string): TagRow | undefined {
  return prepared(db, `SELECT ${TAG_COLUMNS} FROM tags WHERE name_key = ?`).get(nameKey) as
    | TagRow
    | undefined;
}

export function getTag(db: Db, id: number): TagRow | undefined {
  return prepared(db, `SELECT ${TAG_COLUMNS} FROM tags WHERE id = ?`).get(id) as TagRow | undefined;
}

export function insertTag(db: Db, tag: Omit<TagRow, 'id'>): TagRow {
  const id = Number(
    prepared(
      db,
      'INSERT INTO tags (name, name_key, color, category, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(tag.name, tag.nameKey, tag.color, tag.category, tag.createdAt, tag.createdBy).lastInsertRowid,
  );
  return getTag(db, id)!;
}

export function updateTag(
  db: Db,
  id: number,
  change: { name?: string; nameKey?: string; color?: string; category?: string | null },
): void {
  const cur = getTag(db, id);
  if (!cur) return;
  prepared(db, 'UPDATE tags SET name = ?, name_key = ?, color = ?, category = ? WHERE id = ?').run(
    change.name ?? cur.name,
    change.nameKey ?? cur.nameKey,
    change.color ?? cur.color,
    change.category === undefined ? cur.category : change.category,
    id,
  );
}

export function deleteTag(db: Db, id: number): boolean {
  return prepared(db, 'DELETE FROM tags WHERE id = ?').run(id).changes > 0;
}

/** True when the tag was not on the item yet. */
export function addItemTag(db: Db, itemId: number, tagId: number, at: string, by: string): boolean {
  return (
    prepared(
      db,
      'INSERT OR IGNORE INTO work_tags (item_id, tag_id, added_at, added_by) VALUES (?, ?, ?, ?)',
    ).run(itemId, tagId, at, by).changes > 0
  );
}

export function removeItemTag(db: Db, itemId: number, tagId: number): boolean {
  return (
    prepared(db, 'DELETE FROM work_tags WHERE item_id = ? AND tag_id = ?').run(itemId, tagId).changes > 0
  );
}

export function tagsOfItem(db: Db, itemId: number): Pick<TagRow, 'id' | 'name' | 'color'>[] {
  return prepared(
    db,
    'SELECT g.id, g.name, g.color FROM work_tags wt JOIN tags g ON g.id = wt.tag_id WHERE wt.item_id = ? ORDER BY g.name COLLATE NOCASE',
  ).all(itemId) as Pick<TagRow, 'id' | 'name' | 'color'>[];
}

/**
 * The message ids of the list rows carrying a tag: what db/search.ts's facet and the tag views
 * need (the head of each tagged row).
 */
export function headsWithTag(db: Db, tagId: number): number[] {
  return prepared(
    db,
    `SELECT coalesce(w.message_id, t.head_message_id) FROM work_tags wt JOIN work_items w ON w.id = wt.item_id
       LEFT JOIN threads t ON t.id = w.thread_id WHERE wt.tag_id = ?`,
  )
    .pluck()
    .all(tagId)
    .filter((id) => id !== null) as number[];
}

/** The folded names of the tags on a message's list row (for its search document). */
export function tagKeysOfRow(db: Db, messageId: number, threadId: number | null): string[] {
  return prepared(
    db,
    `SELECT g.name_key FROM work_items w JOIN work_tags wt ON wt.item_id = w.id JOIN tags g ON g.id = wt.tag_id
      WHERE w.row_key = ?`,
  )
    .pluck()
    .all(threadId !== null ? `t:${threadId}` : `m:${messageId}`) as string[];
}

/**
 * Messages that were alone and are now in one of these threads (a sent copy whose receipts came):
 * their row's work moves to the thread's row, unless the thread has its own.
 */
export function adoptIntoThreads(db: Db, threadIds: readonly number[]): void {
  if (threadIds.length === 0) return;
  prepared(
    db,
    `UPDATE work_items SET thread_id = (SELECT thread_id FROM messages WHERE id = work_items.message_id),
        row_key = 't:' || (SELECT thread_id FROM messages WHERE id = work_items.message_id), message_id = NULL
      WHERE message_id IN (SELECT id FROM messages WHERE thread_id IN (SELECT value FROM json_each(?)))
        AND NOT EXISTS (SELECT 1 FROM work_items x
          WHERE x.row_key = 't:' || (SELECT thread_id FROM messages WHERE id = work_items.message_id))`,
  ).run(JSON.stringify(threadIds));
}
