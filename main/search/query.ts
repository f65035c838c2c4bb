/**
 * The search language a person types (README "Search"): words, "exact phrase", prefix*, from:,
 * to:, subject:, mailbox:, before:/after: with Italian dates (31/12/2025), has:allegato|attachment,
 * is:failed|delivered|pending. Unknown operators are searched as words; nothing typed here can
 * become FTS5 syntax or an SQL error: every term is emitted as a quoted FTS5 string.
 */

export type TermField = 'subject' | 'sender' | 'recipients';

export interface Term {
  text: string;
  kind: 'word' | 'phrase' | 'prefix';
  field: TermField | null;
}

export interface SearchFilters {
  mailbox?: string;
  /** ISO instants: before = strictly earlier than the start of that day (Europe/Rome). */
  before?: string;
  after?: string;
  hasAttachment?: boolean;
  state?: 'failed' | 'delivered' | 'pending';
}

export interface ParsedQuery {
  terms: Term[];
  filters: SearchFilters;
}

const MAX_QUERY = 2_000;
const MAX_TERMS = 32;

const FIELD_OPERATORS: Record<string, TermField> = {
  from: 'sender',
  da: 'sender',
  to: 'recipients',
  a: 'recipients',
  subject: 'subject',
  oggetto: 'subject',
};

/** Splits into tokens; a quote opens a phrase that runs to the next quote or the end. */
function tokens(input: string): { op: string | null; value: string; quoted: boolean }[] {
  const out: { op: string | null; value: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i]!)) i++;
    if (i >= input.length) break;
    let op: string | null = null;
    const opMatch = /^([a-zA-Z]{1,12}):/.exec(input.slice(i));
    if (opMatch) {
      op = opMatch[1]!.toLowerCase();
      i += opMatch[0].length;
    }
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      const value = input.slice(i + 1, end === -1 ? input.length : end);
      out.push({ op, value, quoted: true });
      i = end === -1 ? input.length : end + 1;
      continue;
    }
    let j = i;
    while (j < input.length && !/\s/.test(input[j]!)) j++;
    out.push({ op, value: input.slice(i, j), quoted: false });
    i = j;
  }
  return out;
}

/** dd/mm/yyyy (or d/m/yy, or yyyy-mm-dd) as the start of that day in Europe/Rome, ISO. */
export function parseItalianDate(text: string): string | null {
  let y: number;
  let m: number;
  let d: number;
  const it = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (it) [d, m, y] = [Number(it[1]), Number(it[2]), Number(it[3]!.length === 2 ? `20${it[3]}` : it[3])];
  else if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else return null;
  if (m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  // Midnight in Rome: UTC midnight minus Rome's offset on that day.
  const utcMidnight = Date.UTC(y, m - 1, d);
  const offset = romeOffsetMinutes(new Date(utcMidnight));
  return new Date(utcMidnight - offset * 60_000).toISOString();
}

function romeOffsetMinutes(at: Date): number {
  const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 60;
}

function addDay(iso: string): string {
  return parseItalianDate(new Date(Date.parse(iso) + 36 * 3_600_000).toISOString().slice(0, 10)) ?? iso;
}

/** Letters, digits and a few joiners; the rest (FTS5 operators, quotes, brackets) separates words. */
function words(text: string): string[] {
  return text
    .split(/[^\p{L}\p{N}@._'-]+/u)
    .map((w) => w.replace(/^[._'-]+|[._'-]+$/g, ''))
    .filter(Boolean);
}

export function parseQuery(input: string): ParsedQuery {
  const terms: Term[] = [];
  const filters: SearchFilters = {};
  for (const t of tokens(input.slice(0, MAX_QUERY))) {
    const op = t.op;
    if (op === 'mailbox' || op === 'casella') {
      if (t.value) filters.mailbox = t.value;
      continue;
    }
    if (op === 'before' || op === 'prima' || op === 'after' || op === 'dopo') {
      const day = parseItalianDate(t.value);
      if (day) {
        if (op === 'before' || op === 'prima') filters.before = day;
        else filters.after = addDay(day);
        continue;
      }
    }
    if (op === 'has' && /^(allegato|allegati|attachment|attachments)$/i.test(t.value)) {
      filters.hasAttachment = true;
      continue;
    }
    if (op === 'is' || op === 'stato') {
      const v = t.value.toLowerCase();
      const state = (
        {
          failed: 'failed',
          fallita: 'failed',
          delivered: 'delivered',
          consegnata: 'delivered',
          pending: 'pending',
          attesa: 'pending',
        } as const
      )[v as 'failed'];
      if (state) {
        filters.state = state;
        continue;
      }
    }
    const field = op ? (FIELD_OPERATORS[op] ?? null) : null;
    // An unknown operator is part of the words ("ore:10" searches "ore" and "10").
    const text = op && !field ? `${op} ${t.value}` : t.value;
    if (t.quoted) {
      const phrase = words(text).join(' ');
      if (phrase) terms.push({ text: phrase, kind: 'phrase', field });
      continue;
    }
    const prefix = text.endsWith('*');
    const parts = words(text);
    parts.forEach((w, i) => {
      terms.push({ text: w, kind: prefix && i === parts.length - 1 ? 'prefix' : 'word', field });
    });
  }
  return { terms: terms.slice(0, MAX_TERMS), filters };
}

function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** The FTS5 MATCH expression; null when there are no terms (filters only). */
export function toFtsMatch(query: ParsedQuery): string | null {
  if (query.terms.length === 0) return null;
  return query.terms
    .map((t) => {
      const body = t.kind === 'prefix' ? `${quote(t.text)}*` : quote(t.text);
      return t.field ? `${t.field} : ${body}` : body;
    })
    .join(' AND ');
}
