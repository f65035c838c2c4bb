/**
 * "Regole di smistamento" (issue 14): the rules in order, and the editor: conditions on the
 * mailbox, the certified sender and its domain, recipients, subject and body words, attachments and
 * the kind of message (receipts, SdI), all or any of them; actions. Before saving, "Anteprima"
 * says how many archived messages would match and shows them; a saved rule can be applied to the
 * messages already archived.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListRow, RuleDefinition, RuleView } from '../../../../main/api/contract.ts';
import { formatListDate, formatNumber } from '../../format.ts';
import { AssignSelect, assignArgs } from './AssignSelect.tsx';
import { problemCode, useWorkStore } from './work-store.ts';
import { problemText } from './work-words.ts';

type Condition = RuleDefinition['conditions'][number];
type Action = RuleDefinition['actions'][number];

const FIELDS: Condition['field'][] = [
  'senderDomain',
  'sender',
  'subject',
  'body',
  'attachmentName',
  'attachmentType',
  'kind',
  'mailbox',
  'recipient',
];
const OPS: Record<Condition['field'], Condition['op'][]> = {
  mailbox: ['is', 'matches'],
  sender: ['is', 'matches', 'contains'],
  senderDomain: ['is', 'matches'],
  recipient: ['is', 'matches'],
  subject: ['contains', 'matches', 'is'],
  body: ['contains'],
  attachmentName: ['matches', 'is', 'contains'],
  attachmentType: ['is', 'matches'],
  kind: ['is'],
};
const KINDS = [
  'pec',
  'receipt',
  'anomaly',
  'ordinary',
  'sdi',
  'sdi-invoice',
  'sdi-notification',
  'accettazione',
  'avvenuta-consegna',
  'errore-consegna',
];

const empty = (): RuleDefinition => ({
  name: '',
  match: 'all',
  conditions: [{ field: 'senderDomain', op: 'is', value: '' }],
  actions: [{ type: 'tag', tags: [''] }],
});

function ConditionRow({
  c,
  onChange,
  onRemove,
}: {
  c: Condition;
  onChange: (c: Condition) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="rule-line" data-testid="rule-condition">
      <select
        aria-label={t('work.rules.field')}
        value={c.field}
        onChange={(e) => {
          const field = e.target.value as Condition['field'];
          onChange({ ...c, field, op: OPS[field][0] ?? 'is', value: field === 'kind' ? 'pec' : c.value });
        }}
      >
        {FIELDS.map((f) => (
          <option key={f} value={f}>
            {t(`work.rules.fields.${f}`)}
          </option>
        ))}
      </select>
      <select
        aria-label={t('work.rules.op')}
        value={c.not ? `not:${c.op}` : c.op}
        onChange={(e) => {
          const [not, op] = e.target.value.startsWith('not:')
            ? [true, e.target.value.slice(4)]
            : [false, e.target.value];
          onChange({ ...c, op: op as Condition['op'], not });
        }}
      >
        {OPS[c.field].flatMap((op) => [
          <option key={op} value={op}>
            {t(`work.rules.ops.${op}`)}
          </option>,
          <option key={`not:${op}`} value={`not:${op}`}>
            {t(`work.rules.ops.not-${op}`)}
          </option>,
        ])}
      </select>
      {c.field === 'kind' ? (
        <select
          aria-label={t('work.rules.value')}
          value={c.value}
          onChange={(e) => onChange({ ...c, value: e.target.value })}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`work.rules.kinds.${k}`)}
            </option>
          ))}
        </select>
      ) : (
        <input
          type="text"
          aria-label={t('work.rules.value')}
          value={c.value}
          maxLength={200}
          placeholder={t(`work.rules.placeholders.${c.field}`)}
          onChange={(e) => onChange({ ...c, value: e.target.value })}
        />
      )}
      <button type="button" className="link" onClick={onRemove} aria-label={t('work.rules.removeCondition')}>
        ×
      </button>
    </div>
  );
}

function ActionRow({
  a,
  onChange,
  onRemove,
}: {
  a: Action;
  onChange: (a: Action) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const tags = useWorkStore((s) => s.tags);
  return (
    <div className="rule-line" data-testid="rule-action">
      <select
        aria-label={t('work.rules.action')}
        value={a.type}
        onChange={(e) => {
          const type = e.target.value as Action['type'];
          onChange(
            type === 'tag'
              ? { type, tags: [''] }
              : type === 'assign'
                ? { type, office: '' }
                : type === 'priority'
                  ? { type, value: 'high' }
                  : type === 'deadline'
                    ? { type, days: 30 }
                    : { type: 'done' },
          );
        }}
      >
        {(['tag', 'assign', 'priority', 'deadline', 'done'] as const).map((type) => (
          <option key={type} value={type}>
            {t(`work.rules.actions.${type}`)}
          </option>
        ))}
      </select>
      {a.type === 'tag' && (
        <>
          <input
            type="text"
            list="rule-tag-names"
            aria-label={t('work.rules.tagName')}
            value={a.tags.join(', ')}
            placeholder={t('work.rules.tagPlaceholder')}
            onChange={(e) =>
              onChange({ type: 'tag', tags: e.target.value.split(',').map((s) => s.trimStart()) })
            }
          />
          <datalist id="rule-tag-names">
            {tags.map((tag) => (
              <option key={tag.id} value={tag.name} />
            ))}
          </datalist>
        </>
      )}
      {a.type === 'assign' && (
        <AssignSelect
          label=""
          value={a.user ? `u:${a.user}` : a.office ? `o:${a.office}` : '-'}
          onChange={(v) => {
            const x = assignArgs(v);
            onChange(x.user ? { type: 'assign', user: x.user } : { type: 'assign', office: x.office ?? '' });
          }}
        />
      )}
      {a.type === 'priority' && (
        <select
          value={a.value}
          aria-label={t('work.priority.title')}
          onChange={(e) => onChange({ type: 'priority', value: e.target.value as never })}
        >
          {(['low', 'normal', 'high', 'urgent'] as const).map((p) => (
            <option key={p} value={p}>
              {t(`work.priority.${p}`)}
            </option>
          ))}
        </select>
      )}
      {a.type === 'deadline' && (
        <label className="inline-field">
          <input
            type="number"
            min={0}
            max={3650}
            value={a.days}
            aria-label={t('work.rules.days')}
            onChange={(e) => onChange({ type: 'deadline', days: Math.max(0, Number(e.target.value) || 0) })}
          />
          <span>{t('work.rules.daysAfter')}</span>
        </label>
      )}
      <button type="button" className="link" onClick={onRemove} aria-label={t('work.rules.removeAction')}>
        ×
      </button>
    </div>
  );
}

/** What is sent: tags without blanks, an office-less assign dropped. */
function clean(rule: RuleDefinition): RuleDefinition {
  return {
    ...rule,
    name: rule.name.trim(),
    conditions: rule.conditions.map((c) => ({ ...c, value: c.value.trim() })),
    actions: rule.actions.map((a) =>
      a.type === 'tag' ? { ...a, tags: a.tags.map((x) => x.trim()).filter(Boolean) } : a,
    ),
  };
}

