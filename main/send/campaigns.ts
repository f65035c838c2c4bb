/**
 * Mass sending: one PEC per recipient of a list (each its own message, with its own Message-ID,
 * acceptance and delivery receipt: a PEC's value is per recipient, and recipients must not see
 * each other), the list's columns merged into subject and body, an optional column naming each
 * recipient's own attachment. Every message is built and written to the outbox at once, in one
 * transaction with the campaign (so the preview is exactly what is sent and a restart resumes where
 * it stopped); the outbox sends them within the mailbox's messages per minute. A paused campaign's
 * rows wait in the outbox.
 */
import type { AccountRow } from '../../db/accounts.ts';
import {
  type CampaignRecipientRow,
  campaignRecipientsOf,
  getCampaign,
  insertCampaign,
  insertCampaignRecipient,
  setRecipientOutbox,
} from '../../db/campaigns.ts';
import type { Db } from '../../db/database.ts';
import { getOutbox, retryFailed } from '../../db/outbox.ts';
import type { Archive } from '../archive/archive.ts';
import type { DeliveryType } from '../pec/kinds.ts';
import { readOriginal } from '../pec/original.ts';
import { isAddress, problemText, type SendProblem } from './limits.ts';
import { guessAddressColumn, merge, unknownPlaceholders } from './merge.ts';
import type { OutgoingAttachment } from './message.ts';
import { type PreparedMessage, prepareMessage, writeOutbox } from './outbox-write.ts';
import type { RecipientList } from './recipient-list.ts';

export interface CampaignInput {
  account: AccountRow;
  name: string;
  list: RecipientList;
  /** The column with the addresses; guessed from the names ("PEC", "email"…) when not given. */
  addressColumn?: string | null;
  subject: string;
  body: string;
  receiptType: DeliveryType;
  /** A column naming each recipient's own file (among `files`); several separated by ";". */
  attachColumn?: string | null;
  /** The files the attachment column names, by file name. */
  files: Map<string, Buffer>;
  /** Files every recipient gets. */
  attachments: OutgoingAttachment[];
}

export type CampaignProblem =
  | { code: 'no-address-column' }
  | { code: 'unknown-column'; column: string }
  | { code: 'no-subject' }
  | { code: 'bad-address'; row: number; address: string }
  | { code: 'duplicate-address'; row: number; address: string; firstRow: number }
  | { code: 'missing-attachment'; row: number; file: string }
  | { code: 'message'; row: number; problem: SendProblem };

export interface PlannedMessage {
  row: number;
  address: string;
  subject: string;
  body: string;
  attachments: string[];
  fields: Record<string, string>;
}

export interface CampaignPlan {
  addressColumn: string | null;
  messages: PlannedMessage[];
  problems: CampaignProblem[];
}

function fileKey(name: string): string {
  return name
    .trim()
    .replace(/^.*[\\/]/, '')
    .toLowerCase();
}

/** The attachment column's cell: file names separated by ";". */
function cellFiles(cell: string): string[] {
  return cell
    .split(';')
    .map((f) => f.trim())
    .filter(Boolean);
}

