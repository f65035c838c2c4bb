/**
 * A PEC and its receipts (pec-format.md §4), as one state: whatever order the pieces arrived in,
 * the thread is recomputed from all of its members, so reconciliation is idempotent. Only receipts
 * whose provider signature is valid count as proof; others stay linked and visible but change
 * nothing (a forged "delivered" must not mark a recipient delivered).
 */
import type { CertRecipient } from './daticert.ts';

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

export type RecipientState = 'pending' | 'delivered' | 'failed' | 'warning' | 'no-proof';
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
  acceptedAt: string | null;
  lastActivityAt: string | null;
  recipients: RecipientStatus[];
  deliveredCount: number;
  failedCount: number;
  /** The member that stands for the thread in lists. */
  headMessageId: number | null;
}

const HEAD_RANK: Record<string, number> = { ordinary: 0, 'posta-certificata': 1, errore: 1, accettazione: 2 };

const SENDER_SIDE = new Set([
  'accettazione',
  'non-accettazione',
  'avvenuta-consegna',
  'errore-consegna',
  'preavviso-errore-consegna',
  'presa-in-carico',
  'rilevazione-virus',
  'ordinary',
]);

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

export function reconcile(members: ThreadMember[]): ThreadSummary {
  const trusted = members.filter((m) => m.signatureVerdict === 'valid');
  const byKind = (kind: string, list = trusted) => list.filter((m) => m.kind === kind);
  const acceptance = byKind('accettazione')[0] ?? null;
  const rejection = byKind('non-accettazione')[0] ?? null;
  const envelope = members.find((m) => m.kind === 'posta-certificata') ?? null;
  const direction = members.some((m) => SENDER_SIDE.has(m.kind)) ? 'sent' : 'received';

  // The recipient list: the acceptance's daticert is authoritative, then an envelope's, then
  // whatever receipts name.
  const recipients = new Map<string, RecipientStatus>();
  const listSource = acceptance ?? envelope ?? members.find((m) => m.certRecipients.length > 0) ?? null;
  for (const r of listSource?.certRecipients ?? []) {
    recipients.set(normalise(r.address), {
      address: normalise(r.address),
      type: r.type,
      state: acceptance && r.type === 'esterno' ? 'no-proof' : 'pending',
      stateAt: null,
      receiptMessageId: null,
      provider: null,
      error: null,
      errorDetail: null,
    });
  }

  const receipts = trusted
    .filter(
      (m) =>
        ['avvenuta-consegna', 'errore-consegna', 'preavviso-errore-consegna'].includes(m.kind) &&
        m.deliveryAddress,
    )
    .sort((a, b) => (when(a) ?? '').localeCompare(when(b) ?? ''));
  for (const m of receipts) {
    const address = normalise(m.deliveryAddress!);
    const current = recipients.get(address) ?? {
      address,
      type: 'certificato',
      state: 'pending' as RecipientState,
      stateAt: null,
      receiptMessageId: null,
      provider: null,
      error: null,
      errorDetail: null,
    };
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

  const list = [...recipients.values()];
  const certified = list.filter((r) => r.type !== 'esterno');
  const delivered = certified.filter((r) => r.state === 'delivered').length;
  const failed = certified.filter((r) => r.state === 'failed').length;
  let state: ThreadState;
  if (direction === 'received') state = 'received';
  else if (rejection && !acceptance) state = 'rejected';
  else if (certified.length > 0 && delivered === certified.length) state = 'delivered';
  else if (failed > 0 && delivered + failed === certified.length)
    state = delivered > 0 ? 'partial' : 'failed';
  else if (failed > 0) state = 'partial';
  else if (acceptance) state = 'accepted';
  else state = 'sent';

  const dated = members
    .map(when)
    .filter((d): d is string => Boolean(d))
    .sort();
  const described = acceptance ?? envelope ?? members.find((m) => m.identificativo) ?? members[0];
  return {
    direction,
    state,
    identificativo: members.find((m) => m.identificativo)?.identificativo ?? null,
    subject: described?.subject ?? null,
    sender: described?.certifiedSender ?? null,
    acceptedAt: acceptance ? when(acceptance) : null,
    lastActivityAt: dated.at(-1) ?? null,
    recipients: list,
    deliveredCount: delivered,
    failedCount: failed,
    headMessageId:
      [...members].sort((a, b) => (HEAD_RANK[a.kind] ?? 3) - (HEAD_RANK[b.kind] ?? 3) || a.id - b.id)[0]
        ?.id ?? null,
  };
}
