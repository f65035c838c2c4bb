/**
 * "Server dell'ufficio": this PC's app on the office's PecDesk server. The address, then the
 * certificate's fingerprint to compare with the one the IT person reads in the server's log (first
 * contact), or a clear warning when it is not the one confirmed before; then the server's own login
 * screen. Connected: where and as whom, and Disconnetti.
 */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format.ts';
import { useSessionStore } from '../people/session-store.ts';
import { fingerprintLines, officeErrorKey, useOfficeStore } from './office-store.ts';
import './office.css';

function Fingerprint({ value, testId }: { value: string; testId: string }) {
  return (
    <code className="fingerprint" data-testid={testId}>
      {fingerprintLines(value).map((line) => (
        <span key={line}>{line}</span>
      ))}
    </code>
  );
}

export function OfficeScreen({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const status = useOfficeStore((s) => s.status);
  const probe = useOfficeStore((s) => s.probe);
  const busy = useOfficeStore((s) => s.busy);
  const error = useOfficeStore((s) => s.error);
  const { check, confirm, cancel, disconnect } = useOfficeStore.getState();
  const user = useSessionStore((s) => s.user?.name ?? null);
  const [url, setUrl] = useState(status?.url ?? '');
  const [knowingly, setKnowingly] = useState(false);
  const onServer = status && status.state !== 'local';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setKnowingly(false);
    if (url.trim()) void check(url.trim());
  };

  return (
    <section className="card office-screen" data-testid="office">
      <button type="button" className="link" onClick={onClose}>
        ← {t('office.back')}
      </button>
      <h2>{t('office.title')}</h2>
      {onServer ? (
        <>
          <p data-testid="office-connected">
            {status.state === 'connected'
              ? user
                ? t('office.connected', { url: status.url, user })
                : t('office.connectedNoUser', { url: status.url })
              : t(status.state === 'unreachable' ? 'office.stateUnreachable' : 'office.stateChanged', {
                  url: status.url,
                })}
          </p>
          {/* Once the new certificate is shown below, both fingerprints are there: not twice. */}
          {!probe && (
            <>
              <p className="muted">{t('office.fingerprintNow')}</p>
              <Fingerprint value={status.fingerprint ?? ''} testId="office-pinned" />
              {status.state === 'fingerprint-changed' && status.seen && (
                <>
                  <p className="muted">{t('office.seenNow')}</p>
                  <Fingerprint value={status.seen} testId="office-seen" />
                </>
              )}
              <p className="muted">{t('office.disconnectHint')}</p>
            </>
          )}
          <div className="form-actions">
            {status.state === 'fingerprint-changed' && !probe && (
              <button type="button" disabled={busy} onClick={() => status.url && void check(status.url)}>
                {t('office.checkAgain')}
              </button>
            )}
            <button type="button" disabled={busy} onClick={() => void disconnect()}>
              {t('office.disconnect')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p>{t('office.intro')}</p>
          <form onSubmit={submit} className="office-form">
            <label>
              <span>{t('office.url')}</span>
              <input
                type="text"
                value={url}
                placeholder="https://nas-ufficio:4443"
                autoComplete="url"
                spellCheck={false}
                onChange={(e) => {
                  setUrl(e.target.value);
                  if (probe) cancel();
                }}
              />
            </label>
            <p className="muted">{t('office.urlHint')}</p>
            {!probe && (
              <div className="form-actions">
                <button type="submit" className="primary" disabled={busy || !url.trim()}>
                  {busy ? t('office.checking') : t('office.check')}
                </button>
              </div>
            )}
          </form>
        </>
      )}
      {probe && (!onServer || status.state === 'fingerprint-changed') && (
        <div
          className={probe.decision === 'changed' ? 'office-probe banner-danger' : 'office-probe'}
          data-testid="office-probe"
        >
          {probe.decision === 'changed' ? (
            <>
              <h3>{t('office.changedTitle')}</h3>
              <p>{t('office.changedText', { url: probe.url })}</p>
              <p className="muted">{t('office.pinnedWas')}</p>
              <Fingerprint value={probe.pinned ?? ''} testId="office-fingerprint-was" />
              <p className="muted">{t('office.seenNow')}</p>
            </>
          ) : (
            <>
              <h3>{t('office.fingerprintTitle')}</h3>
              <p>{t(probe.decision === 'pinned' ? 'office.pinnedKnown' : 'office.fingerprintHint')}</p>
            </>
          )}
          <Fingerprint value={probe.fingerprint} testId="office-fingerprint" />
          {probe.subject && (
            <p className="muted">
              {probe.validTo
                ? t('office.subject', { subject: probe.subject, date: formatDateTime(probe.validTo) })
                : t('office.subjectNoDate', { subject: probe.subject })}
            </p>
          )}
          {probe.decision === 'changed' && (
            <label className="check">
              <input type="checkbox" checked={knowingly} onChange={(e) => setKnowingly(e.target.checked)} />
              <span>{t('office.changedConfirm')}</span>
            </label>
          )}
          <div className="form-actions">
            <button
              type="button"
              className={probe.decision === 'changed' ? 'danger' : 'primary'}
              disabled={busy || (probe.decision === 'changed' && !knowingly)}
              onClick={() => void confirm()}
            >
              {t(probe.decision === 'changed' ? 'office.confirmChanged' : 'office.confirm')}
            </button>
            <button type="button" disabled={busy} onClick={cancel}>
              {t('office.cancel')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="banner banner-danger" role="alert">
          {t(officeErrorKey(error), { url: probe?.url ?? url })}
        </p>
      )}
    </section>
  );
}
