/**
 * The one API contract between the core and every front end (Electron IPC, the HTTP/WebSocket
 * bridge, the CLI): argument schemas, result types, events. Results cross as plain data inside
 * ApiResponse, never as thrown errors (Signal Desktop's pattern).
 */
import { z } from 'zod';
import type { SavedSearch } from '../../db/saved-searches.ts';
import { type ListRow, type MailboxEntry, SMART_VIEWS, type ViewCount } from '../../db/views.ts';
import type { InstantStats, Suggestion } from '../search/instant.ts';
import type { SearchResult } from '../search/search.ts';

export type { SavedSearch } from '../../db/saved-searches.ts';
export type { InstantStats, Suggestion, SuggestionKind } from '../search/instant.ts';
export type { FilterChip } from '../search/query.ts';
export type { SearchHit, SearchResult } from '../search/search.ts';

import type { InspectResult } from '../pec/inspect.ts';

export type { ListRow, MailboxEntry, SmartView, ViewCount, ViewRef } from '../../db/views.ts';

import type { CoreEvents, SyncErrorCode } from '../common/core-events.ts';
import {
  type OfficeEvents,
  type OfficeResults,
  officeRules,
  officeSchemas,
} from '../office-client/office-contract.ts';
import {
  admin,
  anyone,
  type EventRule,
  type MethodRule,
  onAccount,
  onMessage,
  onThread,
  signedIn,
} from './access.ts';
import { type KeepEvents, type KeepResults, keepRules, keepSchemas } from './keep-contract.ts';
import type { ApiEventName, ApiMethod } from './methods.ts';
import { type PeopleResults, peopleRules, peopleSchemas } from './people-contract.ts';
import { type SendResults, sendRules, sendSchemas } from './send-contract.ts';

import { type WorkNotice, type WorkResults, workRules, workSchemas } from './work-contract.ts';

export type { RowWork } from '../../db/views.ts';
export type { ApiEventName, ApiMethod } from './methods.ts';
export type {
  ApprovalView,
  RuleDefinition,
  RuleView,
  TagView,
  TermView,
  WorkEventView,
  WorkNotice,
  WorkReport,
  WorkSettings,
  WorkView,
} from './work-contract.ts';

const accountInput = z
  .object({
    email: z.string().min(3).max(320),
    password: z.string().min(1).max(1_000),
    preset: z.string().max(40).optional(),
    imapHost: z.string().max(255).optional(),
    imapPort: z.number().int().min(1).max(65535).optional(),
    security: z.enum(['tls', 'starttls']).optional(),
    user: z.string().max(320).optional(),
    /**
     * PEM certificates of an extra CA for the server's certificate (self-hosted servers; the CLI's
     * --ca FILE reads the file and sends its text). Never a path: the core reads no file a client
     * names. Parsed and checked as certificates by main/accounts/ca-pem.ts (256 KiB at most).
     */
    caPem: z
      .string()
      .max(256 * 1024)
      .optional(),
    displayName: z.string().max(200).optional(),
    /** The SMTP server for sending (the preset's when not given). */
    smtpHost: z.string().trim().min(1).max(255).optional(),
    smtpPort: z.number().int().min(1).max(65535).optional(),
    smtpSecurity: z.enum(['tls', 'starttls']).optional(),
  })
  .strict();

