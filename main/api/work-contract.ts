/**
 * The API of working on PEC as a team (issue 14): tags, work states and assignment, comments,
 * deadlines and priority, routing rules, the agenda, reports, the approval queue and the work
 * settings; argument schemas, rules and results, merged into contract.ts's one contract. Changes
 * need the route right on the row's mailbox (onItem) and are logged in their transaction; the
 * taxonomy, the rules and the settings are the administrators' (tags also of those allowed).
 */
import { z } from 'zod';
import type { ListRow } from '../../db/views.ts';
import type { WorkReport } from '../work/reports.ts';
import { PRIORITIES, ruleDefinition } from '../work/rules.ts';
import type { WorkSettings } from '../work/settings.ts';
import { WORK_STATES } from '../work/states.ts';
import { admin, type MethodRule, onAccount, onItem, signedIn } from './access.ts';

export type { WorkNotice } from '../work/notices.ts';
export type { WorkReport } from '../work/reports.ts';
export type { RuleDefinition } from '../work/rules.ts';
export type { WorkSettings } from '../work/settings.ts';

/** A list row: its message id (as lists and `messages --json` give it) or its thread id. */
const item = {
  id: z.number().int().positive().optional(),
  threadId: z.number().int().positive().optional(),
};
const oneRow = (o: Record<string, unknown>) => (o.id === undefined) !== (o.threadId === undefined);
const ROW = 'give either id (a message of the row) or threadId';

const comment = z.string().trim().max(4_000).optional();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb');
const tagName = z.string().trim().min(1).max(60);

const rowChange = <T extends z.ZodRawShape>(shape: T) =>
  z
    .object({ ...item, ...shape })
    .strict()
    .refine(oneRow, ROW);

const term = z
  .object({
    label: z.string().trim().min(1).max(200),
    senderPattern: z.string().trim().min(1).max(200),
    subjectWords: z.string().trim().max(200).nullable(),
    days: z.number().int().min(1).max(3650),
    feriale: z.boolean(),
    civil: z.boolean(),
    note: z.string().trim().max(2_000).nullable(),
  })
  .strict();

