/**
 * The handlers of sending (main/api/send-contract.ts), over the core's outbox (main/send/). Every
 * change is logged inside the transaction that makes it; every list is cut to the mailboxes the
 * caller may read; a forwarded message is attached only when the caller may read it.
 */
import { type AccountRow, findAccount, updateAccountSettings } from '../../db/accounts.ts';
import {
  type CampaignRow,
  getCampaign,
  listCampaigns,
  listTemplates,
  removeTemplate,
  saveTemplate,
  setCampaignState,
} from '../../db/campaigns.ts';
import type { Db } from '../../db/database.ts';
import { getMessage } from '../../db/messages.ts';
import {
  cancelQueued,
  countWaiting,
  getOutbox,
  listOutbox,
  outboxListRow,
  retryFailed,
} from '../../db/outbox.ts';
import { accountsOfMessage } from '../../db/scope.ts';
import { publicAccount } from '../accounts/account-service.ts';
import type { Archive } from '../archive/archive.ts';
import { accountsWith, has } from '../auth/rights.ts';
import { originalBytes } from '../pec/inspect.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import {
  type CampaignInput,
  CampaignRefused,
  campaignCsv,
  campaignOutcomes,
  createCampaign,
  planCampaign,
  resendFailed,
} from '../send/campaigns.ts';
import { DraftError, forwardDraft, replyDraft } from '../send/drafts.ts';
import { limitsOf, problemText } from '../send/limits.ts';
import type { OutgoingAttachment } from '../send/message.ts';
import type { OutboxService } from '../send/outbox-service.ts';
import { outboxView } from '../send/outbox-view.ts';
import { type ComposeInput, prepareMessage, writeOutbox } from '../send/outbox-write.ts';
import { ListError, parseRecipientList } from '../send/recipient-list.ts';
import { storeSmtpPassword } from '../send/smtp-password.ts';
import { type ApiArgs, ApiFailure } from './contract.ts';
import type { Handler, HandlerContext } from './registry.ts';
import type { CampaignSummary, SendMethod } from './send-contract.ts';

type SendHandlers = { [M in SendMethod]: Handler<M> };

export interface SendCore {
  archive(): Archive;
  secrets(): SecretStore;
  outbox(): OutboxService | undefined;
}

/** The mailboxes a caller may read: null for everyone's (owner, administrators). */
function readable(caller: HandlerContext): number[] | null {
  return caller.principal.rights.administers ? null : accountsWith(caller.principal.rights, 'read');
}

function accountOf(db: Db, email: string): AccountRow {
  const account = findAccount(db, email);
  if (!account) throw new ApiFailure('not-found', `no mailbox ${email}`);
  return account;
}

/** Files and forwarded messages as the message's attachments; a message only if the caller may read it. */
async function attachmentsOf(
  archive: Archive,
  caller: HandlerContext,
  list: ApiArgs<'outbox.send'>['attachments'],
): Promise<OutgoingAttachment[]> {
  const out: OutgoingAttachment[] = [];
  for (const a of list) {
    if ('filename' in a) {
      out.push({
        filename: a.filename,
        content: Buffer.from(a.contentBase64, 'base64'),
        ...(a.contentType ? { contentType: a.contentType } : {}),
      });
      continue;
    }
    const row = getMessage(archive.db, a.messageId);
    if (!row) throw new ApiFailure('not-found', `no message ${a.messageId}`);
    const accounts = accountsOfMessage(archive.db, row.id);
    const r = caller.principal.rights;
    // A message the caller may not read does not exist for them (as the registry answers).
    if (!(r.administers || accounts.some((id) => has(r, 'read', id))))
      throw new ApiFailure('not-found', `no message ${a.messageId}`);
    const raw = await archive.objects.get(row.objectHash);
    out.push(
      a.part === 'original'
        ? { filename: 'postacert.eml', content: originalBytes(raw), contentType: 'message/rfc822' }
        : {
            filename: `${
              (row.originalSubject ?? row.subject ?? 'messaggio')
                .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
                .trim()
                .slice(0, 80) || 'messaggio'
            }.eml`,
            content: raw,
            contentType: 'message/rfc822',
          },
    );
  }
  return out;
}

