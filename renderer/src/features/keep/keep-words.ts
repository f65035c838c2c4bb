/** Small helpers of the keeping screens (issue 15). */

/** Whole days from now until `iso` (0 when past); null when there is no date. */
export function daysUntil(iso: string | null | undefined, now: Date): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.round((at - now.getTime()) / 86_400_000));
}

/** The reasons a copy stays on the server, as i18n keys (keep.reason.*). */
export const SKIP_REASONS = [
  'not-handled',
  'object-missing',
  'object-corrupt',
  'size-mismatch',
  'not-on-server',
  'uidvalidity-changed',
  'folder-missing',
  'no-uidplus',
  'server-kept',
] as const;
