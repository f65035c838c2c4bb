/**
 * The API of sending (issue 12): compose and the outbox, reply and forward, mass sending and
 * templates, and each mailbox's SMTP server and limits; argument schemas, rules and results,
 * merged into contract.ts's one contract. Sending needs the send right on the sending mailbox and
 * is logged ('message.send') in the transaction that writes the outbox row; lists are scoped to
 * the mailboxes the caller may read.
 */
import { z } from 'zod';
import { DELIVERY_TYPES } from '../pec/kinds.ts';
import type { CampaignProblem, RecipientOutcome } from '../send/campaigns.ts';
import type { Draft } from '../send/drafts.ts';
import type { SendLimits, SendProblem } from '../send/limits.ts';
import type { OutboxView } from '../send/outbox-view.ts';
import { type MethodRule, onAccount, onCampaign, onMessage, onOutbox, signedIn } from './access.ts';

export type { CampaignProblem, RecipientOutcome } from '../send/campaigns.ts';
export type { Draft, DraftAttachment } from '../send/drafts.ts';
export type { SendLimits, SendProblem } from '../send/limits.ts';
export type { OutboxDisplayState, OutboxView } from '../send/outbox-view.ts';

const address = z.string().trim().max(320);
/** 60 MiB of files, as base64, in one call (the provider's own limit is 100 MB for all recipients). */
const base64 = z.string().max(80 * 1024 * 1024);

const file = z
  .object({
    filename: z.string().trim().min(1).max(255),
    contentBase64: base64,
    contentType: z.string().max(200).optional(),
  })
  .strict();

/** A file the person attaches, or a message of the archive forwarded (its original or envelope). */
const attachment = z.union([
  file,
  z.object({ messageId: z.number().int().positive(), part: z.enum(['original', 'envelope']) }).strict(),
]);

const composeInput = z
  .object({
    from: address,
    to: z.array(address).max(1_000),
    cc: z.array(address).max(1_000).default([]),
    /** Refused whenever not empty: a PEC has no blind copies (the provider refuses it). */
    bcc: z.array(address).max(1_000).optional(),
    subject: z.string().max(998),
    text: z.string().max(4 * 1024 * 1024),
    /** The same body with simple formatting, when the person used any. */
    html: z
      .string()
      .max(8 * 1024 * 1024)
      .nullable()
      .optional(),
    receiptType: z.enum(DELIVERY_TYPES).default('completa'),
    attachments: z.array(attachment).max(100).default([]),
    inReplyTo: z.string().max(2_000).nullable().optional(),
    references: z.array(z.string().max(2_000)).max(100).optional(),
  })
  .strict();

const campaignInput = {
  from: address,
  name: z.string().trim().max(200).optional(),
  /** The recipients: a CSV or an .xlsx file, its first row naming the columns. */
  list: file,
  addressColumn: z.string().max(200).nullable().optional(),
  subject: z.string().max(998),
  body: z.string().max(1024 * 1024),
  receiptType: z.enum(DELIVERY_TYPES).default('completa'),
  attachColumn: z.string().max(200).nullable().optional(),
};

const byId = z.object({ id: z.number().int().positive() }).strict();

