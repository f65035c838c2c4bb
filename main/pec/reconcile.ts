/**
 * A PEC and its receipts (pec-format.md §4), as one state: whatever order the pieces arrived in,
 * the thread is recomputed from all of its members, so reconciliation is idempotent and does not
 * depend on the order it is given them. Only receipts whose provider signature is valid count as
 * proof; others stay linked and visible ("avviso non verificabile") but change nothing: a forged
 * "delivered" must not mark a recipient delivered.
 *
 * What the states say must never contradict the receipts:
 * - a valid delivery-phase receipt (consegna, mancata consegna, preavviso, presa in carico) proves
 *   the PEC was accepted, even when the acceptance itself is not in the archive;
 * - the recipients of a PEC that was not accepted were never sent anything ("not-sent");
 * - a partial outcome is never a total failure: counts say how many of how many.
 */
import type { CertRecipient } from './daticert.ts';
import { isReceiptKind, RECEIPT_KINDS } from './kinds.ts';

/**
 * The version of these rules: archives whose threads were reconciled by an older one are
 * recomputed once when opened (main/archive/archive.ts reconcileThreads). 2: acceptance proven by
 * delivery receipts, not-sent recipients, counts of warnings, pending, no-proof and unverified.
 */
export const RECONCILE_VERSION = 2;

export interface ThreadMember {
  id: number;
  kind: string;
  certDate: string | null;
  date: string | null;
  identificativo: string | null;
  certifiedSender: string | null;
  subject: string | null;
  certRecipients: CertRecipient[];
  deliveryAddress: string | null;
  certProvider: string | null;
  certError: string | null;
  certErrorDetail: string | null;
  signatureVerdict: string;
}

export type RecipientState = 'pending' | 'delivered' | 'failed' | 'warning' | 'no-proof' | 'not-sent';
export type ThreadState = 'sent' | 'accepted' | 'rejected' | 'delivered' | 'partial' | 'failed' | 'received';

export interface RecipientStatus {
  address: string;
  type: string;
  state: RecipientState;
  stateAt: string | null;
  receiptMessageId: number | null;
  provider: string | null;
  error: string | null;
  errorDetail: string | null;
}

export interface ThreadSummary {
  direction: 'sent' | 'received';
  state: ThreadState;
  identificativo: string | null;
  subject: string | null;
  sender: string | null;
  /** The acceptance's time: the legal time of sending. Null when the acceptance is not here. */
  acceptedAt: string | null;
  /** Valid delivery receipts prove the acceptance, which itself is not in the archive. */
  acceptanceMissing: boolean;
  lastActivityAt: string | null;
  recipients: RecipientStatus[];
  /** Certified recipients (the ones a receipt can prove) and every recipient. */
  certifiedCount: number;
  recipientTotal: number;
  deliveredCount: number;
  failedCount: number;
  /** Certified recipients with a 12-hour warning and no final answer yet. */
  warningCount: number;
  /** Certified recipients with no receipt at all yet. */
  pendingCount: number;
  /** Recipients that can have no delivery proof (ordinary addresses). */
  noProofCount: number;
  /** Receipts of this PEC whose signature does not verify: shown, never counted. */
  unverifiedCount: number;
  /** The member that stands for the thread in lists. */
  headMessageId: number | null;
}

/** Receipts issued after acceptance: each one proves that the PEC was accepted. */
const AFTER_ACCEPTANCE = new Set([
  'avvenuta-consegna',
  'errore-consegna',
  'preavviso-errore-consegna',
  'presa-in-carico',
]);

const HEAD_RANK: Record<string, number> = { ordinary: 0, 'posta-certificata': 1, errore: 1, accettazione: 2 };

const SENDER_SIDE = new Set<string>([...RECEIPT_KINDS, 'ordinary']);

/**
 * A 12-hour warning whose SMTP code says permanent failure (5.4.1) is already final: PagoPA treats
 * it so for Aruba and Namirial (pec-format.md §1 quirks).
 */
function isFinalWarning(m: ThreadMember): boolean {
  return m.kind === 'preavviso-errore-consegna' && /^\s*5\.4\.1\b/.test(m.certErrorDetail ?? '');
}

const when = (m: ThreadMember) => m.certDate ?? m.date;

function normalise(address: string): string {
  return address.trim().toLowerCase();
}

/** For one recipient at one instant, a final answer outranks a warning, a failure a delivery. */
const OUTCOME_RANK: Record<string, number> = {
  'preavviso-errore-consegna': 0,
  'avvenuta-consegna': 1,
  'errore-consegna': 2,
};

/** Time, then kind, then id: the same order whatever order the members came in. */
function chronological(a: ThreadMember, b: ThreadMember): number {
  return (
    (when(a) ?? '').localeCompare(when(b) ?? '') ||
    (OUTCOME_RANK[a.kind] ?? -1) - (OUTCOME_RANK[b.kind] ?? -1) ||
    a.id - b.id
  );
}

function blank(address: string, type: string, state: RecipientState): RecipientStatus {
  return {
    address,
    type,
    state,
    stateAt: null,
    receiptMessageId: null,
    provider: null,
    error: null,
    errorDetail: null,
  };
}

