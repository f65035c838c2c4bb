import { useTranslation } from 'react-i18next';
import type { OriginalMessage } from '../../../main/pec/original.ts';
import { formatBytes, formatDateTime } from '../format.ts';

export function OriginalView({ original }: { original: OriginalMessage }) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h3>{t('original.title')}</h3>
      <h2 className="subject">{original.subject}</h2>
      <dl className="kv">
        <div className="kv-row">
          <dt>{t('original.from')}</dt>
          <dd>{original.from}</dd>
        </div>
        <div className="kv-row">
          <dt>{t('original.to')}</dt>
          <dd>{original.to.join(', ')}</dd>
        </div>
        {original.cc.length > 0 && (
          <div className="kv-row">
            <dt>{t('original.cc')}</dt>
            <dd>{original.cc.join(', ')}</dd>
          </div>
        )}
        <div className="kv-row">
          <dt>{t('original.date')}</dt>
          <dd>{formatDateTime(original.date)}</dd>
        </div>
      </dl>
      <h4>{t('original.attachments')}</h4>
      {original.attachments.length === 0 ? (
        <p className="muted">{t('original.noAttachments')}</p>
      ) : (
        <ul className="attachments">
          {original.attachments.map((a) => (
            <li key={`${a.sha256}-${a.filename}`}>
              <span className="att-name">{a.filename ?? a.contentType}</span>
              <span className="muted">
                {a.contentType} · {formatBytes(a.size)}
                {a.nested ? ` · ${t(`original.nested.${a.nested}`)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {original.text ? (
        <pre className="body-text">{original.text}</pre>
      ) : (
        <p className="muted">{t('original.noText')}</p>
      )}
    </section>
  );
}
