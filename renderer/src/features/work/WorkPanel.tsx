/**
 * The open row's work in the reader (issue 14): its state and who has it, "Prendi in carico",
 * "In attesa", "Gestita", "Riapri" with an optional comment, "Assegna a", tags, the deadline
 * (by hand, or proposed from the delivery time: to verify), the priority, and the comment thread
 * with the row's history. Opening a message changes none of it.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkEventView, WorkView } from '../../../../main/api/contract.ts';
import { formatDateTime } from '../../format.ts';
import { useMailStore } from '../../store/mail-store.ts';
import { administers as administersAll, can as hasRight } from '../people/rights.ts';
import { useSessionStore } from '../people/session-store.ts';
import { AssignSelect, assignArgs } from './AssignSelect.tsx';
import { TagChips } from './TagChips.tsx';
import { useWorkStore } from './work-store.ts';
import { formatDay, problemText, romeToday, stateLabel } from './work-words.ts';

function currentAssignee(w: WorkView): string {
  if (w.assignee) return `u:${w.assignee.name}`;
  if (w.office) return `o:${w.office.name}`;
  return '';
}

function HistoryLine({ e }: { e: WorkEventView }) {
  const { t, i18n } = useTranslation();
  const d = e.details as Record<string, string | number | null | undefined>;
  const what =
    e.action === 'comment'
      ? null
      : t(`work.history.${e.action}`, {
          defaultValue: e.action,
          to: e.to ? stateLabel(t, e.to) : '',
          tag: d.tag ?? '',
          due: typeof d.due === 'string' ? formatDay(d.due, i18n.language) : t('work.deadline.none'),
          priority: d.priority ? t(`work.priority.${d.priority}`) : t('work.priority.none'),
          by: d.by ?? '',
          hours: d.hours ?? '',
        });
  return (
    <li className={e.action === 'comment' ? 'history-comment' : 'history-event'} data-testid="work-history">
      <span className="history-who">{e.actorName}</span> <span className="muted">{formatDateTime(e.at)}</span>
      {what && <div className="history-what">{what}</div>}
      {e.comment && <div className="history-text">{e.comment}</div>}
    </li>
  );
}

export function WorkPanel() {
  const { t, i18n } = useTranslation();
  const openId = useMailStore((s) => s.openId);
  const w = useWorkStore((s) => s.open);
  const loadOpen = useWorkStore((s) => s.loadOpen);
  const change = useWorkStore((s) => s.change);
  const tags = useWorkStore((s) => s.tags);
  // The signed-in person's rights (read again at every sign-in), not a copy taken at start.
  const routes = useSessionStore((s) => hasRight(s.rights, 'route'));
  const administers = useSessionStore((s) => administersAll(s.rights));
  const createTag = useWorkStore((s) => s.createTag);
  const bridge = useWorkStore((s) => s.bridge);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [newTag, setNewTag] = useState('');
  const [proposal, setProposal] = useState<{ due: string; note: string } | null>(null);
  useEffect(() => {
    setProblem(null);
    setProposal(null);
    setComment('');
    void loadOpen(openId);
  }, [openId, loadOpen]);
  if (!w || openId === null) return null;
  const ref = w.threadId !== null ? { threadId: w.threadId } : { id: w.messageId! };
  const can = routes !== false;
  const sent = comment.trim();
  const run = async (job: Promise<string | null>, keepComment = false) => {
    const code = await job;
    setProblem(code ? problemText(t, code) : null);
    // Only the comment that went with the change is cleared: one typed meanwhile stays.
    if (!code && !keepComment) setComment((c) => (c.trim() === sent ? '' : c));
  };
  const withComment = comment.trim() ? { comment: comment.trim() } : {};
  const late = w.deadline && w.deadline.due < romeToday() && w.state !== 'done';
  return (
    <section className="work-panel card" aria-label={t('work.panel')} data-testid="work-panel">
      <div className="work-head">
        <span
          className={`work-state work-state-${w.state ?? 'none'}`}
          data-testid="work-state"
          data-state={w.state ?? 'none'}
        >
          {stateLabel(t, w.state)}
        </span>
        {w.claimedBy && w.state !== 'done' && (
          <span className="muted" data-testid="work-claimed">
            {t('work.claimedBy', { name: w.claimedBy, at: formatDateTime(w.claimedAt) })}
          </span>
        )}
        {w.state === 'done' && w.doneBy && (
          <span className="muted">{t('work.doneBy', { name: w.doneBy, at: formatDateTime(w.doneAt) })}</span>
        )}
        {!w.claimedBy && (w.assignee || w.office) && w.state !== 'done' && (
          <span className="muted">
            {t('work.assignedTo', {
              name: w.assignee
                ? (w.assignee.displayName ?? w.assignee.name)
                : t('work.officeName', { name: w.office!.name }),
            })}
          </span>
        )}
      </div>
      {can && (
        <div className="work-actions">
          {w.state !== 'done' ? (
            <>
              {w.state !== 'claimed' && (
                <button
                  type="button"
                  className="primary"
                  onClick={() => void run(change('work.claim', { ...ref, ...withComment }))}
                >
                  {t('work.action.claim')}
                </button>
              )}
              {w.state !== 'waiting' && (
                <button
                  type="button"
                  onClick={() => void run(change('work.wait', { ...ref, ...withComment }))}
                >
                  {t('work.action.wait')}
                </button>
              )}
              <button
                type="button"
                onClick={() => void run(change('work.done', { ...ref, ...withComment }))}
                data-testid="work-done"
              >
                {t('work.action.done')}
              </button>
              <AssignSelect
                label={t('work.assign.label')}
                value={currentAssignee(w)}
                onChange={(v) =>
                  void run(change('work.assign', { ...ref, ...assignArgs(v), ...withComment }))
                }
              />
            </>
          ) : (
            <button type="button" onClick={() => void run(change('work.reopen', { ...ref, ...withComment }))}>
              {t('work.action.reopen')}
            </button>
          )}
          <label className="work-comment-field">
            <span className="sr-only">{t('work.commentOptional')}</span>
            <input
              type="text"
              value={comment}
              maxLength={4000}
              placeholder={t('work.commentOptional')}
              onChange={(e) => setComment(e.target.value)}
              data-testid="work-comment-input"
            />
          </label>
        </div>
      )}
      {problem && (
        <p className="banner banner-danger" role="alert">
          {problem}
        </p>
      )}
      <div className="work-row">
        <span className="work-label">{t('work.tags.title')}</span>
        <TagChips
          tags={w.tags}
          {...(can
            ? { onRemove: (tag) => void run(change('work.tag', { ...ref, tag: tag.name, add: false }), true) }
            : {})}
        />
        {can && (
          <select
            value=""
            aria-label={t('work.tags.add')}
            onChange={(e) => {
              if (e.target.value)
                void run(change('work.tag', { ...ref, tag: e.target.value, add: true }), true);
            }}
            data-testid="tag-add"
          >
            <option value="">{t('work.tags.addShort')}</option>
            {tags
              .filter((tag) => !w.tags.some((x) => x.id === tag.id))
              .map((tag) => (
                <option key={tag.id} value={tag.name}>
                  {tag.name}
                </option>
              ))}
          </select>
        )}
        {can && administers && (
          <form
            className="tag-new"
            onSubmit={(e) => {
              e.preventDefault();
              const name = newTag.trim();
              if (!name) return;
              void createTag(name).then(async (code) => {
                if (code && code !== 'exists') return setProblem(problemText(t, code));
                setNewTag('');
                await run(change('work.tag', { ...ref, tag: name, add: true }), true);
              });
            }}
          >
            <input
              type="text"
              value={newTag}
              maxLength={60}
              placeholder={t('work.tags.newPlaceholder')}
              aria-label={t('work.tags.new')}
              onChange={(e) => setNewTag(e.target.value)}
            />
          </form>
        )}
      </div>
      <div className="work-row">
        <span className="work-label">{t('work.deadline.title')}</span>
        {w.deadline ? (
          <span className={late ? 'work-due work-due-late' : 'work-due'} data-testid="work-deadline">
            {formatDay(w.deadline.due, i18n.language)}
            {w.deadline.source === 'proposed' && ` · ${t('work.deadline.proposed')}`}
          </span>
        ) : (
          <span className="muted">{t('work.deadline.none')}</span>
        )}
        {can && (
          <input
            type="date"
            aria-label={t('work.deadline.set')}
            value={w.deadline?.due ?? ''}
            onChange={(e) =>
              void run(change('work.setDeadline', { ...ref, due: e.target.value || null }), true)
            }
            data-testid="deadline-input"
          />
        )}
        {can && !w.deadline && (
          <button
            type="button"
            className="link"
            onClick={async () => {
              const r = await bridge?.call('work.proposeDeadline', ref);
              if (r?.ok) setProposal(r.value);
              if (r?.ok && !r.value) setProblem(t('work.deadline.noProposal'));
            }}
          >
            {t('work.deadline.propose')}
          </button>
        )}
        {can && (
          <label className="inline-field">
            <span>{t('work.priority.title')}</span>
            <select
              value={w.priority ?? ''}
              onChange={(e) =>
                void run(
                  change('work.setPriority', { ...ref, priority: (e.target.value || null) as never }),
                  true,
                )
              }
            >
              <option value="">{t('work.priority.none')}</option>
              {(['low', 'normal', 'high', 'urgent'] as const).map((p) => (
                <option key={p} value={p}>
                  {t(`work.priority.${p}`)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {w.deadline?.note && <p className="work-note muted">{w.deadline.note}</p>}
      {proposal && (
        <div className="banner banner-warn" data-testid="deadline-proposal">
          <p>
            {t('work.deadline.proposal', { day: formatDay(proposal.due, i18n.language) })} {proposal.note}
          </p>
          <button
            type="button"
            onClick={() => {
              void run(change('work.setDeadline', { ...ref, due: proposal.due, note: proposal.note }), true);
              setProposal(null);
            }}
          >
            {t('work.deadline.accept')}
          </button>
        </div>
      )}
      <div className="work-comments">
        <h4>{t('work.comments', { count: w.history.filter((h) => h.comment).length })}</h4>
        <ul>
          {w.history
            .filter((h) => h.comment)
            .map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: history lines are never reordered or removed
              <HistoryLine key={`${e.at}-${i}`} e={e} />
            ))}
        </ul>
        {can && (
          <form
            className="work-comment-new"
            onSubmit={(e) => {
              e.preventDefault();
              if (comment.trim()) void run(change('work.comment', { ...ref, text: comment.trim() }));
            }}
          >
            <button type="submit" disabled={!comment.trim()} data-testid="work-add-comment">
              {t('work.addComment')}
            </button>
          </form>
        )}
      </div>
      <details className="work-history">
        <summary>{t('work.history.title', { count: w.history.length })}</summary>
        <ul>
          {w.history.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: history lines are never reordered or removed
            <HistoryLine key={`${e.at}-${i}`} e={e} />
          ))}
        </ul>
      </details>
    </section>
  );
}
