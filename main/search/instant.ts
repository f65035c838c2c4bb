/**
 * The instant layer: a small in-memory FlexSearch index of what a person starts typing, so the
 * search box can suggest as they type (goal ≤ 5 ms) and later features can autocomplete
 * addresses: correspondents and their addresses, subjects, mailboxes and folders, saved searches.
 * Full text stays in FTS5 on disk (DESIGN.md "Search"); this layer is bounded by entry caps, its
 * memory is measured when it is built and reported (stats()).
 */
import { Index } from 'flexsearch';
import { type Db, readApart } from '../../db/database.ts';
import { listSavedSearches } from '../../db/saved-searches.ts';
import type { Scope } from '../../db/scope.ts';
import {
  type CorrespondentSource,
  correspondentsSince,
  lastMessageId,
  mailboxPlaces,
  type SubjectSource,
  subjectsSince,
} from '../../db/suggest-sources.ts';
import { operatorName, tokens } from './query.ts';

export type SuggestionKind = 'correspondent' | 'subject' | 'mailbox' | 'folder' | 'saved';

export interface Suggestion {
  kind: SuggestionKind;
  label: string;
  detail: string | null;
  /** The whole query text once this suggestion is chosen. */
  text: string;
}

export interface InstantLimits {
  correspondents: number;
  subjects: number;
}

export const DEFAULT_INSTANT_LIMITS: InstantLimits = { correspondents: 20_000, subjects: 20_000 };

export interface InstantStats {
  correspondents: number;
  subjects: number;
  places: number;
  /** Heap taken by the layer when it was last built, measured, in bytes. */
  heapBytes: number;
  buildMs: number;
  lastMessageId: number;
}

interface Entry {
  kind: SuggestionKind;
  label: string;
  detail: string | null;
  /** What the suggestion puts in the query: an address, a quoted subject, a mailbox… */
  value: string;
  weight: number;
  last: string;
  /** What was indexed, lower case and without accents: for words inside names and domains. */
  folded: string;
  /**
   * The mailboxes (account ids) it was seen in: suggested only to people who may read one of them
   * (an address or a subject is content too). null for saved searches, which everyone shares.
   */
  accounts: number[] | null;
}

/** Lower case, accents off (perche finds Perché), as FlexSearch's Normalize encoder does. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Entries added between two turns of the event loop while building. */
const BUILD_CHUNK = 2_000;

const newIndex = () => new Index({ tokenize: 'forward', encoder: 'Normalize' });

/** Operators (by their English name) whose value the layer can complete, and with what. */
const OPERATOR_KINDS: Record<string, SuggestionKind[]> = {
  from: ['correspondent'],
  to: ['correspondent'],
  domain: ['correspondent'],
  subject: ['subject'],
  mailbox: ['mailbox'],
  folder: ['folder'],
};

/** How a chosen entry is written into the query, given the operator typed (if any). */
function completion(entry: Entry, op: string | null): string {
  switch (entry.kind) {
    case 'correspondent':
      // dominio:agenz… completes to the correspondent's domain, not its address.
      if (op && operatorName(op) === 'domain')
        return `${op}:${entry.value.slice(entry.value.lastIndexOf('@') + 1)}`;
      return `${op ?? 'from'}:${entry.value}`;
    case 'subject':
      return `${op ?? 'subject'}:"${entry.value.replace(/"/g, ' ')}"`;
    case 'mailbox':
      return `${op ?? 'mailbox'}:${entry.value}`;
    case 'folder':
      return `${op ?? 'folder'}:${/\s/.test(entry.value) ? `"${entry.value}"` : entry.value}`;
    case 'saved':
      return entry.value;
  }
}

/** The token being typed at the end of the text: its operator, the partial value, where it starts. */
export function lastToken(text: string): { op: string | null; partial: string; start: number } {
  const last = tokens(text).at(-1);
  if (!last || last.start + last.source.length < text.length)
    return { op: null, partial: '', start: text.length };
  const op = last.op && OPERATOR_KINDS[operatorName(last.op)] ? last.op : null;
  return { op, partial: op ? last.value : last.source.replace(/^"|"$/g, ''), start: last.start };
}

