/**
 * Marks the words of a query in a text as FTS5 matched them: same tokens (letters and digits),
 * same folding (case, diacritics: "perche" marks "perché"), prefixes, phrases. Pure: it runs on
 * the page of results only, so the index can stay contentless. Marks are \u0002 … \u0003.
 */
import type { Term } from './query.ts';

export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

/** Text scanned for a snippet: a match deeper in a huge attachment is not worth the wait. */
const SCAN_LIMIT = 100_000;

interface Token {
  start: number;
  end: number;
  folded: string;
}

/** The definition: decomposed, every combining mark dropped, lower case. */
export function foldSlow(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Latin letters with diacritics (U+00C0–U+024F) folded one by one, as foldSlow folds them. */
const LATIN = new Map<string, string>();
for (let c = 0xc0; c <= 0x24f; c++) {
  const ch = String.fromCharCode(c);
  const folded = foldSlow(ch);
  if (folded !== ch) LATIN.set(ch, folded);
}

/**
 * Characters foldSlow may change that the table above does not cover: combining marks, other
 * scripts' decomposable letters, the two spaces U+2000/2001 (which decompose to U+2002/2003).
 * The rest of general punctuation and currency signs (’ « € …), frequent in Italian text,
 * decompose to themselves and are left out.
 */
function hasOther(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x250 && (c <= 0x2001 || (c >= 0x2070 && c <= 0x209f) || c >= 0x20d0)) return true;
  }
  return false;
}

/**
 * foldSlow, faster: the snippets of a page fold every text they scan, and NFD with a Unicode
 * property pass costs some 40 µs per 2,500 characters of Italian; plain ASCII text needs only
 * lower case, accented Latin letters a table. Anything else takes the definition.
 */
export function fold(s: string): string {
  const lower = s.toLowerCase();
  if (!/[^\x00-\x7f]/.test(lower)) return lower;
  const latin = lower.replace(/[\u00c0-\u024f]/g, (ch) => LATIN.get(ch) ?? ch);
  return hasOther(latin) ? foldSlow(latin) : latin;
}

/** @param folded fold(text) when it has the text's length: tokens are then cut from it as they are. */
function tokenize(text: string, folded?: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const end = m.index + m[0].length;
    out.push({ start: m.index, end, folded: folded ? folded.slice(m.index, end) : fold(m[0]) });
  }
  return out;
}

interface Pattern {
  tokens: string[];
  prefix: boolean;
}

function patterns(terms: readonly Term[]): Pattern[] {
  return terms
    .map((t) => ({ tokens: tokenize(t.text).map((k) => k.folded), prefix: t.kind === 'prefix' }))
    .filter((p) => p.tokens.length > 0);
}

/** Indexes of the tokens any pattern matches. */
function matched(tokens: Token[], pats: Pattern[]): Set<number> {
  const hit = new Set<number>();
  for (const p of pats) {
    const n = p.tokens.length;
    for (let i = 0; i + n <= tokens.length; i++) {
      let ok = true;
      for (let k = 0; k < n && ok; k++) {
        const want = p.tokens[k]!;
        const have = tokens[i + k]!.folded;
        ok = p.prefix && k === n - 1 ? have.startsWith(want) : have === want;
      }
      if (ok) for (let k = 0; k < n; k++) hit.add(i + k);
    }
  }
  return hit;
}

function render(text: string, tokens: Token[], hit: Set<number>, from: number, to: number): string {
  let out = '';
  let at = tokens[from]?.start ?? 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    out += text.slice(at, t.start);
    out += hit.has(i) ? `${MARK_START}${text.slice(t.start, t.end)}${MARK_END}` : text.slice(t.start, t.end);
    at = t.end;
  }
  return out;
}

/** The whole text with matches marked; null when nothing in it matches. */
export function highlight(text: string | null, terms: readonly Term[]): string | null {
  if (!text) return null;
  const tokens = tokenize(text);
  const hit = matched(tokens, patterns(terms));
  if (hit.size === 0) return null;
  return (
    text.slice(0, tokens[0]!.start) +
    render(text, tokens, hit, 0, tokens.length) +
    text.slice(tokens.at(-1)!.end)
  );
}

/** Where a pattern's first word may start in the folded text: at a word start, not mid-word. */
function candidates(folded: string, pats: Pattern[], max: number): number[] {
  const out: number[] = [];
  for (const p of pats) {
    const first = p.tokens[0]!;
    for (let at = folded.indexOf(first); at !== -1 && out.length < max; at = folded.indexOf(first, at + 1)) {
      if (at === 0 || !/[\p{L}\p{N}]/u.test(folded[at - 1]!)) out.push(at);
    }
  }
  return out.sort((a, b) => a - b);
}

/** A window of about `size` words around the first match, marked; null when nothing matches. */
export function snippet(text: string | null, terms: readonly Term[], size = 16): string | null {
  if (!text) return null;
  const scanned = text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text;
  const pats = patterns(terms);
  if (pats.length === 0) return null;
  const folded = fold(scanned);
  // Folding keeps Italian text's length (é → e): then only a window around each candidate needs
  // tokenizing, instead of the whole text. Otherwise, the whole text.
  if (folded.length !== scanned.length) return window(scanned, tokenize(scanned), pats, size);
  for (const at of candidates(folded, pats, 20)) {
    const from = Math.max(0, at - 200);
    const part = scanned.slice(from, at + 600);
    const found = window(part, tokenize(part, folded.slice(from, at + 600)), pats, size);
    if (found) {
      // The window's first word may be cut where the slice began: drop it.
      return from > 0 && !found.startsWith('…') ? `…${found}` : found;
    }
  }
  return null;
}

function window(text: string, tokens: Token[], pats: Pattern[], size: number): string | null {
  const hit = matched(tokens, pats);
  if (hit.size === 0) return null;
  const first = Math.min(...hit);
  const from = Math.max(0, first - Math.floor(size / 4), first > 0 ? 1 : 0);
  const to = Math.min(tokens.length, from + size);
  return `${from > 0 ? '…' : ''}${render(text, tokens, hit, from, to)}${to < tokens.length ? '…' : ''}`;
}
