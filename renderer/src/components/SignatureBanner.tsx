import { useTranslation } from 'react-i18next';
import type { SignatureReport } from '../../../main/pec/signature.ts';
import { formatDateTime } from '../format.ts';

/** Reason parameters that are instants are shown as Italian (or English) dates, to the second. */
const DATE_PARAMS = new Set(['at', 'from', 'until', 'notBefore', 'notAfter']);

/** The reason of a verdict in the person's language (resources/i18n signatureReason.*). */
export function useSignatureReason(): (s: Pick<SignatureReport, 'reasonCode' | 'reasonParams'>) => string {
  const { t } = useTranslation();
  return ({ reasonCode, reasonParams }) => {
    const params = Object.fromEntries(
      Object.entries(reasonParams).map(([k, v]) => [
        k,
        DATE_PARAMS.has(k) && v ? formatDateTime(v, { seconds: true }) : v,
      ]),
    );
    if (reasonCode === 'verified' && params.era) return t('signatureReason.verifiedEra', params);
    if (reasonCode === 'outside-era' && !params.era) return t('signatureReason.outside-era-chain');
    return t(`signatureReason.${reasonCode}`, { ...params, defaultValue: t('signatureReason.check-failed') });
  };
}

/** A bad signature is a warning a person cannot miss (UI-ITALIANO.md). */
export function SignatureBanner({ signature, isPec }: { signature: SignatureReport; isPec: boolean }) {
  const { t } = useTranslation();
  const reason = useSignatureReason();
  const ok = signature.verdict === 'valid';
  if (!isPec && signature.verdict === 'unsigned') return null;
  const signer = signature.signer;
  return (
    <section
      className={ok ? 'banner banner-ok' : 'banner banner-danger'}
      role={ok ? 'status' : 'alert'}
      data-verdict={signature.verdict}
      data-testid="signature"
    >
      <strong>{t(`signature.${signature.verdict}`)}</strong>
      {signer && (
        <span className="signer">
          {' '}
          · {t('signature.signer')} {signer.organization ?? signer.commonName ?? signer.subject}
        </span>
      )}
      {!ok && isPec && <p>{t('signature.warning')}</p>}
      <p className="signature-reason">{reason(signature)}</p>
      <details>
        <summary>{t('signature.details')}</summary>
        <dl className="kv">
          {signer && (
            <div className="kv-row">
              <dt>{t('signature.certificate')}</dt>
              <dd className="breakable">{signer.subject}</dd>
            </div>
          )}
          {signature.signingTime && (
            <div className="kv-row">
              <dt>{t('signature.signingTime')}</dt>
              <dd>{formatDateTime(signature.signingTime, { seconds: true })}</dd>
            </div>
          )}
          {signer && (
            <div className="kv-row">
              <dt>{t('signature.validity')}</dt>
              <dd>
                {formatDateTime(signer.notBefore)} – {formatDateTime(signer.notAfter)}
              </dd>
            </div>
          )}
        </dl>
        {signature.chain.length > 0 && (
          <>
            <h4>{t('signature.chain')}</h4>
            <ol className="chain">
              {signature.chain.map((subject) => (
                <li key={subject} className="breakable">
                  {subject}
                </li>
              ))}
            </ol>
          </>
        )}
      </details>
    </section>
  );
}
