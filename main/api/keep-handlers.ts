/**
 * The handlers of keeping records (main/api/keep-contract.ts): quota, emptying, proof bundles,
 * conservation packages, export and import, over main/keep, main/proof, main/conservation and
 * main/transfer. Changes write their audit entries in their own transactions (emptying: each
 * removal with the object's SHA-256).
 */
import { zipSync } from 'fflate';
import { type AccountRow, findAccount, mailboxesOf } from '../../db/accounts.ts';
import {
  countRemovedCopies,
  keepPolicyOf,
  quotaSamplesSince,
  recentRuns,
  saveKeepPolicy,
} from '../../db/keep.ts';
import { LocalFolderError } from '../../db/transfer.ts';
import type { Archive } from '../archive/archive.ts';
import { readScope } from '../auth/rights.ts';
import { readP12, SigningError } from '../conservation/cades.ts';
import { buildPackage, PackageError } from '../conservation/package.ts';
import { PeriodError, period } from '../conservation/period.ts';
import { TimestampError } from '../conservation/tsa.ts';
import { EmptyingError, type EmptyingPolicy, runEmptying, validatePolicy } from '../keep/emptying.ts';
import { emptyingContext } from '../keep/keep-service.ts';
import { accountQuota } from '../keep/quota.ts';
import type { TrustAnchors } from '../pec/trust.ts';
import { buildProofBundle } from '../proof/bundle.ts';
import { ProofError } from '../proof/collect.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { SyncError } from '../sync/imap-connect.ts';
import { exportMessages, selectForExport } from '../transfer/export.ts';
import { importMessages } from '../transfer/import.ts';
import { ApiFailure } from './contract.ts';
import type { KeepMethod, KeepPolicyView } from './keep-contract.ts';
import type { Handler } from './registry.ts';

type KeepHandlers = { [M in KeepMethod]: Handler<M> };

export interface KeepServices {
  archive(): Archive;
  secrets(): SecretStore;
  anchors(): TrustAnchors | undefined;
  version: string;
}

/** What a ZIP built in memory for the app may hold: more goes through the CLI, to a folder. */
export const MAX_ZIP_BYTES = 300 * 1024 * 1024;

function failure(error: unknown): never {
  if (error instanceof ApiFailure) throw error;
  if (error instanceof EmptyingError)
    throw new ApiFailure(error.code === 'bad-policy' ? 'invalid-arguments' : 'conflict', error.message);
  if (error instanceof PeriodError || error instanceof SigningError)
    throw new ApiFailure('invalid-arguments', error.message);
  if (error instanceof ProofError) throw new ApiFailure('not-found', error.message);
  if (
    error instanceof PackageError ||
    error instanceof TimestampError ||
    error instanceof LocalFolderError ||
    error instanceof SyncError
  )
    throw new ApiFailure('conflict', error.message);
  // The mailbox's server refused or could not be reached while emptying: said as it is.
  if (error instanceof Error && /no password confirmed/.test(error.message))
    throw new ApiFailure('conflict', error.message);
  throw error;
}

function accountOf(archive: Archive, email: string): AccountRow {
  const row = findAccount(archive.db, email);
  if (!row) throw new ApiFailure('not-found', `no mailbox ${email}`);
  return row;
}

function policyOf(p: {
  mode: 'older-than' | 'until-percent';
  olderThanDays?: number | null | undefined;
  untilPercent?: number | null | undefined;
  folder?: string | null | undefined;
  action: 'delete' | 'move';
  moveTo?: string | null | undefined;
  includeUnhandled: boolean;
}): EmptyingPolicy {
  return {
    mode: p.mode,
    olderThanDays: p.mode === 'older-than' ? (p.olderThanDays ?? null) : null,
    untilPercent: p.mode === 'until-percent' ? (p.untilPercent ?? null) : null,
    folder: p.folder?.trim() || null,
    action: p.action,
    moveTo: p.action === 'move' ? (p.moveTo?.trim() ?? null) : null,
    includeUnhandled: p.includeUnhandled,
  };
}

