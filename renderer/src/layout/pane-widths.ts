/**
 * The widths of the sidebar and of the message list (the reader takes the rest): defaults by
 * window width, limits so the reader always keeps a readable width, and what the person chose,
 * kept in localStorage across starts.
 */

export interface PaneWidths {
  sidebar: number;
  list: number;
}

/** Width of each splitter between panes. */
export const SPLITTER = 6;

export const LIMITS = {
  sidebar: { min: 160, max: 420 },
  list: { min: 280, max: 1200 },
  /** The reader below this cannot show a certification-data row on one line. */
  reader: 400,
} as const;

/** The list's share of the room beside the sidebar when nothing was chosen yet. */
const LIST_SHARE = 0.38;

const KEY = 'pecdesk.panes';

const clamp = (n: number, min: number, max: number) => Math.min(Math.max(n, min), Math.max(min, max));

/**
 * The widths that fit a window `viewport` pixels wide: the list gives way first, then the sidebar,
 * so the reader keeps LIMITS.reader whenever the window allows it.
 */
export function fitWidths(wanted: PaneWidths, viewport: number): PaneWidths {
  let sidebar = clamp(Math.round(wanted.sidebar), LIMITS.sidebar.min, LIMITS.sidebar.max);
  const room = (s: number) => viewport - s - 2 * SPLITTER - LIMITS.reader;
  const list = clamp(Math.round(wanted.list), LIMITS.list.min, Math.min(LIMITS.list.max, room(sidebar)));
  if (room(sidebar) < list)
    sidebar = clamp(viewport - list - 2 * SPLITTER - LIMITS.reader, LIMITS.sidebar.min, sidebar);
  return { sidebar, list };
}

/**
 * A sidebar of 240 px (the longest view name, "Senza consegna dopo 24 ore", and "Tutte le caselle"
 * with a five-digit count fit on one line), the list about 38 % of the rest.
 */
export function defaultWidths(viewport: number): PaneWidths {
  const sidebar = 240;
  const list = Math.round((viewport - sidebar - 2 * SPLITTER) * LIST_SHARE);
  return fitWidths({ sidebar, list }, viewport);
}

/** What the person chose last time, or null (never chosen, or the stored value is not ours). */
export function loadWidths(storage: Pick<Storage, 'getItem'>): PaneWidths | null {
  try {
    const value = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<PaneWidths> | null;
    if (value && Number.isFinite(value.sidebar) && Number.isFinite(value.list))
      return { sidebar: value.sidebar as number, list: value.list as number };
  } catch {
    // A hand-edited or foreign value: the defaults apply.
  }
  return null;
}

export function saveWidths(storage: Pick<Storage, 'setItem'>, widths: PaneWidths): void {
  try {
    storage.setItem(KEY, JSON.stringify(widths));
  } catch (error) {
    // Storage full or disabled: the widths last until the window closes, which is all we can do.
    console.warn(`pane widths not saved: ${(error as Error).message}`);
  }
}

export function clearWidths(storage: Pick<Storage, 'removeItem'>): void {
  storage.removeItem(KEY);
}
