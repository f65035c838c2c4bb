/**
 * The routing rules engine (issue 14): each condition and its operators, all/any, negation, the
 * order of rules and "stop", each action's plan, validation of RULE.json, and hostile patterns
 * timed against a baseline measured in the same test.
 */
import { describe, expect, it } from 'vitest';
import { globMatch, hasWords, wordSet } from '../../../main/work/match.ts';
import {
  type MessageFacts,
  parseRule,
  plan,
  type RuleDefinition,
  ruleMatches,
  type StoredRule,
} from '../../../main/work/rules.ts';
import { sdiClass } from '../../../main/work/sdi.ts';

function facts(over: Partial<MessageFacts> = {}): MessageFacts {
  return {
    id: 1,
    mailboxes: ['studio@pec.rossi.it'],
    senders: ['protocollo@pec.comune.milano.it'],
    recipients: ['studio@pec.rossi.it', 'segreteria@pec.rossi.it'],
    subject: 'Avviso di accertamento n. 12/2026 — Perché non pagato',
    body: () => 'Si comunica l’avvio del procedimento. Termine per il ricorso: sessanta giorni.',
    attachments: [
      { name: 'Avviso_12_2026.pdf', type: 'application/pdf' },
      { name: 'IT01234567890_00001.xml.p7m', type: 'application/pkcs7-mime' },
    ],
    kind: 'posta-certificata',
    direction: 'received',
    sdi: null,
    ...over,
  };
}

const rule = (
  conditions: RuleDefinition['conditions'],
  over: Partial<RuleDefinition> = {},
): RuleDefinition => ({
  name: 'prova',
  match: 'all',
  conditions,
  actions: [{ type: 'tag', tags: ['x'] }],
  ...over,
});
const holds = (c: RuleDefinition['conditions'][number], f = facts()) => ruleMatches(rule([c]), f);

