import { useTranslation } from 'react-i18next';
import type { OriginalMessage } from '../../../main/pec/original.ts';
import { fileTypeKey } from '../file-type.ts';
import { formatBytes, formatDateTime } from '../format.ts';
import { HtmlBody } from './HtmlBody.tsx';

export function OriginalView({
  original,
  onSave,
}: {
  original: OriginalMessage;
  onSave?: (index: number) => void;
}) {
  const { t } = useTranslation();
  const confirmLink = (url: string) => window.confirm(t('original.confirmLink', { url }));
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
          {original.attachments.map((a, index) => (
            <li key={`${a.sha256}-${a.filename}`}>
              <span className="att-name">{a.filename ?? a.contentType}</span>
              {onSave && (
                <button type="button" className="link" onClick={() => onSave(index)}>
                  {t('original.save')}
                </button>
              )}
              <span className="muted">
                <span title={a.contentType}>{t(`fileType.${fileTypeKey(a.filename, a.contentType)}`)}</span> ·{' '}
                {formatBytes(a.size)}
                {a.nested ? ` · ${t(`original.nested.${a.nested}`)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {original.html ? (
        <HtmlBody html={original.html} confirmLink={confirmLink} />
      ) : original.text ? (
        <pre className="body-text">{original.text}</pre>
      ) : (
        <p className="muted">{t('original.noText')}</p>
      )}
    </section>
  );
}
