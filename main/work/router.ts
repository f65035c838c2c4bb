/**
 * Routing rules at work (issue 14): on ingest (inside the ingest transaction, so a message is never
 * seen unrouted), on the existing archive when someone asks, and previewed before saving. Each
 * action goes through work.ts, so it has its history line and its audit entry, the rule named as
 * actor ('rule:<id>'). Deadlines are proposed from the terms table for incoming PEC that have none.
 */
import type { Db } from '../../db/database.ts';
import { findOffice, findUserByName } from '../../db/people.ts';
import { getItem, type RowRef, rowOfMessage } from '../../db/work.ts';
import { factRows, type MessageFactRow, messageBody } from '../../db/work-facts.ts';
import { hasEnabledRules, listRules, listTerms, type TermRow } from '../../db/work-rules.ts';
import { type AuditActor, appendAudit } from '../auth/audit.ts';
import { computeTerm } from './calendar.ts';
import { globMatch, hasWords, wordSet, wordsOf } from './match.ts';
import { type MessageFacts, plan, type RuleAction, ruleDefinition, type StoredRule } from './rules.ts';
import { sdiClass } from './sdi.ts';
import { readWorkSettings } from './settings.ts';
import { changeState, setDeadline, setPriority, tagRow, type WorkContext, WorkError } from './work.ts';

const parseList = <T>(text: string | null): T[] => {
  try {
    return text ? (JSON.parse(text) as T[]) : [];
  } catch {
    return [];
  }
};

const ADDRESS = /[^\s,;<>"()]+@[^\s,;<>"()]+/g;

/** A message as rules see it. */
export function factsOf(db: Db, row: MessageFactRow): MessageFacts {
  const senders = [row.certifiedSender, row.originalFrom, row.fromAddress]
    .filter((s): s is string => Boolean(s))
    // The provider's envelope sender says nothing about who wrote.
    .filter((s, i, all) => !/^posta-certificata@/i.test(s) && all.indexOf(s) === i);
  const attachments = parseList<{ name: string; type: string }>(row.attachments);
  const recipients = new Set<string>([
    ...parseList<{ address: string }>(row.certRecipients).map((r) => r.address.toLowerCase()),
    ...((row.textRecipients ?? '').match(ADDRESS) ?? []).map((a) => a.toLowerCase()),
  ]);
  let body: string | null = null;
  return {
    id: row.id,
    mailboxes: parseList<string>(row.mailboxes),
    senders,
    recipients: [...recipients],
    subject: row.subject ?? '',
    body: () => (body ??= messageBody(db, row.id)),
    attachments,
    kind: row.kind,
    direction: row.direction === 'sent' ? 'sent' : 'received',
    sdi: sdiClass(
      senders,
      attachments.map((a) => a.name),
    ),
  };
}

export function storedRules(db: Db): StoredRule[] {
  return listRules(db).flatMap((r) => {
    const parsed = ruleDefinition.safeParse(JSON.parse(r.definition));
    return parsed.success
      ? [{ id: r.id, name: r.name, position: r.position, enabled: r.enabled, definition: parsed.data }]
      : [];
  });
}

export interface RouteOptions {
  now: Date;
  /** Where the audit entries say the actions came from ('ingest', 'apply by user:3'). */
  origin: string;
  /** Only these rules (rule apply RULE_ID); by default every enabled rule. */
  only?: number[];
  /** Propose deadlines from the terms table (new messages). */
  propose?: boolean;
  log?(line: string): void;
}

function ruleContext(db: Db, rule: StoredRule, options: RouteOptions): WorkContext {
  const who: AuditActor = { actor: `rule:${rule.id}`, actorName: rule.name, origin: options.origin };
  return {
    db,
    now: options.now,
    actor: {
      actor: who.actor,
      actorName: rule.name,
      person: { userId: null, name: `regola «${rule.name}»` },
    },
    audit: (event) => appendAudit(db, who, event, options.now),
  };
}

