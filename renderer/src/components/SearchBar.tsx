/**
 * The search box and what goes with it: "/" focuses it, suggestions as the person types (the
 * core's instant layer: correspondents, subjects, mailboxes, saved searches), the filters it
 * understood as removable chips, quick filters, sort, saving the search, and the help.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Suggestion } from '../../../main/api/contract.ts';
import { formatNumber } from '../format.ts';
import { useAppStore } from '../store/app-store.ts';
import { useMailStore } from '../store/mail-store.ts';
import { SearchHelp } from './SearchHelp.tsx';

const QUICK = [
  { key: 'attachments', op: 'has:allegato' },
  { key: 'failed', op: 'is:failed' },
  { key: 'pending', op: 'is:pending' },
  { key: 'receipts', op: 'kind:ricevuta' },
  { key: 'pec', op: 'kind:pec' },
] as const;

/** The query without one operator as typed. */
function without(text: string, part: string): string {
  return text.replace(part, '').replace(/\s+/g, ' ').trim();
}

export function SearchBar() {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const text = useMailStore((s) => s.text);
  const setText = useMailStore((s) => s.setText);
  const chips = useMailStore((s) => s.chips);
  const sort = useMailStore((s) => s.sort);
  const setSort = useMailStore((s) => s.setSort);
  const total = useMailStore((s) => s.total);
  const totalApproximate = useMailStore((s) => s.totalApproximate);
  const rankedNewest = useMailStore((s) => s.rankedNewest);
  const saveSearch = useMailStore((s) => s.saveSearch);
  const [draft, setDraft] = useState(text);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(-1);
  const [help, setHelp] = useState(false);
  const bar = useRef<HTMLDivElement>(null);
  const helpButton = useRef<HTMLButtonElement>(null);
  const helpId = useId();
  const closeHelp = useCallback((refocus: boolean) => {
    setHelp(false);
    if (refocus) helpButton.current?.focus();
  }, []);
  const [saveError, setSaveError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const asked = useRef(0);

  // The text can change from outside (a chip removed, a saved search chosen).
  useEffect(() => setDraft(text), [text]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key !== '/' || (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      e.preventDefault();
      input.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const apply = (value: string) => {
    if (timer.current) clearTimeout(timer.current);
    setSuggestions([]);
    setActive(-1);
    setDraft(value);
    void setText(value);
  };

  // What the person has highlighted, as of the last render: a list that arrives later (the answer
  // to a later keystroke) keeps it highlighted when it is still there.
  const shown = useRef({ suggestions, active });
  shown.current = { suggestions, active };

  const suggest = async (value: string) => {
    const ticket = ++asked.current;
    if (!bridge || !value.trim()) return setSuggestions([]);
    const result = await bridge.call('search.suggest', { text: value, limit: 8 });
    if (ticket !== asked.current) return;
    const next = result.ok ? result.value.suggestions : [];
    const highlighted = shown.current.suggestions[shown.current.active]?.text;
    setSuggestions(next);
    setActive(highlighted === undefined ? -1 : next.findIndex((s) => s.text === highlighted));
  };

  const toggle = (op: string) => {
    const has = draft.split(/\s+/).includes(op);
    apply(has ? without(draft, op) : `${draft.trim()} ${op}`.trim());
  };

  return (
    <div className="search-bar" ref={bar}>
      <div className="search-row">
        <input
          ref={input}
          type="search"
          className="search-box"
          placeholder={t('list.search')}
          aria-label={t('list.search')}
          aria-autocomplete="list"
          aria-controls="search-suggestions"
          value={draft}
          onChange={(e) => {
            const value = e.target.value;
            setDraft(value);
            void suggest(value);
            if (timer.current) clearTimeout(timer.current);
            timer.current = setTimeout(() => void setText(value, { typing: true }), 200);
          }}
          onBlur={() =>
            setTimeout(() => {
              // An answer still on its way must not open them again once the box is left.
              asked.current++;
              setSuggestions([]);
            }, 150)
          }
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && suggestions.length > 0) {
              e.preventDefault();
              setActive((i) => (i + 1) % suggestions.length);
            } else if (e.key === 'ArrowUp' && suggestions.length > 0) {
              e.preventDefault();
              setActive((i) => (i <= 0 ? suggestions.length - 1 : i - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              apply(active >= 0 ? suggestions[active]!.text : draft);
            } else if (e.key === 'Escape') {
              // A search field clears itself on Escape; here Escape closes the suggestions first.
              e.preventDefault();
              if (suggestions.length > 0) setSuggestions([]);
              else (e.target as HTMLInputElement).blur();
            }
          }}
        />
        <button
          type="button"
          ref={helpButton}
          className="search-help-button"
          aria-expanded={help}
          aria-controls={help ? helpId : undefined}
          title={t('search.help')}
          onClick={() => {
            asked.current++;
            setSuggestions([]);
            setHelp((h) => !h);
          }}
        >
          ?
        </button>
      </div>
      {suggestions.length > 0 && (
        <div
          id="search-suggestions"
          className="suggestions"
          role="listbox"
          aria-label={t('search.suggestions')}
        >
          {suggestions.map((s, i) => (
            <div
              key={`${s.kind}:${s.text}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                apply(s.text);
              }}
            >
              <span className="suggestion-kind">{t(`search.kind.${s.kind}`)}</span>
              <span className="suggestion-label">{s.label}</span>
              {s.detail && <span className="suggestion-detail muted">{s.detail}</span>}
            </div>
          ))}
        </div>
      )}
      {help && <SearchHelp id={helpId} anchor={bar} onClose={closeHelp} />}
      {text.trim() && (
        <div className="search-tools" data-testid="search-tools">
          <span className="muted" data-testid="search-count">
            {totalApproximate
              ? t('search.resultsMore', { formatted: formatNumber(total) })
              : t('search.results', { count: total, formatted: formatNumber(total) })}
          </span>
          {chips.map((c) => (
            <span key={c.source} className="chip filter-chip">
              {t(`search.filter.${c.filter}`)}
              {c.filter === 'hasAttachment' ? '' : `: ${c.value}`}
              <button
                type="button"
                aria-label={t('search.removeFilter', { filter: c.source })}
                onClick={() => apply(without(draft, c.source))}
              >
                ×
              </button>
            </span>
          ))}
          {QUICK.filter((q) => !draft.split(/\s+/).includes(q.op)).map((q) => (
            <button key={q.key} type="button" className="chip quick-chip" onClick={() => toggle(q.op)}>
              + {t(`search.quick.${q.key}`)}
            </button>
          ))}
          <select
            aria-label={t('search.sort')}
            value={sort}
            onChange={(e) => void setSort(e.target.value as 'date' | 'relevance')}
          >
            <option value="date">{t('search.byDate')}</option>
            <option value="relevance">{t('search.byRelevance')}</option>
          </select>
          <button
            type="button"
            onClick={async () => {
              const name = window.prompt(t('search.saveName'), draft.trim());
              if (name?.trim()) setSaveError(await saveSearch(name.trim()));
            }}
          >
            {t('search.save')}
          </button>
          {rankedNewest !== null && sort === 'relevance' && (
            <span className="muted">
              {t('search.rankedNewest', { formatted: formatNumber(rankedNewest) })}
            </span>
          )}
          {saveError && <span className="error">{saveError}</span>}
        </div>
      )}
    </div>
  );
}
