import { type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

const ROWS = [
  'words',
  'phrase',
  'prefix',
  'from',
  'to',
  'subject',
  'mailbox',
  'folder',
  'dates',
  'has',
  'is',
  'kind',
  'domain',
  'tag',
] as const;

/** Room kept between the popover and the window's edges. */
const MARGIN = 8;
const WIDTH = 560;
/** Narrower than this beside the list, the popover goes over the list instead. */
const MIN_BESIDE = 360;

type Place = { top: number; left: number; width: number; maxHeight: number };

/**
 * Beside the search bar, over the reader, so the results stay in view; over the list only when the
 * window leaves no room beside it.
 */
export function placeBeside(anchor: DOMRect, viewport: { width: number; height: number }): Place {
  const beside = viewport.width - anchor.right - 2 * MARGIN;
  const top = anchor.top + MARGIN;
  const maxHeight = viewport.height - top - MARGIN;
  if (beside >= MIN_BESIDE)
    return { top, left: anchor.right + MARGIN, width: Math.min(WIDTH, beside), maxHeight };
  const width = Math.min(WIDTH, viewport.width - 2 * MARGIN);
  return {
    top: anchor.bottom,
    left: Math.max(MARGIN, Math.min(anchor.left, viewport.width - width - MARGIN)),
    width,
    maxHeight: viewport.height - anchor.bottom - MARGIN,
  };
}

/**
 * The search language, as a popover: it takes focus when it opens, closes on Escape (focus back to
 * the ? button) and on a click outside it and the search bar (one may type a query while reading).
 */
export function SearchHelp({
  id,
  anchor,
  onClose,
}: {
  id: string;
  /** The search bar: the popover sits beside it; clicks in it are not "outside". */
  anchor: RefObject<HTMLElement | null>;
  onClose: (refocus: boolean) => void;
}) {
  const { t } = useTranslation();
  const self = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<Place | null>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useLayoutEffect(() => {
    const measure = () => {
      const rect = anchor.current?.getBoundingClientRect();
      if (rect) setPlace(placeBeside(rect, { width: window.innerWidth, height: window.innerHeight }));
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [anchor]);

  // Focus once placed: a hidden element (before the first measure) cannot take it.
  const placed = place !== null;
  useEffect(() => {
    if (placed) self.current?.focus();
  }, [placed]);

  useEffect(() => {
    const onPointerDown = (e: PointerEvent) => {
      const target = e.target as Node | null;
      if (target && (self.current?.contains(target) || anchor.current?.contains(target))) return;
      close.current(false);
    };
    const onKey = (e: KeyboardEvent) => {
      // The search box uses Escape itself first (suggestions, then leaving the box).
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      close.current(true);
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [anchor]);

  return (
    <div
      ref={self}
      id={id}
      className="search-help"
      role="dialog"
      aria-label={t('search.help')}
      tabIndex={-1}
      data-testid="search-help"
      style={place ?? { visibility: 'hidden' }}
    >
      <div className="search-help-head">
        <p>{t('search.helpIntro')}</p>
        <button
          type="button"
          className="search-help-close"
          aria-label={t('search.helpClose')}
          onClick={() => onClose(true)}
        >
          ×
        </button>
      </div>
      <dl>
        {ROWS.map((r) => (
          <div key={r}>
            <dt>
              <code>{t(`search.syntax.${r}.example`)}</code>
            </dt>
            <dd>{t(`search.syntax.${r}.meaning`)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
