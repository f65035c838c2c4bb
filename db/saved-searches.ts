/** Searches a person keeps, by name: shown as smart views, offered while typing. */
import { asc, eq } from 'drizzle-orm';
import type { Db } from './database.ts';
import { savedSearches } from './schema.ts';

export type SavedSearch = typeof savedSearches.$inferSelect;

export function listSavedSearches(db: Db): SavedSearch[] {
  return db.select().from(savedSearches).orderBy(asc(savedSearches.name)).all();
}

/** Saves under a name; saving an existing name replaces its query. */
export function saveSearch(db: Db, name: string, query: string, sort: 'date' | 'relevance'): SavedSearch {
  return db
    .insert(savedSearches)
    .values({ name, query, sort, createdAt: new Date().toISOString() })
    .onConflictDoUpdate({ target: savedSearches.name, set: { query, sort } })
    .returning()
    .get();
}

export function removeSavedSearch(db: Db, id: number): boolean {
  return db.delete(savedSearches).where(eq(savedSearches.id, id)).run().changes > 0;
}