export function reconcile(input: ThreadMember[]): ThreadSummary {
  const members = [...input].sort(chronological);
  const trusted = members.filter((m) => m.signatureVerdict === 'valid');
  const byKind = (kind: string, list = trusted) => list.filter((m) => m.kind === kind);
  const acceptance = byKind('accettazione')[0] ?? null;
  const rejection = byKind('non-accettazione')[0] ?? null;
  const envelope = members.find((m) => m.kind === 'posta-certificata') ?? null;
  const direction = members.some((m) => SENDER_SIDE.has(m.kind)) ? 'sent' : 'received';
  const acceptedProven = acceptance !== null || trusted.some((m) => AFTER_ACCEPTANCE.has(m.kind));
  const rejected = rejection !== null && !acceptedProven;

  // The recipient list: the acceptance's daticert is authoritative, then an envelope's, then
  // whatever receipts name.
  const recipients = new Map<string, RecipientStatus>();
  const listSource = acceptance ?? envelope ?? members.find((m) => m.certRecipients.length > 0) ?? null;
  for (const r of listSource?.certRecipients ?? []) {
    const state: RecipientState = rejected
      ? 'not-sent'
      : acceptedProven && r.type === 'esterno'
        ? 'no-proof'
        : 'pending';
    recipients.set(normalise(r.address), blank(normalise(r.address), r.type, state));
  }

  const outcomes = trusted.filter(
    (m) => m.kind in OUTCOME_RANK && m.deliveryAddress !== null && m.deliveryAddress.trim() !== '',
  );
  if (!rejected) {
    for (const m of outcomes) {
      const address = normalise(m.deliveryAddress!);
      const current = recipients.get(address) ?? blank(address, 'certificato', 'pending');
      const next: RecipientState =
        m.kind === 'avvenuta-consegna'
          ? 'delivered'
          : m.kind === 'errore-consegna' || isFinalWarning(m)
            ? 'failed'
            : 'warning';
      // A warning never overrides a final answer; between two final answers the later one stands.
      if (next === 'warning' && (current.state === 'delivered' || current.state === 'failed')) continue;
      recipients.set(address, {
        ...current,
        state: next,
        stateAt: when(m),
        receiptMessageId: m.id,
        provider: m.certProvider,
        error: next === 'delivered' ? null : m.certError,
        errorDetail: next === 'delivered' ? null : m.certErrorDetail,
      });
    }
  }

  const list = [...recipients.values()].sort((a, b) => a.address.localeCompare(b.address));
  const certified = list.filter((r) => r.type !== 'esterno');
  const count = (state: RecipientState) => certified.filter((r) => r.state === state).length;
  const delivered = count('delivered');
  const failed = count('failed');
  let state: ThreadState;
  if (direction === 'received') state = 'received';
  else if (rejected) state = 'rejected';
  else if (certified.length > 0 && delivered === certified.length) state = 'delivered';
  else if (failed > 0 && failed === certified.length) state = 'failed';
  else if (failed > 0) state = 'partial';
  else if (acceptedProven) state = 'accepted';
  else state = 'sent';

  const dated = members
    .map(when)
    .filter((d): d is string => Boolean(d))
    .sort();
  const described = acceptance ?? envelope ?? members.find((m) => m.identificativo) ?? members[0];
  return {
    direction,
    state,
    identificativo:
      acceptance?.identificativo ?? members.find((m) => m.identificativo)?.identificativo ?? null,
    subject: described?.subject ?? null,
    sender: described?.certifiedSender ?? null,
    acceptedAt: acceptance ? when(acceptance) : null,
    acceptanceMissing: direction === 'sent' && acceptance === null && acceptedProven,
    lastActivityAt: dated.at(-1) ?? null,
    recipients: list,
    certifiedCount: certified.length,
    recipientTotal: list.length,
    deliveredCount: delivered,
    failedCount: failed,
    warningCount: count('warning'),
    pendingCount: count('pending'),
    noProofCount: list.filter((r) => r.state === 'no-proof').length,
    unverifiedCount: members.filter((m) => isReceiptKind(m.kind) && m.signatureVerdict !== 'valid').length,
    headMessageId:
      [...members].sort((a, b) => (HEAD_RANK[a.kind] ?? 3) - (HEAD_RANK[b.kind] ?? 3) || a.id - b.id)[0]
        ?.id ?? null,
  };
}

/** How long a PEC may wait for its delivery receipts before the person is told (pec-format.md §4.6). */
export const DELIVERY_DEADLINE_MS = 24 * 60 * 60 * 1000;

/**
 * A sent PEC whose certified recipients still lack a final receipt 24 hours after it was accepted
 * (or, the acceptance missing, after its last receipt): the provider should have sent the "SUP.
 * TEMPO MASSIMO" notice by then.
 */
export function deliveryOverdue(
  t: {
    direction: string | null;
    state: string | null;
    acceptedAt: string | null;
    lastActivityAt: string | null;
    pendingCount: number;
    warningCount: number;
  },
  now: Date,
): boolean {
  if (t.direction !== 'sent' || t.state === 'rejected' || t.state === 'sent') return false;
  if (t.pendingCount + t.warningCount === 0) return false;
  const since = t.acceptedAt ?? t.lastActivityAt;
  return since !== null && now.getTime() - Date.parse(since) >= DELIVERY_DEADLINE_MS;
}
