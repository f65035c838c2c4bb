/** Routing rules and the deadline terms table (issue 14): their SQL. */
import { type Db, prepared } from './database.ts';

export interface RuleRow {
  id: number;
  name: string;
  position: number;
  enabled: boolean;
  definition: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

const RULE_COLUMNS = `id, name, position, enabled, definition, created_at AS createdAt, created_by AS createdBy,
  updated_at AS updatedAt`;

function toRule(r: RuleRow & { enabled: number | boolean }): RuleRow {
  return { ...r, enabled: Boolean(r.enabled) };
}

export function listRules(db: Db): RuleRow[] {
  return (
    prepared(db, `SELECT ${RULE_COLUMNS} FROM routing_rules ORDER BY position, id`).all() as RuleRow[]
  ).map(toRule);
}

export function getRule(db: Db, id: number): RuleRow | undefined {
  const r = prepared(db, `SELECT ${RULE_COLUMNS} FROM routing_rules WHERE id = ?`).get(id) as
    | RuleRow
    | undefined;
  return r ? toRule(r) : undefined;
}

/** Whether any rule is on: ingest asks at every batch, so it is one indexed read. */
export function hasEnabledRules(db: Db): boolean {
  return prepared(db, 'SELECT 1 FROM routing_rules WHERE enabled = 1 LIMIT 1').pluck().get() === 1;
}

export function insertRule(
  db: Db,
  r: { name: string; enabled: boolean; definition: string; at: string; by: string; position?: number },
): number {
  const position =
    r.position ??
    ((prepared(db, 'SELECT coalesce(max(position), 0) + 1 FROM routing_rules').pluck().get() as number) || 1);
  return Number(
    prepared(
      db,
      `INSERT INTO routing_rules (name, position, enabled, definition, created_at, created_by, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(r.name, position, r.enabled ? 1 : 0, r.definition, r.at, r.by, r.at).lastInsertRowid,
  );
}

export function updateRule(
  db: Db,
  id: number,
  r: { name?: string; enabled?: boolean; definition?: string; position?: number; at: string },
): void {
  const cur = getRule(db, id);
  if (!cur) return;
  prepared(
    db,
    'UPDATE routing_rules SET name = ?, enabled = ?, definition = ?, position = ?, updated_at = ? WHERE id = ?',
  ).run(
    r.name ?? cur.name,
    (r.enabled ?? cur.enabled) ? 1 : 0,
    r.definition ?? cur.definition,
    r.position ?? cur.position,
    r.at,
    id,
  );
}

export function deleteRule(db: Db, id: number): boolean {
  return prepared(db, 'DELETE FROM routing_rules WHERE id = ?').run(id).changes > 0;
}

export interface TermRow {
  id: number;
  label: string;
  senderPattern: string;
  subjectWords: string | null;
  days: number;
  feriale: boolean;
  civil: boolean;
  note: string | null;
  position: number;
}

export function listTerms(db: Db): TermRow[] {
  return (
    prepared(
      db,
      `SELECT id, label, sender_pattern AS senderPattern, subject_words AS subjectWords, days, feriale, civil, note, position
         FROM deadline_terms ORDER BY position, id`,
    ).all() as (Omit<TermRow, 'feriale' | 'civil'> & { feriale: number; civil: number })[]
  ).map((t) => ({ ...t, feriale: Boolean(t.feriale), civil: Boolean(t.civil) }));
}

/** The whole table at once, as the person edited it. */
export function replaceTerms(db: Db, terms: Omit<TermRow, 'id' | 'position'>[]): void {
  prepared(db, 'DELETE FROM deadline_terms').run();
  terms.forEach((t, i) => {
    prepared(
      db,
      `INSERT INTO deadline_terms (label, sender_pattern, subject_words, days, feriale, civil, note, position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      t.label,
      t.senderPattern,
      t.subjectWords,
      t.days,
      t.feriale ? 1 : 0,
      t.civil ? 1 : 0,
      t.note,
      i + 1,
    );
  });
}
