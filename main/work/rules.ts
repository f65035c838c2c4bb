/**
 * Routing rules (smistamento), issue 14: RULE.json, its validation, and its evaluation against one
 * message. Pure: the facts of a message come from db/work-facts.ts, the actions are carried out by
 * router.ts. Conditions compare folded text (match.ts): whole words, globs, exact values; never a
 * regular expression written by a person.
 *
 * ```json
 * { "name": "SdI", "match": "all",
 *   "conditions": [{ "field": "senderDomain", "op": "is", "value": "pec.fatturapa.it" }],
 *   "actions": [{ "type": "tag", "tags": ["SdI"] }] }
 * ```
 */
import { z } from 'zod';
import { RECEIPT_KINDS } from '../pec/kinds.ts';
import { domainOf, globMatch, hasWords, inDomain, MAX_PATTERN, wordSet, wordsOf } from './match.ts';
import type { SdiClass } from './sdi.ts';

export const RULE_FIELDS = [
  'mailbox',
  'sender',
  'senderDomain',
  'recipient',
  'subject',
  'body',
  'attachmentName',
  'attachmentType',
  'kind',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

/** is: equal (a domain: or a subdomain); contains: every word, anywhere; matches: a glob (* and ?). */
export const RULE_OPS = ['is', 'contains', 'matches'] as const;
export type RuleOp = (typeof RULE_OPS)[number];

/** What `kind` may be: a message kind, or a family of them. */
export const KIND_VALUES = [
  'pec',
  'receipt',
  'anomaly',
  'ordinary',
  'sdi',
  'sdi-invoice',
  'sdi-notification',
  'posta-certificata',
  'errore',
  ...RECEIPT_KINDS,
] as const;
export type KindValue = (typeof KIND_VALUES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Which ops make sense on which field: the body is read as words only (it can be megabytes). */
const FIELD_OPS: Record<RuleField, readonly RuleOp[]> = {
  mailbox: ['is', 'matches'],
  sender: ['is', 'matches', 'contains'],
  senderDomain: ['is', 'matches'],
  recipient: ['is', 'matches'],
  subject: ['contains', 'matches', 'is'],
  body: ['contains'],
  attachmentName: ['is', 'matches', 'contains'],
  attachmentType: ['is', 'matches'],
  kind: ['is'],
};

const condition = z
  .object({
    field: z.enum(RULE_FIELDS),
    op: z.enum(RULE_OPS),
    value: z.string().trim().min(1).max(MAX_PATTERN),
    /** The condition holds when the message does NOT match. */
    not: z.boolean().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!FIELD_OPS[c.field].includes(c.op))
      ctx.addIssue({
        code: 'custom',
        message: `${c.field} takes ${FIELD_OPS[c.field].join(', ')}, not ${c.op}`,
      });
    if (c.field === 'kind' && !(KIND_VALUES as readonly string[]).includes(c.value))
      ctx.addIssue({ code: 'custom', message: `kind is one of ${KIND_VALUES.join(', ')}` });
    if (c.op === 'contains' && wordsOf(c.value).length === 0)
      ctx.addIssue({ code: 'custom', message: 'contains needs at least one word' });
  });

const name = z.string().trim().min(1).max(120);

export const ruleAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tag'), tags: z.array(name).min(1).max(20) }).strict(),
  /** To a person (login name) or an office (its name). */
  z
    .object({ type: z.literal('assign'), user: z.string().max(64).optional(), office: name.optional() })
    .strict()
    .refine((a) => Boolean(a.user) !== Boolean(a.office), 'assign needs either user or office'),
  z.object({ type: z.literal('priority'), value: z.enum(PRIORITIES) }).strict(),
  /** Due this many days after the message arrived (the last day moved off Saturdays and holidays). */
  z.object({ type: z.literal('deadline'), days: z.number().int().min(0).max(3650) }).strict(),
  /** Handled at once (e.g. SdI receipts of one's own invoices). */
  z.object({ type: z.literal('done') }).strict(),
]);
export type RuleAction = z.infer<typeof ruleAction>;

