import { useTranslation } from 'react-i18next';
import type { ThreadView } from '../../../main/api/contract.ts';
import { isReceiptKind } from '../../../main/pec/kinds.ts';
import { formatDateTime } from '../format.ts';
import { StatusBadge } from './StatusBadge.tsx';

type Member = ThreadView['members'][number];

/** Receipt and certification times, to the second: legal terms run from them. */
const at = (iso: string | null) => formatDateTime(iso, { seconds: true });

/**
 * Sent → accettazione → consegna per recipient (or the failure and its reason in words), each
 * receipt openable. Notices whose signature does not verify are shown as such ("avviso non
 * verificabile"), openable, never counted and never hidden.
 */
export function ThreadTimeline({
  thread,
  onOpen,
}: {
  thread: ThreadView;
  onOpen: (messageId: number) => void;
}) {
  const { t } = useTranslation();
  const trusted = (m: Member) => m.signatureVerdict === 'valid';
  const acceptance = thread.members.find((m) => m.kind === 'accettazione' && trusted(m));
  const rejection = thread.members.find((m) => m.kind === 'non-accettazione' && trusted(m));
  const sent = thread.members.find((m) => m.kind === 'ordinary');
  const unverified = thread.members.filter((m) => isReceiptKind(m.kind) && !trusted(m));
  const unverifiedFor = (address: string | null) =>
    unverified.filter((m) => (m.deliveryAddress?.toLowerCase() ?? null) === address);
  const addresses = new Set(thread.recipients.map((r) => r.address));
  const open = (m: Member, label = t('timeline.open')) => (
    <button type="button" className="link" onClick={() => onOpen(m.id)}>
      {label}
    </button>
  );
  const errorText = (code: string | null, detail: string | null) =>
    [code ? t(`certError.${code}`, { defaultValue: code }) : null, detail].filter(Boolean).join(' — ');
  const unverifiedStep = (m: Member) => (
    <li key={`u${m.id}`} className="step warn" data-testid="step-unverified">
      <strong>{t('timeline.unverified', { kind: t(`kind.${m.kind}`) })}</strong>{' '}
      <span className="muted">{at(m.date)}</span>
      <div className="step-note">{t('timeline.unverifiedNote')}</div> {open(m)}
    </li>
  );

  return (
    <section className="card timeline" data-testid="timeline">
      <header className="timeline-head">
        <h3>{t('timeline.title')}</h3>
        <span className="timeline-badges">
          <StatusBadge
            row={{
              threadState: thread.state,
              direction: thread.direction,
              deliveredCount: thread.deliveredCount,
              failedCount: thread.failedCount,
              recipientCount: thread.recipientCount,
              recipientTotal: thread.recipientTotal,
              warningCount: thread.warningCount,
              overdue: thread.overdue,
            }}
          />
        </span>
      </header>
      {thread.overdue && (
        <p className="banner banner-warn" role="status" data-testid="overdue">
          {t('state.overdueLong')}
        </p>
      )}
      <ol>
        <li className="step done">
          <strong>{t('timeline.sent')}</strong>
          {sent?.date && <span className="muted"> {at(sent.date)}</span>}
          {sent && <> {open(sent, t('timeline.openSent'))}</>}
        </li>
        {rejection ? (
          <li className="step failed" data-testid="step-rejection">
            <strong>{t('timeline.notAccepted')}</strong> <span className="muted">{at(rejection.date)}</span>
            {(rejection.error || rejection.errorDetail) && (
              <div className="error-detail">{errorText(rejection.error, rejection.errorDetail)}</div>
            )}{' '}
            {open(rejection)}
          </li>
        ) : acceptance ? (
          <li className="step done" data-testid="step-acceptance">
            <strong>{t('timeline.accepted')}</strong> <span className="muted">{at(acceptance.date)}</span>
            <dl className="step-facts">
              {acceptance.provider && (
                <div>
                  <dt>{t('cert.provider')}</dt>
                  <dd>{acceptance.provider}</dd>
                </div>
              )}
              {acceptance.identificativo && (
                <div>
                  <dt>{t('cert.identificativo')}</dt>
                  <dd className="breakable">{acceptance.identificativo}</dd>
                </div>
              )}
            </dl>
            {open(acceptance)}
          </li>
        ) : thread.acceptanceMissing ? (
          <li className="step warn" data-testid="step-acceptance-missing">
            <strong>{t('timeline.acceptanceMissing')}</strong>
            <div className="step-note">{t('timeline.acceptanceMissingNote')}</div>
          </li>
        ) : (
          <li className="step pending" data-testid="step-acceptance-pending">
            {t('timeline.waitingAcceptance')}
          </li>
        )}
        {unverifiedFor(null).map(unverifiedStep)}
        {thread.recipients.map((r) => {
          const receipt = r.receiptMessageId
            ? thread.members.find((m) => m.id === r.receiptMessageId)
            : undefined;
          const tone =
            r.state === 'delivered'
              ? 'done'
              : r.state === 'failed' || r.state === 'not-sent'
                ? 'failed'
                : r.state === 'warning'
                  ? 'warn'
                  : r.state === 'no-proof'
                    ? 'neutral'
                    : 'pending';
          return (
            <li key={r.address} className={`step ${tone}`} data-testid="step-recipient" data-state={r.state}>
              <strong className="breakable">{r.address}</strong>
              <div>
                {t(`timeline.recipient.${r.state}`)}
                {r.stateAt && <span className="muted"> · {at(r.stateAt)}</span>}
                {r.provider && <span className="muted"> · {r.provider}</span>}
              </div>
              {r.state !== 'delivered' && (r.error || r.errorDetail) && (
                <div className="error-detail">
                  {t('timeline.reason')}: {errorText(r.error, r.errorDetail)}
                </div>
              )}
              {receipt && <div>{open(receipt)}</div>}
              {unverifiedFor(r.address).length > 0 && <ol>{unverifiedFor(r.address).map(unverifiedStep)}</ol>}
            </li>
          );
        })}
        {unverified
          .filter((m) => m.deliveryAddress && !addresses.has(m.deliveryAddress.toLowerCase()))
          .map(unverifiedStep)}
      </ol>
    </section>
  );
}
