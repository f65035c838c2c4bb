import { type DragEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiArgs } from '../../../../main/api/contract.ts';
import type {
  CampaignPreview,
  CampaignProblem,
  SendTemplateView,
} from '../../../../main/api/send-contract.ts';
import { formatBytes, formatNumber } from '../../format.ts';
import { useAppStore } from '../../store/app-store.ts';
import { problemWords } from '../compose/ComposePanel.tsx';
import { toBase64 } from '../compose/compose-model.ts';
import { can } from '../people/rights.ts';
import { useSessionStore } from '../people/session-store.ts';

type Upload = { filename: string; contentBase64: string; size: number };

async function upload(file: File): Promise<Upload> {
  return { filename: file.name, size: file.size, contentBase64: toBase64(await file.arrayBuffer()) };
}

/** A problem of the list or the templates, in the person's words. */
function campaignProblemWords(
  t: (k: string, v?: Record<string, unknown>) => string,
  p: CampaignProblem,
): string {
  switch (p.code) {
    case 'message':
      return t('campaigns.problem.row', { row: p.row, problem: problemWords(t, p.problem) });
    case 'no-address-column':
    case 'no-subject':
      return t(`campaigns.problem.${p.code}`);
    default:
      return t(`campaigns.problem.${p.code}`, p as unknown as Record<string, unknown>);
  }
}

/**
 * A new mass sending: the mailbox, the list (CSV or Excel, dropped or chosen), which column holds
 * the addresses and which names each recipient's file, subject and body with {{columns}}, the
 * files, the receipt type. "Anteprima" shows the first messages exactly as they will go and every
 * problem of the list; "Invia" writes them all to the outbox.
 */