export const ruleDefinition = z
  .object({
    name,
    match: z.enum(['all', 'any']).default('all'),
    conditions: z.array(condition).min(1).max(30),
    actions: z.array(ruleAction).min(1).max(20),
    /** No later rule runs on a message this one matched. */
    stop: z.boolean().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type RuleDefinition = z.infer<typeof ruleDefinition>;
export type RuleCondition = RuleDefinition['conditions'][number];

/** What a rule looks at in one message (db/work-facts.ts reads it). */
export interface MessageFacts {
  id: number;
  /** The addresses of the mailboxes it sits in. */
  mailboxes: string[];
  /** The certified sender, else the original's From, else the header From. */
  senders: string[];
  recipients: string[];
  subject: string;
  /** Read only when a rule asks for it. */
  body(): string;
  attachments: { name: string; type: string }[];
  kind: string;
  /** Incoming (an envelope or mail received) or sent (our copy, our receipts). */
  direction: 'received' | 'sent';
  sdi: SdiClass | null;
}

function kindMatches(facts: MessageFacts, value: string): boolean {
  switch (value) {
    case 'pec':
      return facts.kind === 'posta-certificata';
    case 'receipt':
      return (RECEIPT_KINDS as readonly string[]).includes(facts.kind);
    case 'anomaly':
      return facts.kind === 'errore';
    case 'sdi':
      return facts.sdi !== null;
    case 'sdi-invoice':
      return facts.sdi === 'invoice';
    case 'sdi-notification':
      return facts.sdi === 'notification';
    default:
      return facts.kind === value;
  }
}

/** One value against one condition: is / matches / contains. */
function valueMatches(c: RuleCondition, value: string, words: () => Set<string>): boolean {
  if (c.op === 'matches') return globMatch(c.value, value);
  if (c.op === 'contains') return hasWords(words(), wordsOf(c.value));
  if (c.field === 'senderDomain') return inDomain(value, c.value);
  return value.trim().toLowerCase() === c.value.trim().toLowerCase();
}

function anyOf(c: RuleCondition, values: readonly string[]): boolean {
  return values.some((v) => valueMatches(c, v, () => wordSet(v)));
}

function holds(c: RuleCondition, facts: MessageFacts): boolean {
  switch (c.field) {
    case 'kind':
      return kindMatches(facts, c.value);
    case 'mailbox':
      return anyOf(c, facts.mailboxes);
    case 'sender':
      return anyOf(c, facts.senders);
    case 'senderDomain':
      return anyOf(
        c,
        facts.senders.map(domainOf).filter((d) => d !== ''),
      );
    case 'recipient':
      return anyOf(c, facts.recipients);
    case 'subject':
      return anyOf(c, [facts.subject]);
    case 'body':
      return hasWords(wordSet(`${facts.subject}\n${facts.body()}`), wordsOf(c.value));
    case 'attachmentName':
      return anyOf(
        c,
        facts.attachments.map((a) => a.name),
      );
    case 'attachmentType':
      return anyOf(
        c,
        facts.attachments.map((a) => a.type),
      );
  }
}

/** Whether the rule's conditions hold for the message (all of them, or any). */
export function ruleMatches(
  rule: Pick<RuleDefinition, 'match' | 'conditions'>,
  facts: MessageFacts,
): boolean {
  const test = (c: RuleCondition) => holds(c, facts) !== Boolean(c.not);
  return rule.match === 'any' ? rule.conditions.some(test) : rule.conditions.every(test);
}

export interface StoredRule {
  id: number;
  name: string;
  position: number;
  enabled: boolean;
  definition: RuleDefinition;
}

/** The actions of the rules that match, in order, each with its rule; a rule with stop ends it. */
export function plan(
  rules: readonly StoredRule[],
  facts: MessageFacts,
): { rule: StoredRule; actions: RuleAction[] }[] {
  const out: { rule: StoredRule; actions: RuleAction[] }[] = [];
  for (const rule of [...rules].sort((a, b) => a.position - b.position || a.id - b.id)) {
    if (!rule.enabled || !ruleMatches(rule.definition, facts)) continue;
    out.push({ rule, actions: rule.definition.actions });
    if (rule.definition.stop) break;
  }
  return out;
}

/** Reads RULE.json text; the problems in words (English, for the CLI and the log). */
export function parseRule(
  json: unknown,
): { ok: true; rule: RuleDefinition } | { ok: false; problems: string[] } {
  const parsed = ruleDefinition.safeParse(json);
  if (parsed.success) return { ok: true, rule: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'rule'}: ${i.message}`),
  };
}
