// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { placeBeside } from '../../../renderer/src/components/SearchHelp.tsx';
import { Splitter } from '../../../renderer/src/components/Splitter.tsx';
import {
  defaultWidths,
  fitWidths,
  LIMITS,
  loadWidths,
  SPLITTER,
  saveWidths,
} from '../../../renderer/src/layout/pane-widths.ts';

afterEach(cleanup);

const reader = (viewport: number, w: { sidebar: number; list: number }) =>
  viewport - w.sidebar - w.list - 2 * SPLITTER;

describe('pane widths', () => {
  it('gives the list a sensible share of a wide screen, not a fixed 380 px', () => {
    const w = defaultWidths(1920);
    expect(w.list / (1920 - w.sidebar)).toBeGreaterThan(0.35);
    expect(w.list / (1920 - w.sidebar)).toBeLessThan(0.4);
  });

  it('fits 1024 px with a reader of at least the minimum', () => {
    const w = defaultWidths(1024);
    expect(w.sidebar).toBe(240);
    expect(w.list).toBeGreaterThanOrEqual(LIMITS.list.min);
    expect(reader(1024, w)).toBeGreaterThanOrEqual(LIMITS.reader);
  });

  it('a chosen width too wide for a smaller window gives way, the list first, then the sidebar', () => {
    const chosen = { sidebar: 400, list: 900 };
    const w = fitWidths(chosen, 1024);
    expect(reader(1024, w)).toBeGreaterThanOrEqual(LIMITS.reader);
    expect(w.list).toBe(LIMITS.list.min);
    expect(w.sidebar).toBeLessThan(400);
    // Back on a wide screen, what was chosen comes back.
    expect(fitWidths(chosen, 2560)).toEqual(chosen);
  });

  it('never goes under the minimums, even when the window is too small for them', () => {
    const w = fitWidths({ sidebar: 10, list: 10 }, 600);
    expect(w).toEqual({ sidebar: LIMITS.sidebar.min, list: LIMITS.list.min });
  });

  it('are kept in storage and read back; a foreign value is ignored', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    expect(loadWidths(storage)).toBeNull();
    saveWidths(storage, { sidebar: 230, list: 610 });
    expect(loadWidths(storage)).toEqual({ sidebar: 230, list: 610 });
    store.set('pecdesk.panes', '{"sidebar":"wide"}');
    expect(loadWidths(storage)).toBeNull();
    store.set('pecdesk.panes', 'not json');
    expect(loadWidths(storage)).toBeNull();
  });
});

function Harness({ onKeep }: { onKeep: (w: number) => void }) {
  const [value, setValue] = useState(400);
  return (
    <Splitter
      label="Larghezza dell'elenco dei messaggi"
      controls="pane-list"
      range={{ value, min: 280, max: 600 }}
      onChange={(w, keep) => {
        const fitted = Math.min(600, Math.max(280, w));
        setValue(fitted);
        if (keep) onKeep(fitted);
      }}
      onReset={() => setValue(400)}
    />
  );
}

describe('Splitter', () => {
  it('is a focusable separator with its value; arrows, Shift+arrows, Home and End move it', () => {
    const kept: number[] = [];
    render(<Harness onKeep={(w) => kept.push(w)} />);
    const splitter = screen.getByRole('separator', { name: "Larghezza dell'elenco dei messaggi" });
    expect(splitter.getAttribute('aria-valuenow')).toBe('400');
    expect(splitter.getAttribute('aria-orientation')).toBe('vertical');
    expect(splitter.tabIndex).toBe(0);
    fireEvent.keyDown(splitter, { key: 'ArrowRight' });
    expect(splitter.getAttribute('aria-valuenow')).toBe('416');
    fireEvent.keyDown(splitter, { key: 'ArrowLeft', shiftKey: true });
    expect(splitter.getAttribute('aria-valuenow')).toBe('352');
    fireEvent.keyDown(splitter, { key: 'End' });
    expect(splitter.getAttribute('aria-valuenow')).toBe('600');
    fireEvent.keyDown(splitter, { key: 'Home' });
    expect(splitter.getAttribute('aria-valuenow')).toBe('280');
    expect(kept).toEqual([416, 352, 600, 280]);
  });

  it('follows the pointer while dragged and keeps the width only when released', () => {
    const kept: number[] = [];
    render(<Harness onKeep={(w) => kept.push(w)} />);
    const splitter = screen.getByRole('separator');
    fireEvent.pointerDown(splitter, { button: 0, clientX: 500, pointerId: 1 });
    fireEvent.pointerMove(splitter, { clientX: 550, pointerId: 1 });
    expect(splitter.getAttribute('aria-valuenow')).toBe('450');
    expect(kept).toEqual([]);
    fireEvent.pointerMove(splitter, { clientX: 580, pointerId: 1 });
    fireEvent.pointerUp(splitter, { clientX: 580, pointerId: 1 });
    expect(kept).toEqual([480]);
    // Moving without a press does nothing.
    fireEvent.pointerMove(splitter, { clientX: 900, pointerId: 1 });
    expect(splitter.getAttribute('aria-valuenow')).toBe('480');
  });
});

describe('search help placement', () => {
  const rect = (left: number, right: number, top = 50, bottom = 92) =>
    ({ left, right, top, bottom, width: right - left, height: bottom - top }) as DOMRect;

  it('sits beside the list, over the reader, so the results stay visible', () => {
    const place = placeBeside(rect(206, 515), { width: 1024, height: 700 });
    expect(place.left).toBeGreaterThanOrEqual(515);
    expect(place.left + place.width).toBeLessThanOrEqual(1024);
  });

  it('goes over the list only when the window leaves no room beside it, and stays inside it', () => {
    const place = placeBeside(rect(206, 800), { width: 1024, height: 700 });
    expect(place.top).toBe(92);
    expect(place.left).toBeGreaterThanOrEqual(0);
    expect(place.left + place.width).toBeLessThanOrEqual(1024);
  });
});