/** What each recipient gets, and every problem of the list, before anything is built. */
export function planCampaign(input: CampaignInput): CampaignPlan {
  const problems: CampaignProblem[] = [];
  const { columns, rows } = input.list;
  const addressColumn =
    input.addressColumn && columns.includes(input.addressColumn)
      ? input.addressColumn
      : guessAddressColumn(columns, rows);
  if (!addressColumn) problems.push({ code: 'no-address-column' });
  for (const column of new Set([
    ...unknownPlaceholders(input.subject, columns),
    ...unknownPlaceholders(input.body, columns),
  ]))
    problems.push({ code: 'unknown-column', column });
  if (input.attachColumn && !columns.includes(input.attachColumn))
    problems.push({ code: 'unknown-column', column: input.attachColumn });
  if (!input.subject.trim()) problems.push({ code: 'no-subject' });
  const available = new Set([...input.files.keys()].map(fileKey));
  const firstRowOf = new Map<string, number>();
  const messages = rows.map((fields, i) => {
    const row = i + 1;
    const address = addressColumn ? (fields[addressColumn] ?? '').trim().toLowerCase() : '';
    if (addressColumn) {
      if (!isAddress(address)) problems.push({ code: 'bad-address', row, address });
      else if (firstRowOf.has(address))
        problems.push({ code: 'duplicate-address', row, address, firstRow: firstRowOf.get(address)! });
      else firstRowOf.set(address, row);
    }
    const attachments = input.attachColumn ? cellFiles(fields[input.attachColumn] ?? '') : [];
    for (const file of attachments)
      if (!available.has(fileKey(file))) problems.push({ code: 'missing-attachment', row, file });
    return {
      row,
      address,
      subject: merge(input.subject, fields).trim(),
      body: merge(input.body, fields),
      attachments,
      fields,
    };
  });
  return { addressColumn, messages, problems };
}

/** The English sentence of a campaign problem, for the CLI and the logs. */
export function campaignProblemText(p: CampaignProblem): string {
  switch (p.code) {
    case 'no-address-column':
      return 'no column with the addresses (name it "PEC" or "email", or choose it)';
    case 'unknown-column':
      return `the list has no column "${p.column}"`;
    case 'no-subject':
      return 'the subject is empty';
    case 'bad-address':
      return `row ${p.row}: "${p.address}" is not an e-mail address`;
    case 'duplicate-address':
      return `row ${p.row}: ${p.address} is already on row ${p.firstRow}`;
    case 'missing-attachment':
      return `row ${p.row}: the file "${p.file}" was not given`;
    case 'message':
      return `row ${p.row}: ${problemText(p.problem)}`;
  }
}

