import { useTranslation } from 'react-i18next';
import type { InspectView } from '../../../main/api/contract.ts';
import { CertDataTable } from './CertDataTable.tsx';
import { OriginalView } from './OriginalView.tsx';
import { SignatureBanner } from './SignatureBanner.tsx';

const PEC_KINDS = new Set(['ordinary', 'unparseable']);

export function MessageDetails({
  result,
  onSave,
}: {
  result: InspectView;
  onSave?: (index: number) => void;
}) {
  const { t } = useTranslation();
  const isPec = !PEC_KINDS.has(result.kind);
  return (
    <article className="message-details" aria-label={result.fileName}>
      <header className="details-head">
        <span className={`kind-badge kind-${result.kind}`} data-testid="kind">
          {t(`kind.${result.kind}`)}
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
              <li key={`${a.code}:${a.message}`} title={a.message}>
                {t(`anomalies.${a.code}`)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {result.original && <OriginalView original={result.original} {...(onSave ? { onSave } : {})} />}
      {result.certData && <CertDataTable cert={result.certData} />}
      {isPec && (
        <section className="card">
          <h3>{t('envelope.title')}</h3>
          <dl className="kv">
            <div className="kv-row">
              <dt>{t('envelope.subject')}</dt>
              <dd>{result.subject}</dd>
            </div>
            <div className="kv-row">
              <dt>{t('envelope.from')}</dt>
              <dd>{result.from}</dd>
            </div>
          </dl>
        </section>
      )}
    </article>
  );
}
