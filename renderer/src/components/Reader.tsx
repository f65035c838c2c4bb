import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../main/api/contract.ts';
import { MessageViews } from '../features/audit/MessageViews.tsx';
import { ReplyButtons } from '../features/compose/ReplyButtons.tsx';
import { ProofButton } from '../features/keep/ProofButton.tsx';
import { WorkPanel } from '../features/work/WorkPanel.tsx';
import { folderName } from '../folder-name.ts';
import { useMailStore } from '../store/mail-store.ts';
import { MessageDetails } from './MessageDetails.tsx';
import { ThreadTimeline } from './ThreadTimeline.tsx';

/**
 * Saves bytes through the browser's (or Electron's) download: they never touch a page origin. An
 * object URL, revoked once the download has started.
 */
function download(bytesBase64: string, filename: string) {
  const bytes = Uint8Array.from(atob(bytesBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Reader() {
  const { t, i18n } = useTranslation();
  const open = useMailStore((s) => s.open);
  const openId = useMailStore((s) => s.openId);
  const error = useMailStore((s) => s.openError);
  const bridge = useMailStore((s) => s.bridge);
  const setSeen = useMailStore((s) => s.setSeen);
  const seen = useMailStore((s) => [...s.pages.values()].flat().find((r) => r.id === s.openId)?.seen ?? true);
  const [receipt, setReceipt] = useState<MessageView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (openId === null) return <div className="reader-empty muted">{t('reader.empty')}</div>;
  if (error) return <div className="banner banner-danger">{error}</div>;
  if (!open || open.id !== openId) return <div className="reader-empty muted">{t('reader.loading')}</div>;
  const showing = receipt && receipt.threadId === open.threadId ? receipt : null;
  const current = showing ?? open;
  const saveAttachment = async (messageId: number, index: number) => {
    const r = await bridge?.call('attachments.get', { messageId, index });
    if (!r) return;
    if (!r.ok) return setProblem(t('reader.saveFailed', { message: r.error.message }));
    download(r.value.contentBase64, r.value.filename ?? 'allegato');
  };
  const saveEml = async () => {
    const r = await bridge?.call('messages.raw', { id: current.id });
    if (!r) return;
    if (!r.ok) return setProblem(t('reader.saveFailed', { message: r.error.message }));
    download(r.value.contentBase64, r.value.filename);
  };
  const toggleSeen = async () => {
    const failed = await setSeen(open.id, !seen);
    setProblem(failed ? t('reader.seenFailed', { message: failed }) : null);
  };
  const openReceipt = async (id: number) => {
    if (!bridge) return;
    if (id === open.id) return setReceipt(null);
    const r = await bridge.call('messages.get', { id });
    if (r.ok) setReceipt(r.value);
    else setProblem(r.error.message);
  };
  return (
    <div className="reader" data-testid="reader">
      <div className="reader-actions" role="toolbar" aria-label={t('reader.actions')}>
        {!showing && <ReplyButtons message={open} />}
        {/* Read and unread belong to what arrived, in a folder of a mailbox. */}
        {!showing && open.thread?.direction !== 'sent' && open.locations.length > 0 && (
          <button type="button" onClick={() => void toggleSeen()} data-testid="toggle-seen">
            {seen ? t('reader.markUnread') : t('reader.markRead')}
          </button>
        )}
        <button type="button" onClick={() => void saveEml()} data-testid="save-eml">
          {t('reader.saveEml')}
        </button>
        <ProofButton messageId={current.id} onError={setProblem} />
      </div>
      {problem && (
        <p className="banner banner-danger" role="alert">
          {problem}
        </p>
      )}
      {open.thread && open.thread.direction === 'sent' && (
        <ThreadTimeline thread={open.thread} onOpen={(id) => void openReceipt(id)} />
      )}
      {showing && (
        <button type="button" className="link" onClick={() => setReceipt(null)}>
          ← {t('timeline.back')}
        </button>
      )}
      {!showing && <WorkPanel />}
      <MessageDetails
        result={{
          ...current.inspect,
          fileName: current.locations
            .map((l) => `${l.email ?? ''} › ${folderName(t, i18n, l.path)}`)
            .join(', '),
        }}
        sentCopy={current.thread?.direction === 'sent'}
        onSave={(index) => void saveAttachment(current.id, index)}
      />
      <MessageViews messageId={current.id} />
    </div>
  );
}
