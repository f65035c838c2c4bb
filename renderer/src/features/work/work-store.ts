/**
 * Work on PEC as a team (issue 14), the app's side: who the person is and what they may do, the
 * tags and people work is given to, the open row's work, the rows chosen for actions on several at
 * once, and which work screen is open. The core decides and refuses; this only shows.
 */
import { create } from 'zustand';
import type {
  ApiArgs,
  ApiResponse,
  PecDeskBridge,
  TagView,
  WorkView,
} from '../../../../main/api/contract.ts';
import { useMailStore } from '../../store/mail-store.ts';

export type WorkPage = 'agenda' | 'rules' | 'approvals' | 'reports' | 'settings';

/** A list row as work calls name it: its message id, or its thread. */
export type RowRef = { id: number } | { threadId: number };

export interface People {
  users: { id: number; name: string; displayName: string | null }[];
  offices: { id: number; name: string; head: string | null }[];
  me: { userId: number | null; name: string };
}

interface WorkState {
  bridge: PecDeskBridge | null;
  tags: TagView[];
  people: People | null;
  /** The open row's work (the reader). */
  open: WorkView | null;
  /** Rows chosen in the list (message ids of their heads). */
  chosen: Set<number>;
  page: WorkPage | null;
  error: string | null;
  attach(bridge: PecDeskBridge): void;
  load(): Promise<void>;
  loadOpen(id: number | null): Promise<void>;
  setPage(page: WorkPage | null): void;
  toggleChosen(id: number): void;
  clearChosen(): void;
  /** One change of a row; the list, the counts and the open row follow. */
  change<M extends WorkMethod>(method: M, args: ApiArgs<M>): Promise<string | null>;
  /** The same change on every chosen row; the first problem, if any. */
  changeChosen<M extends WorkMethod>(
    method: M,
    args: Omit<ApiArgs<M>, 'id' | 'threadId'>,
  ): Promise<string | null>;
  createTag(name: string, color?: string): Promise<string | null>;
}

export type WorkMethod =
  | 'work.assign'
  | 'work.claim'
  | 'work.wait'
  | 'work.done'
  | 'work.reopen'
  | 'work.comment'
  | 'work.tag'
  | 'work.setDeadline'
  | 'work.setPriority';

/** What went wrong, as the core says it: its first word is a stable code the UI words. */
export function problemCode(r: ApiResponse<unknown>): string | null {
  if (r.ok) return null;
  const word = /^([a-z-]+):/.exec(r.error.message)?.[1];
  return word &&
    ['already-claimed', 'done', 'not-done', 'already-waiting', 'exists', 'own', 'decided'].includes(word)
    ? word
    : r.error.code;
}

export const useWorkStore = create<WorkState>((set, get) => ({
  bridge: null,
  tags: [],
  people: null,
  open: null,
  chosen: new Set(),
  page: null,
  error: null,
  attach(bridge) {
    set({ bridge });
    // A sync sends a change per batch: tags and people are read again once things settle.
    let timer: ReturnType<typeof setTimeout> | null = null;
    bridge.on('archive.changed', () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void get().load(), 400);
    });
    void get().load();
  },
  async load() {
    const { bridge } = get();
    if (!bridge) return;
    // Who may route or administer is the session store's (people/session-store.ts).
    const [tags, people] = await Promise.all([bridge.call('tags.list', {}), bridge.call('work.people', {})]);
    if (tags.ok) set({ tags: tags.value });
    if (people.ok) set({ people: people.value });
  },
  async loadOpen(id) {
    const { bridge } = get();
    if (!bridge || id === null) return set({ open: null });
    const r = await bridge.call('work.get', { id });
    if (useMailStore.getState().openId !== id) return;
    set({ open: r.ok ? r.value : null });
  },
  setPage(page) {
    set({ page });
  },
  toggleChosen(id) {
    const chosen = new Set(get().chosen);
    if (chosen.has(id)) chosen.delete(id);
    else chosen.add(id);
    set({ chosen });
  },
  clearChosen() {
    set({ chosen: new Set() });
  },
  async change(method, args) {
    const { bridge } = get();
    if (!bridge) return null;
    const r = (await bridge.call(method, args as never)) as ApiResponse<WorkView>;
    if (!r.ok) return problemCode(r);
    const open = get().open;
    if (open && open.key === r.value.key) set({ open: r.value });
    await Promise.all([useMailStore.getState().refresh(), get().load()]);
    return null;
  },
  async changeChosen(method, args) {
    const { bridge, chosen } = get();
    if (!bridge) return null;
    let problem: string | null = null;
    // One call per row: each is checked and logged on its own, as when done one by one.
    for (const id of chosen) {
      const r = await bridge.call(method, { ...args, id } as never);
      problem ??= problemCode(r);
    }
    set({ chosen: new Set() });
    await Promise.all([useMailStore.getState().refresh(), get().load()]);
    const openId = useMailStore.getState().openId;
    if (openId !== null) await get().loadOpen(openId);
    return problem;
  },
  async createTag(name, color) {
    const { bridge } = get();
    if (!bridge) return null;
    const r = await bridge.call('tags.create', { name, ...(color ? { color } : {}) });
    if (!r.ok) return problemCode(r);
    await get().load();
    return null;
  },
}));

// Choosing a view or opening a message in the mail panes leaves the work screen.
useMailStore.subscribe((s, prev) => {
  if (s.view !== prev.view || (s.openId !== prev.openId && s.openId !== null)) {
    if (useWorkStore.getState().page !== null) useWorkStore.setState({ page: null });
  }
  if (s.openId !== prev.openId) void useWorkStore.getState().loadOpen(s.openId);
});
