/**
 * The office server's log: one line per event on standard output, words for a person reading the
 * console, or with --log-json one JSON object per line ({time, level, event, ...}) for the NAS's
 * log collector. Never a password, a session or a URL token: callers pass only what may be kept.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export type OfficeLog = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

export function officeLog(
  json: boolean,
  write: (line: string) => void = (l) => process.stdout.write(l),
): OfficeLog {
  return (level, event, fields = {}) => {
    const time = new Date().toISOString();
    if (json) {
      write(`${JSON.stringify({ time, level, event, ...fields })}\n`);
      return;
    }
    const rest = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
      .join(' ');
    // One line whatever a message holds (a multi-line error stays on its line).
    write(`${time} ${level.toUpperCase()} ${event}${rest ? ` ${rest}` : ''}`.replace(/[\r\n]+/g, ' ') + '\n');
  };
}
