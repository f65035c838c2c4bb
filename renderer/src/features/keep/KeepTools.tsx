import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicAccount } from '../../../../main/api/contract.ts';
import { formatNumber } from '../../format.ts';
import { useAppStore } from '../../store/app-store.ts';
import { base64Bytes, downloadBytes } from '../audit/download.ts';
import { can } from '../people/rights.ts';
import { useSessionStore } from '../people/session-store.ts';

/** A file the person picked, as the API takes it. */
async function upload(file: File): Promise<{ filename: string; contentBase64: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { filename: file.name, contentBase64: btoa(binary) };
}

/**
 * Conserving and moving the archive (issue 15): a conservation package of a period, a plain export
 * of a mailbox, an import of an old mbox or .eml files. Shown under the mailboxes.
 */
export function KeepTools({ accounts, admin }: { accounts: PublicAccount[]; admin: boolean }) {
  const { t } = useTranslation();
  const rights = useSessionStore((s) => s.rights);
  const managed = accounts.filter((a) => can(rights, 'manage', a.email));
  if (!admin && managed.length === 0) return null;
  return (
    <section className="keep-tools" aria-label={t('keep.tools.title')}>
      <h3>{t('keep.tools.title')}</h3>
      {admin && <PackageForm accounts={accounts} />}
      {managed.length > 0 && <ExportForm accounts={managed} />}
      {managed.length > 0 && <ImportForm accounts={managed} />}
    </section>
  );
}

function useCall() {
  const bridge = useAppStore((s) => s.bridge);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = async (work: () => Promise<string | null>) => {
    if (!bridge || busy) return;
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      setDone(await work());
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const messages = (
    <>
      {done && (
        <p className="banner banner-ok" role="status">
          {done}
        </p>
      )}
      {problem && (
        <p className="banner banner-danger" role="alert">
          {problem}
        </p>
      )}
    </>
  );
  return { bridge, busy, run, messages };
}

function PackageForm({ accounts }: { accounts: PublicAccount[] }) {
  const { t } = useTranslation();
  const { bridge, busy, run, messages } = useCall();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [mailbox, setMailbox] = useState('');
  const [p12, setP12] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [tsa, setTsa] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await bridge!.call('package.build', {
        from,
        to,
        ...(mailbox ? { mailbox } : {}),
        ...(p12 ? { p12: await upload(p12), p12Password: password } : {}),
        ...(tsa ? { tsaUrl: tsa } : {}),
      });
      if (!r.ok) throw new Error(t('keep.package.failed', { message: r.error.message }));
      downloadBytes(base64Bytes(r.value.contentBase64), r.value.filename, 'application/zip');
      return t('keep.package.done', { count: r.value.messages, formatted: formatNumber(r.value.messages) });
    });
  };
  return (
    <details className="keep-tool">
      <summary>{t('keep.package.title')}</summary>
      <p className="muted">{t('keep.package.intro')}</p>
      <form className="keep-fields" onSubmit={submit}>
        <label>
          {t('keep.period.from')}{' '}
          <input value={from} onChange={(e) => setFrom(e.target.value)} placeholder="01/11/2026" required />
        </label>
        <label>
          {t('keep.period.to')}{' '}
          <input value={to} onChange={(e) => setTo(e.target.value)} placeholder="30/11/2026" required />
        </label>
        <MailboxField value={mailbox} onChange={setMailbox} accounts={accounts} all />
        <label>
          {t('keep.package.p12')}{' '}
          <input type="file" accept=".p12,.pfx" onChange={(e) => setP12(e.target.files?.[0] ?? null)} />
        </label>
        {p12 && (
          <label>
            {t('keep.package.p12Password')}{' '}
            <input
              type="password"
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
        )}
        <label>
          {t('keep.package.tsa')}{' '}
          <input type="url" value={tsa} onChange={(e) => setTsa(e.target.value)} placeholder="https://" />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('keep.working') : t('keep.package.build')}
        </button>
      </form>
      {messages}
    </details>
  );
}

