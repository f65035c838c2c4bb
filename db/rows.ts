/**
 * A table's rows written and read through statements prepared once per connection, with drizzle's
 * own meaning for every value (the schema's defaults, booleans as 0/1 and back): ingest inserts a
 * message, its attachments and its thread's recipients and reads its thread's members for every
 * message, and building those statements through drizzle's query builder and preparing them
 * again each time was most of the writer thread's time (issue 11). The SQL is made from the
 * schema (db/schema.ts), so a column added there is written and read here too.
 */
import { type Column, getTableColumns, getTableName, is, SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { type Db, prepared } from './database.ts';

interface Shape {
  /** Property name and column, in the schema's order: every column, and those an insert writes. */
  all: [string, Column][];
  columns: [string, Column][];
  insert: string;
  /** `"a"."col" AS "key", …` for a given table alias. */
  select: (alias: string) => string;
}

const shapes = new WeakMap<SQLiteTable, Shape>();

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function shapeOf(table: SQLiteTable): Shape {
  let shape = shapes.get(table);
  if (shape) return shape;
  const all = Object.entries(getTableColumns(table)) as [string, Column][];
  // Generated columns are not written (drizzle's shouldDisableInsert).
  const insertable = all.filter(([, c]) => c.generated === undefined || c.generated.type === 'byDefault');
  // A default computed in SQL would need its own statement per row: none of the tables written
  // here has one, and one added later must be handled on purpose.
  for (const [key, c] of insertable)
    if (is(c.default, SQL))
      throw new Error(`db/rows.ts: ${getTableName(table)}.${key} has an SQL default, not supported`);
  shape = {
    all,
    columns: insertable,
    insert: `INSERT INTO ${quote(getTableName(table))} (${insertable.map(([, c]) => quote(c.name)).join(', ')}) VALUES (${insertable.map(() => '?').join(', ')})`,
    select: (alias) => all.map(([key, c]) => `${quote(alias)}.${quote(c.name)} AS ${quote(key)}`).join(', '),
  };
  shapes.set(table, shape);
  return shape;
}

/**
 * Inserts one row as drizzle's insert().values(row) would (a missing value takes the column's
 * default, else NULL; values are mapped to the driver's); returns its rowid.
 */
export function insertRow<T extends SQLiteTable>(db: Db, table: T, row: T['$inferInsert']): number {
  const shape = shapeOf(table);
  const values = shape.columns.map(([key, c]) => {
    let value = (row as Record<string, unknown>)[key];
    if (value === undefined) {
      if (c.default !== undefined && c.default !== null) value = c.default;
      else if (c.defaultFn !== undefined) value = c.defaultFn();
      else if (c.onUpdateFn !== undefined) value = c.onUpdateFn();
      else return null;
      if (is(value, SQL)) throw new Error(`db/rows.ts: ${c.name} has an SQL default, not supported`);
    }
    return value === null ? null : c.mapToDriverValue(value);
  });
  return Number(prepared(db, shape.insert).run(...values).lastInsertRowid);
}

/** The select list of every column of the table, named by property: `"alias"."col" AS "key", …`. */
export function rowColumns(table: SQLiteTable, alias: string): string {
  return shapeOf(table).select(alias);
}

/** A row read with rowColumns, its values mapped from the driver's as drizzle's select() does. */
export function toRow<T extends SQLiteTable>(table: T, raw: Record<string, unknown>): T['$inferSelect'] {
  for (const [key, c] of shapeOf(table).all) {
    const value = raw[key];
    if (value !== null && value !== undefined) raw[key] = c.mapFromDriverValue(value);
  }
  return raw as T['$inferSelect'];
}