describe('conditions', () => {
  it('mailbox: is and matches', () => {
    expect(holds({ field: 'mailbox', op: 'is', value: 'STUDIO@pec.rossi.it' })).toBe(true);
    expect(holds({ field: 'mailbox', op: 'is', value: 'altro@pec.rossi.it' })).toBe(false);
    expect(holds({ field: 'mailbox', op: 'matches', value: '*@pec.rossi.it' })).toBe(true);
  });
  it('sender and its domain (subdomains included, never the provider’s envelope sender)', () => {
    expect(holds({ field: 'sender', op: 'is', value: 'protocollo@pec.comune.milano.it' })).toBe(true);
    expect(holds({ field: 'sender', op: 'matches', value: 'proto*@*.milano.it' })).toBe(true);
    expect(holds({ field: 'senderDomain', op: 'is', value: 'comune.milano.it' })).toBe(true);
    expect(holds({ field: 'senderDomain', op: 'is', value: 'ano.it' })).toBe(false);
    expect(holds({ field: 'senderDomain', op: 'matches', value: 'pec.comune.*' })).toBe(true);
  });
  it('recipients', () => {
    expect(holds({ field: 'recipient', op: 'is', value: 'segreteria@pec.rossi.it' })).toBe(true);
    expect(holds({ field: 'recipient', op: 'matches', value: 'contabilita@*' })).toBe(false);
  });
  it('subject words: every word, whole words, case and accents folded', () => {
    expect(holds({ field: 'subject', op: 'contains', value: 'accertamento avviso' })).toBe(true);
    expect(holds({ field: 'subject', op: 'contains', value: 'perche' })).toBe(true);
    expect(holds({ field: 'subject', op: 'contains', value: 'accerta' })).toBe(false);
    expect(holds({ field: 'subject', op: 'contains', value: 'accertamento cartella' })).toBe(false);
    expect(holds({ field: 'subject', op: 'matches', value: 'avviso di accertamento*' })).toBe(true);
  });
  it('body words, the subject counted too; the body is read only when asked', () => {
    let reads = 0;
    const f = facts({
      body: () => {
        reads++;
        return 'termine per il ricorso: sessanta giorni';
      },
    });
    expect(ruleMatches(rule([{ field: 'subject', op: 'contains', value: 'avviso' }]), f)).toBe(true);
    expect(reads).toBe(0);
    expect(holds({ field: 'body', op: 'contains', value: 'ricorso sessanta' }, f)).toBe(true);
    expect(holds({ field: 'body', op: 'contains', value: 'accertamento' }, f)).toBe(true);
    expect(holds({ field: 'body', op: 'contains', value: 'cartella' }, f)).toBe(false);
    expect(reads).toBeGreaterThan(0);
  });
  it('attachment names and types', () => {
    expect(holds({ field: 'attachmentName', op: 'matches', value: '*.xml.p7m' })).toBe(true);
    expect(holds({ field: 'attachmentName', op: 'contains', value: 'avviso' })).toBe(true);
    expect(holds({ field: 'attachmentName', op: 'is', value: 'avviso_12_2026.PDF' })).toBe(true);
    expect(holds({ field: 'attachmentType', op: 'is', value: 'application/pdf' })).toBe(true);
    expect(holds({ field: 'attachmentType', op: 'matches', value: 'image/*' })).toBe(false);
  });
  it('message kind: kinds, receipts, anomalies and SdI', () => {
    expect(holds({ field: 'kind', op: 'is', value: 'pec' })).toBe(true);
    expect(holds({ field: 'kind', op: 'is', value: 'receipt' })).toBe(false);
    expect(
      holds({ field: 'kind', op: 'is', value: 'avvenuta-consegna' }, facts({ kind: 'avvenuta-consegna' })),
    ).toBe(true);
    expect(holds({ field: 'kind', op: 'is', value: 'receipt' }, facts({ kind: 'errore-consegna' }))).toBe(
      true,
    );
    expect(holds({ field: 'kind', op: 'is', value: 'anomaly' }, facts({ kind: 'errore' }))).toBe(true);
    expect(holds({ field: 'kind', op: 'is', value: 'sdi' })).toBe(false);
    expect(holds({ field: 'kind', op: 'is', value: 'sdi-invoice' }, facts({ sdi: 'invoice' }))).toBe(true);
    expect(holds({ field: 'kind', op: 'is', value: 'sdi-notification' }, facts({ sdi: 'invoice' }))).toBe(
      false,
    );
  });
  it('not: the condition holds when the message does not match', () => {
    expect(holds({ field: 'senderDomain', op: 'is', value: 'pec.fatturapa.it', not: true })).toBe(true);
    expect(holds({ field: 'mailbox', op: 'is', value: 'studio@pec.rossi.it', not: true })).toBe(false);
  });
});

describe('SdI recognition (deadlines-sdi.md B1-B3)', () => {
  it('an invoice, a notification, other SdI mail, and nothing without the SdI sender', () => {
    expect(
      sdiClass(['sdi01@pec.fatturapa.it'], ['IT01234567890_00001.xml.p7m', 'IT01234567890_00001_MT_001.xml']),
    ).toBe('invoice');
    expect(sdiClass(['sdi20@pec.fatturapa.it'], ['IT03339130126_00009_RC_003.xml'])).toBe('notification');
    expect(sdiClass(['sdi20@pec.fatturapa.it'], ['IT03339130126_00009_NS_001.xml'])).toBe('notification');
    expect(sdiClass(['sdi20@pec.fatturapa.it'], ['leggimi.txt'])).toBe('other');
    expect(sdiClass(['fornitore@pec.it'], ['IT01234567890_00001.xml'])).toBeNull();
  });
});

