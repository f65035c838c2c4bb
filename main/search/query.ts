/**
 * The search language a person types (README "Search"): words, "exact phrase", prefix*, from:,
 * to:, subject:, mailbox:, folder:, kind:, domain: (or from:@domain), before:/after: with Italian
 * dates (31/12/2025), has:allegato|attachment, is:failed|delivered|pending; Italian names of the
 * operators too (da:, a:, oggetto:, casella:, cartella:, tipo:, dominio:, prima:, dopo:, stato:).
 * Unknown operators are searched as words; nothing typed here can become FTS5 syntax or an SQL
 * error: every term is emitted as a quoted FTS5 string.
 */

import { canBeginFacet } from '../../db/search.ts';
import { type MessageKind, RECEIPT_KINDS } from '../pec/kinds.ts';
import { fold } from '../work/match.ts';

export type TermField = 'subject' | 'sender' | 'recipients';

export interface Term {
  text: string;
  kind: 'word' | 'phrase' | 'prefix';
  field: TermField | null;
}

/** What `kind:` selects: PEC envelopes, any receipt, one receipt type, or ordinary mail. */
export const KIND_FILTERS = {
  pec: ['posta-certificata', 'errore'],
  ricevuta: RECEIPT_KINDS,
  accettazione: ['accettazione'],
  'non-accettazione': ['non-accettazione'],
  'presa-in-carico': ['presa-in-carico'],
  consegna: ['avvenuta-consegna'],
  'mancata-consegna': ['errore-consegna', 'preavviso-errore-consegna'],
  virus: ['rilevazione-virus'],
  anomalia: ['errore'],
  ordinaria: ['ordinary'],
} as const satisfies Record<string, readonly MessageKind[]>;

export type KindFilter = keyof typeof KIND_FILTERS;

const KIND_NAMES: Record<string, KindFilter> = {
  pec: 'pec',
  'posta-certificata': 'pec',
  certificata: 'pec',
  ricevuta: 'ricevuta',
  ricevute: 'ricevuta',
  receipt: 'ricevuta',
  accettazione: 'accettazione',
  acceptance: 'accettazione',
  'non-accettazione': 'non-accettazione',
  'presa-in-carico': 'presa-in-carico',
  consegna: 'consegna',
  'avvenuta-consegna': 'consegna',
  delivery: 'consegna',
  'mancata-consegna': 'mancata-consegna',
  'errore-consegna': 'mancata-consegna',
  failure: 'mancata-consegna',
  virus: 'virus',
  anomalia: 'anomalia',
  anomaly: 'anomalia',
  ordinaria: 'ordinaria',
  ordinary: 'ordinaria',
  email: 'ordinaria',
};

export type StateFilter = 'failed' | 'delivered' | 'pending';

export interface SearchFilters {
  /** A PEC mailbox (account): its address, the start of it, or its display name. */
  mailbox?: string;
  /** An IMAP folder: path or name. */
  folder?: string;
  /** ISO instants: before = strictly earlier than the start of that day (Europe/Rome). */
  before?: string;
  after?: string;
  hasAttachment?: boolean;
  state?: StateFilter;
  kind?: KindFilter;
  /** The sender's domain (subdomains included), lower case. */
  domain?: string;
  /** A tag on the row (issue 14), folded (lower case, no accents). */
  tag?: string;
}

/** A filter as typed, so the UI can show it as a chip and take it out of the text. */
export interface FilterChip {
  filter: keyof SearchFilters;
  value: string;
  /** The exact text of the operator in the query. */
  source: string;
}

export interface ParsedQuery {
  terms: Term[];
  filters: SearchFilters;
  chips: FilterChip[];
}

const MAX_QUERY = 2_000;
const MAX_TERMS = 32;

/** The Italian names of the operators, each for its English one. */
const OPERATOR_ALIASES: Record<string, string> = {
  da: 'from',
  a: 'to',
  oggetto: 'subject',
  casella: 'mailbox',
  cartella: 'folder',
  prima: 'before',
  dopo: 'after',
  con: 'has',
  stato: 'is',
  tipo: 'kind',
  dominio: 'domain',
  etichetta: 'tag',
};

/** An operator as typed (lower case), by its English name. */
export function operatorName(op: string): string {
  return OPERATOR_ALIASES[op] ?? op;
}

const FIELD_OPERATORS: Record<string, TermField> = {
  from: 'sender',
  to: 'recipients',
  subject: 'subject',
};

export interface Token {
  /** The operator as typed, lower case. */
  op: string | null;
  value: string;
  quoted: boolean;
  /** The token as typed, and where it starts in the input. */
  source: string;
  start: number;
}

/** Splits into tokens; a quote opens a phrase that runs to the next quote or the end. */
export function tokens(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i]!)) i++;
    if (i >= input.length) break;
    const start = i;
    let op: string | null = null;
    const opMatch = /^([a-zA-Z]{1,12}):/.exec(input.slice(i));
    if (opMatch) {
      op = opMatch[1]!.toLowerCase();
      i += opMatch[0].length;
    }
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      const value = input.slice(i + 1, end === -1 ? input.length : end);
      i = end === -1 ? input.length : end + 1;
      out.push({ op, value, quoted: true, source: input.slice(start, i), start });
      continue;
    }
    let j = i;
    while (j < input.length && !/\s/.test(input[j]!)) j++;
    out.push({ op, value: input.slice(i, j), quoted: false, source: input.slice(start, j), start });
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

