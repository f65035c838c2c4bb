import { useTranslation } from 'react-i18next';
import type { CertData } from '../../../main/pec/daticert.ts';
import { formatDateTime } from '../format.ts';

export function CertDataTable({ cert }: { cert: CertData }) {
  const { t } = useTranslation();
  const rows: [string, string | null][] = [
    [t('cert.sender'), cert.sender],
    [t('cert.subject'), cert.subject],
    [t('cert.provider'), cert.provider],
    [
      t('cert.date'),
      cert.date?.iso
        ? formatDateTime(cert.date.iso, { seconds: true })
        : cert.date
          ? `${cert.date.day} ${cert.date.time} (${cert.date.zone})`
          : null,
    ],
    [t('cert.identificativo'), cert.identificativo],
    [t('cert.msgid'), cert.msgid],
    [t('cert.receiptType'), cert.receiptType ? t(`deliveryType.${cert.receiptType}`) : null],
    [t('cert.deliveryAddress'), cert.deliveryAddress],
    [t('cert.takenOver'), cert.takenOver.length ? cert.takenOver.join(', ') : null],
    [
      t('cert.error'),
      cert.error !== 'nessuno' ? t(`certError.${cert.error}`, { defaultValue: cert.error }) : null,
    ],
    [t('cert.errorDetail'), cert.errorDetail],
  ];
  return (
    <section className="card">
      <h3>{t('cert.title')}</h3>
      <dl className="kv">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k} className="kv-row">
              <dt>{k}</dt>
              <dd className="breakable">{v}</dd>
            </div>
          ))}
        <div className="kv-row">
          <dt>{t('cert.recipients')}</dt>
          <dd>
            <ul className="plain">
              {cert.recipients.map((r) => (
                <li key={r.address} className="breakable">
                  {r.address} <span className="muted">({t(`cert.${r.type}`)})</span>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
    </section>
  );
}