describe('all, any, order and stop', () => {
  const a = { field: 'senderDomain' as const, op: 'is' as const, value: 'comune.milano.it' };
  const b = { field: 'subject' as const, op: 'contains' as const, value: 'cartella' };
  it('all needs every condition, any one of them', () => {
    expect(ruleMatches(rule([a, b]), facts())).toBe(false);
    expect(ruleMatches(rule([a, b], { match: 'any' }), facts())).toBe(true);
    expect(ruleMatches(rule([{ ...a, not: true }, b], { match: 'any' }), facts())).toBe(false);
  });
  it('rules run by position; stop ends the run; disabled ones are skipped', () => {
    const stored = (
      id: number,
      position: number,
      def: Partial<RuleDefinition>,
      enabled = true,
    ): StoredRule => ({
      id,
      name: `r${id}`,
      position,
      enabled,
      definition: rule([a], def),
    });
    const rules = [
      stored(1, 3, { actions: [{ type: 'priority', value: 'low' }] }),
      stored(2, 1, { actions: [{ type: 'tag', tags: ['Comune'] }] }),
      stored(3, 2, { actions: [{ type: 'assign', office: 'Contabilità' }] }),
      stored(4, 0, { actions: [{ type: 'done' }] }, false),
    ];
    expect(plan(rules, facts()).map((p) => p.rule.id)).toEqual([2, 3, 1]);
    expect(plan(rules, facts()).flatMap((p) => p.actions.map((x) => x.type))).toEqual([
      'tag',
      'assign',
      'priority',
    ]);
    rules[2] = stored(3, 2, { actions: [{ type: 'deadline', days: 60 }], stop: true });
    expect(plan(rules, facts()).map((p) => p.rule.id)).toEqual([2, 3]);
    expect(plan(rules, facts({ senders: ['altri@pec.it'] }))).toEqual([]);
  });
});

describe('RULE.json', () => {
  it('reads the README example and names what is wrong in one that is not valid', () => {
    const ok = parseRule({
      name: 'SdI',
      match: 'all',
      conditions: [{ field: 'senderDomain', op: 'is', value: 'pec.fatturapa.it' }],
      actions: [{ type: 'tag', tags: ['SdI'] }],
    });
    expect(ok.ok).toBe(true);
    const bad = parseRule({
      name: 'x',
      conditions: [
        { field: 'body', op: 'matches', value: '*' },
        { field: 'kind', op: 'is', value: 'fattura' },
        { field: 'subject', op: 'regex', value: '(a+)+$' },
      ],
      actions: [{ type: 'assign' }],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.join('\n')).toMatch(/body takes contains/);
      expect(bad.problems.join('\n')).toMatch(/kind is one of/);
      expect(bad.problems.join('\n')).toMatch(/conditions\.2\.op/);
      expect(bad.problems.join('\n')).toMatch(/either user or office/);
    }
    expect(parseRule({ name: 'x', conditions: [], actions: [{ type: 'done' }] }).ok).toBe(false);
  });
});

describe('hostile patterns', () => {
  const time = (fn: () => void, reps: number) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };

  it('a pattern that makes regex engines backtrack exponentially costs at most text × pattern steps', () => {
    const text = `${'a'.repeat(1_999)}!`;
    const hostile = `${'*a'.repeat(60)}*b`;
    // What a backtracking engine would do with it: (a*)*b style; here the glob is matched linearly.
    expect(globMatch(hostile, text)).toBe(false);
    expect(globMatch('*a*!', text)).toBe(true);
    // Baseline, measured now on this machine: a plain pattern of the same size over the same text.
    const plain = `${'a'.repeat(120)}*`;
    const baseline = time(() => globMatch(plain, text), 20);
    const measured = time(() => globMatch(hostile, text), 20);
    // text × pattern = 2,000 × 121 steps at worst: generously bounded by the baseline, which
    // already reads the whole text once per call (the bound is relative, never a wall clock).
    expect(measured).toBeLessThan(Math.max(baseline, 0.05) * 2_000);
  });

  it('words never run a regex built from what a person typed', () => {
    const words = wordSet(`${'(a+)+'.repeat(2_000)}$`);
    expect(hasWords(words, ['a'])).toBe(true);
    expect(hasWords(new Set(), [])).toBe(false);
    const start = Date.now();
    expect(
      ruleMatches(rule([{ field: 'subject', op: 'contains', value: '(.*)*(.*)*(.*)*x' }]), facts()),
    ).toBe(false);
    expect(Date.now() - start).toBeLessThan(1_000);
  });

  it('a very long text is matched only up to its cap', () => {
    const long = 'x'.repeat(5_000_000);
    const baseline = time(() => globMatch('x*', 'x'.repeat(2_000)), 10);
    const measured = time(() => globMatch('*y*', long), 10);
    expect(globMatch('*y*', long)).toBe(false);
    // NFD-folding the capped 2,000 characters, not 5 MB: same order as the baseline.
    expect(measured).toBeLessThan(Math.max(baseline, 0.05) * 200);
  });
});
