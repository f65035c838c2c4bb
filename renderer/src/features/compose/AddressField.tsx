import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Suggestion } from '../../../../main/api/contract.ts';
import { useAppStore } from '../../store/app-store.ts';
import { looksLikeAddress, splitAddresses } from './compose-model.ts';

/** The address a correspondent suggestion stands for ("from:rossi@pec.it" → rossi@pec.it). */
function addressOf(s: Suggestion): string {
  return s.text.slice(s.text.indexOf(':') + 1).trim();
}

/**
 * A to/cc field: addresses as chips (× removes one; a wrong one is marked), typed or pasted
 * (several at once), with the PEC addresses of the archive suggested as one types (search.suggest,
 * correspondents): ↑/↓ choose, Enter or a comma adds.
 */
export function AddressField({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string[];
  onChange: (next: string[]) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const [text, setText] = useState('');
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(0);
  const asked = useRef(0);
  const id = useId();

  useEffect(() => {
    const typed = text.trim();
    if (!bridge || typed.length < 2) {
      setSuggestions([]);
      return;
    }
    const n = ++asked.current;
    const timer = setTimeout(() => {
      void bridge.call('search.suggest', { text: typed, limit: 8, kinds: ['correspondent'] }).then((r) => {
        // Only the answer to the latest keystroke counts.
        if (n !== asked.current || !r.ok) return;
        setSuggestions(r.value.suggestions.filter((s) => !value.includes(addressOf(s))));
        setActive(0);
      });
    }, 120);
    return () => clearTimeout(timer);
  }, [bridge, text, value]);

  const add = (raw: string) => {
    const added = splitAddresses(raw).filter((a) => !value.includes(a));
    if (added.length > 0) onChange([...value, ...added]);
    setText('');
    setSuggestions([]);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && suggestions.length > 0) {
      e.preventDefault();
      setActive((a) => (a + 1) % suggestions.length);
    } else if (e.key === 'ArrowUp' && suggestions.length > 0) {
      e.preventDefault();
      setActive((a) => (a - 1 + suggestions.length) % suggestions.length);
    } else if (e.key === 'Enter' || e.key === ',' || e.key === ';') {
      if (e.key === 'Enter' && suggestions[active]) {
        e.preventDefault();
        add(addressOf(suggestions[active]!));
      } else if (text.trim()) {
        e.preventDefault();
        add(text);
      }
    } else if (e.key === 'Backspace' && !text && value.length > 0) {
      onChange(value.slice(0, -1));
    } else if (e.key === 'Escape') {
      setSuggestions([]);
    }
  };

  return (
    <div className="address-field" data-testid={testId}>
      <label htmlFor={`${id}-input`}>{label}</label>
      <div className="address-box">
        {value.map((a) => (
          <span
            key={a}
            className={looksLikeAddress(a) ? 'address-chip' : 'address-chip address-bad'}
            title={looksLikeAddress(a) ? a : t('compose.notAnAddress', { address: a })}
          >
            {a}
            <button
              type="button"
              aria-label={t('compose.removeAddress', { address: a })}
              onClick={() => onChange(value.filter((x) => x !== a))}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id={`${id}-input`}
          value={text}
          autoComplete="off"
          role="combobox"
          aria-expanded={suggestions.length > 0}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          placeholder={value.length === 0 ? t('compose.addressPlaceholder') : ''}
          onChange={(e) => {
            const v = e.target.value;
            // A paste of several addresses becomes chips at once.
            if (/[,;\n]/.test(v)) add(v);
            else setText(v);
          }}
          onKeyDown={onKey}
          onBlur={() => {
            if (text.trim()) add(text);
            setTimeout(() => setSuggestions([]), 150);
          }}
        />
      </div>
      {suggestions.length > 0 && (
        <div className="address-suggestions" role="listbox" id={`${id}-list`} aria-label={label}>
          {suggestions.map((s, i) => (
            <div
              key={s.text}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                add(addressOf(s));
              }}
            >
              <strong>{s.label}</strong>
              {s.detail && s.detail !== s.label && <span className="muted"> {s.detail}</span>}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
