/**
 * "Chi ha visto questo messaggio", in the reader: who opened it, downloaded an attachment or saved
 * the .eml, and when. Asked for only when opened (reading the log is not free, and most messages
 * are read without it).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryView } from '../../../../main/api/people-contract.ts';
import { formatDateTime } from '../../format.ts';
import { commonErrorText } from '../people/errors.ts';
import { useSessionStore } from '../people/session-store.ts';
import { actionPhrase, actorText } from './actions.ts';

export function MessageViews({ messageId }: { messageId: number }) {
  const { t } = useTranslation();
  const bridge = useSessionStore((s) => s.bridge);
  const [open, setOpen] = useState(false);
  const [entries, setEntries] = useState<AuditEntryView[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    // Another message: what was shown belongs to the previous one.
    setEntries(null);
    setProblem(null);
    if (!open || !bridge) return;
    let current = true;
    void bridge.call('audit.messageViews', { id: messageId }).then((r) => {
      if (!current) return;
      if (r.ok) setEntries(r.value.entries);
      else setProblem(commonErrorText(t, r.error));
    });
    return () => {
      current = false;
    };
  }, [open, bridge, messageId, t]);

  return (
    <details
      className="card message-views"
      data-testid="message-views"
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>{t('seenBy.title')}</summary>
      {problem && <p className="error-detail">{problem}</p>}
      {open && !entries && !problem && <p className="muted">{t('reader.loading')}</p>}
      {entries && entries.length === 0 && <p className="muted">{t('seenBy.none')}</p>}
      {entries && entries.length > 0 && (
        <ul className="views-list">
          {entries.map((e) => (
            <li key={e.id}>
              <strong>{actorText(t, e)}</strong> {actionPhrase(t, e.action)}{' '}
              <span className="muted">· {formatDateTime(e.at)}</span>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
