/**
 * When a mailbox will be full, from its quota history (pure): "piena tra circa 12 giorni al ritmo
 * degli ultimi 30". The rate is what ARRIVES: the rises between consecutive samples over the
 * window, divided by the time they span. Falls (messages deleted, an emptying run) are not
 * negative arrivals: a mailbox emptied yesterday fills again at the rate mail comes in.
 */

export interface QuotaPoint {
  at: string;
  usedBytes: number;
  limitBytes: number;
}

export interface Forecast {
  /** Bytes a day arriving over the window; null when the history is too short to say. */
  bytesPerDay: number | null;
  /** When usage reaches the limit at that rate; null: not filling, or not known yet. */
  fullAt: string | null;
  /** Days the history covers (at most the window). */
  windowDays: number;
}

const DAY_MS = 86_400_000;
export const FORECAST_WINDOW_DAYS = 30;
/** Less than a day of history says nothing about a month. */
const MIN_SPAN_MS = DAY_MS;

export function forecastQuota(points: QuotaPoint[], now = new Date()): Forecast {
  const since = now.getTime() - FORECAST_WINDOW_DAYS * DAY_MS;
  const window = points
    .map((p) => ({ ...p, t: Date.parse(p.at) }))
    .filter((p) => Number.isFinite(p.t) && p.t >= since && p.t <= now.getTime())
    .sort((a, b) => a.t - b.t);
  const last = window.at(-1);
  const first = window[0];
  if (!last || !first || last.t - first.t < MIN_SPAN_MS)
    return { bytesPerDay: null, fullAt: null, windowDays: 0 };
  let arrived = 0;
  for (let i = 1; i < window.length; i++) {
    const rise = window[i]!.usedBytes - window[i - 1]!.usedBytes;
    if (rise > 0) arrived += rise;
  }
  const spanMs = last.t - first.t;
  const bytesPerDay = (arrived / spanMs) * DAY_MS;
  const windowDays = Math.round((spanMs / DAY_MS) * 10) / 10;
  if (bytesPerDay <= 0 || last.limitBytes <= 0) return { bytesPerDay, fullAt: null, windowDays };
  const left = Math.max(0, last.limitBytes - last.usedBytes);
  return {
    bytesPerDay,
    fullAt: new Date(last.t + (left / bytesPerDay) * DAY_MS).toISOString(),
    windowDays,
  };
}

/** Thresholds of usage (percent) that raise an alert, each said once: 1 = 80 %, 2 = 90 %, 3 = 95 %. */
export const ALERT_THRESHOLDS = [80, 90, 95] as const;
/** Usage must fall this far under a threshold before it can be alerted again. */
const HYSTERESIS = 5;

/**
 * The alert level a reading reaches, given the level already alerted: `alert` is set when a
 * higher threshold was crossed now; `level` is what to remember (lowered once usage fell).
 */
export function alertLevel(percent: number, alerted: number): { level: number; alert: boolean } {
  let reached = 0;
  ALERT_THRESHOLDS.forEach((t, i) => {
    if (percent >= t) reached = i + 1;
  });
  if (reached > alerted) return { level: reached, alert: true };
  // Space was freed: thresholds left well behind can be said again when usage comes back.
  let keep = alerted;
  while (keep > 0 && percent < ALERT_THRESHOLDS[keep - 1]! - HYSTERESIS) keep--;
  return { level: keep, alert: false };
}
