/**
 * A search as the person typed it, answered: the query language (query.ts) becomes one FTS5 MATCH
 * of words and facet tokens plus a date range of document keys (db/search.ts), and the page's
 * subjects and snippets are marked (highlight.ts).
 */
import type { Db } from '../../db/database.ts';
import {
  accountIdsLike,
  dateKey,
  FACET_ALL,
  facet,
  folderIdsLike,
  rowTexts,
  type SearchPlan,
  searchDocs,
} from '../../db/search.ts';
import type { ListRow } from '../../db/views.ts';
import { highlight, snippet } from './highlight.ts';
import {
  type FilterChip,
  KIND_FILTERS,
  type ParsedQuery,
  parseQuery,
  type Term,
  toFtsMatch,
} from './query.ts';

export interface SearchHit extends ListRow {
  /** The subject with matches between \u0002 and \u0003; null when the subject has none. */
  subjectHighlight: string | null;
  /** Words around the first match in the body or attachments, marked the same way. */
  snippet: string | null;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  /** The filters understood in the text, for the UI's chips. */
  chips: FilterChip[];
  /** Sorted by relevance over this many newest matches only (very common words); else null. */
  rankedNewest: number | null;
}

export interface SearchRequest {
  text: string;
  sort: 'date' | 'relevance';
  offset: number;
  limit: number;
  /** As typed in the search box: the last word is a prefix until a space follows it. */
  prefixLast?: boolean;
}

const quoteToken = (t: string) => `"${t}"`;
const anyOf = (tokens: string[]) => `facets : (${tokens.map(quoteToken).join(' OR ')})`;

/** The FTS5 plan of a parsed query; mailbox and folder names are looked up in the archive. */
export function planSearch(db: Db, query: ParsedQuery, request: Omit<SearchRequest, 'text'>): SearchPlan {
  const f = query.filters;
  const parts: string[] = [];
  const words = toFtsMatch(query);
  if (words) parts.push(words);
  let impossible = false;
  if (f.kind) parts.push(anyOf(KIND_FILTERS[f.kind].map(facet.kind)));
  if (f.state) parts.push(`facets : ${quoteToken(facet.state(f.state))}`);
  if (f.hasAttachment) parts.push(`facets : ${quoteToken(facet.attachment)}`);
  if (f.domain) parts.push(`facets : ${quoteToken(facet.domain(f.domain))}`);
  if (f.tag) parts.push(`facets : ${quoteToken(facet.tag(f.tag))}`);
  if (f.mailbox) {
    const ids = accountIdsLike(db, f.mailbox);
    if (ids.length === 0) impossible = true;
    else parts.push(anyOf(ids.map(facet.account)));
  }
  if (f.folder) {
    const ids = folderIdsLike(db, f.folder);
    if (ids.length === 0) impossible = true;
    else parts.push(anyOf(ids.map(facet.folder)));
  }
  if (parts.length === 0) parts.push(`facets : ${quoteToken(FACET_ALL)}`);
  return {
    match: impossible ? null : parts.join(' AND '),
    fromKey: f.after ? dateKey(f.after) : 0,
    toKey: f.before ? dateKey(f.before) : Number.MAX_SAFE_INTEGER,
    sort: request.sort,
    offset: request.offset,
    limit: request.limit,
  };
}

function marks(
  db: Db,
  row: ListRow,
  terms: readonly Term[],
): Pick<SearchHit, 'subjectHighlight' | 'snippet'> {
  if (terms.length === 0) return { subjectHighlight: null, snippet: null };
  let found: string | null = null;
  for (const text of rowTexts(db, row.id)) {
    found = snippet(text.body, terms) ?? snippet(text.attachments, terms);
    if (found) break;
  }
  return { subjectHighlight: highlight(row.subject, terms), snippet: found };
}

export function runSearch(db: Db, request: SearchRequest): SearchResult {
  const query = parseQuery(request.text, { prefixLast: request.prefixLast ?? false });
  const page = searchDocs(db, planSearch(db, query, request));
  return {
    total: page.total,
    hits: page.rows.map((row) => ({ ...row, ...marks(db, row, query.terms) })),
    chips: query.chips,
    rankedNewest: page.rankedNewest,
  };
}
