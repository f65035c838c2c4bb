/**
 * The two XML chores daticert.ts does itself instead of trusting the parser with them: removing
 * every DOCTYPE (a file can declare entities in one, and put them where the provider's certified
 * sender should be), and decoding character references with a fixed table. Both in one pass.
 */

export interface StrippedDoctypes {
  text: string;
  /** DOCTYPE declarations removed. */
  count: number;
  /** How many of them had an internal subset ([…]: where entities are declared). */
  subsets: number;
}

const DOCTYPE = /<!DOCTYPE/gi;

/**
 * Removes every DOCTYPE declaration, wherever it is: a second one, one nested in another's internal
 * subset, a "]>" inside a quoted entity value or a comment do not end it early. One that never ends
 * takes the rest of the text with it (the file is then refused for lacking its root element).
 */
export function stripDoctypes(text: string): StrippedDoctypes {
  const kept: string[] = [];
  let count = 0;
  let subsets = 0;
  let from = 0;
  DOCTYPE.lastIndex = 0;
  for (let match = DOCTYPE.exec(text); match; match = DOCTYPE.exec(text)) {
    const { end, subset } = doctypeEnd(text, match.index + match[0].length);
    kept.push(text.slice(from, match.index));
    count++;
    if (subset) subsets++;
    from = end;
    DOCTYPE.lastIndex = end;
  }
  kept.push(text.slice(from));
  return { text: kept.join(''), count, subsets };
}

/** Where the DOCTYPE whose body starts at `i` ends (past its ">"), and whether it had a […]. */
function doctypeEnd(text: string, i: number): { end: number; subset: boolean } {
  let depth = 0;
  let subset = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, i + 1);
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    if (ch === '<' && text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      if (close < 0) break;
      i = close + 3;
      continue;
    }
    if (ch === '[') {
      depth++;
      subset = true;
    } else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === '>' && depth === 0) return { end: i + 1, subset };
    i++;
  }
  return { end: text.length, subset };
}

/** The XML entities, and HTML names providers have been seen to write without declaring them. */
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  euro: '€',
  laquo: '«',
  raquo: '»',
  deg: '°',
  agrave: 'à',
  egrave: 'è',
  eacute: 'é',
  igrave: 'ì',
  ograve: 'ò',
  ugrave: 'ù',
};

/**
 * Decodes character references with the fixed table above and numeric ones; any other reference
 * (an entity the file would have to declare) stays as written and is added to `unknown`.
 */
export function decodeReferences(value: string, unknown: Set<string>): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z][a-z0-9._-]{0,31});/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    const known = NAMED[ref];
    if (known !== undefined) return known;
    unknown.add(whole);
    return whole;
  });
}

/** A parsed document with every string in it (text and attribute values) decoded. */
export function decodeTree(node: unknown, unknown: Set<string>): unknown {
  if (typeof node === 'string') return decodeReferences(node, unknown);
  if (Array.isArray(node)) return node.map((n) => decodeTree(n, unknown));
  if (typeof node === 'object' && node !== null)
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, decodeTree(v, unknown)]));
  return node;
}
