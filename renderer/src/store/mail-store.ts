/**
 * The mail screens' state: views and their counts, the list (paged lazily, so 100k rows cost only
 * the pages on screen), the selection and the open message.
 */
import { create } from 'zustand';
import type {
  FilterChip,
  ListRow,
  MailboxEntry,
  MessageView,
  PecDeskBridge,
  SavedSearch,
  SearchHit,
  ViewCount,
  ViewRef,
} from '../../../main/api/contract.ts';

/** A list row; with marked subject and snippet when it comes from a search. */
export type Row = ListRow & Partial<Pick<SearchHit, 'subjectHighlight' | 'snippet'>>;

export const PAGE_SIZE = 200;

interface MailState {
  bridge: PecDeskBridge | null;
  view: ViewRef;
  /** The search typed (main/search/query.ts language); empty = the chosen view. */
  text: string;
  /** The text is being typed (not a saved search or a chip): its last word is a prefix. */
  typing: boolean;
  sort: 'date' | 'relevance';
  /** Filters understood in the text, shown as chips. */
  chips: FilterChip[];
  /** Relevance over the newest N matches only (very common words). */
  rankedNewest: number | null;
  saved: SavedSearch[];
  smart: ViewCount[];
  mailboxes: MailboxEntry[];
  total: number;
  /**
   * A search's count stopped at `total` ("più di 5.000"): the exact one is asked for with the
   * list's last page, when the person scrolls that far.
   */
  totalApproximate: boolean;
  /** The messages the view's rows hold (receipts included), for "22 messaggi in 20 conversazioni". */
  messageTotal: number | null;
  pages: Map<number, Row[]>;
  /** Bumped when the list must be reloaded (new view, archive changed). */
  generation: number;
  selectedIndex: number | null;
  openId: number | null;
  open: MessageView | null;
  openError: string | null;
  attach(bridge: PecDeskBridge): void;
  refresh(): Promise<void>;
  setView(view: ViewRef): Promise<void>;
  /** `typing`: from the search box as typed, so its last word is a prefix until a space follows. */
  setText(text: string, options?: { typing?: boolean }): Promise<void>;
  setSort(sort: 'date' | 'relevance'): Promise<void>;
  saveSearch(name: string): Promise<string | null>;
  removeSearch(id: number): Promise<void>;
  ensurePage(page: number): Promise<void>;
  rowAt(index: number): Row | undefined;
  select(index: number): void;
  openMessage(id: number): Promise<void>;
  /** Read or unread: the row's boldness follows at once, the server is told by the core. */
  setSeen(id: number, seen: boolean): Promise<string | null>;
}

const loading = new Set<string>();

