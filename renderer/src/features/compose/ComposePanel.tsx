import { type DragEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SendProblem, SendTemplateView } from '../../../../main/api/send-contract.ts';
import { formatBytes, formatNumber } from '../../format.ts';
import { useAppStore } from '../../store/app-store.ts';
import { can } from '../people/rights.ts';
import { useSessionStore } from '../people/session-store.ts';
import { AddressField } from './AddressField.tsx';
import { BodyEditor } from './BodyEditor.tsx';
import {
  type ComposeDraft,
  emptyDraft,
  fileAttachment,
  type ReceiptType,
  sendArgs,
} from './compose-model.ts';
import { useSendStore } from './send-store.ts';

/** A problem the core found (main/send/limits.ts), in the person's words. */
export function problemWords(
  t: (key: string, values?: Record<string, unknown>) => string,
  p: SendProblem,
): string {
  switch (p.code) {
    case 'bad-address':
      return t('compose.problem.bad-address', { address: p.address });
    case 'too-many-recipients':
      return t('compose.problem.too-many-recipients', {
        count: formatNumber(p.count),
        max: formatNumber(p.max),
      });
    case 'too-large':
      return t('compose.problem.too-large', {
        size: formatBytes(p.size),
        recipients: formatNumber(p.recipients),
        total: formatBytes(p.total),
        max: formatBytes(p.max),
      });
    default:
      return t(`compose.problem.${p.code}`);
  }
}

/**
 * Write a PEC: from any mailbox the person may send from (shown by name and address), to and cc
 * with the archive's PEC addresses suggested, subject, body with simple formatting, attachments
 * dropped or chosen, the delivery receipt asked for. What the provider would refuse (recipients,
 * size × recipients, Bcc) is said before sending; "Invia" writes it to the outbox.
 */
