/**
 * Matching what people type in routing rules, in time linear in the text (issue 14: "no user regex
 * run unbounded"). Words are folded (lower case, accents removed) and compared as whole words;
 * globs (`*` any run, `?` one character) are matched by the two-pointer algorithm that remembers
 * only the last star, so a pattern like `*a*a*a*a*b` costs at most text × pattern steps, never the
 * exponential backtracking a regex engine can fall into. No user text is ever compiled to a RegExp.
 */

/** Longest pattern and text a glob is matched on (longer input is cut; rules are short). */
export const MAX_PATTERN = 200;
export const MAX_GLOB_TEXT = 2_000;

/** Lower case without accents: "Perché" → "perche". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The folded words of a text, once each. */
export function wordSet(text: string): Set<string> {
  return new Set(fold(text).match(WORD) ?? []);
}

/** The folded words of what a person typed, in order. */
export function wordsOf(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

/** Every word of `wanted` is a word of the text (any order). An empty list matches nothing. */
export function hasWords(words: Set<string>, wanted: readonly string[]): boolean {
  return wanted.length > 0 && wanted.every((w) => words.has(w));
}

/**
 * Whether the whole text matches the glob, case- and accent-insensitively. Linear-memory, at most
 * |text| × |pattern| steps (both capped).
 */
export function globMatch(pattern: string, text: string): boolean {
  const p = fold(pattern.slice(0, MAX_PATTERN));
  const s = fold(text.slice(0, MAX_GLOB_TEXT));
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    if (j < p.length && (p[j] === '?' || p[j] === s[i])) {
      i++;
      j++;
    } else if (j < p.length && p[j] === '*') {
      star = j++;
      mark = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++mark;
    } else return false;
  }
  while (j < p.length && p[j] === '*') j++;
  return j === p.length;
}

/** An address's domain, lower case ("" when it has none). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0
    ? ''
    : address
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

/** The domain is `wanted` or one of its subdomains ("pec.fatturapa.it" matches "x.pec.fatturapa.it"). */
export function inDomain(domain: string, wanted: string): boolean {
  const d = domain.toLowerCase();
  const w = wanted.trim().toLowerCase().replace(/^@/, '');
  return w !== '' && (d === w || d.endsWith(`.${w}`));
}