export function RulesView() {
  const { t } = useTranslation();
  const bridge = useWorkStore((s) => s.bridge);
  const loadWork = useWorkStore((s) => s.load);
  const [rules, setRules] = useState<RuleView[]>([]);
  const [editing, setEditing] = useState<{ id?: number; rule: RuleDefinition } | null>(null);
  const [preview, setPreview] = useState<{ matches: number; rows: ListRow[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const load = useCallback(async () => {
    const r = await bridge?.call('rules.list', {});
    if (r?.ok) setRules(r.value);
  }, [bridge]);
  useEffect(() => {
    void load();
  }, [load]);
  if (!bridge) return null;
  const say = (r: { ok: boolean; error?: { message: string } }) => {
    if (r.ok) return setProblem(null);
    setProblem(
      /invalid/.test(problemCode(r as never) ?? '')
        ? `${t('work.rules.invalid')} ${r.error?.message ?? ''}`
        : problemText(t, problemCode(r as never) ?? 'other'),
    );
  };
  const tryIt = async () => {
    if (!editing) return;
    const r = await bridge.call('rules.test', { rule: clean(editing.rule), limit: 0 });
    say(r);
    setPreview(r.ok ? { matches: r.value.matches, rows: r.value.rows } : null);
  };
  const save = async () => {
    if (!editing) return;
    const r = await bridge.call('rules.save', {
      ...(editing.id ? { id: editing.id } : {}),
      rule: clean(editing.rule),
    });
    say(r);
    if (r.ok) {
      setEditing(null);
      setPreview(null);
      setNote(t('work.rules.saved', { name: r.value.name }));
      await Promise.all([load(), loadWork()]);
    }
  };
  const apply = async (rule: RuleView) => {
    const r = await bridge.call('rules.apply', { id: rule.id, dryRun: false });
    say(r);
    if (r.ok)
      setNote(
        t('work.rules.applied', {
          count: r.value.matches,
          formatted: formatNumber(r.value.matches),
          changed: r.value.changed,
        }),
      );
  };
  const update = (rule: RuleDefinition) => {
    setEditing({ ...editing!, rule });
    setPreview(null);
  };
  const now = new Date();
  const words = {
    today: (time: string) => t('date.today', { time }),
    yesterday: (time: string) => t('date.yesterday', { time }),
  };
  return (
    <section className="card rules" aria-label={t('work.nav.rules')}>
      <h2>{t('work.rules.title')}</h2>
      <p className="muted">{t('work.rules.intro')}</p>
      {note && (
        <p className="banner banner-ok" role="status">
          {note}
        </p>
      )}
      {problem && (
        <p className="banner banner-danger" role="alert">
          {problem}
        </p>
      )}
      {rules.length === 0 && !editing && <p className="muted">{t('work.rules.none')}</p>}
      <ol className="rule-list">
        {rules.map((r) => (
          <li key={r.id} className="rule-item" data-testid="rule-item">
            <span className={r.enabled ? '' : 'muted'}>
              <strong>{r.name}</strong> {!r.enabled && `(${t('work.rules.off')})`}
            </span>
            <span className="muted rule-summary">
              {r.rule.conditions
                .map(
                  (c) =>
                    `${t(`work.rules.fields.${c.field}`)} ${t(`work.rules.ops.${c.not ? `not-${c.op}` : c.op}`)} «${c.field === 'kind' ? t(`work.rules.kinds.${c.value}`) : c.value}»`,
                )
                .join(r.rule.match === 'all' ? ` ${t('work.rules.and')} ` : ` ${t('work.rules.or')} `)}
            </span>
            <button
              type="button"
              onClick={() => {
                setEditing({ id: r.id, rule: r.rule });
                setPreview(null);
                setNote(null);
              }}
            >
              {t('work.rules.edit')}
            </button>
            <button type="button" onClick={() => void apply(r)}>
              {t('work.rules.apply')}
            </button>
            <button
              type="button"
              className="link"
              onClick={async () => {
                say(await bridge.call('rules.remove', { id: r.id }));
                await load();
              }}
            >
              {t('work.rules.remove')}
            </button>
          </li>
        ))}
      </ol>
      {!editing && (
        <button
          type="button"
          className="primary"
          onClick={() => {
            setEditing({ rule: empty() });
            setNote(null);
          }}
        >
          {t('work.rules.new')}
        </button>
      )}
      {editing && (
        <form
          className="rule-editor"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          data-testid="rule-editor"
        >
          <label className="inline-field">
            <span>{t('work.rules.name')}</span>
            <input
              type="text"
              required
              maxLength={120}
              value={editing.rule.name}
              onChange={(e) => update({ ...editing.rule, name: e.target.value })}
            />
          </label>
          <label className="inline-field">
            <span>{t('work.rules.when')}</span>
            <select
              value={editing.rule.match}
              onChange={(e) => update({ ...editing.rule, match: e.target.value as 'all' | 'any' })}
            >
              <option value="all">{t('work.rules.all')}</option>
              <option value="any">{t('work.rules.any')}</option>
            </select>
          </label>
          {editing.rule.conditions.map((c, i) => (
            <ConditionRow
              // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity but their place
              key={i}
              c={c}
              onChange={(next) =>
                update({
                  ...editing.rule,
                  conditions: editing.rule.conditions.map((x, j) => (j === i ? next : x)),
                })
              }
              onRemove={() =>
                update({ ...editing.rule, conditions: editing.rule.conditions.filter((_, j) => j !== i) })
              }
            />
          ))}
          <button
            type="button"
            className="link"
            onClick={() =>
              update({
                ...editing.rule,
                conditions: [...editing.rule.conditions, { field: 'subject', op: 'contains', value: '' }],
              })
            }
          >
            + {t('work.rules.addCondition')}
          </button>
          <h4>{t('work.rules.then')}</h4>
          {editing.rule.actions.map((a, i) => (
            <ActionRow
              // biome-ignore lint/suspicious/noArrayIndexKey: actions have no identity but their place
              key={i}
              a={a}
              onChange={(next) =>
                update({ ...editing.rule, actions: editing.rule.actions.map((x, j) => (j === i ? next : x)) })
              }
              onRemove={() =>
                update({ ...editing.rule, actions: editing.rule.actions.filter((_, j) => j !== i) })
              }
            />
          ))}
          <button
            type="button"
            className="link"
            onClick={() => update({ ...editing.rule, actions: [...editing.rule.actions, { type: 'done' }] })}
          >
            + {t('work.rules.addAction')}
          </button>
          <label className="inline-field">
            <input
              type="checkbox"
              checked={editing.rule.enabled !== false}
              onChange={(e) => update({ ...editing.rule, enabled: e.target.checked })}
            />
            <span>{t('work.rules.enabled')}</span>
          </label>
          <label className="inline-field">
            <input
              type="checkbox"
              checked={Boolean(editing.rule.stop)}
              onChange={(e) => update({ ...editing.rule, stop: e.target.checked })}
            />
            <span>{t('work.rules.stop')}</span>
          </label>
          <div className="form-actions">
            <button type="button" onClick={() => void tryIt()} data-testid="rule-preview">
              {t('work.rules.preview')}
            </button>
            <button type="submit" className="primary">
              {t('work.rules.save')}
            </button>
            <button
              type="button"
              className="link"
              onClick={() => {
                setEditing(null);
                setPreview(null);
              }}
            >
              {t('work.rules.cancel')}
            </button>
          </div>
          {preview && (
            <div className="rule-preview" data-testid="rule-preview-result">
              <p>
                <strong>
                  {t('work.rules.wouldMatch', {
                    count: preview.matches,
                    formatted: formatNumber(preview.matches),
                  })}
                </strong>
                {preview.matches > preview.rows.length &&
                  ` ${t('work.rules.newest', { count: preview.rows.length })}`}
              </p>
              <ul>
                {preview.rows.map((r) => (
                  <li key={r.id}>
                    <span className="muted">{formatListDate(r.date, now, words)}</span>{' '}
                    {r.correspondent ?? ''} — {r.subject || t('list.noSubject')}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