export const workSchemas = {
  'tags.list': z.object({}).strict(),
  'tags.create': z
    .object({
      name: tagName,
      color: color.optional(),
      category: z.string().trim().max(40).nullable().optional(),
    })
    .strict(),
  'tags.update': z
    .object({
      id: z.number().int().positive(),
      name: tagName.optional(),
      color: color.optional(),
      category: z.string().trim().max(40).nullable().optional(),
    })
    .strict(),
  'tags.remove': z.object({ id: z.number().int().positive() }).strict(),
  /** The row's work: state, assignee, tags, deadline, history and comments. */
  'work.get': rowChange({}),
  /** To a person (login name) or an office (its name); neither: nobody ("nuova" again). */
  'work.assign': rowChange({
    user: z.string().max(64).nullable().optional(),
    office: z.string().max(120).nullable().optional(),
    comment,
  }),
  /** Presa in carico by the caller; `force` takes it from a colleague. */
  'work.claim': rowChange({ comment, force: z.boolean().optional() }),
  'work.wait': rowChange({ comment }),
  'work.done': rowChange({ comment }),
  'work.reopen': rowChange({ comment }),
  'work.comment': rowChange({ text: z.string().trim().min(1).max(4_000) }),
  'work.tag': rowChange({ tag: tagName, add: z.boolean() }),
  'work.setDeadline': rowChange({
    due: day.nullable(),
    note: z.string().trim().max(2_000).nullable().optional(),
  }),
  /** The deadline the terms table proposes for the row's PEC (nothing is written). */
  'work.proposeDeadline': rowChange({}),
  'work.setPriority': rowChange({ priority: z.enum(PRIORITIES).nullable() }),
  'work.list': z
    .object({
      state: z.enum(WORK_STATES).optional(),
      overdue: z.boolean().optional(),
      limit: z.number().int().min(1).max(5_000).default(500),
    })
    .strict(),
  /** The "Scadenze" agenda: rows due between two days, and those past due not handled. */
  'work.agenda': z.object({ from: day, to: day }).strict(),
  /** Whom work can be given to: people and offices, by name. */
  'work.people': z.object({}).strict(),
  'work.settings': z.object({}).strict(),
  'work.setSettings': z
    .object({
      tagCreators: z.enum(['admins', 'routers']),
      escalateAfterHours: z.number().int().min(1).max(720).nullable(),
      remindDays: z.array(z.number().int().min(0).max(60)).max(5),
      proposeDeadlines: z.boolean(),
    })
    .strict(),
  'work.terms': z.object({}).strict(),
  'work.setTerms': z.object({ terms: z.array(term).max(200) }).strict(),
  /** The head of an office: escalations go to them. */
  'offices.setHead': z.object({ office: z.string().max(120), user: z.string().max(64).nullable() }).strict(),
  'rules.list': z.object({}).strict(),
  /** A rule tried on the archive before saving: how many messages it would match, and which. */
  'rules.test': z
    .object({ rule: ruleDefinition, limit: z.number().int().min(0).max(1_000_000).default(200) })
    .strict(),
  /** A new rule (no id) or a changed one; tags it names that do not exist are created. */
  'rules.save': z
    .object({
      id: z.number().int().positive().optional(),
      rule: ruleDefinition,
      position: z.number().int().min(1).optional(),
    })
    .strict(),
  'rules.remove': z.object({ id: z.number().int().positive() }).strict(),
  /** A saved rule applied to the messages already archived (dryRun: counted, nothing changed). */
  'rules.apply': z.object({ id: z.number().int().positive(), dryRun: z.boolean().default(false) }).strict(),
  'reports.get': z.object({ since: day }).strict(),
  'reports.csv': z.object({ since: day }).strict(),
  'approvals.list': z.object({}).strict(),
  /** Approve (it is sent) or reject (it is not), with a comment; a campaign is decided whole. */
  'approvals.decide': z
    .object({
      id: z.number().int().positive(),
      approve: z.boolean(),
      comment: z.string().trim().max(4_000).optional(),
    })
    .strict(),
  'accounts.setApproval': z.object({ email: z.string().max(320), required: z.boolean() }).strict(),
};

export type WorkMethod = keyof typeof workSchemas;

const change = (action: string): MethodRule => ({
  access: onItem('route'),
  audit: { action, by: 'handler' },
});

export const workRules = {
  'tags.list': { access: signedIn, audit: false },
  // Administrators, or those who route when the settings allow it (checked by the handler).
  'tags.create': { access: signedIn, audit: { action: 'tag.create', by: 'handler' } },
  'tags.update': { access: admin, audit: { action: 'tag.update', by: 'handler' } },
  'tags.remove': { access: admin, audit: { action: 'tag.remove', by: 'handler' } },
  'work.get': { access: onItem('read'), audit: false },
  'work.assign': change('work.assign'),
  'work.claim': change('work.claim'),
  'work.wait': change('work.wait'),
  'work.done': change('work.done'),
  'work.reopen': change('work.reopen'),
  'work.comment': change('work.comment'),
  'work.tag': change('work.tag'),
  'work.setDeadline': change('work.deadline'),
  'work.proposeDeadline': { access: onItem('read'), audit: false },
  'work.setPriority': change('work.priority'),
  // Rows of the mailboxes the caller may read (db/work-queries.ts).
  'work.list': { access: signedIn, audit: false },
  'work.agenda': { access: signedIn, audit: false },
  'work.people': { access: signedIn, audit: false },
  'work.settings': { access: signedIn, audit: false },
  'work.setSettings': { access: admin, audit: { action: 'work.settings', by: 'handler' } },
  'work.terms': { access: signedIn, audit: false },
  'work.setTerms': { access: admin, audit: { action: 'work.terms', by: 'handler' } },
  'offices.setHead': { access: admin, audit: { action: 'office.head', by: 'handler' } },
  'rules.list': { access: admin, audit: false },
  'rules.test': { access: admin, audit: false },
  'rules.save': { access: admin, audit: { action: 'rule.save', by: 'handler' } },
  'rules.remove': { access: admin, audit: { action: 'rule.remove', by: 'handler' } },
  'rules.apply': { access: admin, audit: { action: 'rule.apply', by: 'handler' } },
  // Scoped to the caller's mailboxes.
  'reports.get': { access: signedIn, audit: false },
  'reports.csv': { access: signedIn, audit: { action: 'report.export', by: 'registry' } },
  'approvals.list': { access: signedIn, audit: false },
  // The manage right on the sending mailbox is checked by the handler (a row is no target kind).
  'approvals.decide': { access: signedIn, audit: { action: 'message.approve', by: 'handler' } },
  'accounts.setApproval': {
    access: onAccount('manage'),
    audit: { action: 'account.approval', by: 'handler' },
  },
} satisfies Record<WorkMethod, MethodRule>;

