/**
 * Mail merge: `{{ragione_sociale}}` in a subject or body takes the value of that column of the
 * recipient's row. Column names are matched loosely, as an office writes them: "Ragione sociale",
 * "RAGIONE_SOCIALE" and `{{ragione sociale}}` are the same column.
 */

const PLACEHOLDER = /\{\{\s*([^{}]{1,100}?)\s*\}\}/g;

/** The key a column and a placeholder are compared by: lower case, words joined by "_". */
export function columnKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The placeholders a template uses, as written. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!.trim()))];
}

/** Placeholders that name no column of the list. */
export function unknownPlaceholders(template: string, columns: string[]): string[] {
  const keys = new Set(columns.map(columnKey));
  return placeholders(template).filter((p) => !keys.has(columnKey(p)));
}

/** The template with each placeholder replaced by the row's value (unknown ones stay as written). */
export function merge(template: string, row: Record<string, string>): string {
  const byKey = new Map(Object.entries(row).map(([k, v]) => [columnKey(k), v]));
  return template.replace(PLACEHOLDER, (whole, name: string) => byKey.get(columnKey(name)) ?? whole);
}

const ADDRESS_KEYS = [
  'pec',
  'indirizzo_pec',
  'email_pec',
  'e_mail_pec',
  'mail_pec',
  'posta_certificata',
  'email',
  'e_mail',
  'mail',
  'indirizzo',
  'indirizzo_email',
  'destinatario',
];

/** The column holding the addresses: by its name, else the first whose values all look like addresses. */
export function guessAddressColumn(columns: string[], rows: Record<string, string>[]): string | null {
  for (const key of ADDRESS_KEYS) {
    const found = columns.find((c) => columnKey(c) === key);
    if (found) return found;
  }
  return (
    columns.find(
      (c) => rows.length > 0 && rows.every((r) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test((r[c] ?? '').trim())),
    ) ?? null
  );
}