function ExportForm({ accounts }: { accounts: PublicAccount[] }) {
  const { t } = useTranslation();
  const { bridge, busy, run, messages } = useCall();
  const [mailbox, setMailbox] = useState(accounts[0]?.email ?? '');
  const [format, setFormat] = useState<'eml' | 'mbox'>('eml');
  const [folder, setFolder] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [query, setQuery] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await bridge!.call('export.build', {
        mailbox,
        format,
        ...(folder ? { folder } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(query ? { query } : {}),
      });
      if (!r.ok) throw new Error(t('keep.export.failed', { message: r.error.message }));
      downloadBytes(base64Bytes(r.value.contentBase64), r.value.filename, 'application/zip');
      return t('keep.export.done', { count: r.value.messages, formatted: formatNumber(r.value.messages) });
    });
  };
  return (
    <details className="keep-tool">
      <summary>{t('keep.export.title')}</summary>
      <p className="muted">{t('keep.export.intro')}</p>
      <form className="keep-fields" onSubmit={submit}>
        <MailboxField value={mailbox} onChange={setMailbox} accounts={accounts} />
        <label>
          {t('keep.export.format')}{' '}
          <select value={format} onChange={(e) => setFormat(e.target.value as 'eml' | 'mbox')}>
            <option value="eml">{t('keep.export.eml')}</option>
            <option value="mbox">{t('keep.export.mbox')}</option>
          </select>
        </label>
        <label>
          {t('keep.export.folder')}{' '}
          <input value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="INBOX" />
        </label>
        <label>
          {t('keep.period.from')}{' '}
          <input value={from} onChange={(e) => setFrom(e.target.value)} placeholder="01/01/2026" />
        </label>
        <label>
          {t('keep.period.to')}{' '}
          <input value={to} onChange={(e) => setTo(e.target.value)} placeholder="31/12/2026" />
        </label>
        <label>
          {t('keep.export.search')}{' '}
          <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="tipo:pec fattura" />
        </label>
        <button type="submit" className="primary" disabled={busy || !mailbox}>
          {busy ? t('keep.working') : t('keep.export.build')}
        </button>
      </form>
      {messages}
    </details>
  );
}

function ImportForm({ accounts }: { accounts: PublicAccount[] }) {
  const { t } = useTranslation();
  const { bridge, busy, run, messages } = useCall();
  const [mailbox, setMailbox] = useState(accounts[0]?.email ?? '');
  const [folder, setFolder] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await bridge!.call('transfer.import', {
        mailbox,
        folder,
        files: await Promise.all(files.map(upload)),
      });
      if (!r.ok) throw new Error(t('keep.import.failed', { message: r.error.message }));
      return t('keep.import.done', {
        read: formatNumber(r.value.read),
        imported: formatNumber(r.value.imported),
        known: formatNumber(r.value.known),
        folder: r.value.folder,
      });
    });
  };
  return (
    <details className="keep-tool">
      <summary>{t('keep.import.title')}</summary>
      <p className="muted">{t('keep.import.intro')}</p>
      <form className="keep-fields" onSubmit={submit}>
        <MailboxField value={mailbox} onChange={setMailbox} accounts={accounts} />
        <label>
          {t('keep.import.folder')}{' '}
          <input
            value={folder}
            onChange={(e) => setFolder(e.target.value)}
            placeholder="Thunderbird 2019"
            required
          />
        </label>
        <label>
          {t('keep.import.files')}{' '}
          <input type="file" multiple onChange={(e) => setFiles([...(e.target.files ?? [])])} />
        </label>
        <button type="submit" className="primary" disabled={busy || files.length === 0 || !folder}>
          {busy ? t('keep.working') : t('keep.import.run')}
        </button>
      </form>
      {messages}
    </details>
  );
}

/**
 * The mailbox a tool works on (with "Tutte le caselle" where the tool takes all of them). Named by
 * its label alone: inside a <label>, the options would join the select's accessible name.
 */
function MailboxField({
  value,
  onChange,
  accounts,
  all = false,
}: {
  value: string;
  onChange: (email: string) => void;
  accounts: readonly { id: number; email: string }[];
  all?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <label>
      {t('keep.mailbox')}{' '}
      <select value={value} aria-label={t('keep.mailbox')} onChange={(e) => onChange(e.target.value)}>
        {all && <option value="">{t('keep.allMailboxes')}</option>}
        {accounts.map((a) => (
          <option key={a.id} value={a.email}>
            {a.email}
          </option>
        ))}
      </select>
    </label>
  );
}