export interface TagView {
  id: number;
  name: string;
  color: string;
  category: string | null;
  /** Rows with this tag the caller may read. */
  count: number;
}

export interface WorkEventView {
  at: string;
  actor: string;
  actorName: string;
  action: string;
  from: string | null;
  to: string | null;
  comment: string | null;
  details: Record<string, unknown>;
}

export interface WorkView {
  /** 't:<thread>' or 'm:<message>'. */
  key: string;
  threadId: number | null;
  messageId: number | null;
  /** The message that stands for the row in lists. */
  headId: number | null;
  subject: string | null;
  state: (typeof WORK_STATES)[number] | null;
  assignee: { type: 'user'; id: number; name: string; displayName: string | null } | null;
  office: { id: number; name: string } | null;
  claimedBy: string | null;
  claimedAt: string | null;
  doneAt: string | null;
  doneBy: string | null;
  priority: (typeof PRIORITIES)[number] | null;
  deadline: { due: string; source: 'manual' | 'rule' | 'proposed'; note: string | null } | null;
  tags: { id: number; name: string; color: string }[];
  escalatedAt: string | null;
  history: WorkEventView[];
}

export interface RuleView {
  id: number;
  name: string;
  position: number;
  enabled: boolean;
  rule: z.infer<typeof ruleDefinition>;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface ApprovalView {
  outboxId: number;
  state: 'pending' | 'approved' | 'rejected';
  from: string;
  subject: string | null;
  recipients: string[];
  size: number;
  campaignId: number | null;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  /** The caller may approve or reject it (the manage right on the mailbox, not their own). */
  canDecide: boolean;
}

export type TermView = z.infer<typeof term> & { id: number };

export interface WorkResults {
  'tags.list': TagView[];
  'tags.create': TagView;
  'tags.update': TagView;
  'tags.remove': { removed: number };
  'work.get': WorkView;
  'work.assign': WorkView;
  'work.claim': WorkView;
  'work.wait': WorkView;
  'work.done': WorkView;
  'work.reopen': WorkView;
  'work.comment': WorkView;
  'work.tag': WorkView;
  'work.setDeadline': WorkView;
  'work.proposeDeadline': { due: string; note: string; label: string } | null;
  'work.setPriority': WorkView;
  'work.list': { total: number; rows: ListRow[] };
  'work.agenda': { rows: ListRow[] };
  'work.people': {
    users: { id: number; name: string; displayName: string | null }[];
    offices: { id: number; name: string; head: string | null }[];
    /** The caller, to show "Prendi in carico" as theirs. */
    me: { userId: number | null; name: string };
  };
  'work.settings': WorkSettings;
  'work.setSettings': WorkSettings;
  'work.terms': TermView[];
  'work.setTerms': TermView[];
  'offices.setHead': { ok: true };
  'rules.list': RuleView[];
  'rules.test': { matches: number; ids: number[]; rows: ListRow[] };
  'rules.save': RuleView;
  'rules.remove': { removed: number };
  'rules.apply': { matches: number; changed: number; dryRun: boolean; ids: number[] };
  'reports.get': WorkReport;
  'reports.csv': { filename: string; contentBase64: string };
  'approvals.list': {
    pending: number;
    rows: ApprovalView[];
    /** The mailboxes the caller may read, whether they require approval, and whether the caller may change that. */
    mailboxes: { email: string; required: boolean; canManage: boolean }[];
  };
  'approvals.decide': { decided: number[]; approved: boolean };
  'accounts.setApproval': { email: string; required: boolean };
}
