import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../../main/api/contract.ts';
import { formatDateTime } from '../../format.ts';
import { useAppStore } from '../../store/app-store.ts';
import { can } from '../people/rights.ts';
import { useSessionStore } from '../people/session-store.ts';
import { draftFrom } from './compose-model.ts';
import { useSendStore } from './send-store.ts';

/**
 * Rispondi, Rispondi a tutti, Inoltra: from the message in the reader, a draft the core prepares
 * from the original (postacert.eml), never from the envelope; a forwarded PEC carries its original
 * as an attachment (compose can swap it for the whole envelope).
 */
export function ReplyButtons({ message }: { message: MessageView }) {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const accounts = useAppStore((s) => s.accounts);
  const openCompose = useSendStore((s) => s.openCompose);
  const [problem, setProblem] = useState<string | null>(null);
  // Replying and forwarding send: hidden from whoever may send from no mailbox (the core refuses too).
  const sends = useSessionStore((s) => can(s.rights, 'send'));
  const kind = message.inspect.kind;
  if (!sends) return null;
  // Receipts are the provider's: there is nobody to answer.
  if (kind !== 'ordinary' && kind !== 'posta-certificata' && kind !== 'errore') return null;
  const fallbackFrom = accounts[0]?.email ?? '';

  const reply = async (all: boolean) => {
    const r = await bridge?.call('compose.reply', { id: message.id, all });
    if (!r) return;
    if (!r.ok) return setProblem(r.error.message);
    const q = r.value.quoted;
    const header = t('compose.quoteHeader', {
      date: q.date ? formatDateTime(q.date) : '',
      author: q.author ?? '',
    });
    openCompose(draftFrom(r.value, header, fallbackFrom));
  };
  const forward = async () => {
    const r = await bridge?.call('compose.forward', { id: message.id, envelope: false });
    if (!r) return;
    if (!r.ok) return setProblem(r.error.message);
    const q = r.value.quoted;
    const header = t('compose.forwardHeader', {
      date: q.date ? formatDateTime(q.date) : '',
      author: q.author ?? '',
      subject: q.subject ?? '',
    });
    openCompose(draftFrom(r.value, header, fallbackFrom, message.id));
  };
  return (
    <>
      <button type="button" onClick={() => void reply(false)} data-testid="reply">
        {t('compose.reply')}
      </button>
      <button type="button" onClick={() => void reply(true)} data-testid="reply-all">
        {t('compose.replyAll')}
      </button>
      <button type="button" onClick={() => void forward()} data-testid="forward">
        {t('compose.forward')}
      </button>
      {problem && (
        <span className="error-detail" role="alert">
          {problem}
        </span>
      )}
    </>
  );
}
