import { useTranslation } from 'react-i18next';
import type { InspectView } from '../../../main/api/contract.ts';
import type { Finding } from '../../../main/pec/findings.ts';
import { isReceiptKind } from '../../../main/pec/kinds.ts';
import { CertDataTable } from './CertDataTable.tsx';
import { OriginalView } from './OriginalView.tsx';
import { SignatureBanner, useSignatureReason } from './SignatureBanner.tsx';

const NOT_PEC = new Set(['ordinary', 'unparseable']);

/** An anomaly in the person's words, with what it names (the header, the two kinds that differ…). */
function useAnomalyText(): (a: Finding) => string {
  const { t } = useTranslation();
  const reason = useSignatureReason();
  return (a) => {
    const p = a.params;
    if (!p) return t(`anomalies.${a.code}`);
    if (a.code === 'signature' && p.reasonCode) {
      const { verdict: _verdict, reasonCode, ...params } = p;
      return `${t('anomalies.signature')} ${reason({ reasonCode: reasonCode as never, reasonParams: params })}`;
    }
    const kindLabel = p.kind ? t(`kind.${p.kind}`) : '';
    if (a.code === 'daticert-mismatch')
      return t(p.reference ? 'anomalyDetail.daticert-reference' : 'anomalyDetail.daticert-tipo', {
        ...p,
        kindLabel,
      });
    return t(`anomalyDetail.${a.code}`, { ...p, kindLabel, defaultValue: t(`anomalies.${a.code}`) });
  };
}

/**
 * One message as the PEC model read it: what it is ("PEC ricevuta", "PEC inviata", a receipt), the
 * provider's signature, anomalies in words, the original, the certification data and the envelope.
 * `sentCopy`: ordinary mail that is the person's own sent PEC (it belongs to a sent thread).
 */
export function MessageDetails({
  result,
  sentCopy = false,
  onSave,
}: {
  result: InspectView;
  sentCopy?: boolean;
  onSave?: (index: number) => void;
}) {
  const { t } = useTranslation();
  const anomaly = useAnomalyText();
  const isPec = !NOT_PEC.has(result.kind);
  const kindLabel = sentCopy && result.kind === 'ordinary' ? t('kind.sent-copy') : t(`kind.${result.kind}`);
  const envelopeTitle =
    result.kind === 'errore'
      ? t('envelope.titleAnomaly')
      : isReceiptKind(result.kind)
        ? t('envelope.titleReceipt')
        : t('envelope.title');
  return (
    <article className="message-details" aria-label={result.fileName}>
      <header className="details-head">
        <span className={`kind-badge kind-${result.kind}`} data-testid="kind">
          {kindLabel}
        </span>
        {result.deliveryType && result.kind === 'avvenuta-consegna' && (
          <span className="chip">{t(`deliveryType.${result.deliveryType}`)}</span>
        )}
        {result.virus && <span className="chip chip-danger">{t('virus')}</span>}
        <span className="muted file-name">{result.fileName}</span>
      </header>
      <SignatureBanner signature={result.signature} isPec={isPec} />
      {result.anomalies.length > 0 && (
        <section className="banner banner-warn" data-testid="anomalies">
          <strong>{t('anomalies.title')}</strong>
          <ul>
            {result.anomalies.map((a) => (
              <li key={`${a.code}:${a.message}`}>{anomaly(a)}</li>
            ))}
          </ul>
        </section>
      )}
      {result.original && <OriginalView original={result.original} {...(onSave ? { onSave } : {})} />}
      {result.certData && <CertDataTable cert={result.certData} />}
      {isPec && (
        <section className="card">
          <h3>{envelopeTitle}</h3>
          <dl className="kv">
            <div className="kv-row">
              <dt>{t('envelope.subject')}</dt>
              <dd className="breakable">{result.subject}</dd>
            </div>
            <div className="kv-row">
              <dt>{t('envelope.from')}</dt>
              <dd className="breakable">{result.from}</dd>
            </div>
          </dl>
        </section>
      )}
    </article>
  );
}
