/**
 * The Italian words of a proof bundle's PDF: the app's own strings (resources/i18n/it.json, the
 * same the reader shows for kinds, signature verdicts and their reasons), and dates to the second
 * in Europe/Rome, as legal terms run from them.
 */
import it from '../../resources/i18n/it.json' with { type: 'json' };
import type { SignatureReport } from '../pec/signature.ts';

type Strings = Record<string, unknown>;

function lookup(path: string): string | null {
  let node: unknown = it;
  for (const part of path.split('.')) {
    if (!node || typeof node !== 'object') return null;
    node = (node as Strings)[part];
  }
  return typeof node === 'string' ? node : null;
}

/** An app string with its {{params}} filled in; the key itself when the string is missing. */
export function t(key: string, params: Record<string, string> = {}): string {
  const text = lookup(key) ?? key;
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => params[name] ?? '');
}

const ROME = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** 13/11/2018 16:39:26 (ora italiana); empty when there is no valid date. */
export function romeTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return ROME.format(d).replace(',', '');
}

/** 1.234.567 byte (45,6 KB): exact first, for a court; readable after. */
export function bytes(n: number): string {
  const exact = `${n.toLocaleString('it-IT')} byte`;
  if (n < 1024) return exact;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${exact} (${v.toLocaleString('it-IT', { maximumFractionDigits: 1 })} ${units[u]})`;
}

/** A message kind in the reader's words ("Ricevuta di avvenuta consegna"). */
export function kindWords(kind: string, sentCopy = false): string {
  return t(sentCopy ? 'kind.sent-copy' : `kind.${kind}`);
}

/**
 * The signature check as the reader says it: the verdict, who signed (the provider's
 * organisation), and why, in Italian.
 */
export function signatureWords(s: SignatureReport): {
  verdict: string;
  signer: string | null;
  reason: string;
} {
  const verdict = t(`signature.${s.verdict}`);
  const who = s.signer?.organization ?? s.signer?.commonName ?? null;
  const reason =
    s.reasonCode === 'verified' && s.era
      ? t('signatureReason.verifiedEra', { era: s.era })
      : t(`signatureReason.${s.reasonCode}`, s.reasonParams);
  return { verdict, signer: who ? `${t('signature.signer')} ${who}` : null, reason };
}

/** "Firma valida, firmata da ARUBA PEC S.p.A. Firma e certificato…": one sentence, one full stop. */
export function signatureSentence(s: SignatureReport): string {
  const w = signatureWords(s);
  const head = `${w.verdict}${w.signer ? `, ${w.signer}` : ''}`;
  return `${head}${head.endsWith('.') ? '' : '.'} ${w.reason}`;
}