export function CampaignForm({
  onCreated,
  onCancel,
}: {
  onCreated: (id: number) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const accounts = useAppStore((s) => s.accounts);
  const rights = useSessionStore((s) => s.rights);
  const senders = useMemo(() => accounts.filter((a) => can(rights, 'send', a.email)), [accounts, rights]);
  const [from, setFrom] = useState(senders[0]?.email ?? '');
  const [list, setList] = useState<Upload | null>(null);
  const [addressColumn, setAddressColumn] = useState<string | null>(null);
  const [attachColumn, setAttachColumn] = useState<string | null>(null);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [receiptType, setReceiptType] = useState<'completa' | 'breve' | 'sintetica'>('completa');
  const [files, setFiles] = useState<Upload[]>([]);
  const [preview, setPreview] = useState<CampaignPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [templates, setTemplates] = useState<SendTemplateView[]>([]);
  const listInput = useRef<HTMLInputElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (!from && senders[0]) setFrom(senders[0].email);
  }, [senders, from]);
  useEffect(() => {
    void bridge?.call('templates.list', {}).then((r) => r.ok && setTemplates(r.value));
  }, [bridge]);

  const args = (): Omit<ApiArgs<'campaigns.create'>, 'files'> | null =>
    list
      ? {
          from,
          list: { filename: list.filename, contentBase64: list.contentBase64 },
          subject,
          body,
          receiptType,
          ...(addressColumn ? { addressColumn } : {}),
          ...(attachColumn ? { attachColumn } : {}),
        }
      : null;

  const runPreview = async () => {
    const a = args();
    if (!a || !bridge) return;
    setError(null);
    const r = await bridge.call('campaigns.preview', {
      ...a,
      fileNames: files.map((f) => f.filename),
      count: 3,
    });
    if (!r.ok) {
      setPreview(null);
      return setError(t('campaigns.listFailed', { message: r.error.message }));
    }
    setPreview(r.value);
    if (!addressColumn && r.value.addressColumn) setAddressColumn(r.value.addressColumn);
  };

  // A new list, a changed column or template: the preview follows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runPreview reads the same state
  useEffect(() => {
    if (!list) return;
    const timer = setTimeout(() => void runPreview(), 300);
    return () => clearTimeout(timer);
  }, [list, addressColumn, attachColumn, subject, body, files, from]);

  const create = async () => {
    const a = args();
    if (!a || !bridge || busy) return;
    if (
      !window.confirm(
        t('campaigns.confirm', { count: preview?.total ?? 0, n: formatNumber(preview?.total ?? 0), from }),
      )
    )
      return;
    setBusy(true);
    try {
      const r = await bridge.call('campaigns.create', {
        ...a,
        files: files.map((f) => ({ filename: f.filename, contentBase64: f.contentBase64 })),
      });
      if (!r.ok) return setError(t('campaigns.failed', { message: r.error.message }));
      onCreated(r.value.campaignId);
    } finally {
      setBusy(false);
    }
  };

  const insert = (column: string) => {
    const field = `{{${column}}}`;
    const el = bodyRef.current;
    if (!el) return setBody((b) => b + field);
    const [start, end] = [el.selectionStart, el.selectionEnd];
    setBody((b) => b.slice(0, start) + field + b.slice(end));
  };

  const drop = (e: DragEvent, take: (files: File[]) => void) => {
    e.preventDefault();
    take([...e.dataTransfer.files]);
  };
  const takeList = async (f: File[]) => {
    if (f[0]) {
      setList(await upload(f[0]));
      setAddressColumn(null);
      setAttachColumn(null);
    }
  };
  const takeFiles = async (f: File[]) => {
    const added = await Promise.all(f.map(upload));
    setFiles((old) => [...old.filter((o) => !added.some((a) => a.filename === o.filename)), ...added]);
  };

  const ready = preview && preview.problems.length === 0 && preview.total > 0 && from;
  return (
    <section className="campaign-form" data-testid="campaign-form">
      <h3>{t('campaigns.new')}</h3>
      <div className="compose-grid">
        <label htmlFor="campaign-from">{t('compose.from')}</label>
        <select id="campaign-from" value={from} onChange={(e) => setFrom(e.target.value)}>
          {senders.map((a) => (
            <option key={a.id} value={a.email}>
              {a.displayName ? `${a.displayName} <${a.email}>` : a.email}
            </option>
          ))}
        </select>
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target is a convenience; the button inside is the keyboard path */}
      <section
        className="dropzone attach-zone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => drop(e, (f) => void takeList(f))}
      >
        <p>
          {list ? (
            <>
              <strong className="file-name">{list.filename}</strong>{' '}
              <span className="muted">{formatBytes(list.size)}</span>{' '}
            </>
          ) : (
            `${t('campaigns.dropList')} `
          )}
          <button type="button" className="link" onClick={() => listInput.current?.click()}>
            {list ? t('campaigns.otherList') : t('compose.chooseFiles')}
          </button>
        </p>
        <p className="hint">{t('campaigns.listHint', { field: '{{ragione_sociale}}' })}</p>
        <input
          ref={listInput}
          type="file"
          accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          hidden
          data-testid="campaign-list"
          onChange={(e) => {
            void takeList([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </section>
      {preview && (
        <>
          <p data-testid="campaign-total">
            {t('campaigns.recipientsFound', { count: preview.total, n: formatNumber(preview.total) })}
          </p>
          <div className="compose-grid">
            <label htmlFor="campaign-address">{t('campaigns.addressColumn')}</label>
            <select
              id="campaign-address"
              value={addressColumn ?? ''}
              onChange={(e) => setAddressColumn(e.target.value || null)}
            >
              <option value="">{t('campaigns.chooseColumn')}</option>
              {preview.columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            <label htmlFor="campaign-attach">{t('campaigns.attachColumn')}</label>
            <select
              id="campaign-attach"
              value={attachColumn ?? ''}
              onChange={(e) => setAttachColumn(e.target.value || null)}
            >
              <option value="">{t('campaigns.noAttachColumn')}</option>
              {preview.columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field-buttons">
            <legend className="sr-only">{t('campaigns.insertField')}</legend>
            <span className="muted">{t('campaigns.insertField')}</span>
            {preview.columns.map((c) => (
              <button key={c} type="button" className="chip" onClick={() => insert(c)}>
                {`{{${c}}}`}
              </button>
            ))}
          </fieldset>
        </>
      )}
      {templates.length > 0 && (
        <label className="compose-template">
          {t('compose.template')}
          <select
            value=""
            onChange={(e) => {
              const tpl = templates.find((x) => String(x.id) === e.target.value);
              if (!tpl) return;
              setSubject(tpl.subject);
              setBody(tpl.body);
              setReceiptType(tpl.receiptType);
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
      <div className="compose-grid">
        <label htmlFor="campaign-subject">{t('compose.subject')}</label>
        <input
          id="campaign-subject"
          value={subject}
          placeholder={t('campaigns.subjectPlaceholder', { field: '{{ragione_sociale}}' })}
          data-testid="campaign-subject"
          onChange={(e) => setSubject(e.target.value)}
        />
        <label htmlFor="campaign-body">{t('compose.body')}</label>
        <textarea
          id="campaign-body"
          ref={bodyRef}
          rows={8}
          value={body}
          placeholder={t('campaigns.bodyPlaceholder', { field: '{{ragione_sociale}}' })}
          data-testid="campaign-body"
          onChange={(e) => setBody(e.target.value)}
        />
        <label htmlFor="campaign-receipt">{t('compose.receipt')}</label>
        <select
          id="campaign-receipt"
          value={receiptType}
          onChange={(e) => setReceiptType(e.target.value as 'completa' | 'breve' | 'sintetica')}
        >
          {(['completa', 'breve', 'sintetica'] as const).map((r) => (
            <option key={r} value={r}>
              {t(`compose.receiptType.${r}`)}
            </option>
          ))}
        </select>
      </div>
      {attachColumn && (
        // biome-ignore lint/a11y/noStaticElementInteractions: the drop target is a convenience; the button inside is the keyboard path
        <section
          className="dropzone attach-zone"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => drop(e, (f) => void takeFiles(f))}
        >
          <p>
            {t('campaigns.dropFiles', { column: attachColumn })}{' '}
            <button type="button" className="link" onClick={() => filesInput.current?.click()}>
              {t('compose.chooseFiles')}
            </button>
          </p>
          <input
            ref={filesInput}
            type="file"
            multiple
            hidden
            onChange={(e) => {
              void takeFiles([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
          {files.length > 0 && (
            <p className="muted">
              {t('campaigns.filesGiven', { count: files.length, n: formatNumber(files.length) })}
            </p>
          )}
        </section>
      )}
      {preview && preview.problems.length > 0 && (
        <div className="banner banner-warn" role="status" data-testid="campaign-problems">
          <ul>
            {preview.problems.slice(0, 10).map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: problems in the core's order, never reordered
              <li key={`${p.code}-${i}`}>{campaignProblemWords(t, p)}</li>
            ))}
          </ul>
          {preview.problems.length > 10 && (
            <p>{t('campaigns.moreProblems', { n: formatNumber(preview.problems.length - 10) })}</p>
          )}
        </div>
      )}
      {preview && preview.messages.length > 0 && (
        <section
          className="campaign-preview"
          aria-label={t('campaigns.preview')}
          data-testid="campaign-preview"
        >
          <h4>{t('campaigns.preview')}</h4>
          {preview.messages.map((m) => (
            <article key={m.row} className="card preview-message">
              <p className="muted">
                {t('campaigns.previewRow', { row: m.row })} · {t('compose.to')}: <strong>{m.address}</strong>
              </p>
              <p>
                <strong>{m.subject}</strong>
              </p>
              <pre className="body-text">{m.body}</pre>
              {m.attachments.length > 0 && (
                <p className="muted">
                  {t('compose.attachments')}: {m.attachments.join(', ')}
                </p>
              )}
            </article>
          ))}
        </section>
      )}
      {error && (
        <p className="banner banner-danger" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" onClick={onCancel}>
          {t('compose.cancel')}
        </button>
        <button
          type="button"
          onClick={() => {
            const name = window.prompt(t('compose.templateName'), subject);
            if (name?.trim())
              void bridge
                ?.call('templates.save', { name: name.trim(), subject, body, receiptType })
                .then((r) => {
                  if (r.ok) setTemplates((l) => [...l.filter((x) => x.name !== r.value.name), r.value]);
                });
          }}
          disabled={!subject && !body}
        >
          {t('compose.saveTemplate')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!ready || busy}
          onClick={() => void create()}
          data-testid="campaign-send"
        >
          {t('campaigns.send', { count: preview?.total ?? 0, n: formatNumber(preview?.total ?? 0) })}
        </button>
      </div>
    </section>
  );
}
