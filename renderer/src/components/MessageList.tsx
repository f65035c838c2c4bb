import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { BulkBar } from '../features/work/BulkBar.tsx';
import { RowCheck, RowWorkChips } from '../features/work/RowWork.tsx';
import { formatListDate, formatNumber } from '../format.ts';
import { PAGE_SIZE, useMailStore } from '../store/mail-store.ts';
import { Marked } from './Marked.tsx';
import { SearchBar } from './SearchBar.tsx';
import { StatusBadge } from './StatusBadge.tsx';

const ROW_HEIGHT = 60;
/** Search results show a line of the matching text too. */
const HIT_HEIGHT = 80;

function PaperClip() {
  return (
    <svg className="clip" width="12" height="12" viewBox="0 0 24 24" aria-hidden="true">
      <path
        d="M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l7.8-7.8a4 4 0 0 0-5.7-5.7l-8.1 8.1a6 6 0 0 0 8.5 8.5l7-7"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      />
    </svg>
  );
}

/** The middle pane: a virtualised list; only the rows on screen exist in the DOM. */
export function MessageList() {
  const { t } = useTranslation();
  const total = useMailStore((s) => s.total);
  const messageTotal = useMailStore((s) => s.messageTotal);
  const view = useMailStore((s) => s.view);
  useMailStore((s) => s.pages);
  const selectedIndex = useMailStore((s) => s.selectedIndex);
  const rowAt = useMailStore((s) => s.rowAt);
  const ensurePage = useMailStore((s) => s.ensurePage);
  const select = useMailStore((s) => s.select);
  const searching = useMailStore((s) => s.text.trim() !== '');
  const rowHeight = searching ? HIT_HEIGHT : ROW_HEIGHT;
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => parent.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const now = new Date();
  const words = {
    today: (time: string) => t('date.today', { time }),
    yesterday: (time: string) => t('date.yesterday', { time }),
  };

  useEffect(() => {
    for (const item of items) void ensurePage(Math.floor(item.index / PAGE_SIZE));
  }, [items, ensurePage]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: rows change height when a search starts or ends
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight, virtualizer]);

  useEffect(() => {
    if (selectedIndex !== null) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  // Rows of every mailbox say whose they are (an accountant's three clients); a folder's do not.
  const accounts = useMailStore((s) => new Set(s.mailboxes.map((m) => m.email)).size);
  const showMailbox = accounts > 1 && (searching || view.kind === 'smart');
  return (
    <div className="list-pane">
      <SearchBar />
      <BulkBar />
      {!searching && total > 0 && (
        <p className="list-count muted" data-testid="list-count">
          {messageTotal !== null && messageTotal > total
            ? t('list.messagesIn', {
                count: total,
                formatted: formatNumber(total),
                messages: formatNumber(messageTotal),
              })
            : t('list.conversations', { count: total, formatted: formatNumber(total) })}
        </p>
      )}
      {total === 0 ? (
        <div className="list-empty muted">{t('list.empty')}</div>
      ) : (
        <div
          ref={parent}
          className="message-list"
          role="listbox"
          aria-label={t('list.count', { count: total })}
          tabIndex={0}
          data-testid="message-list"
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rowAt(item.index);
              const selected = item.index === selectedIndex;
              return (
                <div
                  key={item.key}
                  role="option"
                  aria-selected={selected}
                  tabIndex={-1}
                  className={`row${selected ? ' selected' : ''}${row && !row.seen && row.direction !== 'sent' ? ' unseen' : ''}`}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: rowHeight,
                    transform: `translateY(${item.start}px)`,
                  }}
                  onClick={() => select(item.index)}
                  onKeyDown={() => {}}
                  data-index={item.index}
                >
                  {row ? (
                    <>
                      <div className="row-top">
                        {!row.seen && row.direction !== 'sent' && (
                          <span className="sr-only">{t('list.unread')}</span>
                        )}
                        <RowCheck id={row.id} />
                        <span className="row-who">{row.correspondent ?? ''}</span>
                        {showMailbox && row.mailbox && (
                          <span
                            className="row-mailbox"
                            title={t('list.inMailbox', { mailbox: row.mailbox })}
                            data-testid="row-mailbox"
                          >
                            {row.mailboxName ?? row.mailbox}
                          </span>
                        )}
                        <span className="row-date">{formatListDate(row.date, now, words)}</span>
                      </div>
                      <div className="row-bottom">
                        <span className="row-subject">
                          {row.subjectHighlight ? (
                            <Marked text={row.subjectHighlight} />
                          ) : (
                            row.subject || t('list.noSubject')
                          )}
                        </span>
                        {row.hasAttachments && <PaperClip />}
                        {(row.anomalyCount > 0 ||
                          row.unverifiedCount > 0 ||
                          (row.signatureVerdict !== 'valid' && row.kind !== 'ordinary')) && (
                          <span
                            className="row-warn"
                            title={t('list.warning')}
                            role="img"
                            aria-label={t('list.warning')}
                          >
                            ⚠
                          </span>
                        )}
                        <StatusBadge row={row} compact />
                        <RowWorkChips row={row} />
                        {/* Most rows are PEC received: a chip only for what is not (a receipt, an anomaly). */}
                        {row.direction !== 'sent' &&
                          row.kind !== 'ordinary' &&
                          row.kind !== 'posta-certificata' && (
                            <span className="chip kind-chip">{t(`kind.${row.kind}`)}</span>
                          )}
                      </div>
                      {row.snippet && (
                        <div className="row-snippet muted">
                          <Marked text={row.snippet} />
                        </div>
                      )}
                    </>
                  ) : (
                    <div className="row-loading" />
                  )}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