async function composeInput(
  archive: Archive,
  caller: HandlerContext,
  args: ApiArgs<'outbox.send'>,
): Promise<ComposeInput> {
  return {
    account: accountOf(archive.db, args.from),
    to: args.to,
    cc: args.cc,
    bcc: args.bcc ?? [],
    subject: args.subject,
    text: args.text,
    html: args.html ?? null,
    attachments: await attachmentsOf(archive, caller, args.attachments),
    receiptType: args.receiptType,
    inReplyTo: args.inReplyTo ?? null,
    references: args.references ?? [],
  };
}

function summary(db: Db, c: CampaignRow): CampaignSummary {
  const counts = { queued: 0, sent: 0, accepted: 0, delivered: 0, failed: 0 };
  const outcomes = campaignOutcomes(db, c.id);
  for (const o of outcomes) counts[o.state]++;
  return {
    id: c.id,
    name: c.name,
    from: c.fromAddress,
    state: c.state,
    createdAt: c.createdAt,
    createdBy: c.createdBy,
    total: outcomes.length,
    counts,
  };
}

/** The campaign; the registry has checked the caller's right on its mailbox (onCampaign). */
function campaignFor(db: Db, id: number): CampaignRow {
  const c = getCampaign(db, id);
  // Gone between the registry's check and here.
  if (!c) throw new ApiFailure('not-found', `no campaign ${id}`);
  return c;
}

async function campaignInput(
  archive: Archive,
  args: ApiArgs<'campaigns.preview'> | ApiArgs<'campaigns.create'>,
  files: Map<string, Buffer>,
): Promise<CampaignInput> {
  let list: Awaited<ReturnType<typeof parseRecipientList>>;
  try {
    list = await parseRecipientList(args.list.filename, Buffer.from(args.list.contentBase64, 'base64'));
  } catch (e) {
    if (e instanceof ListError) throw new ApiFailure('invalid-arguments', e.message);
    throw e;
  }
  return {
    account: accountOf(archive.db, args.from),
    name: args.name || args.list.filename,
    list,
    addressColumn: args.addressColumn ?? null,
    subject: args.subject,
    body: args.body,
    receiptType: args.receiptType,
    attachColumn: args.attachColumn ?? null,
    files,
    attachments: [],
  };
}