export const argSchemas = {
  'app.info': z.object({}).strict(),
  'pec.inspect': z
    .object({
      fileName: z.string().max(1_000),
      /** Raw .eml bytes, base64: 50 MiB of message at most. */
      contentBase64: z.string().max(70 * 1024 * 1024),
    })
    .strict(),
  'views.list': z.object({}).strict(),
  'messages.list': z
    .object({
      view: z.discriminatedUnion('kind', [
        z.object({
          kind: z.literal('smart'),
          view: z.enum(SMART_VIEWS),
        }),
        z.object({ kind: z.literal('mailbox'), mailboxId: z.number().int().positive() }),
        z.object({ kind: z.literal('tag'), tagId: z.number().int().positive() }),
      ]),
      offset: z.number().int().min(0),
      limit: z.number().int().min(0).max(500),
    })
    .strict(),
  'messages.get': z.object({ id: z.number().int().positive() }).strict(),
  'threads.get': z.union([
    z.object({ id: z.number().int().positive() }).strict(),
    /** The PEC's Message-ID (daticert msgid) or its identificativo. */
    z.object({ msgid: z.string().min(1).max(2_000) }).strict(),
  ]),
  'accounts.list': z.object({}).strict(),
  'accounts.add': accountInput,
  'accounts.remove': z.object({ email: z.string().max(320) }).strict(),
  /**
   * The person enters an account's password again (a copied archive, a password from an earlier
   * version, a changed server): stored for the server the account names, which this confirms.
   */
  'accounts.setPassword': z
    .object({ email: z.string().max(320), password: z.string().min(1).max(1_000) })
    .strict(),
  'accounts.test': accountInput,
  'accounts.presets': z.object({}).strict(),
  'sync.now': z.object({}).strict(),
  'demo.open': z.object({}).strict(),
  'demo.close': z.object({}).strict(),
  'search.query': z
    .object({
      /** The search language of main/search/query.ts; anything typed is accepted. */
      text: z.string().max(10_000),
      sort: z.enum(['date', 'relevance']).default('date'),
      offset: z.number().int().min(0),
      limit: z.number().int().min(0).max(500),
      /** The search box while typing: its last word is a prefix ("fattu" finds "fattura"). */
      prefixLast: z.boolean().optional(),
      /** Count every match; without it counting stops past 5,000 (`totalApproximate`). */
      exactCount: z.boolean().optional(),
    })
    .strict(),
  'search.suggest': z
    .object({
      text: z.string().max(10_000),
      limit: z.number().int().min(1).max(50).default(8),
      /** Only these kinds (e.g. correspondents, for an address field). */
      kinds: z
        .array(z.enum(['correspondent', 'subject', 'mailbox', 'folder', 'saved']))
        .max(5)
        .optional(),
    })
    .strict(),
  'search.stats': z.object({}).strict(),
  'searches.list': z.object({}).strict(),
  'searches.save': z
    .object({
      name: z.string().trim().min(1).max(120),
      query: z.string().trim().min(1).max(2_000),
      sort: z.enum(['date', 'relevance']).default('date'),
    })
    .strict(),
  'searches.remove': z.object({ id: z.number().int().positive() }).strict(),
  /** Read (opened) or unread ("segna come non letto"); written back to the server as \Seen. */
  'messages.setSeen': z.object({ id: z.number().int().positive(), seen: z.boolean() }).strict(),
  /** The archived original bytes, as they came from the server ("Salva .eml"). */
  'messages.raw': z.object({ id: z.number().int().positive() }).strict(),
  /** Settings of an account a person may change without re-entering it. */
  'accounts.update': z
    .object({
      email: z.string().max(320),
      displayName: z.string().trim().max(200).nullable().optional(),
      writeSeen: z.boolean().optional(),
    })
    .strict(),
  'attachments.get': z
    .object({ messageId: z.number().int().positive(), index: z.number().int().min(0).max(10_000) })
    .strict(),
  ...peopleSchemas,
  ...keepSchemas,
  ...sendSchemas,
  ...workSchemas,
  ...officeSchemas,
} satisfies Record<ApiMethod, z.ZodType>;

/**
 * What each method needs from its caller and what the log keeps of it (main/api/access.ts), beside
 * the schemas: a method without its rule does not compile. Checked by the registry before any
 * handler runs; lists and searches are 'signed-in' and scoped to the caller's mailboxes in db/.
 */