function policyView(archive: Archive, account: AccountRow): KeepPolicyView {
  const row = keepPolicyOf(archive.db, account.id);
  // The server's folders, not the archive's own (Importati/…), by path.
  const folders = mailboxesOf(archive.db, account.id)
    .filter((m) => !m.local)
    .map((m) => m.path);
  return {
    email: account.email,
    enabled: row?.enabled ?? false,
    mode: row?.mode ?? 'older-than',
    olderThanDays: row?.olderThanDays ?? null,
    untilPercent: row?.untilPercent ?? null,
    folder: row?.folder ?? null,
    action: row?.action ?? 'delete',
    moveTo: row?.moveTo ?? null,
    includeUnhandled: row?.includeUnhandled ?? false,
    lastAutoRunAt: row?.lastAutoRunAt ?? null,
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
    folders,
    removedCopies: countRemovedCopies(archive.db, account.id),
  };
}

/** Files into one ZIP in memory, refused past MAX_ZIP_BYTES. */
function zipCollector() {
  const entries: Record<string, Uint8Array> = {};
  let size = 0;
  return {
    sink: async (path: string, bytes: Buffer) => {
      size += bytes.length;
      if (size > MAX_ZIP_BYTES)
        throw new ApiFailure(
          'conflict',
          'more than 300 MB: choose a shorter period or use the command line (pecdesk package / pecdesk export), which writes to a folder',
        );
      entries[path] = bytes;
    },
    zip: () => Buffer.from(zipSync(entries, { level: 6 })),
  };
}

