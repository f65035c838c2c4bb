import { useTranslation } from 'react-i18next';
import type { SignatureReport } from '../../../main/pec/signature.ts';
import { formatDateTime } from '../format.ts';

/** A bad signature is a warning a person cannot miss (UI-ITALIANO.md). */
export function SignatureBanner({ signature, isPec }: { signature: SignatureReport; isPec: boolean }) {
  const { t } = useTranslation();
  const ok = signature.verdict === 'valid';
  if (!isPec && signature.verdict === 'unsigned') return null;
  return (
    <section
      className={ok ? 'banner banner-ok' : 'banner banner-danger'}
      role={ok ? 'status' : 'alert'}
      data-verdict={signature.verdict}
    >
      <strong>{t(`signature.${signature.verdict}`)}</strong>
      {!ok && isPec && <p>{t('signature.warning')}</p>}
      <details>
        <summary>{t('signature.details')}</summary>
        <dl className="kv">
          {signature.signer && (
            <>
              <dt>{t('signature.signer')}</dt>
              <dd>{signature.signer.subject}</dd>
            </>
          )}
          {signature.signingTime && (
            <>
              <dt>{t('signature.signingTime')}</dt>
              <dd>{formatDateTime(signature.signingTime)}</dd>
            </>
          )}
        </dl>
        <p className="muted">{signature.reason}</p>
        {signature.chain.length > 0 && (
          <ol className="chain">
            {signature.chain.map((subject) => (
              <li key={subject}>{subject}</li>
            ))}
          </ol>
        )}
      </details>
    </section>
  );
}
