/**
 * The mailbox's space: IMAP QUOTA (RFC 2087, RFC 9208) read at each sync, kept as history
 * (db/keep.ts), a forecast of when it fills (forecast.ts), and an alert at each threshold crossed.
 * A full PEC mailbox loses legal notices silently: the sender gets a delivery failure, the
 * recipient nothing.
 */
import type { ImapFlow } from 'imapflow';
import type { Db } from '../../db/database.ts';
import {
  keepPolicyOf,
  latestQuotaSample,
  type NewQuotaSample,
  quotaSamplesSince,
  saveKeepPolicy,
  saveQuotaSample,
} from '../../db/keep.ts';
import { ALERT_THRESHOLDS, alertLevel, FORECAST_WINDOW_DAYS, forecastQuota } from './forecast.ts';

/** What the accounts screen and `pecdesk account list --json` say of a mailbox's space. */
export interface AccountQuota {
  /** Bytes used and allowed (STORAGE; the server counts KiB). */
  used: number;
  limit: number;
  /** When it will be full at the rate of the last 30 days; null: not filling, or too little history. */
  forecastFullAt: string | null;
  percent: number;
  bytesPerDay: number | null;
  /** Days of history the forecast rests on. */
  windowDays: number;
  /** When the server was last asked. */
  at: string;
  messages: { used: number; limit: number } | null;
}

export interface QuotaAlert {
  accountId: number;
  email: string;
  /** The threshold crossed (80, 90, 95). */
  threshold: number;
  percent: number;
  used: number;
  limit: number;
  forecastFullAt: string | null;
}

/**
 * The quota of the mailbox's INBOX root (where new PEC land); null when the server has no QUOTA
 * capability or reports no storage limit (some providers do not: then nothing is forecast).
 */
export async function readServerQuota(client: ImapFlow, now = new Date()): Promise<NewQuotaSample | null> {
  const q = await client.getQuota('INBOX');
  if (q === false) return null;
  if (!q.storage || q.storage.usage === undefined || !q.storage.limit) return null;
  const message = q.message;
  return {
    at: now.toISOString(),
    usedBytes: q.storage.usage,
    limitBytes: q.storage.limit,
    messagesUsed: message?.usage ?? null,
    messagesLimit: message?.limit ?? null,
  };
}

export function accountQuota(db: Db, accountId: number, now = new Date()): AccountQuota | null {
  const last = latestQuotaSample(db, accountId);
  if (!last) return null;
  const since = new Date(now.getTime() - FORECAST_WINDOW_DAYS * 86_400_000).toISOString();
  const f = forecastQuota(quotaSamplesSince(db, accountId, since), now);
  return {
    used: last.usedBytes,
    limit: last.limitBytes,
    forecastFullAt: f.fullAt,
    percent: last.limitBytes > 0 ? Math.round((last.usedBytes / last.limitBytes) * 1000) / 10 : 0,
    bytesPerDay: f.bytesPerDay,
    windowDays: f.windowDays,
    at: last.at,
    messages:
      last.messagesUsed !== null && last.messagesLimit !== null
        ? { used: last.messagesUsed, limit: last.messagesLimit }
        : null,
  };
}

/**
 * Records a reading and returns the alert it raises, if any: each threshold once (80, 90, 95 %),
 * again only after usage fell well below it. The level is kept with the mailbox's keep policy
 * row, written in the same transaction as the sample.
 */
export function recordQuota(
  db: Db,
  account: { id: number; email: string },
  sample: NewQuotaSample,
  now = new Date(),
): QuotaAlert | null {
  return db.$client.transaction(() => {
    saveQuotaSample(db, account.id, sample);
    const percent = sample.limitBytes > 0 ? (sample.usedBytes / sample.limitBytes) * 100 : 0;
    const alerted = keepPolicyOf(db, account.id)?.alertLevel ?? 0;
    const next = alertLevel(percent, alerted);
    if (next.level !== alerted) saveKeepPolicy(db, account.id, { alertLevel: next.level });
    if (!next.alert) return null;
    const view = accountQuota(db, account.id, now);
    return {
      accountId: account.id,
      email: account.email,
      threshold: ALERT_THRESHOLDS[next.level - 1]!,
      percent: Math.round(percent * 10) / 10,
      used: sample.usedBytes,
      limit: sample.limitBytes,
      forecastFullAt: view?.forecastFullAt ?? null,
    };
  })();
}

/**
 * Reads the quota at the end of a sync pass, records it and raises its alert on the event bus (the
 * app shows it; the desktop shell also as a notification). A server without QUOTA, or an error
 * here, never fails the sync: it is logged.
 */
export async function sampleQuota(
  client: ImapFlow,
  db: Db,
  account: { id: number; email: string },
  events?: { emit(event: 'quota.alert', payload: QuotaAlert): void },
): Promise<void> {
  try {
    const sample = await readServerQuota(client);
    if (!sample) return;
    const alert = recordQuota(db, account, sample);
    if (alert) events?.emit('quota.alert', alert);
  } catch (error) {
    console.error(`quota of ${account.email} not read: ${(error as Error).message}`);
  }
}