export const methodRules = {
  'app.info': { access: anyone, audit: false },
  // Reads a file the person already has; no archive data.
  'pec.inspect': { access: signedIn, audit: false },
  'views.list': { access: signedIn, audit: false },
  'messages.list': { access: signedIn, audit: false },
  'messages.get': { access: onMessage('read'), audit: { action: 'message.open', by: 'registry' } },
  'threads.get': { access: onThread('read'), audit: { action: 'thread.open', by: 'registry' } },
  'accounts.list': { access: signedIn, audit: false },
  'accounts.add': { access: admin, audit: { action: 'account.add', by: 'handler' } },
  'accounts.remove': { access: onAccount('manage'), audit: { action: 'account.remove', by: 'handler' } },
  // Tries a login with what was typed; nothing is stored or read from the archive.
  'accounts.test': { access: admin, audit: false },
  'accounts.setPassword': {
    access: onAccount('manage'),
    audit: { action: 'account.password', by: 'handler' },
  },
  'accounts.presets': { access: signedIn, audit: false },
  'sync.now': { access: signedIn, audit: false },
  'attachments.get': {
    access: onMessage('read', 'messageId'),
    audit: { action: 'attachment.download', by: 'registry' },
  },
  // The read state is not evidence; opening the message is (message.open).
  'messages.setSeen': { access: onMessage('read'), audit: false },
  'messages.raw': { access: onMessage('read'), audit: { action: 'message.export', by: 'registry' } },
  'accounts.update': { access: onAccount('manage'), audit: { action: 'account.update', by: 'handler' } },
  // Switching to the demo archive and back changes which archive the front ends see.
  'demo.open': { access: admin, audit: false },
  'demo.close': { access: admin, audit: false },
  'search.query': { access: signedIn, audit: false },
  'search.suggest': { access: signedIn, audit: false },
  // The whole archive's figures (how many correspondents, what is left to index): for whoever runs it.
  'search.stats': { access: admin, audit: false },
  'searches.list': { access: signedIn, audit: false },
  'searches.save': { access: signedIn, audit: false },
  'searches.remove': { access: signedIn, audit: false },
  ...peopleRules,
  ...keepRules,
  ...sendRules,
  ...workRules,
  ...officeRules,
} satisfies Record<ApiMethod, MethodRule>;

export type ApiArgs<M extends ApiMethod> = z.infer<(typeof argSchemas)[M]>;

export interface AppInfo {
  name: 'PecDesk';
  version: string;
  /** Where the archive lives; null before one is opened. */
  archiveDir: string | null;
  transport: Transport;
  /**
   * Which roots PEC signatures are checked against: the PEC trust list shipped with PecDesk, or
   * test anchors (the demo archive, PECDESK_PEC_TRUST_ANCHORS).
   */
  trust: 'pec-trust-list' | 'configured';
  /** The demo archive is open. */
  demo: boolean;
  /** No account and no message: the app offers to add a mailbox or open the demo. */
  empty: boolean;
}

export type InspectView = InspectResult & { fileName: string };

/** How a sent PEC stands, as its list row says it (db/views.ts ListRow, main/pec/reconcile.ts). */
type DeliveryFacts = Pick<
  ListRow,
  | 'acceptedAt'
  | 'acceptanceMissing'
  | 'lastActivityAt'
  | 'overdue'
  | 'recipientCount'
  | 'recipientTotal'
  | 'deliveredCount'
  | 'failedCount'
  | 'warningCount'
  | 'pendingCount'
  | 'noProofCount'
  | 'unverifiedCount'
>;

export interface ThreadView extends DeliveryFacts {
  id: number;
  msgid: string;
  identificativo: string | null;
  subject: string | null;
  sender: string | null;
  direction: 'sent' | 'received';
  state: string;
  recipients: {
    address: string;
    type: string;
    state: string;
    stateAt: string | null;
    provider: string | null;
    error: string | null;
    errorDetail: string | null;
    receiptMessageId: number | null;
  }[];
  members: {
    id: number;
    kind: string;
    date: string | null;
    signatureVerdict: string;
    deliveryAddress: string | null;
    provider: string | null;
    identificativo: string | null;
    /** daticert errore (no-dest, no-dominio, virus, altro) and errore-esteso. */
    error: string | null;
    errorDetail: string | null;
  }[];
}

export interface MessageView {
  id: number;
  threadId: number | null;
  locations: { path: string; email: string | null }[];
  inspect: InspectResult;
  thread: ThreadView | null;
}

export interface PublicAccount {
  id: number;
  email: string;
  displayName: string | null;
  preset: string | null;
  imapHost: string;
  imapPort: number;
  security: 'tls' | 'starttls';
  user: string;
  syncState: 'idle' | 'syncing' | 'error';
  lastErrorCode: string | null;
  lastError: string | null;
  lastSyncAt: string | null;
  /** Reading a message here marks it read on the server too (\Seen). */
  writeSeen: boolean;
  /** The mailbox's space and when it will be full (accounts.list; null: the server gives none). */
  quota?: import('./keep-contract.ts').AccountQuota | null;
  /** The SMTP server PEC are sent through (null: none set, the mailbox cannot send). */
  smtpHost: string | null;
  smtpPort: number | null;
  smtpSecurity: 'tls' | 'starttls' | null;
  /** The provider's limits sending keeps to, and which of them the person set (null: the default). */
  sendLimits: { maxRecipients: number; maxTotalBytes: number; perMinute: number };
  sendLimitsSet: { perMinute: number | null; maxRecipients: number | null; maxTotalBytes: number | null };
}

