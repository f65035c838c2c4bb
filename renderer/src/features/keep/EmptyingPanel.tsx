import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmptyingResult, EmptyingRunView, KeepPolicyView } from '../../../../main/api/keep-contract.ts';
import { formatBytes, formatDateTime, formatNumber } from '../../format.ts';
import { useAppStore } from '../../store/app-store.ts';

type Mode = 'older-than' | 'until-percent';

/**
 * Emptying the provider's mailbox (issue 15), for those with the manage right: the policy (off
 * until turned on), a preview that does every check and lists what would go, and a run.
 */
export function EmptyingPanel({ email, onDone }: { email: string; onDone: () => void }) {
  const { t } = useTranslation();
  const bridge = useAppStore((s) => s.bridge);
  const [policy, setPolicy] = useState<KeepPolicyView | null>(null);
  const [mode, setMode] = useState<Mode>('older-than');
  const [days, setDays] = useState(365);
  const [percent, setPercent] = useState(70);
  const [folder, setFolder] = useState('');
  const [moveTo, setMoveTo] = useState('');
  const [includeUnhandled, setIncludeUnhandled] = useState(false);
  const [enabled, setEnabled] = useState(false);
  const [result, setResult] = useState<EmptyingResult | null>(null);
  const [runs, setRuns] = useState<EmptyingRunView[]>([]);
  const [busy, setBusy] = useState<'preview' | 'run' | 'save' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const load = async () => {
    if (!bridge) return;
    const [p, r] = await Promise.all([
      bridge.call('emptying.getPolicy', { email }),
      bridge.call('emptying.runs', { email, limit: 5 }),
    ]);
    if (r.ok) setRuns(r.value);
    if (!p.ok) return setProblem(p.error.message);
    const v = p.value;
    setPolicy(v);
    setMode(v.mode);
    if (v.olderThanDays !== null) setDays(v.olderThanDays);
    if (v.untilPercent !== null) setPercent(v.untilPercent);
    setFolder(v.folder ?? '');
    setMoveTo(v.moveTo ?? '');
    setIncludeUnhandled(v.includeUnhandled);
    setEnabled(v.enabled);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: loaded once per mailbox.
  useEffect(() => {
    void load();
  }, [bridge, email]);

  const args = () => ({
    email,
    mode,
    ...(mode === 'older-than' ? { olderThanDays: days } : { untilPercent: percent }),
    folder: folder || null,
    action: moveTo ? ('move' as const) : ('delete' as const),
    moveTo: moveTo || null,
    includeUnhandled,
  });

  const act = async (what: 'preview' | 'run' | 'save') => {
    if (!bridge || busy) return;
    setProblem(null);
    setSaved(false);
    if (what === 'run' && !window.confirm(t('keep.empty.confirm', { email }))) return;
    setBusy(what);
    try {
      if (what === 'save') {
        const r = await bridge.call('emptying.setPolicy', { ...args(), enabled });
        if (!r.ok) return setProblem(r.error.message);
        setPolicy(r.value);
        setSaved(true);
        return;
      }
      const r = await bridge.call(what === 'preview' ? 'emptying.preview' : 'emptying.run', args());
      if (!r.ok) return setProblem(t('keep.empty.failed', { message: r.error.message }));
      setResult(r.value);
      if (what === 'run') {
        onDone();
        void load();
      }
    } finally {
      setBusy(null);
    }
  };

  const freed = result ? result.items.reduce((n, i) => n + i.size, 0) : 0;
  return (
    <details className="keep-emptying" data-testid="emptying">
      <summary>{t('keep.empty.title')}</summary>
      <p className="muted">{t('keep.empty.intro')}</p>
      <fieldset className="keep-fields">
        <legend>{t('keep.empty.which')}</legend>
        <label>
          <input
            type="radio"
            name={`mode-${email}`}
            checked={mode === 'older-than'}
            onChange={() => setMode('older-than')}
          />
          {t('keep.empty.olderThan')}{' '}
          <input
            type="number"
            min={0}
            max={36500}
            value={days}
            aria-label={t('keep.empty.days')}
            onChange={(e) => setDays(Math.max(0, Number(e.target.value) || 0))}
            className="keep-number"
          />{' '}
          {t('keep.empty.daysUnit')}
        </label>
        <label>
          <input
            type="radio"
            name={`mode-${email}`}
            checked={mode === 'until-percent'}
            onChange={() => setMode('until-percent')}
          />
          {t('keep.empty.untilPercent')}{' '}
          <input
            type="number"
            min={1}
            max={99}
            value={percent}
            aria-label={t('keep.empty.percent')}
            onChange={(e) => setPercent(Math.min(99, Math.max(1, Number(e.target.value) || 1)))}
            className="keep-number"
          />{' '}
          %
        </label>
        <label>
          {t('keep.empty.folder')}{' '}
          {/* Named by the label alone: within a <label>, the options would join the name. */}
          <select
            value={folder}
            aria-label={t('keep.empty.folder')}
            onChange={(e) => setFolder(e.target.value)}
          >
            <option value="">{t('keep.empty.allFolders')}</option>
            {(policy?.folders ?? []).map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('keep.empty.action')}{' '}
          <select
            value={moveTo ? 'move' : 'delete'}
            aria-label={t('keep.empty.action')}
            onChange={(e) =>
              setMoveTo(
                e.target.value === 'move'
                  ? (policy?.folders.find((f) => /trash|cestino/i.test(f)) ?? 'Trash')
                  : '',
              )
            }
          >
            <option value="delete">{t('keep.empty.delete')}</option>
            <option value="move">{t('keep.empty.move')}</option>
          </select>
          {moveTo && (
            <input
              value={moveTo}
              onChange={(e) => setMoveTo(e.target.value)}
              aria-label={t('keep.empty.moveTo')}
            />
          )}
        </label>
        <label className="keep-check">
          <input
            type="checkbox"
            checked={includeUnhandled}
            onChange={(e) => setIncludeUnhandled(e.target.checked)}
          />
          {t('keep.empty.includeUnhandled')}
        </label>
        <label className="keep-check">
          <input
            type="checkbox"
            checked={enabled}
            onChange={(e) => setEnabled(e.target.checked)}
            data-testid="emptying-enabled"
          />
          {t('keep.empty.auto')}
        </label>
      </fieldset>
      <div className="keep-actions">
        <button type="button" onClick={() => void act('save')} disabled={busy !== null}>
          {t('keep.empty.save')}
        </button>
        <button
          type="button"
          onClick={() => void act('preview')}
          disabled={busy !== null}
          data-testid="emptying-preview"
        >
          {busy === 'preview' ? t('keep.empty.checking') : t('keep.empty.preview')}
        </button>
        <button type="button" className="danger" onClick={() => void act('run')} disabled={busy !== null}>
          {busy === 'run' ? t('keep.empty.running') : t('keep.empty.run')}
        </button>
      </div>
      {saved && (
        <p className="banner banner-ok" role="status">
          {enabled ? t('keep.empty.savedOn') : t('keep.empty.savedOff')}
        </p>
      )}
      {problem && (
        <p className="banner banner-danger" role="alert">
          {problem}
        </p>
      )}
      {result && (
        <div className="keep-result" data-testid="emptying-result">
          <p>
            <strong>
              {result.dryRun
                ? t('keep.empty.wouldGo', {
                    count: result.items.length,
                    formatted: formatNumber(result.items.length),
                    size: formatBytes(freed),
                  })
                : t('keep.empty.went', {
                    count: result.deleted,
                    formatted: formatNumber(result.deleted),
                    size: formatBytes(freed),
                  })}
            </strong>{' '}
            {result.skipped.length > 0 &&
              t('keep.empty.kept', {
                count: result.skipped.length,
                formatted: formatNumber(result.skipped.length),
              })}
          </p>
          {result.items.length > 0 && (
            <table className="keep-table">
              <thead>
                <tr>
                  <th>{t('keep.empty.col.folder')}</th>
                  <th>{t('keep.empty.col.date')}</th>
                  <th>{t('keep.empty.col.from')}</th>
                  <th>{t('keep.empty.col.subject')}</th>
                  <th>{t('keep.empty.col.size')}</th>
                </tr>
              </thead>
              <tbody>
                {result.items.slice(0, 200).map((i) => (
                  <tr key={`${i.folder}-${i.uid}`} title={`SHA-256 ${i.sha256}`}>
                    <td>{i.folder}</td>
                    <td>{formatDateTime(i.date)}</td>
                    <td>{i.from}</td>
                    <td>{i.subject}</td>
                    <td className="num">{formatBytes(i.size)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.items.length > 200 && (
            <p className="muted">{t('keep.empty.more', { count: result.items.length - 200 })}</p>
          )}
          {result.skipped.length > 0 && (
            <ul className="keep-skipped">
              {result.skipped.slice(0, 50).map((s) => (
                <li key={`${s.folder}-${s.uid}`}>
                  {s.folder} · UID {s.uid}: {t(`keep.reason.${s.reason}`)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {runs.length > 0 && (
        <div className="keep-runs">
          <h4>{t('keep.empty.lastRuns')}</h4>
          <ul>
            {runs.map((r) => (
              <li key={r.id}>
                {formatDateTime(r.startedAt)} ·{' '}
                {r.actorName === 'PecDesk' ? t('keep.empty.automatic') : r.actorName} ·{' '}
                {r.state === 'running'
                  ? t('keep.empty.interrupted')
                  : t('keep.empty.runLine', {
                      deleted: formatNumber(r.deleted),
                      skipped: formatNumber(r.skipped),
                    })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {policy && policy.removedCopies > 0 && (
        <p className="muted">
          {t('keep.empty.removedSoFar', {
            count: policy.removedCopies,
            formatted: formatNumber(policy.removedCopies),
          })}
        </p>
      )}
    </details>
  );
}