export function ComposePanel() {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const accounts = useAppStore((s) => s.accounts);
  const demo = useAppStore((s) => s.info?.demo ?? false);
  const rights = useSessionStore((s) => s.rights);
  const initial = useSendStore((s) => s.draft);
  const draftKey = useSendStore((s) => s.draftKey);
  const close = useSendStore((s) => s.close);
  const openOutbox = useSendStore((s) => s.openOutbox);
  const senders = useMemo(() => accounts.filter((a) => can(rights, 'send', a.email)), [accounts, rights]);
  const [draft, setDraft] = useState<ComposeDraft>(() => initial ?? emptyDraft(senders[0]?.email ?? ''));
  const [problems, setProblems] = useState<SendProblem[]>([]);
  const [size, setSize] = useState<{ size: number; totalBytes: number; max: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [templates, setTemplates] = useState<SendTemplateView[]>([]);
  /** Bumped when a template replaces the body: the editor starts again from it. */
  const [bodyKey, setBodyKey] = useState(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const edit = (change: Partial<ComposeDraft>) => setDraft((d) => ({ ...d, ...change }));

  // A new draft (Rispondi, Inoltra, Nuova PEC) starts the form again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: draftKey marks a new draft
  useEffect(() => {
    setDraft(initial ?? emptyDraft(senders[0]?.email ?? ''));
    setError(null);
  }, [draftKey]);

  useEffect(() => {
    if (!draft.from && senders[0]) setDraft((d) => ({ ...d, from: senders[0]!.email }));
  }, [senders, draft.from]);

  useEffect(() => {
    void bridge?.call('templates.list', {}).then((r) => r.ok && setTemplates(r.value));
  }, [bridge]);

  // The provider's limits, checked as the person writes (a moment after the last change).
  useEffect(() => {
    if (!bridge || !draft.from) return;
    const timer = setTimeout(() => {
      void bridge.call('outbox.check', sendArgs(draft)).then((r) => {
        if (!r.ok) return;
        setProblems(r.value.problems);
        setSize({ size: r.value.size, totalBytes: r.value.totalBytes, max: r.value.limits.maxTotalBytes });
      });
    }, 400);
    return () => clearTimeout(timer);
  }, [bridge, draft]);

  const addFiles = async (files: FileList | File[]) => {
    const added = await Promise.all([...files].map((f) => fileAttachment(f)));
    setDraft((d) => ({ ...d, attachments: [...d.attachments, ...added] }));
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length > 0) void addFiles(e.dataTransfer.files);
  };

  const send = async () => {
    if (!bridge || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await bridge.call('outbox.send', sendArgs(draft));
      if (!r.ok) {
        setError(
          r.error.code === 'forbidden'
            ? t('compose.forbidden')
            : t('compose.failed', { message: r.error.message }),
        );
        return;
      }
      close();
      openOutbox();
    } finally {
      setBusy(false);
    }
  };

  const saveTemplate = async () => {
    const name = window.prompt(t('compose.templateName'), draft.subject);
    if (!name?.trim() || !bridge) return;
    const r = await bridge.call('templates.save', {
      name: name.trim(),
      subject: draft.subject,
      body: draft.text,
      receiptType: draft.receiptType,
    });
    if (r.ok) setTemplates((list) => [...list.filter((x) => x.name !== r.value.name), r.value]);
  };

  const forwarded = draft.attachments.find((a) => a.kind === 'message');
  const sender = senders.find((a) => a.email === draft.from);
  const recipients = draft.to.length + draft.cc.length;
  return (
    <section className="compose-panel" aria-label={t('compose.title')} data-testid="compose">
      <header className="panel-head">
        <h2>
          {draft.inReplyTo
            ? t('compose.replyTitle')
            : draft.forwardOf
              ? t('compose.forwardTitle')
              : t('compose.title')}
        </h2>
        <div className="form-actions">
          <button type="button" onClick={close}>
            {t('compose.cancel')}
          </button>
          <button
            type="button"
            className="primary"
            data-testid="compose-send"
            disabled={busy || problems.length > 0 || !draft.from}
            onClick={() => void send()}
          >
            {busy ? t('compose.sending') : t('compose.send')}
          </button>
        </div>
      </header>
      {demo && (
        <p className="banner banner-warn" role="status" data-testid="compose-demo">
          {t('compose.demoHint')}
        </p>
      )}
      {senders.length === 0 && !demo && (
        <p className="banner banner-warn" role="status">
          {t('compose.noSender')}
        </p>
      )}
      <div className="compose-grid">
        <label htmlFor="compose-from">{t('compose.from')}</label>
        <select
          id="compose-from"
          value={draft.from}
          onChange={(e) => edit({ from: e.target.value })}
          data-testid="compose-from"
        >
          {senders.map((a) => (
            <option key={a.id} value={a.email}>
              {a.displayName ? `${a.displayName} <${a.email}>` : a.email}
            </option>
          ))}
        </select>
        <AddressField
          label={t('compose.to')}
          value={draft.to}
          onChange={(to) => edit({ to })}
          testId="compose-to"
        />
        <AddressField
          label={t('compose.cc')}
          value={draft.cc}
          onChange={(cc) => edit({ cc })}
          testId="compose-cc"
        />
        <p className="hint compose-nobcc">{t('compose.noBcc')}</p>
        <label htmlFor="compose-subject">{t('compose.subject')}</label>
        <input
          id="compose-subject"
          value={draft.subject}
          maxLength={998}
          data-testid="compose-subject"
          onChange={(e) => edit({ subject: e.target.value })}
        />
      </div>
      {templates.length > 0 && (
        <label className="compose-template">
          {t('compose.template')}
          <select
            value=""
            onChange={(e) => {
              const tpl = templates.find((x) => String(x.id) === e.target.value);
              if (!tpl) return;
              edit({ subject: tpl.subject, text: tpl.body, html: null, receiptType: tpl.receiptType });
              setBodyKey((k) => k + 1);
            }}
          >
            <option value="">{t('compose.templateChoose')}</option>
            {templates.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <BodyEditor key={`${draftKey}-${bodyKey}`} initialText={draft.text} onChange={(body) => edit(body)} />
      <section
        className={dragging ? 'dropzone attach-zone dragging' : 'dropzone attach-zone'}
        aria-label={t('compose.attachments')}
        data-testid="compose-attachments"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>
          {t('compose.dropHere')}{' '}
          <button type="button" className="link" onClick={() => fileInput.current?.click()}>
            {t('compose.chooseFiles')}
          </button>
        </p>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="compose-file"
          onChange={(e) => {
            if (e.target.files) void addFiles(e.target.files);
            e.target.value = '';
          }}
        />
        {draft.attachments.length > 0 && (
          <ul className="attachment-list">
            {draft.attachments.map((a, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: two files may share a name; the list is only appended to or cut
              <li key={`${a.filename}-${i}`}>
                <span className="file-name">{a.filename}</span>{' '}
                <span className="muted">{formatBytes(a.size)}</span>
                {a.kind === 'message' && <span className="muted"> · {t(`compose.part.${a.part}`)}</span>}
                <button
                  type="button"
                  className="link"
                  aria-label={t('compose.removeAttachment', { name: a.filename })}
                  onClick={() => edit({ attachments: draft.attachments.filter((_, j) => j !== i) })}
                >
                  {t('compose.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
        {forwarded && forwarded.kind === 'message' && (
          <label className="account-option">
            <input
              type="checkbox"
              checked={forwarded.part === 'envelope'}
              data-testid="compose-envelope"
              onChange={(e) =>
                edit({
                  attachments: draft.attachments.map((a) =>
                    a === forwarded
                      ? {
                          ...forwarded,
                          part: e.target.checked ? 'envelope' : 'original',
                          filename: e.target.checked
                            ? `${draft.subject.replace(/^I:\s*/, '') || 'messaggio'}.eml`
                            : 'postacert.eml',
                        }
                      : a,
                  ),
                })
              }
            />
            {t('compose.attachEnvelope')}
          </label>
        )}
      </section>
      <div className="compose-grid">
        <label htmlFor="compose-receipt">{t('compose.receipt')}</label>
        <select
          id="compose-receipt"
          value={draft.receiptType}
          onChange={(e) => edit({ receiptType: e.target.value as ReceiptType })}
        >
          {(['completa', 'breve', 'sintetica'] as const).map((r) => (
            <option key={r} value={r}>
              {t(`compose.receiptType.${r}`)}
            </option>
          ))}
        </select>
      </div>
      {size && (
        <p className="muted compose-size" data-testid="compose-size">
          {t('compose.size', {
            size: formatBytes(size.size),
            recipients: formatNumber(Math.max(1, recipients)),
            total: formatBytes(size.totalBytes),
            max: formatBytes(size.max),
          })}
          {sender?.sendLimits &&
            ` · ${t('compose.rate', { perMinute: formatNumber(sender.sendLimits.perMinute) })}`}
        </p>
      )}
      {problems.length > 0 && (draft.to.length > 0 || draft.subject || draft.attachments.length > 0) && (
        <div className="banner banner-warn" role="status" data-testid="compose-problems">
          <ul>
            {problems.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: problems in the core's order, never reordered
              <li key={`${p.code}-${i}`}>{problemWords(t, p)}</li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p className="banner banner-danger" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" onClick={() => void saveTemplate()} disabled={!draft.subject && !draft.text}>
          {t('compose.saveTemplate')}
        </button>
      </div>
    </section>
  );
}