export const sendSchemas = {
  /** Builds the message and checks it against the mailbox's limits; nothing is written. */
  'outbox.check': composeInput,
  /** Writes the message and its outbox row (durably), then the outbox sends it. */
  'outbox.send': composeInput,
  'outbox.list': z
    .object({
      campaignId: z.number().int().positive().optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
  /** A message the server refused goes again, as it was. */
  'outbox.retry': byId,
  /** A message not yet handed to the provider is not sent. */
  'outbox.cancel': byId,
  'compose.reply': z.object({ id: z.number().int().positive(), all: z.boolean().default(false) }).strict(),
  /** `envelope`: attach the whole envelope (signed by the provider) instead of postacert.eml. */
  'compose.forward': z
    .object({ id: z.number().int().positive(), envelope: z.boolean().default(false) })
    .strict(),
  /** The list read, the first messages as they will be sent, and every problem; nothing is written. */
  'campaigns.preview': z
    .object({
      ...campaignInput,
      /** The names of the files the attachment column may name (the files themselves come at create). */
      fileNames: z.array(z.string().max(255)).max(5_000).default([]),
      count: z.number().int().min(1).max(20).default(3),
    })
    .strict(),
  'campaigns.create': z.object({ ...campaignInput, files: z.array(file).max(5_000).default([]) }).strict(),
  'campaigns.list': z.object({}).strict(),
  'campaigns.get': byId,
  'campaigns.pause': byId,
  'campaigns.resume': byId,
  'campaigns.resendFailed': byId,
  'campaigns.export': byId,
  'templates.list': z.object({}).strict(),
  'templates.save': z
    .object({
      name: z.string().trim().min(1).max(120),
      subject: z.string().max(998),
      body: z.string().max(1024 * 1024),
      receiptType: z.enum(DELIVERY_TYPES).default('completa'),
    })
    .strict(),
  'templates.remove': byId,
  /** The mailbox's SMTP server; the password is asked again, as for any server it is used with. */
  'accounts.setSmtp': z
    .object({
      email: z.string().max(320),
      smtpHost: z.string().trim().min(1).max(255),
      smtpPort: z.number().int().min(1).max(65535),
      smtpSecurity: z.enum(['tls', 'starttls']),
      password: z.string().min(1).max(1_000),
    })
    .strict(),
  /** The provider's limits for this mailbox (null: PecDesk's default). */
  'accounts.setSendLimits': z
    .object({
      email: z.string().max(320),
      sendPerMinute: z.number().int().min(1).max(10_000).nullable(),
      maxRecipients: z.number().int().min(1).max(10_000).nullable(),
      maxTotalBytes: z
        .number()
        .int()
        .min(1024)
        .max(10 * 1024 * 1024 * 1024)
        .nullable(),
    })
    .strict(),
};

export type SendMethod = keyof typeof sendSchemas;

export const sendRules = {
  'outbox.check': { access: onAccount('send', 'from'), audit: false },
  'outbox.send': { access: onAccount('send', 'from'), audit: { action: 'message.send', by: 'handler' } },
  // Rows of the mailboxes the caller may read (db/outbox.ts listOutbox).
  'outbox.list': { access: signedIn, audit: false },
  // The send right on the row's mailbox is checked by the handler (a row is no API target kind).
  'outbox.retry': { access: onOutbox('send'), audit: { action: 'message.resend', by: 'handler' } },
  'outbox.cancel': { access: onOutbox('send'), audit: { action: 'message.cancel', by: 'handler' } },
  'compose.reply': { access: onMessage('read'), audit: false },
  'compose.forward': { access: onMessage('read'), audit: false },
  'campaigns.preview': { access: onAccount('send', 'from'), audit: false },
  'campaigns.create': {
    access: onAccount('send', 'from'),
    audit: { action: 'campaign.send', by: 'handler' },
  },
  'campaigns.list': { access: signedIn, audit: false },
  'campaigns.get': { access: onCampaign('read'), audit: false },
  'campaigns.pause': { access: onCampaign('send'), audit: { action: 'campaign.pause', by: 'handler' } },
  'campaigns.resume': { access: onCampaign('send'), audit: { action: 'campaign.resume', by: 'handler' } },
  'campaigns.resendFailed': {
    access: onCampaign('send'),
    audit: { action: 'campaign.resend', by: 'handler' },
  },
  'campaigns.export': { access: onCampaign('read'), audit: { action: 'campaign.export', by: 'handler' } },
  'templates.list': { access: signedIn, audit: false },
  'templates.save': { access: signedIn, audit: false },
  'templates.remove': { access: signedIn, audit: false },
  'accounts.setSmtp': { access: onAccount('manage'), audit: { action: 'account.smtp', by: 'handler' } },
  'accounts.setSendLimits': {
    access: onAccount('manage'),
    audit: { action: 'account.limits', by: 'handler' },
  },
} satisfies Record<SendMethod, MethodRule>;

export interface CampaignSummary {
  id: number;
  name: string;
  from: string;
  state: 'sending' | 'paused' | 'cancelled';
  createdAt: string;
  createdBy: string;
  total: number;
  counts: Record<RecipientOutcome['state'], number>;
}

export interface CampaignPreview {
  columns: string[];
  addressColumn: string | null;
  total: number;
  messages: { row: number; address: string; subject: string; body: string; attachments: string[] }[];
  problems: CampaignProblem[];
}

export interface SendTemplateView {
  id: number;
  name: string;
  subject: string;
  body: string;
  receiptType: 'completa' | 'breve' | 'sintetica';
  updatedAt: string;
}

export interface SendResults {
  'outbox.check': { problems: SendProblem[]; size: number; totalBytes: number; limits: SendLimits };
  'outbox.send': { outboxId: number; messageId: string; state: string };
  'outbox.list': { total: number; waiting: number; rows: OutboxView[] };
  'outbox.retry': OutboxView;
  'outbox.cancel': OutboxView;
  'compose.reply': Draft;
  'compose.forward': Draft;
  'campaigns.preview': CampaignPreview;
  'campaigns.create': { campaignId: number; total: number };
  'campaigns.list': CampaignSummary[];
  'campaigns.get': CampaignSummary & {
    subject: string;
    body: string;
    columns: string[];
    recipients: RecipientOutcome[];
  };
  'campaigns.pause': CampaignSummary;
  'campaigns.resume': CampaignSummary;
  'campaigns.resendFailed': { resent: number };
  'campaigns.export': { filename: string; contentBase64: string };
  'templates.list': SendTemplateView[];
  'templates.save': SendTemplateView;
  'templates.remove': { removed: number };
  'accounts.setSmtp': import('./contract.ts').PublicAccount;
  'accounts.setSendLimits': import('./contract.ts').PublicAccount;
}
