/**
 * The API of keeping records (issue 15): quota and its forecast, emptying the provider's mailbox
 * (its policy, a dry run, a run, past runs), the proof bundle of a PEC, the conservation package,
 * export and import; argument schemas, rules and results, merged into contract.ts's one contract.
 *
 * Who may: emptying, its policy, exports and imports need the manage right on the mailbox (README:
 * "manage (its settings, emptying, export)"); a conservation package spans mailboxes and periods,
 * so it is the owner's and administrators'. A proof bundle is the PEC's originals and what the
 * reader shows of them, nothing more than "Salva .eml" gives: the read right on the message, and
 * the log keeps it as 'proof.export'.
 */
import { z } from 'zod';
import type { EmptyingResult } from '../keep/emptying.ts';
import type { AccountQuota, QuotaAlert } from '../keep/quota.ts';
import { admin, type MethodRule, onAccount, onMessage } from './access.ts';

export type { EmptyingItemView, EmptyingResult, EmptyingSkip } from '../keep/emptying.ts';
export type { AccountQuota, QuotaAlert } from '../keep/quota.ts';
export type { SkipReason } from '../keep/server-copies.ts';

const email = z.string().max(320);
/** A day as the person types it (25/11/2026) or ISO (2026-11-25). */
const day = z.string().trim().min(8).max(40);

const policy = {
  mode: z.enum(['older-than', 'until-percent']),
  olderThanDays: z.number().int().min(0).max(36_500).nullable().optional(),
  untilPercent: z.number().int().min(1).max(99).nullable().optional(),
  /** One folder's path; every folder of the mailbox on the server when absent. */
  folder: z.string().max(1_000).nullable().optional(),
  action: z.enum(['delete', 'move']).default('delete'),
  moveTo: z.string().max(1_000).nullable().optional(),
  /** Also copies of messages not yet handled (work states): off unless the person says so. */
  includeUnhandled: z.boolean().default(false),
};

/** 200 MiB of files in one call, as base64. */
const upload = z
  .object({ filename: z.string().trim().min(1).max(255), contentBase64: z.string().max(280 * 1024 * 1024) })
  .strict();

export const keepSchemas = {
  'quota.history': z.object({ email, days: z.number().int().min(1).max(400).default(30) }).strict(),
  'emptying.getPolicy': z.object({ email }).strict(),
  /** Saves the policy; `enabled` lets it run by itself after syncs (off until the person says so). */
  'emptying.setPolicy': z.object({ email, enabled: z.boolean(), ...policy }).strict(),
  /** A dry run: every check, nothing removed; lists exactly what a run would remove. */
  'emptying.preview': z.object({ email, ...policy }).strict(),
  'emptying.run': z.object({ email, ...policy }).strict(),
  'emptying.runs': z.object({ email, limit: z.number().int().min(1).max(200).default(20) }).strict(),
  /** The PEC's proof bundle: a ZIP of its originals, every receipt, a PDF and a manifest. */
  'proof.bundle': z.object({ id: z.number().int().positive() }).strict(),
  /** A conservation package (pacchetto di versamento) of a period, as a ZIP. */
  'package.build': z
    .object({
      from: day,
      to: day,
      /** Only this mailbox; every mailbox when absent. */
      mailbox: email.optional(),
      /** The owner's certificate and key (.p12) that sign the index, and its password. */
      p12: upload.optional(),
      p12Password: z.string().max(1_000).optional(),
      /** An RFC 3161 timestamp authority (http or https). */
      tsaUrl: z.string().url().max(2_000).optional(),
    })
    .strict(),
  /** Plain export of a mailbox (a folder, a period, a search) as mbox or .eml files with a CSV index. */
  'export.build': z
    .object({
      mailbox: email,
      folder: z.string().max(1_000).optional(),
      from: day.optional(),
      to: day.optional(),
      /** The search language (main/search/query.ts). */
      query: z.string().max(2_000).optional(),
      format: z.enum(['mbox', 'eml']),
    })
    .strict(),
  /** An mbox file or .eml files into a folder of the archive only, through the ingest pipeline. */
  'transfer.import': z
    .object({
      mailbox: email,
      folder: z.string().trim().min(1).max(200),
      files: z.array(upload).min(1).max(5_000),
    })
    .strict(),
};

export type KeepMethod = keyof typeof keepSchemas;

export const keepRules = {
  'quota.history': { access: onAccount('read'), audit: false },
  'emptying.getPolicy': { access: onAccount('manage'), audit: false },
  'emptying.setPolicy': { access: onAccount('manage'), audit: { action: 'emptying.policy', by: 'handler' } },
  // The list a run would remove: what the manager of the mailbox may read anyway; nothing changes.
  'emptying.preview': { access: onAccount('manage'), audit: false },
  // Each removal is logged with the object's SHA-256 in the transaction that records it, and the
  // run as 'mailbox.empty'.
  'emptying.run': { access: onAccount('manage'), audit: { action: 'mailbox.empty', by: 'handler' } },
  'emptying.runs': { access: onAccount('manage'), audit: false },
  'proof.bundle': { access: onMessage('read'), audit: { action: 'proof.export', by: 'registry' } },
  'package.build': { access: admin, audit: { action: 'package.build', by: 'handler' } },
  'export.build': {
    access: onAccount('manage', 'mailbox'),
    audit: { action: 'mailbox.export', by: 'handler' },
  },
  'transfer.import': {
    access: onAccount('manage', 'mailbox'),
    audit: { action: 'mailbox.import', by: 'handler' },
  },
} satisfies Record<KeepMethod, MethodRule>;

export interface KeepPolicyView {
  email: string;
  enabled: boolean;
  mode: 'older-than' | 'until-percent';
  olderThanDays: number | null;
  untilPercent: number | null;
  folder: string | null;
  action: 'delete' | 'move';
  moveTo: string | null;
  includeUnhandled: boolean;
  lastAutoRunAt: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
  /** The mailbox's folders on the server (for choosing one), by path. */
  folders: string[];
  /** Copies already removed from the server by emptying (kept in the archive). */
  removedCopies: number;
}

export interface EmptyingRunView {
  id: number;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  actorName: string;
  policy: string;
  candidates: number;
  deleted: number;
  skipped: number;
  error: string | null;
}

export interface KeepResults {
  'quota.history': { quota: AccountQuota | null; samples: { at: string; used: number; limit: number }[] };
  'emptying.getPolicy': KeepPolicyView;
  'emptying.setPolicy': KeepPolicyView;
  'emptying.preview': EmptyingResult;
  'emptying.run': EmptyingResult;
  'emptying.runs': EmptyingRunView[];
  'proof.bundle': { filename: string; contentBase64: string; files: number };
  'package.build': { filename: string; contentBase64: string; messages: number; files: number };
  'export.build': { filename: string; contentBase64: string; messages: number };
  'transfer.import': { folder: string; read: number; imported: number; known: number; failed: number };
}

export interface KeepEvents {
  /** A mailbox crossed a usage threshold (80, 90, 95 %). */
  'quota.alert': QuotaAlert;
}
