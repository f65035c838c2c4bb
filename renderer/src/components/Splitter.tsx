import { type KeyboardEvent, type PointerEvent, useRef } from 'react';
import type { PaneRange } from '../layout/use-pane-widths.ts';

/** Pixels per arrow key press; Shift moves further. */
const STEP = 16;
const BIG_STEP = 64;

/**
 * The handle between two panes (WAI-ARIA window splitter): dragged with the pointer, or focused
 * and moved with ←/→ (Shift for larger steps), Home/End; a double click restores the defaults.
 * It sets the width of the pane on its left (`controls`).
 */
export function Splitter({
  label,
  controls,
  range,
  onChange,
  onReset,
}: {
  label: string;
  controls: string;
  range: PaneRange;
  /** `keep`: the move is finished (pointer released, key pressed) and is to be remembered. */
  onChange: (width: number, keep: boolean) => void;
  onReset: () => void;
}) {
  const drag = useRef<{ x: number; width: number; last: number } | null>(null);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    // No text selection while dragging; the pointer stays ours even over the mail frame.
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    drag.current = { x: e.clientX, width: range.value, last: range.value };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    drag.current.last = drag.current.width + e.clientX - drag.current.x;
    onChange(drag.current.last, false);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    const { last } = drag.current;
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    onChange(last, true);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? BIG_STEP : STEP;
    const next =
      e.key === 'ArrowLeft'
        ? range.value - step
        : e.key === 'ArrowRight'
          ? range.value + step
          : e.key === 'Home'
            ? range.min
            : e.key === 'End'
              ? range.max
              : null;
    if (next === null) return;
    e.preventDefault();
    // The list's own keys (j/k, arrows) must not also move the selection.
    e.stopPropagation();
    onChange(next, true);
  };

  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable, movable window splitter has no HTML element; <hr> cannot take focus or keys
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-controls={controls}
      aria-valuenow={range.value}
      aria-valuemin={range.min}
      aria-valuemax={range.max}
      tabIndex={0}
      className="splitter"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
      onDoubleClick={onReset}
    />
  );
}