export class InstantIndex {
  private entries: Entry[] = [];
  private readonly byKey = new Map<string, number>();
  private correspondents = newIndex();
  private subjects = newIndex();
  private places = newIndex();
  /** Mailboxes, folders and saved searches: few, re-read on every refresh. */
  private placeEntries: Entry[] = [];
  private lastId = 0;
  private counts = { correspondents: 0, subjects: 0, places: 0 };
  private measured = { heapBytes: 0, buildMs: 0 };
  private building = false;
  private staleAfterBuild = false;

  /** @param buildChunk entries added between two turns of the event loop while building */
  constructor(
    private readonly limits: InstantLimits = DEFAULT_INSTANT_LIMITS,
    private readonly buildChunk = BUILD_CHUNK,
  ) {}

  /**
   * Reads the archive from scratch. The archive is read at once; the entries are added in chunks,
   * giving the event loop back between them, so the app stays responsive while it builds (about
   * a second for 100,000 messages); suggestions meanwhile come from what is in so far.
   */
  async build(db: Db): Promise<void> {
    const t0 = performance.now();
    const heap0 = process.memoryUsage().heapUsed;
    this.entries = [];
    this.byKey.clear();
    this.correspondents = newIndex();
    this.subjects = newIndex();
    this.counts = { correspondents: 0, subjects: 0, places: 0 };
    this.lastId = 0;
    this.building = true;
    try {
      // The whole archive, read once: on a connection of its own (db/database.ts readApart).
      const { upTo, correspondents, subjects } = readApart(db, (reader) => this.read(reader, 0));
      this.rebuildPlaces(db);
      const adds = [
        ...correspondents.map((c) => () => this.addCorrespondent(c)),
        ...subjects.map((subject) => () => this.addSubject(subject)),
      ];
      for (let i = 0; i < adds.length; i++) {
        adds[i]!();
        if ((i + 1) % this.buildChunk === 0) await new Promise((r) => setImmediate(r));
      }
      this.lastId = upTo;
    } finally {
      this.building = false;
    }
    this.measured = {
      heapBytes: Math.max(0, process.memoryUsage().heapUsed - heap0),
      buildMs: performance.now() - t0,
    };
    // What arrived while it was building.
    if (this.staleAfterBuild && db.$client.open) {
      this.staleAfterBuild = false;
      this.refresh(db);
    }
  }

  /** Adds what arrived since the last build or refresh; mailboxes and saved searches are re-read. */
  refresh(db: Db): void {
    if (this.building) {
      this.staleAfterBuild = true;
      return;
    }
    const { upTo, correspondents, subjects } = this.read(db, this.lastId);
    for (const c of correspondents) this.addCorrespondent(c);
    for (const subject of subjects) this.addSubject(subject);
    this.rebuildPlaces(db);
    this.lastId = upTo;
  }

  private read(db: Db, after: number) {
    return {
      upTo: lastMessageId(db),
      correspondents: correspondentsSince(db, after, this.limits.correspondents),
      subjects: subjectsSince(db, after, this.limits.subjects),
    };
  }

  private addCorrespondent(c: CorrespondentSource): void {
    this.upsert(
      this.correspondents,
      'correspondents',
      `c:${c.address}`,
      {
        kind: 'correspondent',
        label: c.name ?? c.address,
        detail: c.name ? c.address : null,
        value: c.address,
        weight: c.count,
        last: c.last,
        folded: '',
        accounts: c.accounts,
      },
      `${c.name ?? ''} ${c.address}`,
    );
  }

  private addSubject(s: SubjectSource): void {
    this.upsert(
      this.subjects,
      'subjects',
      `s:${s.subject.toLowerCase()}`,
      {
        kind: 'subject',
        label: s.subject,
        detail: null,
        value: s.subject,
        weight: 1,
        last: s.last,
        folded: '',
        accounts: s.accounts,
      },
      s.subject,
    );
  }

  stats(): InstantStats {
    return { ...this.counts, ...this.measured, lastMessageId: this.lastId };
  }

