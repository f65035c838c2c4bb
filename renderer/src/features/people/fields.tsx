/** Pieces the people screens share: a new password typed twice with its strength, copy buttons. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { passwordStrength } from './rights.ts';

export interface PasswordPairValue {
  first: string;
  second: string;
}

export const EMPTY_PAIR: PasswordPairValue = { first: '', second: '' };

/** What stops a new password: too short for the core (10 characters), or the two differ. */
export function pairProblem(pair: PasswordPairValue): 'short' | 'mismatch' | null {
  if (pair.first.length < 10) return 'short';
  if (pair.first !== pair.second) return 'mismatch';
  return null;
}

export function PasswordPair({
  value,
  onChange,
  label,
}: {
  value: PasswordPairValue;
  onChange: (v: PasswordPairValue) => void;
  label?: string;
}) {
  const { t } = useTranslation();
  const strength = value.first ? passwordStrength(value.first) : null;
  return (
    <>
      <label>
        {label ?? t('people.password.new')}
        <input
          type="password"
          autoComplete="new-password"
          value={value.first}
          onChange={(e) => onChange({ ...value, first: e.target.value })}
        />
      </label>
      <p className={`hint strength strength-${strength ?? 'none'}`} data-testid="password-strength">
        {strength ? t(`people.password.strength.${strength}`) : t('people.password.rule')}
      </p>
      <label>
        {t('people.password.again')}
        <input
          type="password"
          autoComplete="new-password"
          value={value.second}
          onChange={(e) => onChange({ ...value, second: e.target.value })}
        />
      </label>
    </>
  );
}

/** Copies text to the clipboard and says so; where the clipboard is refused, says that instead. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <button type="button" onClick={() => void copy()}>
      {state === 'copied'
        ? t('people.copied')
        : state === 'failed'
          ? t('people.copyFailed')
          : (label ?? t('people.copy'))}
    </button>
  );
}

export function Problem({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="banner banner-danger" role="alert">
      {text}
    </p>
  );
}
