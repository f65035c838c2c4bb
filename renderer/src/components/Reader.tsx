import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../main/api/contract.ts';
import { useMailStore } from '../store/mail-store.ts';
import { MessageDetails } from './MessageDetails.tsx';
import { ThreadTimeline } from './ThreadTimeline.tsx';

export function Reader() {
  const { t } = useTranslation();
  const open = useMailStore((s) => s.open);
  const openId = useMailStore((s) => s.openId);
  const error = useMailStore((s) => s.openError);
  const bridge = useMailStore((s) => s.bridge);
  const [receipt, setReceipt] = useState<MessageView | null>(null);
  if (openId === null) return <div className="reader-empty muted">{t('reader.empty')}</div>;
  if (error) return <div className="banner banner-danger">{error}</div>;
  if (!open || open.id !== openId) return <div className="reader-empty muted">{t('reader.loading')}</div>;
  const showing = receipt && receipt.threadId === open.threadId ? receipt : null;
  /** Saves through the browser's (or Electron's) download: the bytes never touch a page origin. */
  const save = async (messageId: number, index: number) => {
    const r = await bridge?.call('attachments.get', { messageId, index });
    if (!r?.ok) return;
    const bytes = Uint8Array.from(atob(r.value.contentBase64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = r.value.filename ?? 'allegato';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  const openReceipt = async (id: number) => {
    if (!bridge) return;
    const r = await bridge.call('messages.get', { id });
    if (r.ok) setReceipt(r.value);
  };
  return (
    <div className="reader" data-testid="reader">
      {open.thread && open.thread.direction === 'sent' && (
        <ThreadTimeline thread={open.thread} onOpen={(id) => void openReceipt(id)} />
      )}
      {showing && (
        <button type="button" className="link" onClick={() => setReceipt(null)}>
          ← {t('timeline.back')}
        </button>
      )}
      <MessageDetails
        result={{
          ...(showing ?? open).inspect,
          fileName: (showing ?? open).locations.map((l) => l.path).join(', '),
        }}
        onSave={(index) => void save((showing ?? open).id, index)}
      />
    </div>
  );
}
