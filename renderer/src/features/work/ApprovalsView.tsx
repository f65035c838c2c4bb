/**
 * "Approvazioni" (issue 14): outgoing PEC of mailboxes that require approval wait here; those with
 * the manage right on the mailbox approve (it is sent) or reject (it is not), with a comment. The
 * mailboxes' setting is here too.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResults } from '../../../../main/api/contract.ts';
import { formatDateTime } from '../../format.ts';
import { problemCode, useWorkStore } from './work-store.ts';
import { problemText } from './work-words.ts';

type Queue = ApiResults['approvals.list'];

export function ApprovalsView() {
  const { t } = useTranslation();
  const bridge = useWorkStore((s) => s.bridge);
  const [queue, setQueue] = useState<Queue | null>(null);
  const [comments, setComments] = useState<Record<number, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(async () => {
    const r = await bridge?.call('approvals.list', {});
    if (r?.ok) setQueue(r.value);
  }, [bridge]);
  useEffect(() => {
    void load();
    return bridge?.on('outbox.changed', () => void load());
  }, [bridge, load]);
  if (!bridge || !queue) return null;
  const decide = async (id: number, approve: boolean) => {
    const r = await bridge.call('approvals.decide', {
      id,
      approve,
      ...(comments[id]?.trim() ? { comment: comments[id]!.trim() } : {}),
    });
    setProblem(r.ok ? null : problemText(t, problemCode(r)!));
    await load();
  };
  const pending = queue.rows.filter((r) => r.state === 'pending');
  const decided = queue.rows.filter((r) => r.state !== 'pending');
  return (
    <section className="card" aria-label={t('work.nav.approvals')}>
      <h2>{t('work.approvals.title')}</h2>
      <p className="muted">{t('work.approvals.intro')}</p>
      {problem && (
        <p className="banner banner-danger" role="alert">
          {problem}
        </p>
      )}
      {pending.length === 0 ? (
        <p className="muted" data-testid="approvals-empty">
          {t('work.approvals.none')}
        </p>
      ) : (
        <ul className="approval-list">
          {pending.map((a) => (
            <li key={a.outboxId} className="approval" data-testid="approval">
              <div>
                <strong>{a.subject || t('list.noSubject')}</strong>
                <div className="muted">
                  {t('work.approvals.line', {
                    from: a.from,
                    to: a.recipients.join(', '),
                    who: a.requestedBy,
                    at: formatDateTime(a.requestedAt),
                  })}
                  {a.campaignId !== null && ` · ${t('work.approvals.campaign')}`}
                </div>
              </div>
              {a.canDecide ? (
                <div className="approval-actions">
                  <input
                    type="text"
                    maxLength={4000}
                    placeholder={t('work.commentOptional')}
                    aria-label={t('work.commentOptional')}
                    value={comments[a.outboxId] ?? ''}
                    onChange={(e) => setComments({ ...comments, [a.outboxId]: e.target.value })}
                  />
                  <button type="button" className="primary" onClick={() => void decide(a.outboxId, true)}>
                    {t('work.approvals.approve')}
                  </button>
                  <button type="button" onClick={() => void decide(a.outboxId, false)}>
                    {t('work.approvals.reject')}
                  </button>
                </div>
              ) : (
                <span className="muted">{t('work.approvals.waiting')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {decided.length > 0 && (
        <>
          <h3>{t('work.approvals.decided')}</h3>
          <ul className="approval-list">
            {decided.map((a) => (
              <li key={a.outboxId} className="approval muted">
                <span>
                  {t(a.state === 'approved' ? 'work.approvals.approvedBy' : 'work.approvals.rejectedBy', {
                    who: a.decidedBy ?? '',
                    at: formatDateTime(a.decidedAt),
                  })}
                  : {a.subject || t('list.noSubject')}
                  {a.comment ? ` — «${a.comment}»` : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('work.approvals.settings')}</h3>
      <ul className="approval-settings">
        {queue.mailboxes.map((m) => (
          <li key={m.email}>
            <label>
              <input
                type="checkbox"
                checked={m.required}
                disabled={!m.canManage}
                onChange={async (e) => {
                  const r = await bridge.call('accounts.setApproval', {
                    email: m.email,
                    required: e.target.checked,
                  });
                  setProblem(r.ok ? null : problemText(t, problemCode(r)!));
                  await load();
                }}
              />{' '}
              {t('work.approvals.requires', { email: m.email })}
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
