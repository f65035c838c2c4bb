/**
 * What a sent PEC's badges say, from its thread counts (main/pec/reconcile.ts). One place decides
 * the words, so the list and the reader never disagree, and a partial outcome never looks like a
 * total failure: "Consegnata 1 di 3 · 1 mancata", not "Mancata consegna".
 */
import type { ListRow } from '../../main/api/contract.ts';

export type Tone = 'ok' | 'pending' | 'warn' | 'danger';

export interface Badge {
  /** i18n key and its values. */
  key: string;
  params?: Record<string, number>;
  tone: Tone;
  /** Stable name for tests and styles. */
  id: string;
}

export type DeliveryCounts = Pick<
  ListRow,
  | 'threadState'
  | 'direction'
  | 'deliveredCount'
  | 'failedCount'
  | 'recipientCount'
  | 'recipientTotal'
  | 'warningCount'
  | 'overdue'
>;

/**
 * One badge for a list row, where the subject needs the room: the most telling of them (a
 * preavviso, or 24 hours without delivery, before a plain "Accettata").
 */
export function listBadge(row: DeliveryCounts): Badge | null {
  const all = deliveryBadges(row);
  const main = all[0] ?? null;
  if (main?.id !== 'accepted') return main;
  return all.find((b) => b.id === 'warning') ?? all.find((b) => b.id === 'overdue') ?? main;
}

export function deliveryBadges(row: DeliveryCounts): Badge[] {
  if (row.direction !== 'sent' || !row.threadState) return [];
  // Every recipient counts in "n di m", ordinary addresses too: they got the message without proof.
  const total = Math.max(row.recipientTotal, row.recipientCount);
  const delivered = row.deliveredCount;
  const badges: Badge[] = [];
  switch (row.threadState) {
    case 'rejected':
      badges.push({ id: 'rejected', key: 'state.rejected', tone: 'danger' });
      break;
    case 'sent':
      badges.push({ id: 'sent', key: 'state.sent', tone: 'pending' });
      break;
    case 'failed':
      badges.push({ id: 'failed', key: 'state.failed', tone: 'danger' });
      break;
    case 'partial':
      badges.push({
        id: 'partial',
        key: 'state.partial',
        params: { delivered, total, failed: row.failedCount, count: row.failedCount },
        tone: 'warn',
      });
      break;
    case 'delivered':
      badges.push(
        delivered < total
          ? { id: 'delivered-of', key: 'state.deliveredOf', params: { delivered, total }, tone: 'ok' }
          : { id: 'delivered', key: 'state.delivered', tone: 'ok' },
      );
      break;
    default:
      badges.push(
        delivered > 0
          ? { id: 'delivered-of', key: 'state.deliveredOf', params: { delivered, total }, tone: 'pending' }
          : { id: 'accepted', key: 'state.accepted', tone: 'pending' },
      );
  }
  if (row.warningCount > 0)
    badges.push({ id: 'warning', key: 'state.warning', params: { count: row.warningCount }, tone: 'warn' });
  if (row.overdue) badges.push({ id: 'overdue', key: 'state.overdue', tone: 'warn' });
  return badges;
}
