/**
 * In-app notices of work (issue 14): a reminder before a due day, a due day passed, a PEC nobody
 * took in charge. The core sends each only to the people it names; here they appear in a corner
 * until dismissed, and open the message.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkNotice } from '../../../../main/api/contract.ts';
import { useMailStore } from '../../store/mail-store.ts';
import { useWorkStore } from './work-store.ts';
import { formatDay } from './work-words.ts';

export function WorkNotices() {
  const { t, i18n } = useTranslation();
  const bridge = useWorkStore((s) => s.bridge);
  const openMessage = useMailStore((s) => s.openMessage);
  const [notices, setNotices] = useState<(WorkNotice & { key: number })[]>([]);
  useEffect(() => {
    if (!bridge) return;
    let next = 0;
    return bridge.on('work.notice', (n) => setNotices((list) => [...list.slice(-4), { ...n, key: next++ }]));
  }, [bridge]);
  if (notices.length === 0) return null;
  const title = (n: WorkNotice) =>
    n.kind === 'escalation'
      ? t('work.notice.escalation', { count: n.hours ?? 0 })
      : n.kind === 'overdue'
        ? t('work.notice.overdue', { day: formatDay(n.due ?? '', i18n.language) })
        : n.daysLeft === 0
          ? t('work.notice.today')
          : t('work.notice.reminder', { count: n.daysLeft ?? 0, day: formatDay(n.due ?? '', i18n.language) });
  const drop = (key: number) => setNotices((list) => list.filter((x) => x.key !== key));
  return (
    <div className="work-notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.key} className={`work-notice work-notice-${n.kind}`} data-testid="work-notice">
          <strong>{title(n)}</strong>
          <span className="work-notice-subject">{n.subject || t('list.noSubject')}</span>
          <span className="work-notice-actions">
            <button
              type="button"
              className="link"
              onClick={() => {
                void openMessage(n.messageId);
                drop(n.key);
              }}
            >
              {t('work.notice.open')}
            </button>
            <button type="button" className="link" onClick={() => drop(n.key)}>
              {t('work.notice.dismiss')}
            </button>
          </span>
        </div>
      ))}
    </div>
  );
}