export function createSendHandlers(core: SendCore): SendHandlers {
  const kick = () => core.outbox()?.kick();
  const view = (db: Db, id: number) => outboxView(outboxListRow(db, id)!);
  return {
    'outbox.check': async (args, caller) => {
      const archive = core.archive();
      const prepared = await prepareMessage(await composeInput(archive, caller, args));
      return {
        problems: prepared.problems,
        size: prepared.size,
        totalBytes: prepared.totalBytes,
        limits: limitsOf(prepared.message.account),
      };
    },
    'outbox.send': async (args, caller) => {
      const archive = core.archive();
      const prepared = await prepareMessage(await composeInput(archive, caller, args));
      if (prepared.problems.length > 0)
        throw new ApiFailure('invalid-arguments', prepared.problems.map(problemText).join('; '));
      const m = prepared.message;
      const [id] = await writeOutbox(archive, [m], {
        createdBy: caller.principal.actor.actorName,
        inTransaction: (_db, ids) =>
          caller.audit({
            action: 'message.send',
            targetType: 'outbox',
            targetId: ids[0]!,
            accountId: m.account.id,
            details: {
              messageId: m.messageId,
              to: m.to,
              cc: m.cc,
              subject: m.subject,
              size: m.raw.length,
              receiptType: m.receiptType,
            },
          }),
      });
      kick();
      return { outboxId: id!, messageId: m.messageId, state: view(archive.db, id!).state };
    },
    'outbox.list': async ({ campaignId, offset, limit }, caller) => {
      const db = core.archive().db;
      const accounts = readable(caller);
      const page = listOutbox(db, { accounts, offset, limit, ...(campaignId ? { campaignId } : {}) });
      return { total: page.total, waiting: countWaiting(db, accounts), rows: page.rows.map(outboxView) };
    },
    'outbox.retry': async ({ id }, caller) => {
      const db = core.archive().db;
      const row = getOutbox(db, id);
      // The registry checked the send right on its mailbox (onOutbox); gone since, not found.
      if (!row) throw new ApiFailure('not-found', `no outbox row ${id}`);
      db.$client.transaction(() => {
        if (!retryFailed(db, id))
          throw new ApiFailure(
            'conflict',
            `outbox row ${id} is ${row.state}: only a refused message is sent again`,
          );
        caller.audit({
          action: 'message.resend',
          targetType: 'outbox',
          targetId: id,
          accountId: row.accountId,
        });
      })();
      kick();
      return view(db, id);
    },
    'outbox.cancel': async ({ id }, caller) => {
      const db = core.archive().db;
      const row = getOutbox(db, id);
      // The registry checked the send right on its mailbox (onOutbox); gone since, not found.
      if (!row) throw new ApiFailure('not-found', `no outbox row ${id}`);
      db.$client.transaction(() => {
        if (!cancelQueued(db, id))
          throw new ApiFailure(
            'conflict',
            `outbox row ${id} is ${row.state}: only a message not yet handed to the provider can be cancelled`,
          );
        caller.audit({
          action: 'message.cancel',
          targetType: 'outbox',
          targetId: id,
          accountId: row.accountId,
        });
      })();
      return view(db, id);
    },
    'compose.reply': async ({ id, all }, caller) =>
      draft(core.archive(), caller, id, (s) => replyDraft(s, all)),
    'compose.forward': async ({ id, envelope }, caller) =>
      draft(core.archive(), caller, id, (s) => forwardDraft(s, envelope)),
    'campaigns.preview': async (args) => {
      const archive = core.archive();
      const files = new Map(args.fileNames.map((n) => [n, Buffer.alloc(0)]));
      const input = await campaignInput(archive, args, files);
      const plan = planCampaign(input);
      return {
        columns: input.list.columns,
        addressColumn: plan.addressColumn,
        total: plan.messages.length,
        messages: plan.messages.slice(0, args.count).map((m) => ({
          row: m.row,
          address: m.address,
          subject: m.subject,
          body: m.body,
          attachments: m.attachments,
        })),
        problems: plan.problems,
      };
    },
    'campaigns.create': async (args, caller) => {
      const archive = core.archive();
      const files = new Map(args.files.map((f) => [f.filename, Buffer.from(f.contentBase64, 'base64')]));
      const input = await campaignInput(archive, args, files);
      let campaignId: number;
      try {
        campaignId = await createCampaign(archive, input, {
          createdBy: caller.principal.actor.actorName,
          audit: (_db, id, count) =>
            caller.audit({
              action: 'campaign.send',
              targetType: 'campaign',
              targetId: id,
              accountId: input.account.id,
              details: { name: input.name, recipients: count, subject: input.subject },
            }),
        });
      } catch (e) {
        if (e instanceof CampaignRefused) throw new ApiFailure('invalid-arguments', e.message);
        throw e;
      }
      kick();
      return { campaignId, total: input.list.rows.length };
    },
    'campaigns.list': async (_args, caller) => {
      const db = core.archive().db;
      return listCampaigns(db, readable(caller)).map((c) => summary(db, c));
    },
    'campaigns.get': async ({ id }) => {
      const db = core.archive().db;
      const c = campaignFor(db, id);
      return {
        ...summary(db, c),
        subject: c.subjectTemplate,
        body: c.bodyTemplate,
        columns: JSON.parse(c.columns) as string[],
        recipients: campaignOutcomes(db, id),
      };
    },
    'campaigns.pause': async ({ id }, caller) => setState(core, caller, id, 'paused'),
    'campaigns.resume': async ({ id }, caller) => {
      const result = await setState(core, caller, id, 'sending');
      kick();
      return result;
    },
    'campaigns.resendFailed': async ({ id }, caller) => {
      const archive = core.archive();
      const c = campaignFor(archive.db, id);
      const account = c.accountId !== null ? findAccount(archive.db, c.accountId) : undefined;
      if (!account) throw new ApiFailure('conflict', `campaign ${id}: its mailbox was removed`);
      let resent: number;
      try {
        resent = await resendFailed(archive, account, id, {
          createdBy: caller.principal.actor.actorName,
          audit: (_db, count) =>
            caller.audit({
              action: 'campaign.resend',
              targetType: 'campaign',
              targetId: id,
              accountId: account.id,
              details: { messages: count },
            }),
        });
      } catch (e) {
        if (e instanceof CampaignRefused) throw new ApiFailure('invalid-arguments', e.message);
        throw e;
      }
      kick();
      return { resent };
    },
    'campaigns.export': async ({ id }, caller) => {
      const db = core.archive().db;
      const c = campaignFor(db, id);
      const csv = campaignCsv(db, id);
      caller.audit({
        action: 'campaign.export',
        targetType: 'campaign',
        targetId: id,
        accountId: c.accountId,
      });
      const name = c.name
        .replace(/\.(csv|xlsx)$/i, '')
        .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
        .trim();
      return {
        filename: `${name || 'invio'} - esiti PEC.csv`,
        contentBase64: Buffer.from(csv, 'utf8').toString('base64'),
      };
    },
    'templates.list': async () => listTemplates(core.archive().db),
    'templates.save': async (args) => saveTemplate(core.archive().db, args),
    'templates.remove': async ({ id }) => {
      if (!removeTemplate(core.archive().db, id)) throw new ApiFailure('not-found', `no template ${id}`);
      return { removed: id };
    },
    'accounts.setSmtp': async ({ email, password, ...smtp }, caller) => {
      const archive = core.archive();
      const row = accountOf(archive.db, email);
      const next = { ...row, ...smtp, smtpHost: smtp.smtpHost.toLowerCase() };
      // The password first: the server is confirmed before the archive names it.
      await storeSmtpPassword(core.secrets(), archive.db, next, password);
      const updated = archive.db.$client.transaction(() => {
        const changed = updateAccountSettings(archive.db, row.id, {
          smtpHost: next.smtpHost,
          smtpPort: next.smtpPort,
          smtpSecurity: next.smtpSecurity,
        })!;
        caller.audit({
          action: 'account.smtp',
          targetType: 'account',
          targetId: row.email,
          accountId: row.id,
          details: { host: next.smtpHost, port: next.smtpPort, security: next.smtpSecurity },
        });
        return changed;
      })();
      kick();
      return publicAccount(updated);
    },
    'accounts.setSendLimits': async ({ email, ...limits }, caller) => {
      const archive = core.archive();
      const row = accountOf(archive.db, email);
      const updated = archive.db.$client.transaction(() => {
        const changed = updateAccountSettings(archive.db, row.id, limits)!;
        caller.audit({
          action: 'account.limits',
          targetType: 'account',
          targetId: row.email,
          accountId: row.id,
          details: limits,
        });
        return changed;
      })();
      return publicAccount(updated);
    },
  };
}