export function createKeepHandlers(s: KeepServices): KeepHandlers {
  return {
    'quota.history': async ({ email, days }) => {
      const archive = s.archive();
      const account = accountOf(archive, email);
      const since = new Date(Date.now() - days * 86_400_000).toISOString();
      return {
        quota: accountQuota(archive.db, account.id),
        samples: quotaSamplesSince(archive.db, account.id, since).map((q) => ({
          at: q.at,
          used: q.usedBytes,
          limit: q.limitBytes,
        })),
      };
    },
    'emptying.getPolicy': async ({ email }) => {
      const archive = s.archive();
      return policyView(archive, accountOf(archive, email));
    },
    'emptying.setPolicy': async ({ email, enabled, ...input }, caller) => {
      const archive = s.archive();
      const account = accountOf(archive, email);
      const policy = policyOf(input);
      try {
        validatePolicy(policy);
      } catch (error) {
        failure(error);
      }
      archive.db.$client.transaction(() => {
        saveKeepPolicy(archive.db, account.id, {
          enabled,
          mode: policy.mode,
          olderThanDays: policy.olderThanDays ?? null,
          untilPercent: policy.untilPercent ?? null,
          folder: policy.folder,
          action: policy.action,
          moveTo: policy.moveTo ?? null,
          includeUnhandled: policy.includeUnhandled,
          updatedAt: new Date().toISOString(),
          updatedBy: caller.principal.actor.actorName,
        });
        caller.audit({
          action: 'emptying.policy',
          targetType: 'account',
          targetId: account.email,
          accountId: account.id,
          details: { enabled, ...policy },
        });
      })();
      return policyView(archive, account);
    },
    'emptying.preview': async ({ email, ...input }, caller) => {
      const archive = s.archive();
      const account = accountOf(archive, email);
      const ctx = emptyingContext(archive, s.secrets(), account, caller.principal.actor, (e) =>
        caller.audit(e),
      );
      return runEmptying(ctx, policyOf(input), { dryRun: true }).catch(failure);
    },
    'emptying.run': async ({ email, ...input }, caller) => {
      const archive = s.archive();
      const account = accountOf(archive, email);
      const ctx = emptyingContext(archive, s.secrets(), account, caller.principal.actor, (e) =>
        caller.audit(e),
      );
      return runEmptying(ctx, policyOf(input), { dryRun: false }).catch(failure);
    },
    'emptying.runs': async ({ email, limit }) => {
      const archive = s.archive();
      const account = accountOf(archive, email);
      return recentRuns(archive.db, account.id, limit).map((r) => ({
        id: r.id,
        state: r.state,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        actorName: r.actorName,
        policy: r.policy,
        candidates: r.candidates,
        deleted: r.deleted,
        skipped: r.skipped,
        error: r.error,
      }));
    },
    'proof.bundle': async ({ id }, caller) => {
      const archive = s.archive();
      const anchors = s.anchors();
      const bundle = await buildProofBundle(archive.db, archive.objects, id, {
        scope: readScope(caller.principal.rights),
        ...(anchors ? { anchors } : {}),
        version: s.version,
        madeBy: caller.principal.actor.actorName,
      }).catch(failure);
      return { filename: bundle.filename, contentBase64: bundle.zip.toString('base64'), files: bundle.files };
    },
    'package.build': async (args, caller) => {
      const archive = s.archive();
      const account = args.mailbox ? accountOf(archive, args.mailbox) : null;
      const anchors = s.anchors();
      const out = zipCollector();
      try {
        const owner = args.p12
          ? await readP12(Buffer.from(args.p12.contentBase64, 'base64'), args.p12Password ?? '')
          : undefined;
        const summary = await buildPackage(
          archive.db,
          archive.objects,
          {
            ...period(args.from, args.to),
            label: { from: args.from, to: args.to },
            accountId: account?.id ?? null,
            mailbox: account?.email ?? null,
            scope: 'all',
            ...(anchors ? { anchors } : {}),
            ...(owner ? { owner } : {}),
            ...(args.tsaUrl ? { tsaUrl: args.tsaUrl } : {}),
            version: s.version,
          },
          out.sink,
        );
        const zip = out.zip();
        caller.audit({
          action: 'package.build',
          targetType: account ? 'account' : null,
          targetId: account?.email ?? null,
          accountId: account?.id ?? null,
          details: {
            from: args.from,
            to: args.to,
            index: summary.indexId,
            messages: summary.messages,
            signed: summary.signed,
            timestamped: summary.timestamped,
          },
        });
        return {
          filename: `pacchetto-PEC ${args.from.replace(/\//g, '-')} ${args.to.replace(/\//g, '-')}.zip`,
          contentBase64: zip.toString('base64'),
          messages: summary.messages,
          files: summary.files,
        };
      } catch (error) {
        failure(error);
      }
    },
    'export.build': async (args, caller) => {
      const archive = s.archive();
      const account = accountOf(archive, args.mailbox);
      const out = zipCollector();
      try {
        const p = args.from || args.to ? period(args.from ?? '01/01/1970', args.to ?? '31/12/9999') : null;
        const rows = selectForExport(archive.db, {
          accountId: account.id,
          folder: args.folder ?? null,
          from: p?.from ?? null,
          to: p?.to ?? null,
          query: args.query ?? null,
        });
        const done = await exportMessages(archive.objects, rows, args.format, out.sink);
        const zip = out.zip();
        caller.audit({
          action: 'mailbox.export',
          targetType: 'account',
          targetId: account.email,
          accountId: account.id,
          details: {
            format: args.format,
            folder: args.folder ?? null,
            from: args.from ?? null,
            to: args.to ?? null,
            query: args.query ?? null,
            messages: done.messages,
          },
        });
        return {
          filename: `esportazione ${account.email} ${args.format}.zip`,
          contentBase64: zip.toString('base64'),
          messages: done.messages,
        };
      } catch (error) {
        failure(error);
      }
    },
    'transfer.import': async ({ mailbox, folder, files }, caller) => {
      const archive = s.archive();
      const account = accountOf(archive, mailbox);
      try {
        const result = await importMessages(
          archive,
          account.id,
          folder,
          files.map((f) => ({ name: f.filename, bytes: Buffer.from(f.contentBase64, 'base64') })),
        );
        caller.audit({
          action: 'mailbox.import',
          targetType: 'account',
          targetId: account.email,
          accountId: account.id,
          details: { ...result, files: files.length },
        });
        return result;
      } catch (error) {
        failure(error);
      }
    },
  };
}