export const useMailStore = create<MailState>((set, get) => ({
  bridge: null,
  view: { kind: 'smart', view: 'all' },
  text: '',
  typing: false,
  sort: 'date',
  chips: [],
  rankedNewest: null,
  saved: [],
  smart: [],
  mailboxes: [],
  total: 0,
  totalApproximate: false,
  messageTotal: null,
  pages: new Map(),
  generation: 0,
  selectedIndex: null,
  openId: null,
  open: null,
  openError: null,
  attach(bridge) {
    set({ bridge });
    bridge.on('archive.changed', () => void get().refresh());
  },
  async refresh() {
    const { bridge } = get();
    if (!bridge) return;
    const [views, saved] = await Promise.all([
      bridge.call('views.list', {}),
      bridge.call('searches.list', {}),
    ]);
    if (views.ok) set({ smart: views.value.smart, mailboxes: views.value.mailboxes });
    if (saved.ok) set({ saved: saved.value });
    set((s) => ({ pages: new Map(), generation: s.generation + 1 }));
    await get().ensurePage(0);
  },
  async setView(view) {
    set({
      view,
      text: '',
      chips: [],
      selectedIndex: null,
      openId: null,
      open: null,
      pages: new Map(),
      total: 0,
      totalApproximate: false,
      messageTotal: null,
    });
    set((s) => ({ generation: s.generation + 1 }));
    await get().ensurePage(0);
  },
  async setText(text, options = {}) {
    set((s) => ({
      text,
      typing: options.typing ?? false,
      chips: text.trim() ? s.chips : [],
      rankedNewest: null,
      selectedIndex: null,
      pages: new Map(),
      total: 0,
      totalApproximate: false,
      messageTotal: null,
      generation: s.generation + 1,
    }));
    await get().ensurePage(0);
  },
  async setSort(sort) {
    set((s) => ({
      sort,
      selectedIndex: null,
      pages: new Map(),
      total: 0,
      totalApproximate: false,
      messageTotal: null,
      generation: s.generation + 1,
    }));
    await get().ensurePage(0);
  },
  async saveSearch(name) {
    const { bridge, text, sort } = get();
    if (!bridge || !text.trim()) return null;
    const result = await bridge.call('searches.save', { name, query: text, sort });
    if (!result.ok) return result.error.message;
    const saved = await bridge.call('searches.list', {});
    if (saved.ok) set({ saved: saved.value });
    return null;
  },
  async removeSearch(id) {
    const { bridge } = get();
    if (!bridge) return;
    await bridge.call('searches.remove', { id });
    const saved = await bridge.call('searches.list', {});
    if (saved.ok) set({ saved: saved.value });
  },
  async ensurePage(page) {
    const { bridge, view, pages, generation, text, sort, typing, total, totalApproximate } = get();
    const key = `${generation}:${page}`;
    if (!bridge || pages.has(page) || loading.has(key)) return;
    loading.add(key);
    try {
      // Typed words search the whole archive (FTS5); otherwise the list is the chosen view.
      const result = text.trim()
        ? await bridge
            .call('search.query', {
              text,
              sort,
              offset: page * PAGE_SIZE,
              limit: PAGE_SIZE,
              prefixLast: typing,
              // The list ends where counting stopped: its last page asks how many there are.
              exactCount: totalApproximate && (page + 1) * PAGE_SIZE >= total,
            })
            .then((r) => {
              if (r.ok && get().generation === generation)
                set({ chips: r.value.chips, rankedNewest: r.value.rankedNewest });
              return r.ok
                ? {
                    ok: true as const,
                    value: {
                      total: r.value.total,
                      totalApproximate: r.value.totalApproximate,
                      rows: r.value.hits as Row[],
                    },
                  }
                : r;
            })
        : await bridge.call('messages.list', { view, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (!result.ok || get().generation !== generation) return;
      const messageTotal = 'messageTotal' in result.value ? result.value.messageTotal : undefined;
      set((s) => {
        const next = new Map(s.pages);
        next.set(page, result.value.rows);
        return {
          pages: next,
          total: result.value.total,
          totalApproximate: 'totalApproximate' in result.value && result.value.totalApproximate,
          ...(page === 0 ? { messageTotal: messageTotal ?? null } : {}),
        };
      });
    } finally {
      loading.delete(key);
    }
  },
  rowAt(index) {
    return get().pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  },
  select(index) {
    const { total } = get();
    if (total === 0) return;
    const clamped = Math.max(0, Math.min(total - 1, index));
    set({ selectedIndex: clamped });
    const row = get().rowAt(clamped);
    if (row) void get().openMessage(row.id);
    else
      void get()
        .ensurePage(Math.floor(clamped / PAGE_SIZE))
        .then(() => {
          const loaded = get().rowAt(clamped);
          if (loaded && get().selectedIndex === clamped) void get().openMessage(loaded.id);
        });
  },
  async openMessage(id) {
    const { bridge } = get();
    if (!bridge) return;
    set({ openId: id, openError: null });
    const result = await bridge.call('messages.get', { id });
    if (get().openId !== id) return;
    set(result.ok ? { open: result.value } : { open: null, openError: result.error.message });
    // Opening a message reads it: its row stops being bold (and the server is told).
    const row = [...get().pages.values()].flat().find((r) => r.id === id);
    if (result.ok && row && !row.seen) await get().setSeen(id, true);
  },
  async setSeen(id, seen) {
    const { bridge } = get();
    if (!bridge) return null;
    const result = await bridge.call('messages.setSeen', { id, seen });
    if (!result.ok) return result.error.message;
    set((s) => {
      const pages = new Map(s.pages);
      for (const [page, rows] of pages)
        if (rows.some((r) => r.id === id))
          pages.set(
            page,
            rows.map((r) => (r.id === id ? { ...r, seen: result.value.seen } : r)),
          );
      return { pages };
    });
    // "Da gestire" counts unread PEC: the sidebar follows.
    const views = await bridge.call('views.list', {});
    if (views.ok) set({ smart: views.value.smart, mailboxes: views.value.mailboxes });
    return null;
  },
}));