  /**
   * Suggestions for what is being typed at the end of `text`. With an operator (from:, mailbox:…)
   * only that kind; otherwise saved searches, mailboxes, correspondents, then subjects.
   */
  suggest(text: string, limit = 8, kinds?: readonly SuggestionKind[], scope: Scope = 'all'): Suggestion[] {
    const { op, partial, start } = lastToken(text);
    const visible = (e: Entry) =>
      scope === 'all' || e.accounts === null || e.accounts.some((id) => scope.includes(id));
    const query = partial.trim();
    if (query.length < (op ? 1 : 2)) return [];
    const wanted =
      kinds ??
      (op ? OPERATOR_KINDS[operatorName(op)]! : ['saved', 'mailbox', 'folder', 'correspondent', 'subject']);
    const found: Entry[] = [];
    const folded = fold(query);
    const byUse = (a: Entry, b: Entry) => b.weight - a.weight || (a.last < b.last ? 1 : -1);
    const take = (index: Index, entries: Entry[], ofKinds: SuggestionKind[], n: number) => {
      if (!ofKinds.some((k) => wanted.includes(k))) return;
      // FlexSearch ranks by match; among the first matches, frequent and recent come first.
      const ids = index.search(query, { limit: n * 4 }) as number[];
      const hits = ids
        .map((id) => entries[id]!)
        .filter((e) => wanted.includes(e.kind) && visible(e))
        .sort(byUse)
        .slice(0, n);
      // Words start anywhere in names and domains ("entrate" in agenziaentrate.it), which a
      // prefix index cannot see: when it found too few, the entries are scanned, a bounded set
      // (the caps), a millisecond for 20,000.
      if (hits.length < n && folded.length >= 3) {
        const have = new Set(hits);
        hits.push(
          ...entries
            .filter((e) => wanted.includes(e.kind) && !have.has(e) && visible(e) && e.folded.includes(folded))
            .sort(byUse)
            .slice(0, n - hits.length),
        );
      }
      found.push(...hits);
    };
    take(this.places, this.placeEntries, ['saved', 'mailbox', 'folder'], limit);
    take(this.correspondents, this.entries, ['correspondent'], limit);
    take(this.subjects, this.entries, ['subject'], limit);
    const head = text.slice(0, start);
    const seen = new Set<string>();
    const out: Suggestion[] = [];
    for (const e of found) {
      const full = e.kind === 'saved' ? e.value : `${head}${completion(e, op)} `;
      if (seen.has(full)) continue;
      seen.add(full);
      const domain = op && operatorName(op) === 'domain' && e.kind === 'correspondent';
      out.push({
        kind: e.kind,
        label: domain ? e.value.slice(e.value.lastIndexOf('@') + 1) : e.label,
        detail: domain ? null : e.detail,
        text: full,
      });
      if (out.length >= limit) break;
    }
    return out;
  }

  private upsert(
    index: Index,
    count: 'correspondents' | 'subjects',
    key: string,
    entry: Entry,
    content: string,
  ): void {
    const known = this.byKey.get(key);
    if (known !== undefined) {
      const e = this.entries[known]!;
      e.weight += entry.weight;
      if (e.accounts && entry.accounts)
        for (const id of entry.accounts) if (!e.accounts.includes(id)) e.accounts.push(id);
      if (entry.last > e.last) e.last = entry.last;
      if (!e.detail && entry.detail) Object.assign(e, { label: entry.label, detail: entry.detail });
      return;
    }
    // The cap bounds memory: past it, only entries already known keep being updated.
    if (this.counts[count] >= this.limits[count]) return;
    const id = this.entries.push({ ...entry, folded: fold(content) }) - 1;
    this.byKey.set(key, id);
    index.add(id, content);
    this.counts[count]++;
  }

  private rebuildPlaces(db: Db): void {
    this.places = newIndex();
    this.placeEntries = [];
    const add = (entry: Omit<Entry, 'folded'>, content: string) => {
      this.places.add(this.placeEntries.push({ ...entry, folded: fold(content) }) - 1, content);
    };
    for (const s of listSavedSearches(db))
      add(
        {
          kind: 'saved',
          label: s.name,
          detail: s.query,
          value: s.query,
          weight: 3,
          last: s.createdAt,
          accounts: null,
        },
        `${s.name} ${s.query}`,
      );
    for (const m of mailboxPlaces(db)) {
      add(
        {
          kind: 'mailbox',
          label: m.displayName ?? m.email,
          detail: m.displayName ? m.email : null,
          value: m.email,
          weight: 2,
          last: '',
          accounts: [m.id],
        },
        `${m.displayName ?? ''} ${m.email}`,
      );
      for (const f of m.folders)
        add(
          {
            kind: 'folder',
            label: f.name,
            detail: m.email,
            value: f.path,
            weight: 1,
            last: '',
            accounts: [m.id],
          },
          `${f.name} ${f.path}`,
        );
    }
    this.counts.places = this.placeEntries.length;
  }
}
