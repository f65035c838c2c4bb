/**
 * The text of an XML (or HTML) document in one left-to-right pass: element text kept, tags,
 * comments, declarations, processing instructions, scripts and styles dropped, CDATA kept as it
 * is. A FatturaPA then yields its parties' names, VAT numbers, invoice number, dates and line
 * descriptions, which is what a person searches an invoice by.
 *
 * Why a scanner and not regular expressions: a lazy pattern such as <!--[\s\S]*?--> is retried at
 * every "<!--" and each retry runs to the end of the input when nothing closes it, so a 1 MB file
 * made of "<!--" cost 30 s. Here every search for a closing delimiter resumes where the previous
 * one for the same delimiter stopped (Finder), so the whole document costs one pass per kind of
 * delimiter, whatever it contains. Tolerant: broken markup still gives its text.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return ENTITIES[e.toLowerCase()] ?? whole;
  });
}

/**
 * indexOf / RegExp search for one delimiter that remembers its last answer: asking again from a
 * position before the occurrence it found returns it without scanning, and "not found" stays not
 * found for every later position. Successive scans then cover disjoint stretches of the text.
 */
class Finder {
  private from = -1;
  private at = -1;
  length = 0;

  constructor(
    private readonly text: string,
    private readonly what: string | RegExp,
  ) {}

  /** Index of the first occurrence at or after `from` (its length in `length`), or -1. */
  find(from: number): number {
    if (this.from >= 0 && this.from <= from && (this.at === -1 || this.at >= from)) return this.at;
    this.from = from;
    if (typeof this.what === 'string') {
      this.at = this.text.indexOf(this.what, from);
      this.length = this.what.length;
    } else {
      this.what.lastIndex = from;
      const match = this.what.exec(this.text);
      this.at = match ? match.index : -1;
      this.length = match ? match[0].length : 0;
    }
    return this.at;
  }
}

const BANG = 0x21;
const QUESTION = 0x3f;

export function markupText(source: string): string {
  const finders = {
    comment: new Finder(source, '-->'),
    cdata: new Finder(source, ']]>'),
    pi: new Finder(source, '?>'),
    gt: new Finder(source, '>'),
    // New patterns per call: a global RegExp carries its search position.
    script: new Finder(source, /<\/script\s*>/gi),
    style: new Finder(source, /<\/style\s*>/gi),
  };
  const out: string[] = [];
  let textFrom = 0;
  let i = 0;
  for (;;) {
    const lt = source.indexOf('<', i);
    if (lt < 0) break;
    const markup = markupAt(source, lt, finders);
    if (!markup) {
      // A "<" that nothing closes is text.
      i = lt + 1;
      continue;
    }
    if (lt > textFrom) out.push(decodeEntities(source.slice(textFrom, lt)));
    out.push(markup.text === null ? ' ' : ` ${markup.text} `);
    textFrom = i = markup.end;
  }
  if (textFrom < source.length) out.push(decodeEntities(source.slice(textFrom)));
  return out.join('').replace(/\s+/g, ' ').trim();
}

type Finders = Record<'comment' | 'cdata' | 'pi' | 'gt' | 'script' | 'style', Finder>;

/**
 * The construct starting with the "<" at `lt`: where text resumes after it, and the text it holds
 * (CDATA); null when this "<" starts nothing.
 */
function markupAt(source: string, lt: number, f: Finders): { end: number; text: string | null } | null {
  const next = source.charCodeAt(lt + 1);
  if (next === BANG) {
    if (source.startsWith('<!--', lt)) {
      const at = f.comment.find(lt + 4);
      // Unclosed: the comment runs to the end of the document.
      return { end: at < 0 ? source.length : at + 3, text: null };
    }
    if (source.startsWith('<![CDATA[', lt)) {
      const at = f.cdata.find(lt + 9);
      const end = at < 0 ? source.length : at;
      return { end: at < 0 ? end : end + 3, text: source.slice(lt + 9, end) };
    }
  } else if (next === QUESTION) {
    const at = f.pi.find(lt + 2);
    if (at >= 0) return { end: at + 2, text: null };
  } else if (next === 0x73 || next === 0x53) {
    // s, S: <script> and <style> hold code, not text, up to their own end tag.
    const name = /^<(script|style)[\s/>]/i.exec(source.slice(lt, lt + 8))?.[1]?.toLowerCase();
    const finder = name === 'script' ? f.script : name === 'style' ? f.style : null;
    if (finder && finder.find(lt + 1) >= 0) return { end: finder.find(lt + 1) + finder.length, text: null };
  }
  // A tag or a declaration (<!DOCTYPE …>) up to its ">".
  const gt = f.gt.find(lt + 1);
  return gt < 0 ? null : { end: gt + 1, text: null };
}
