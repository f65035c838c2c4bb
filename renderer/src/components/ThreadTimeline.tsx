import { useTranslation } from 'react-i18next';
import type { ThreadView } from '../../../main/api/contract.ts';
import { formatDateTime } from '../format.ts';

/** Sent → accettazione → consegna per recipient (or the failure and its reason), each receipt openable. */
export function ThreadTimeline({
  thread,
  onOpen,
}: {
  thread: ThreadView;
  onOpen: (messageId: number) => void;
}) {
  const { t } = useTranslation();
  const acceptance = thread.members.find((m) => m.kind === 'accettazione');
  const rejection = thread.members.find((m) => m.kind === 'non-accettazione');
  const sent = thread.members.find((m) => m.kind === 'ordinary');
  return (
    <section className="card timeline" data-testid="timeline">
      <h3>{t('timeline.title')}</h3>
      <ol>
        <li className="step done">
          <strong>{t('timeline.sent')}</strong>
          {sent?.date && <span className="muted"> {formatDateTime(sent.date)}</span>}
        </li>
        {rejection ? (
          <li className="step failed">
            <button type="button" className="link" onClick={() => onOpen(rejection.id)}>
              {t('timeline.notAccepted')}
            </button>{' '}
            <span className="muted">{formatDateTime(rejection.date)}</span>
            {rejection.errorDetail && <div>{rejection.errorDetail}</div>}
          </li>
        ) : acceptance ? (
          <li
            className={`step ${acceptance.signatureVerdict === 'valid' ? 'done' : 'warn'}`}
            data-testid="step-acceptance"
          >
            <button type="button" className="link" onClick={() => onOpen(acceptance.id)}>
              {t('timeline.accepted')}
            </button>{' '}
            <span className="muted">
              {formatDateTime(acceptance.date)} · {acceptance.provider} · {acceptance.identificativo}
            </span>
          </li>
        ) : (
          <li className="step pending">{t('timeline.waitingAcceptance')}</li>
        )}
        {thread.recipients.map((r) => {
          const receipt = r.receiptMessageId
            ? thread.members.find((m) => m.id === r.receiptMessageId)
            : undefined;
          return (
            <li
              key={r.address}
              className={`step ${r.state === 'delivered' ? 'done' : r.state === 'failed' ? 'failed' : 'pending'}`}
              data-testid="step-recipient"
              data-state={r.state}
            >
              <strong>{r.address}</strong> — {t(`timeline.recipient.${r.state}`)}
              {r.stateAt && <span className="muted"> {formatDateTime(r.stateAt)}</span>}
              {r.provider && <span className="muted"> · {r.provider}</span>}
              {receipt?.identificativo && <span className="muted"> · {receipt.identificativo}</span>}
              {r.errorDetail && <div className="error-detail">{r.errorDetail}</div>}
              {receipt && (
                <>
                  {' '}
                  <button type="button" className="link" onClick={() => onOpen(receipt.id)}>
                    {t('timeline.open')}
                  </button>
                </>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
