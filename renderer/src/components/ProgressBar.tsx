/**
 * A progress bar that says what it measures: `value` of `max`, or, with no max yet, an
 * indeterminate bar (work started, size unknown).
 */
export function ProgressBar({
  label,
  value,
  max,
  text,
}: {
  label: string;
  value: number;
  max: number | null;
  /** What a screen reader says instead of a bare percentage ("1.234 di 20.000"). */
  text?: string;
}) {
  const known = max !== null && max > 0;
  const percent = known ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  return (
    <div
      className={known ? 'progress' : 'progress progress-indeterminate'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      {...(known ? { 'aria-valuemax': max, 'aria-valuenow': value } : {})}
      {...(text ? { 'aria-valuetext': text } : {})}
    >
      {/* A new fill when the size becomes known: no width transition from the moving one. */}
      <div
        key={known ? 'known' : 'unknown'}
        className="progress-fill"
        style={known ? { width: `${percent}%` } : undefined}
      />
    </div>
  );
}
