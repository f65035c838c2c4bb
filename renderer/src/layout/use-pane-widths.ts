import { useCallback, useEffect, useState } from 'react';
import {
  clearWidths,
  defaultWidths,
  fitWidths,
  LIMITS,
  loadWidths,
  type PaneWidths,
  SPLITTER,
  saveWidths,
} from './pane-widths.ts';

export interface PaneRange {
  value: number;
  min: number;
  max: number;
}

/**
 * The pane widths for this window: what the person chose (kept in localStorage), else the
 * defaults for the window's width; always fitted to the window as it is resized.
 */
export function usePaneWidths() {
  const [viewport, setViewport] = useState(() => window.innerWidth);
  const [chosen, setChosen] = useState<PaneWidths | null>(() => loadWidths(window.localStorage));
  useEffect(() => {
    const onResize = () => setViewport(window.innerWidth);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const widths = fitWidths(chosen ?? defaultWidths(viewport), viewport);

  /** A new width for one pane; `keep` stores it (end of a drag, a key press). */
  const set = useCallback(
    (pane: keyof PaneWidths, value: number, keep: boolean) => {
      const next = fitWidths({ ...widths, [pane]: value }, viewport);
      setChosen(next);
      if (keep) saveWidths(window.localStorage, next);
    },
    [widths, viewport],
  );

  const reset = useCallback(() => {
    setChosen(null);
    clearWidths(window.localStorage);
  }, []);

  const room = viewport - 2 * SPLITTER - LIMITS.reader;
  const ranges: Record<keyof PaneWidths, PaneRange> = {
    sidebar: {
      value: widths.sidebar,
      min: LIMITS.sidebar.min,
      max: Math.max(LIMITS.sidebar.min, Math.min(LIMITS.sidebar.max, room - widths.list)),
    },
    list: {
      value: widths.list,
      min: LIMITS.list.min,
      max: Math.max(LIMITS.list.min, Math.min(LIMITS.list.max, room - widths.sidebar)),
    },
  };
  return { widths, ranges, set, reset };
}