const STATES: Record<string, StateFilter> = {
  failed: 'failed',
  fallita: 'failed',
  fallite: 'failed',
  delivered: 'delivered',
  consegnata: 'delivered',
  consegnate: 'delivered',
  pending: 'pending',
  attesa: 'pending',
  'in-attesa': 'pending',
};

/** A domain as a person types it: "studio.it", "@studio.it", "pec.studio.it". */
function domainOf(value: string): string | null {
  const d = value.toLowerCase().replace(/^@/, '');
  return /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u.test(d) ? d : null;
}

/** The filter an operator sets, or null when it is not one (then it is searched as words). */
function filterOf(op: string, value: string): Partial<SearchFilters> | null {
  switch (operatorName(op)) {
    case 'mailbox':
      return value ? { mailbox: value } : null;
    case 'folder':
      return value ? { folder: value } : null;
    case 'before': {
      const day = parseItalianDate(value);
      return day ? { before: day } : null;
    }
    case 'after': {
      const day = parseItalianDate(value);
      return day ? { after: addDay(day) } : null;
    }
    case 'has':
      return /^(allegato|allegati|attachment|attachments)$/i.test(value) ? { hasAttachment: true } : null;
    case 'is': {
      const state = STATES[value.toLowerCase()];
      return state ? { state } : null;
    }
    case 'kind': {
      const kind = KIND_NAMES[value.toLowerCase()];
      return kind ? { kind } : null;
    }
    case 'domain': {
      const domain = domainOf(value);
      return domain ? { domain } : null;
    }
    case 'tag': {
      const name = fold(value.trim());
      return name ? { tag: name } : null;
    }
    case 'from': {
      // from:@studio.it is a domain, not a word.
      const domain = value.startsWith('@') ? domainOf(value) : null;
      return domain ? { domain } : null;
    }
    default:
      return null;
  }
}

export interface ParseOptions {
  /**
   * The person is typing: a last word not yet followed by a space is a prefix, so "fattu" finds
   * "fattura" as it is typed instead of nothing. The CLI and saved searches search exact words.
   */
  prefixLast?: boolean;
}

export function parseQuery(input: string, options: ParseOptions = {}): ParsedQuery {
  const terms: Term[] = [];
  const filters: SearchFilters = {};
  const chips: FilterChip[] = [];
  const text0 = input.slice(0, MAX_QUERY);
  const all = tokens(text0);
  const typingLast = options.prefixLast && !/\s$/.test(text0) ? all.at(-1) : undefined;
  for (const t of all) {
    const op = t.op;
    const filter = op ? filterOf(op, t.value) : null;
    if (filter) {
      Object.assign(filters, filter);
      const key = Object.keys(filter)[0] as keyof SearchFilters;
      // A later operator of the same kind replaces the earlier one, chip included.
      const same = chips.findIndex((c) => c.filter === key);
      if (same !== -1) chips.splice(same, 1);
      chips.push({ filter: key, value: t.value, source: t.source });
      continue;
    }
    const field = op ? (FIELD_OPERATORS[operatorName(op)] ?? null) : null;
    // An unknown operator is part of the words ("ore:10" searches "ore" and "10").
    const text = op && !field ? `${op} ${t.value}` : t.value;
    if (t.quoted) {
      const phrase = words(text).join(' ');
      if (phrase) terms.push({ text: phrase, kind: 'phrase', field });
      continue;
    }
    const starred = text.endsWith('*');
    const parts = words(text);
    parts.forEach((w, i) => {
      const last = i === parts.length - 1;
      // One typed letter is not a prefix yet: it would match half the index (FTS5 prefix
      // indexes start at two letters).
      const typing = t === typingLast && w.length >= 2;
      terms.push({ text: w, kind: last && (starred || typing) ? 'prefix' : 'word', field });
    });
  }
  return { terms: terms.slice(0, MAX_TERMS), filters, chips };
}

function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Columns a word without an operator is looked for in: never the facet tokens. */
const TEXT_COLUMNS = '{subject sender recipients body attachments}';

/** FTS5's unicode61 tokens: runs of letters, digits and private-use characters. */
const TOKEN_SEPARATORS = /[^\p{L}\p{N}\p{Co}]+/u;

/**
 * Whether a term must name the text columns to stay out of the facet tokens. Only when each of
 * its tokens could be one: a phrase matches tokens of one column in a row, and a token that
 * cannot begin a facet token (db/search.ts canBeginFacet) is in no facet. Every other term is
 * asked of the whole document, which spares FTS5 reading the column of every position of every
 * match (a tenth to a fifth of a common word's time).
 */
function needsTextColumns(text: string): boolean {
  return tokensOf(text).every((token) => canBeginFacet(token));
}

/** The tokens FTS5 makes of a term's text (several: a phrase). */
function tokensOf(text: string): string[] {
  return text.split(TOKEN_SEPARATORS).filter(Boolean);
}

/** The FTS5 MATCH expression of the words; null when there are none (filters only). */
export function toFtsMatch(query: ParsedQuery): string | null {
  if (query.terms.length === 0) return null;
  return query.terms
    .map((t) => {
      const body = t.kind === 'prefix' ? `${quote(t.text)}*` : quote(t.text);
      const columns = t.field ?? (needsTextColumns(t.text) ? TEXT_COLUMNS : null);
      return columns ? `${columns} : ${body}` : body;
    })
    .join(' AND ');
}