async function setState(core: SendCore, caller: HandlerContext, id: number, state: 'sending' | 'paused') {
  const db = core.archive().db;
  const c = campaignFor(db, id);
  db.$client.transaction(() => {
    setCampaignState(db, id, state);
    caller.audit({
      action: state === 'paused' ? 'campaign.pause' : 'campaign.resume',
      targetType: 'campaign',
      targetId: id,
      accountId: c.accountId,
    });
  })();
  return summary(db, getCampaign(db, id)!);
}

async function draft(
  archive: Archive,
  caller: HandlerContext,
  id: number,
  make: (source: Parameters<typeof replyDraft>[0]) => Promise<import('../send/drafts.ts').Draft>,
) {
  const row = getMessage(archive.db, id);
  if (!row) throw new ApiFailure('not-found', `no message ${id}`);
  const r = caller.principal.rights;
  // The mailboxes it sits in that the caller may send from come first.
  const accounts = accountsOfMessage(archive.db, id)
    .map((a) => findAccount(archive.db, a))
    .filter((a): a is AccountRow => a !== undefined)
    .sort((a, b) => Number(has(r, 'send', b.id)) - Number(has(r, 'send', a.id)));
  try {
    return await make({ raw: await archive.objects.get(row.objectHash), messageRowId: id, accounts });
  } catch (e) {
    if (e instanceof DraftError) throw new ApiFailure('invalid-arguments', e.message);
    throw e;
  }
}
