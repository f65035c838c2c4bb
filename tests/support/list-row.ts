import type { ListRow } from '../../main/api/contract.ts';

/** A list row as the API returns it, with the fields a test cares about set. */
export function listRow(overrides: Partial<ListRow> = {}): ListRow {
  return {
    id: 1,
    threadId: null,
    kind: 'ordinary',
    subject: 'Oggetto',
    correspondent: null,
    date: '2026-01-01T00:00:00.000Z',
    hasAttachments: false,
    signatureVerdict: 'unsigned',
    anomalyCount: 0,
    seen: true,
    threadState: null,
    direction: null,
    recipientCount: 0,
    recipientTotal: 0,
    deliveredCount: 0,
    failedCount: 0,
    warningCount: 0,
    pendingCount: 0,
    noProofCount: 0,
    unverifiedCount: 0,
    acceptanceMissing: false,
    acceptedAt: null,
    lastActivityAt: null,
    overdue: false,
    mailbox: null,
    mailboxName: null,
    work: null,
    ...overrides,
  };
}