export class CampaignRefused extends Error {
  constructor(readonly problems: CampaignProblem[]) {
    super(
      `the campaign cannot be sent: ${problems
        .slice(0, 5)
        .map(campaignProblemText)
        .join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    );
  }
}

function attachmentsOf(planned: PlannedMessage, input: CampaignInput): OutgoingAttachment[] {
  const byKey = new Map([...input.files].map(([name, bytes]) => [fileKey(name), { name, bytes }]));
  return [
    ...input.attachments,
    ...planned.attachments.map((f) => {
      const found = byKey.get(fileKey(f))!;
      return { filename: found.name.replace(/^.*[\\/]/, ''), content: found.bytes };
    }),
  ];
}

/** Builds one message of the campaign, exactly as it will be sent. */
async function build(
  input: CampaignInput,
  planned: PlannedMessage,
): Promise<PreparedMessage | CampaignProblem[]> {
  const prepared = await prepareMessage({
    account: input.account,
    to: [planned.address],
    cc: [],
    subject: planned.subject,
    text: planned.body,
    attachments: attachmentsOf(planned, input),
    receiptType: input.receiptType,
  });
  return prepared.problems.length > 0
    ? prepared.problems.map((problem) => ({ code: 'message' as const, row: planned.row, problem }))
    : prepared.message;
}

export interface CreateMeta {
  createdBy: string;
  audit(db: Db, campaignId: number, count: number): void;
}

/**
 * Checks the whole list, builds every message, and writes the campaign with all its outbox rows
 * in one transaction (nothing is sent before that). Refuses (CampaignRefused) when any row has a
 * problem: the person fixes the list, nobody gets half a campaign.
 */
export async function createCampaign(
  archive: Archive,
  input: CampaignInput,
  meta: CreateMeta,
): Promise<number> {
  const plan = planCampaign(input);
  if (plan.problems.length > 0) throw new CampaignRefused(plan.problems);
  const built: PreparedMessage[] = [];
  const problems: CampaignProblem[] = [];
  for (const planned of plan.messages) {
    const result = await build(input, planned);
    if (Array.isArray(result)) problems.push(...result);
    else built.push(result);
  }
  if (problems.length > 0) throw new CampaignRefused(problems);
  let campaignId = 0;
  await writeOutbox(archive, built, {
    createdBy: meta.createdBy,
    campaign: (db) => {
      campaignId = insertCampaign(db, {
        accountId: input.account.id,
        fromAddress: input.account.email,
        name: input.name,
        subjectTemplate: input.subject,
        bodyTemplate: input.body,
        receiptType: input.receiptType,
        attachColumn: input.attachColumn ?? null,
        columns: JSON.stringify(input.list.columns),
        state: 'sending',
        createdAt: new Date().toISOString(),
        createdBy: meta.createdBy,
      });
      return campaignId;
    },
    inTransaction: (db, ids) => {
      plan.messages.forEach((m, i) => {
        insertCampaignRecipient(db, {
          campaignId,
          row: m.row,
          address: m.address,
          fields: JSON.stringify(m.fields),
          outboxId: ids[i]!,
        });
      });
      meta.audit(db, campaignId, ids.length);
    },
  });
  return campaignId;
}

/** What a recipient's PEC became, in the words of `pecdesk campaign show` (README). */
export type RecipientState = 'queued' | 'sent' | 'accepted' | 'delivered' | 'failed';

export interface RecipientOutcome {
  row: number;
  address: string;
  state: RecipientState;
  /** Why it failed (or what is odd), in English; null when nothing to say. */
  reason: string | null;
  /** The same as a stable code, for the UI's words. */
  reasonCode:
    | 'smtp-refused'
    | 'not-accepted'
    | 'delivery-failed'
    | 'no-proof'
    | 'warning'
    | 'retrying'
    | 'verifying'
    | 'cancelled'
    | null;
  /** The server's or the provider's own words (errore-esteso, the SMTP answer). */
  detail: string | null;
  outboxId: number | null;
  messageId: string | null;
  /** The sent copy in the archive (its PEC thread), once the provider took it. */
  archivedMessageId: number | null;
  sentAt: string | null;
  acceptedAt: string | null;
  deliveredAt: string | null;
  fields: Record<string, string>;
}

export function recipientOutcome(r: CampaignRecipientRow): RecipientOutcome {
  const base = {
    row: r.row,
    address: r.address,
    outboxId: r.outboxId,
    messageId: r.messageId,
    archivedMessageId: r.archivedMessageId,
    sentAt: r.sentAt,
    acceptedAt: r.acceptedAt,
    deliveredAt: r.recipientState === 'delivered' ? r.recipientStateAt : null,
    fields: JSON.parse(r.fields) as Record<string, string>,
  };
  const out = (
    state: RecipientState,
    reasonCode: RecipientOutcome['reasonCode'] = null,
    reason: string | null = null,
    detail: string | null = null,
  ): RecipientOutcome => ({ ...base, state, reasonCode, reason, detail });
  switch (r.outboxState) {
    case null:
      return out('queued');
    case 'queued':
      return r.lastError ? out('queued', 'retrying', 'waiting to be sent again', r.lastError) : out('queued');
    case 'sending':
      return out('queued');
    case 'cancelled':
      return out('failed', 'cancelled', 'cancelled before sending');
    case 'failed':
      return out('failed', 'smtp-refused', 'the server refused it', r.lastError);
  }
  if (r.threadState === 'rejected')
    return out('failed', 'not-accepted', 'not accepted by the provider (avviso di non accettazione)');
  switch (r.recipientState) {
    case 'delivered':
      return out('delivered');
    case 'failed':
      return out(
        'failed',
        'delivery-failed',
        `not delivered${r.recipientError ? ` (${r.recipientError})` : ''}`,
        r.recipientErrorDetail,
      );
    case 'no-proof':
      return out('accepted', 'no-proof', 'not a PEC address: no delivery receipt');
    case 'warning':
      return out(
        'accepted',
        'warning',
        'not delivered yet (preavviso di mancata consegna)',
        r.recipientErrorDetail,
      );
  }
  return r.acceptedAt || r.threadState === 'accepted' ? out('accepted') : out('sent');
}

export function campaignOutcomes(db: Db, campaignId: number): RecipientOutcome[] {
  return campaignRecipientsOf(db, campaignId).map(recipientOutcome);
}

/** A CSV cell: quoted when it holds the delimiter, a quote or a line break. */
function csvCell(value: string | null): string {
  const v = value ?? '';
  return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The campaign's table for Excel: the list's own columns, then the outcome of each recipient's PEC.
 * Semicolons and a UTF-8 BOM, as Excel in Italy opens a CSV by double click.
 */
export function campaignCsv(db: Db, campaignId: number): string {
  const campaign = getCampaign(db, campaignId);
  if (!campaign) throw new Error(`no campaign ${campaignId}`);
  const columns = JSON.parse(campaign.columns) as string[];
  const header = [
    ...columns,
    'pec_indirizzo',
    'pec_stato',
    'pec_motivo',
    'pec_dettaglio',
    'pec_message_id',
    'pec_inviata',
    'pec_accettata',
    'pec_consegnata',
  ];
  const lines = [header.map(csvCell).join(';')];
  for (const o of campaignOutcomes(db, campaignId))
    lines.push(
      [
        ...columns.map((c) => o.fields[c] ?? ''),
        o.address,
        o.state,
        o.reason,
        o.detail,
        o.messageId,
        o.sentAt,
        o.acceptedAt,
        o.deliveredAt,
      ]
        .map(csvCell)
        .join(';'),
    );
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/**
 * Sends again to the recipients whose PEC failed: a message the server refused goes again as it
 * was (it never reached the provider); one not accepted or not delivered becomes a new PEC (a new
 * Message-ID: the provider's receipts of the first one stay with it), with the same content.
 */
export async function resendFailed(
  archive: Archive,
  account: AccountRow,
  campaignId: number,
  meta: { createdBy: string; audit(db: Db, count: number): void },
): Promise<number> {
  const failed = campaignOutcomes(archive.db, campaignId).filter((o) => o.state === 'failed' && o.outboxId);
  const again: { row: number; message: PreparedMessage }[] = [];
  const retried: number[] = [];
  for (const o of failed) {
    const old = getOutbox(archive.db, o.outboxId!);
    if (!old) continue;
    if (old.state === 'failed') {
      retried.push(old.id);
      continue;
    }
    const parsed = await readOriginal(await archive.objects.get(old.objectHash), { contents: true });
    if (!parsed.ok) throw new Error(`the message of row ${o.row} cannot be read again: ${parsed.reason}`);
    const prepared = await prepareMessage({
      account,
      to: [o.address],
      cc: [],
      subject: parsed.value.subject ?? old.subject ?? '',
      text: parsed.value.text ?? '',
      attachments: (parsed.contents ?? []).map((a) => ({
        filename: a.filename ?? 'allegato',
        content: a.content,
        contentType: a.contentType,
      })),
      receiptType: old.receiptType,
    });
    if (prepared.problems.length > 0)
      throw new CampaignRefused(
        prepared.problems.map((problem) => ({ code: 'message', row: o.row, problem })),
      );
    again.push({ row: o.row, message: prepared.message });
  }
  await writeOutbox(
    archive,
    again.map((a) => a.message),
    {
      createdBy: meta.createdBy,
      campaign: () => campaignId,
      inTransaction: (db, ids) => {
        again.forEach((a, i) => {
          setRecipientOutbox(db, campaignId, a.row, ids[i]!);
        });
        for (const id of retried) retryFailed(db, id);
        meta.audit(db, ids.length + retried.length);
      },
    },
  );
  return again.length + retried.length;
}