/** One action of a rule on a row; problems (a person removed since) go to the log, not to ingest. */
function act(
  ctx: WorkContext,
  ref: RowRef,
  action: RuleAction,
  arrivedAt: string,
  log: (l: string) => void,
): void {
  try {
    switch (action.type) {
      case 'tag':
        for (const name of action.tags) tagRow(ctx, ref, name, true);
        return;
      case 'assign': {
        if (action.user) {
          const user = findUserByName(ctx.db, action.user);
          if (!user || user.disabledAt) log(`rule ${ctx.actor.actorName}: no person ${action.user}`);
          else changeState(ctx, ref, { type: 'assign', user: user.id });
        } else {
          const office = findOffice(ctx.db, action.office!);
          if (!office) log(`rule ${ctx.actor.actorName}: no office ${action.office}`);
          else changeState(ctx, ref, { type: 'assign', user: null, office: office.id });
        }
        return;
      }
      case 'priority':
        setPriority(ctx, ref, action.value);
        return;
      case 'deadline': {
        const term = computeTerm(new Date(arrivedAt), action.days);
        setDeadline(ctx, ref, term.due, 'rule', `${action.days} giorni (regola «${ctx.actor.actorName}»)`);
        return;
      }
      case 'done':
        changeState(ctx, ref, { type: 'done', by: ctx.actor.person });
        return;
    }
  } catch (error) {
    // A row handled already cannot be assigned: the rule moves on.
    if (!(error instanceof WorkError)) throw error;
    log(`rule ${ctx.actor.actorName}: ${error.message}`);
  }
}

/** The first term of the table an incoming PEC matches (certified sender, subject words). */
export function termFor(terms: readonly TermRow[], facts: MessageFacts): TermRow | undefined {
  if (facts.kind !== 'posta-certificata' || facts.direction !== 'received') return undefined;
  const sender = facts.senders[0] ?? '';
  const subject = wordSet(facts.subject);
  return terms.find(
    (t) =>
      globMatch(t.senderPattern, sender) && (!t.subjectWords || hasWords(subject, wordsOf(t.subjectWords))),
  );
}

const itDate = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

/** The deadline proposed for a PEC from the terms table, with what it rests on (always to verify). */
export function proposal(term: TermRow, deliveredAt: Date): { due: string; note: string } {
  const t = computeTerm(deliveredAt, term.days, { feriale: term.feriale, civil: term.civil });
  const parts = [
    `${term.label}: ${term.days} giorni dalla consegna del ${itDate(t.from)}`,
    t.suspended ? 'sospensione feriale di agosto applicata' : null,
    t.shiftedFrom
      ? `ultimo giorno ${itDate(t.shiftedFrom)} festivo o sabato, spostato al primo giorno lavorativo`
      : null,
    term.note,
    'Scadenza proposta: da verificare.',
  ];
  return { due: t.due, note: parts.filter(Boolean).join('. ').replace(/\.\./g, '.') };
}

/**
 * Routes messages (ids, in order): every enabled rule (or `only`) in order on each, then a proposed
 * deadline for incoming PEC without one. Call inside a transaction. Returns the rows acted on.
 */
export function routeMessages(db: Db, ids: readonly number[], options: RouteOptions): RowRef[] {
  const log = options.log ?? ((line: string) => console.error(line));
  const propose = options.propose && readWorkSettings(db).proposeDeadlines;
  const rules = hasEnabledRules(db) || options.only ? storedRules(db) : [];
  const active = options.only
    ? rules.filter((r) => options.only!.includes(r.id)).map((r) => ({ ...r, enabled: true }))
    : rules;
  if (active.length === 0 && !propose) return [];
  const terms = propose ? listTerms(db) : [];
  const touched: RowRef[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    for (const row of factRows(db, ids.slice(i, i + 500))) {
      const ref = rowOfMessage(db, row.id);
      if (!ref) continue;
      const facts = factsOf(db, row);
      const steps = plan(active, facts);
      for (const step of steps) {
        const ctx = ruleContext(db, step.rule, options);
        for (const action of step.actions) act(ctx, ref, action, row.sortDate, log);
      }
      if (steps.length > 0) touched.push(ref);
      const term = propose ? termFor(terms, facts) : undefined;
      if (term && !getItem(db, ref)?.dueDate) {
        const { due, note } = proposal(term, new Date(row.sortDate));
        const who: AuditActor = { actor: 'system', actorName: 'PecDesk', origin: options.origin };
        setDeadline(
          {
            db,
            now: options.now,
            actor: { actor: 'system', actorName: 'PecDesk', person: { userId: null, name: 'PecDesk' } },
            audit: (event) => appendAudit(db, who, event, options.now),
          },
          ref,
          due,
          'proposed',
          note,
        );
        touched.push(ref);
      }
    }
  }
  return touched;
}

/** Which messages a rule matches (a preview: nothing is written). */
export function ruleMatchesIn(db: Db, rule: StoredRule, ids: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i += 500)
    for (const row of factRows(db, ids.slice(i, i + 500)))
      if (plan([{ ...rule, enabled: true }], factsOf(db, row)).length > 0) out.push(row.id);
  return out;
}
