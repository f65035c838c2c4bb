/** Writing XML by hand, safely: every text and attribute value escaped, nothing else. */

/** Characters XML 1.0 does not allow at all (control characters of a subject, for one). */
const INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function esc(text: string): string {
  return text
    .replace(INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** <name a="v">text</name>, or nothing when text is null or empty. */
export function el(
  name: string,
  text: string | number | boolean | null | undefined,
  attrs: Record<string, string> = {},
): string {
  if (text === null || text === undefined || text === '') return '';
  return `<${name}${attributes(attrs)}>${esc(String(text))}</${name}>`;
}

/** <name a="v">children</name>; children already XML. */
export function wrap(name: string, children: string | string[], attrs: Record<string, string> = {}): string {
  const inner = Array.isArray(children) ? children.filter(Boolean).join('') : children;
  return `<${name}${attributes(attrs)}>${inner}</${name}>`;
}

function attributes(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
}
