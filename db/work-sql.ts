/**
 * The SQL of a list row's work (issue 14), for db/views.ts and db/work.ts: a row is a PEC thread or
 * a message outside any thread (message `m`, thread `t`), and its work item (`w`) is found by key.
 * A row without an item is "new" when it is an incoming PEC dated within its mailbox's work period
 * (accounts.work_since, else 30 days before the mailbox was added): older mail is history.
 */

/** The row's key: what work_items.row_key holds for it. */
export const ROW_KEY = `(CASE WHEN m.thread_id IS NULL THEN 'm:' || m.id ELSE 't:' || m.thread_id END)`;

/** The join that gives each list row its work item (w), if any. */
export const JOIN_WORK = `LEFT JOIN work_items w ON w.row_key = ${ROW_KEY}`;

/**
 * An incoming PEC (envelope or anomaly) that arrived in its mailbox's work period. The first date
 * test is the earliest work start of any mailbox, a constant SQLite computes once: the history
 * before it (most of a large archive) is left without looking up each row's mailbox.
 */
export const DEFAULT_NEW = `(m.kind IN ('posta-certificata', 'errore') AND coalesce(t.direction, 'received') = 'received'
  AND m.sort_date >= (SELECT min(coalesce(work_since, strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '-30 days'))) FROM accounts)
  AND EXISTS (SELECT 1 FROM message_locations wl JOIN mailboxes wb ON wb.id = wl.mailbox_id JOIN accounts wa ON wa.id = wb.account_id
    WHERE wl.message_id = m.id
      AND m.sort_date >= coalesce(wa.work_since, strftime('%Y-%m-%dT%H:%M:%fZ', wa.created_at, '-30 days'))))`;

/** The row's state: its item's, else new for an incoming PEC of the work period, else null (not work). */
export const WORK_STATE = `coalesce(w.state, CASE WHEN ${DEFAULT_NEW} THEN 'new' END)`;

/** Work not handled yet. */
export const OPEN_WORK = `${WORK_STATE} IN ('new', 'assigned', 'claimed', 'waiting')`;

/**
 * The work columns of a list row, self-contained (db/search.ts reads list rows without the join):
 * `work` as JSON (state, assignee, claim, due day, priority, tags) or null, and `workDefault` (1
 * when the row is new work without an item).
 */
export const WORK_COLUMNS = `(SELECT json_object('id', wi.id, 'state', wi.state,
    'assigneeUser', (SELECT coalesce(u.display_name, u.name) FROM users u WHERE u.id = wi.assignee_user_id),
    'assigneeUserId', wi.assignee_user_id,
    'assigneeOffice', (SELECT o.name FROM offices o WHERE o.id = wi.assignee_office_id),
    'claimedBy', wi.claimed_by_name, 'claimedAt', wi.claimed_at, 'doneAt', wi.done_at,
    'priority', wi.priority, 'due', wi.due_date, 'dueSource', wi.due_source,
    'comments', (SELECT count(*) FROM work_events we WHERE we.item_id = wi.id AND we.comment IS NOT NULL),
    'tags', (SELECT json_group_array(json_object('id', g.id, 'name', g.name, 'color', g.color))
               FROM work_tags wt JOIN tags g ON g.id = wt.tag_id WHERE wt.item_id = wi.id))
  FROM work_items wi WHERE wi.row_key = ${ROW_KEY}) AS work,
  CASE WHEN ${DEFAULT_NEW} THEN 1 ELSE 0 END AS workDefault`;

/** Who is looking: "Le mie" and "Del mio ufficio" depend on it. */
export interface Viewer {
  userId: number | null;
  /** The offices the person is in. */
  offices: number[];
}

export const NO_VIEWER: Viewer = { userId: null, offices: [] };

/** The filters of the work views (w joined, `today` the day in Rome). */
export function workViewFilter(
  view: 'to-handle' | 'mine' | 'office' | 'unassigned' | 'past-due',
  viewer: Viewer,
  today: string,
): { sql: string; params: unknown[] } {
  switch (view) {
    case 'to-handle':
      return { sql: OPEN_WORK, params: [] };
    case 'mine':
      return {
        sql: `(w.assignee_user_id = ? OR w.claimed_by = ?) AND ${OPEN_WORK}`,
        params: [viewer.userId ?? -1, viewer.userId ?? -1],
      };
    case 'office':
      return {
        sql: `(w.assignee_office_id IN (SELECT value FROM json_each(?))
          OR w.assignee_user_id IN (SELECT user_id FROM office_members WHERE office_id IN (SELECT value FROM json_each(?))))
          AND ${OPEN_WORK}`,
        params: [JSON.stringify(viewer.offices), JSON.stringify(viewer.offices)],
      };
    case 'unassigned':
      return {
        sql: `${OPEN_WORK} AND w.assignee_user_id IS NULL AND w.assignee_office_id IS NULL AND w.claimed_by_name IS NULL`,
        params: [],
      };
    case 'past-due':
      return { sql: `w.due_date < ? AND coalesce(w.state, '') <> 'done'`, params: [today] };
  }
}

/** A list row's work, as the list shows it (chips, state, assignee, due day). */
export interface RowWork {
  /** The row's work state; null: not work (a sent PEC, ordinary mail). */
  state: 'new' | 'assigned' | 'claimed' | 'waiting' | 'done' | null;
  assigneeUser: string | null;
  assigneeUserId: number | null;
  assigneeOffice: string | null;
  claimedBy: string | null;
  claimedAt: string | null;
  doneAt: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent' | null;
  due: string | null;
  dueSource: 'manual' | 'rule' | 'proposed' | null;
  comments: number;
  tags: { id: number; name: string; color: string }[];
}

/** The work of a row from its columns (WORK_COLUMNS); null when it has none and is not work. */
export function rowWork(work: string | null, workDefault: number): RowWork | null {
  if (!work) return workDefault ? { ...EMPTY_WORK, state: 'new' } : null;
  const w = JSON.parse(work) as Omit<RowWork, 'tags'> & { tags: string | RowWork['tags'] };
  const tags = (typeof w.tags === 'string' ? JSON.parse(w.tags) : (w.tags ?? [])) as RowWork['tags'];
  return {
    state: w.state ?? (workDefault ? 'new' : null),
    assigneeUser: w.assigneeUser,
    assigneeUserId: w.assigneeUserId,
    assigneeOffice: w.assigneeOffice,
    claimedBy: w.claimedBy,
    claimedAt: w.claimedAt,
    doneAt: w.doneAt,
    priority: w.priority,
    due: w.due,
    dueSource: w.dueSource,
    comments: w.comments,
    tags: tags.sort((a, b) => a.name.localeCompare(b.name, 'it')),
  };
}

const EMPTY_WORK: RowWork = {
  state: null,
  assigneeUser: null,
  assigneeUserId: null,
  assigneeOffice: null,
  claimedBy: null,
  claimedAt: null,
  doneAt: null,
  priority: null,
  due: null,
  dueSource: null,
  comments: 0,
  tags: [],
};