export interface ApiResults extends PeopleResults, KeepResults, SendResults, WorkResults, OfficeResults {
  'app.info': AppInfo;
  'pec.inspect': InspectView;
  'views.list': { smart: ViewCount[]; mailboxes: MailboxEntry[] };
  /** `messageTotal` (first page only): the messages those rows hold, receipts included. */
  'messages.list': { total: number; rows: ListRow[]; messageTotal?: number };
  'messages.get': MessageView;
  'threads.get': ThreadView;
  'accounts.list': PublicAccount[];
  'accounts.add': PublicAccount;
  'accounts.remove': { removed: string };
  'accounts.test': { ok: boolean; errorCode: SyncErrorCode | null; error: string | null };
  'accounts.setPassword': PublicAccount;
  'accounts.presets': ProviderPresetView[];
  'sync.now': { started: number };
  'attachments.get': { filename: string | null; contentType: string; contentBase64: string };
  'messages.setSeen': { id: number; seen: boolean };
  'messages.raw': { filename: string; contentBase64: string };
  'accounts.update': PublicAccount;
  'demo.open': { archiveDir: string };
  'search.query': SearchResult;
  'search.suggest': { suggestions: Suggestion[] };
  'search.stats': { instant: InstantStats; pendingBackfill: number };
  'searches.list': SavedSearch[];
  'searches.save': SavedSearch;
  'searches.remove': { removed: number };
  'demo.close': { archiveDir: string };
}

/** A provider preset as the add-mailbox form shows it: by name, with what it needs as user name. */
export interface ProviderPresetView {
  id: string;
  /** "Aruba PEC", "Legalmail (InfoCert)". */
  name: string;
  domains: string[];
  /** `user-id`: the provider logs in with a user code (Legalmail's M1234567), not the address. */
  login: 'address' | 'user-id';
  imap: { host: string; port: number; security: 'tls' | 'starttls' };
  smtp: { host: string; port: number; security: 'tls' | 'starttls' };
}

// The core's own events and sync's payloads live below the API (main/common), where sync emits them.
export type { CoreEvents, SyncErrorCode, SyncProgress, SyncStateEvent } from '../common/core-events.ts';

/** Every event the front ends may receive: the core's own (main/common), and the features'. */
export interface ApiEvents extends CoreEvents, KeepEvents, OfficeEvents {
  /** A reminder before a due day, a due day passed, an escalation (issue 14): for userIds only. */
  'work.notice': WorkNotice;
}

/** Who receives each event (main/api/registry.ts filterEvents). */
export const eventRules = {
  'app.notice': { who: 'signed-in' },
  'archive.changed': { who: 'threads' },
  'sync.progress': { who: 'mailbox', field: 'accountId' },
  'sync.state': { who: 'mailbox', field: 'accountId' },
  'search.backfill': { who: 'signed-in' },
  'demo.progress': { who: 'admin' },
  'outbox.changed': { who: 'mailbox', field: 'accountId' },
  'quota.alert': { who: 'mailbox', field: 'accountId' },
  'work.notice': { who: 'people', field: 'userIds' },
  // A front end's own connection (main/office-client/front-end.ts delivers it to each of its
  // windows itself); no core emits it.
  'office.state': { who: 'signed-in' },
} satisfies Record<ApiEventName, EventRule>;

export type Transport = 'ipc' | 'http' | 'cli';

export type ApiErrorCode =
  | 'invalid-arguments'
  | 'unknown-method'
  | 'forbidden'
  /** Sign in first (logins are on and the call carries no open session). */
  | 'unauthenticated'
  /** Too many failed attempts: wait (the message says until when). */
  | 'locked'
  | 'not-found'
  | 'conflict'
  /** The office server cannot be reached (or presents another certificate): no answer came. */
  | 'unavailable'
  | 'internal';

export interface ApiError {
  code: ApiErrorCode;
  /** English, for logs; the UI shows its own words for the code. */
  message: string;
}

export type ApiResponse<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** What window.pecdesk offers in Electron, and what the browser client offers over WebSocket. */
export interface PecDeskBridge {
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResponse<ApiResults[M]>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** The session of the person signed in (personal logins), sent with every call; null signs out. */
  setSession(token: string | null): void;
}

/** Thrown inside handlers to answer with a specific error code instead of `internal`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}
