/**
 * A search as the person typed it, answered: the query language (query.ts) becomes one FTS5 MATCH
 * of words and facet tokens plus a date range of document keys (db/search.ts), and the page's
 * subjects and snippets are marked (highlight.ts).
 */
import type { Db } from '../../db/database.ts';
import type { Scope } from '../../db/scope.ts';
import {
  accountIdsLike,
  dateKey,
  FACET_ALL,
  facet,
  folderIdsLike,
  headTexts,
  LONGEST_INDEXED_PREFIX,
  memberTexts,
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
  /** How many list rows match; with totalApproximate, more than this many (COUNT_LIMIT). */
  total: number;
  /** Counting stopped at `total` ("più di 5.000"); exactCount asks for the whole count. */
  totalApproximate: boolean;
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
  /** Count every match, however many (db/search.ts COUNT_LIMIT); else past it, approximately. */
  exactCount?: boolean;
}

const quoteToken = (t: string) => `"${t}"`;
const anyOf = (tokens: string[]) => `facets : (${tokens.map(quoteToken).join(' OR ')})`;

/**
 * The FTS5 plan of a parsed query; mailbox and folder names are looked up in the archive. The
 * caller's scope (the mailboxes they may read, db/scope.ts) is one more facet condition: a row of
 * another mailbox is never counted, ranked or shown, and nobody with no mailbox finds anything.
 */
export function planSearch(
  db: Db,
  query: ParsedQuery,
  request: Omit<SearchRequest, 'text'>,
  scope: Scope = 'all',
): SearchPlan {
  const f = query.filters;
  const parts: string[] = [];
  const words = toFtsMatch(query);
  if (words) parts.push(words);
  let impossible = false;
  if (scope !== 'all') {
    if (scope.length === 0) impossible = true;
    else parts.push(anyOf(scope.map(facet.account)));
  }
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
    words,
    fromKey: f.after ? dateKey(f.after) : 0,
    toKey: f.before ? dateKey(f.before) : Number.MAX_SAFE_INTEGER,
    sort: request.sort,
    mergesPrefixes: query.terms.some((t) => t.kind === 'prefix' && t.text.length > LONGEST_INDEXED_PREFIX),
    offset: request.offset,
    limit: request.limit,
    exactCount: request.exactCount ?? false,
  };
}

/**
 * The page's subjects and snippets marked. A snippet comes from the head's own text when it holds
 * a match (almost always: a receipt repeats the original it certifies); the other messages of a
 * thread are read only for the rows where it does not. Two statements for the whole page.
 */
function marked(db: Db, rows: ListRow[], terms: readonly Term[]): SearchHit[] {
  if (terms.length === 0) return rows.map((row) => ({ ...row, subjectHighlight: null, snippet: null }));
  const of = (text: { body: string; attachments: string } | undefined) =>
    text ? (snippet(text.body, terms) ?? snippet(text.attachments, terms)) : null;
  const own = headTexts(
    db,
    rows.map((r) => r.id),
  );
  const snippets = new Map(rows.map((r) => [r.id, of(own.get(r.id))]));
  const rest = rows.filter((r) => r.threadId !== null && snippets.get(r.id) === null).map((r) => r.id);
  for (const [headId, texts] of memberTexts(db, rest)) {
    const head = own.get(headId);
    for (const text of texts) {
      if (head && text.body === head.body && text.attachments === head.attachments) continue;
      const found = of(text);
      if (found) {
        snippets.set(headId, found);
        break;
      }
    }
  }
  return rows.map((row) => ({
    ...row,
    subjectHighlight: highlight(row.subject, terms),
    snippet: snippets.get(row.id) ?? null,
  }));
}

export function runSearch(db: Db, request: SearchRequest, scope: Scope = 'all'): SearchResult {
  const query = parseQuery(request.text, { prefixLast: request.prefixLast ?? false });
  const page = searchDocs(db, planSearch(db, query, request, scope));
  return {
    total: page.total,
    totalApproximate: page.totalApproximate,
    hits: marked(db, page.rows, query.terms),
    chips: query.chips,
    rankedNewest: page.rankedNewest,
  };
}
