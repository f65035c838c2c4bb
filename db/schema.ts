/**
 * The archive schema (drizzle, SQLite). All SQL of PecDesk lives under db/: the schema here, the
 * migrations drizzle-kit generates from it in db/migrations, and the query functions in db/*.ts.
 * Timestamps are ISO 8601 strings in UTC; the raw .eml is the legal original and lives in the
 * object store, addressed by `objectHash`.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const accounts = sqliteTable('accounts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  displayName: text('display_name'),
  preset: text('preset'),
  imapHost: text('imap_host').notNull(),
  imapPort: integer('imap_port').notNull(),
  imapSecurity: text('imap_security', { enum: ['tls', 'starttls'] }).notNull(),
  imapUser: text('imap_user').notNull(),
  /**
   * Deprecated: a path to a PEM file, as archives before 0004 stored it. Read once into caPem when
   * the archive is opened, then cleared (main/accounts); nothing reads a path from the db after.
   */
  caFile: text('ca_file'),
  /** PEM certificates of an extra CA for the server's TLS certificate (self-hosted or test servers). */
  caPem: text('ca_pem'),
  /** Write the read state back to the server as \Seen (the person's choice per mailbox). */
  writeSeen: integer('write_seen', { mode: 'boolean' }).notNull().default(true),
  smtpHost: text('smtp_host'),
  smtpPort: integer('smtp_port'),
  smtpSecurity: text('smtp_security', { enum: ['tls', 'starttls'] }),
  /**
   * The provider's sending limits for this mailbox, when the person set them (main/send/limits.ts
   * takes the preset's, else PecDesk's defaults, for those left null): messages a minute,
   * recipients (To + Cc) per message, message size × recipients in bytes.
   */
  sendPerMinute: integer('send_per_minute'),
  maxRecipients: integer('max_recipients'),
  maxTotalBytes: integer('max_total_bytes'),
  createdAt: text('created_at').notNull(),
  syncState: text('sync_state', { enum: ['idle', 'syncing', 'error'] })
    .notNull()
    .default('idle'),
  /** Stable code of the last error (auth-failed, connection-failed, …) and its English detail. */
  lastErrorCode: text('last_error_code'),
  lastError: text('last_error'),
  lastSyncAt: text('last_sync_at'),
});

export const mailboxes = sqliteTable(
  'mailboxes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    name: text('name').notNull(),
    specialUse: text('special_use'),
    uidValidity: text('uid_validity'),
    /** Highest UID archived from this folder under uidValidity. */
    lastUid: integer('last_uid').notNull().default(0),
    highestModseq: text('highest_modseq'),
    messageCount: integer('message_count').notNull().default(0),
    lastSyncedAt: text('last_synced_at'),
  },
  (t) => [uniqueIndex('mailboxes_account_path').on(t.accountId, t.path)],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** SHA-256 of the raw bytes: the object store key, and why a message seen twice is stored once. */
    objectHash: text('object_hash').notNull(),
    size: integer('size').notNull(),
    kind: text('kind').notNull(),
    basis: text('basis').notNull(),
    deliveryType: text('delivery_type'),
    virus: integer('virus', { mode: 'boolean' }).notNull().default(false),
    /** Top-level headers (for an envelope: the provider's). */
    subject: text('subject'),
    fromAddress: text('from_address'),
    fromName: text('from_name'),
    date: text('date'),
    messageId: text('message_id'),
    referenceMessageId: text('reference_message_id'),
    /** From daticert.xml. */
    identificativo: text('identificativo'),
    pecMsgid: text('pec_msgid'),
    certifiedSender: text('certified_sender'),
    certDate: text('cert_date'),
    certProvider: text('cert_provider'),
    certError: text('cert_error'),
    certErrorDetail: text('cert_error_detail'),
    deliveryAddress: text('delivery_address'),
    /** JSON array of daticert.xml recipients: [{address, type}]. */
    certRecipients: text('cert_recipients').notNull().default('[]'),
    /** From postacert.eml, or from the message itself when it is ordinary mail. */
    originalSubject: text('original_subject'),
    originalFrom: text('original_from'),
    originalDate: text('original_date'),
    hasAttachments: integer('has_attachments', { mode: 'boolean' }).notNull().default(false),
    signatureVerdict: text('signature_verdict').notNull(),
    signatureReason: text('signature_reason'),
    signer: text('signer'),
    signingTime: text('signing_time'),
    /** JSON array of {code, message}. */
    anomalies: text('anomalies').notNull().default('[]'),
    /** Set when the message could not be read; the raw bytes are archived all the same. */
    parseError: text('parse_error'),
    threadId: integer('thread_id').references(() => threads.id, { onDelete: 'set null' }),
    archivedAt: text('archived_at').notNull(),
    /** The date lists sort by: certification date, else the original's, else the header's. */
    sortDate: text('sort_date').notNull().default(''),
    /** Change sequence number: bumped on insert and on every change, for derived caches. */
    seq: integer('seq').notNull(),
    /**
     * Which version of the full-text extraction indexed this message (db/search.ts
     * SEARCH_VERSION); older ones are re-indexed by the background back-fill.
     */
    searchVersion: integer('search_version').notNull().default(0),
  },
  (t) => [
    uniqueIndex('messages_object_hash').on(t.objectHash),
    index('messages_thread').on(t.threadId),
    index('messages_date').on(t.date),
    index('messages_kind').on(t.kind),
    index('messages_pec_msgid').on(t.pecMsgid),
    index('messages_message_id').on(t.messageId),
    index('messages_identificativo').on(t.identificativo),
    index('messages_seq').on(t.seq),
    index('messages_sort_date').on(t.sortDate),
    index('messages_search_stale').on(t.id).where(sql`search_version < 2`),
  ],
);

/** Where a message sits on the server: the same message may be in several folders. */
export const messageLocations = sqliteTable(
  'message_locations',
  {
    mailboxId: integer('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    uid: integer('uid').notNull(),
    messageId: integer('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    flags: text('flags').notNull().default('[]'),
    modseq: text('modseq'),
    internalDate: text('internal_date'),
  },
  (t) => [primaryKey({ columns: [t.mailboxId, t.uid] }), index('locations_message').on(t.messageId)],
);

export const attachments = sqliteTable(
  'attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: integer('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    filename: text('filename'),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    nested: text('nested'),
    /**
     * How its text reached the search index: pending (archived, text not read yet: the archive's
     * text queue reads it after ingest), ok, empty (no text, e.g. a scan), unsupported, failed.
     */
    textStatus: text('text_status', { enum: ['pending', 'ok', 'empty', 'unsupported', 'failed'] }),
    /** Why extraction failed (English, for the log and the details pane). */
    textError: text('text_error'),
  },
  (t) => [
    index('attachments_message').on(t.messageId),
    // The text queue's work list: small, and found again after a restart.
    index('attachments_text_pending').on(t.messageId).where(sql`text_status = 'pending'`),
  ],
);

/**
 * A PEC and everything about it, keyed by the sender client's Message-ID (daticert msgid): the
 * sent copy, the acceptance, each delivery or failure receipt, and the envelope a recipient got.
 */
export const threads = sqliteTable(
  'threads',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    msgid: text('msgid').notNull(),
    identificativo: text('identificativo'),
    subject: text('subject'),
    sender: text('sender'),
    /** sent: we have the sent copy or the acceptance (we sent it); received: only envelopes. */
    direction: text('direction', { enum: ['sent', 'received'] }).notNull(),
    state: text('state', {
      enum: ['sent', 'accepted', 'rejected', 'delivered', 'partial', 'failed', 'received'],
    }).notNull(),
    acceptedAt: text('accepted_at'),
    lastActivityAt: text('last_activity_at'),
    /** Certified (PEC) recipients: the ones a delivery receipt can prove. */
    recipientCount: integer('recipient_count').notNull().default(0),
    deliveredCount: integer('delivered_count').notNull().default(0),
    failedCount: integer('failed_count').notNull().default(0),
    /** Every recipient, certified or not (esterno): what "Consegnata 1 di 3" counts. */
    recipientTotal: integer('recipient_total').notNull().default(0),
    /** Certified recipients with a preavviso di mancata consegna and no final answer yet. */
    warningCount: integer('warning_count').notNull().default(0),
    /** Certified recipients still without any receipt. */
    pendingCount: integer('pending_count').notNull().default(0),
    /** Recipients who can have no proof of delivery (esterno). */
    noProofCount: integer('no_proof_count').notNull().default(0),
    /** Receipts of this PEC whose signature does not verify: shown, never counted as proof. */
    unverifiedCount: integer('unverified_count').notNull().default(0),
    /** Delivery receipts prove the acceptance, but the acceptance itself is not in the archive. */
    acceptanceMissing: integer('acceptance_missing', { mode: 'boolean' }).notNull().default(false),
    /** The message that stands for the thread in lists: sent copy, envelope, else a receipt. */
    headMessageId: integer('head_message_id'),
    seq: integer('seq').notNull(),
  },
  (t) => [uniqueIndex('threads_msgid').on(t.msgid), index('threads_identificativo').on(t.identificativo)],
);

/** Each recipient of a sent PEC and how far delivery got, from the receipts. */
export const threadRecipients = sqliteTable(
  'thread_recipients',
  {
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    address: text('address').notNull(),
    /** certificato (PEC), esterno (ordinary mail: never a delivery receipt), or sconosciuto. */
    type: text('type').notNull(),
    state: text('state', {
      enum: ['pending', 'delivered', 'failed', 'warning', 'no-proof', 'not-sent'],
    }).notNull(),
    stateAt: text('state_at'),
    receiptMessageId: integer('receipt_message_id').references(() => messages.id, { onDelete: 'set null' }),
    provider: text('provider'),
    error: text('error'),
    errorDetail: text('error_detail'),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.address] })],
);

/**
 * Flag changes made here (read, unread) that the server has not been told yet: the account's sync
 * writes them (UID STORE) and deletes the row; one row per message, folder and flag, the last
 * change wins.
 */
export const flagChanges = sqliteTable(
  'flag_changes',
  {
    mailboxId: integer('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    uid: integer('uid').notNull(),
    flag: text('flag').notNull(),
    value: integer('value', { mode: 'boolean' }).notNull(),
    changedAt: text('changed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.mailboxId, t.uid, t.flag] })],
);

export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** A search a person keeps: shown as a smart view, suggested as they type. */
export const savedSearches = sqliteTable('saved_searches', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  query: text('query').notNull(),
  sort: text('sort', { enum: ['date', 'relevance'] })
    .notNull()
    .default('date'),
  createdAt: text('created_at').notNull(),
});

/**
 * What full-text search reads from each message (main/archive/message-record.ts searchText): kept
 * once here; the FTS5 index (search_fts, contentless, one document per list row: a PEC thread or
 * a message outside any thread) is built from it (db/search.ts).
 */
export const messageText = sqliteTable('message_text', {
  messageId: integer('message_id')
    .primaryKey()
    .references(() => messages.id, { onDelete: 'cascade' }),
  subject: text('subject').notNull(),
  sender: text('sender').notNull(),
  recipients: text('recipients').notNull(),
  body: text('body').notNull(),
  attachments: text('attachments').notNull(),
});

/**
 * The search document of each list row. `key` is the document's FTS5 rowid: the head's sort date
 * in seconds times 2^21 plus a disambiguator, so FTS5 returns matches newest first by rowid and
 * date filters are rowid ranges.
 */
export const searchDocs = sqliteTable('search_docs', {
  key: integer('key').primaryKey(),
  headId: integer('head_id').notNull().unique(),
});

/**
 * People (issue "people, permissions and a tamper-evident log"). With logins off ("solo io") the
 * archive has its owner only and no login screen; with them on, everyone signs in. A person is
 * never deleted (the log names them): removing one disables them.
 */
export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The login name, lower case. */
    name: text('name').notNull(),
    displayName: text('display_name'),
    role: text('role', { enum: ['owner', 'admin', 'operator', 'reader'] }).notNull(),
    /** main/auth/passwords.ts: scrypt with its parameters and salt; null until a password is set. */
    passwordHash: text('password_hash'),
    /** TOTP secret (base32) once two-step verification is turned on. */
    totpSecret: text('totp_secret'),
    /** The last TOTP time step accepted: a code is never accepted twice (RFC 6238 §5.2). */
    totpLastStep: integer('totp_last_step'),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: text('locked_until'),
    createdAt: text('created_at').notNull(),
    disabledAt: text('disabled_at'),
  },
  (t) => [uniqueIndex('users_name').on(t.name)],
);

/** One-time recovery codes of a person's two-step verification (SHA-256 of each). */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: text('used_at'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/** Offices: groups of people that rights and work can be given to. */
export const offices = sqliteTable(
  'offices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    headUserId: integer('head_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('offices_name').on(t.name)],
);

export const officeMembers = sqliteTable(
  'office_members',
  {
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.officeId, t.userId] })],
);

/**
 * Rights on mailboxes: a person or an office, one mailbox (account) or all of them (account null),
 * and the rights, comma-separated: read, route, send, manage.
 */
export const grants = sqliteTable(
  'grants',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subjectType: text('subject_type', { enum: ['user', 'office'] }).notNull(),
    subjectId: integer('subject_id').notNull(),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    rights: text('rights').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('grants_subject').on(t.subjectType, t.subjectId)],
);

/** Signed-in sessions; the token itself is never stored, its SHA-256 is. */
export const sessions = sqliteTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    origin: text('origin').notNull(),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    /** Signed in with the password, the second step still to do. */
    pendingTotp: integer('pending_totp', { mode: 'boolean' }).notNull().default(false),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** Invitations: a one-time code (its SHA-256) that lets a new person choose a password. */
export const invitations = sqliteTable('invitations', {
  codeHash: text('code_hash').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  usedAt: text('used_at'),
});

/**
 * The tamper-evident log: each entry carries the SHA-256 of the one before (main/auth/audit.ts),
 * so an edit, a deletion or an insertion anywhere breaks the chain. Appended in the same
 * transaction as the change it records; nothing in the app edits it.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    /** user:<id> (with the name at that time), cli:<os user>, system. */
    actor: text('actor').notNull(),
    actorName: text('actor_name').notNull(),
    /** Which session, machine or front end the call came from. */
    origin: text('origin').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    accountId: integer('account_id'),
    /** JSON: what else the entry says (a tag's name, the rights granted, a hash…). */
    details: text('details').notNull().default('{}'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_at').on(t.at),
    index('audit_actor').on(t.actor),
    index('audit_target').on(t.targetType, t.targetId),
  ],
);

/**
 * Mass sending (main/send/campaigns.ts): one PEC per recipient of a list, each an outbox row;
 * paused and resumed here, so a restart goes on where it stopped.
 */
export const campaigns = sqliteTable('campaigns', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** The sending mailbox; null once it is removed (the campaign stays, stopped). */
  accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
  fromAddress: text('from_address').notNull(),
  name: text('name').notNull(),
  subjectTemplate: text('subject_template').notNull(),
  bodyTemplate: text('body_template').notNull(),
  receiptType: text('receipt_type', { enum: ['completa', 'breve', 'sintetica'] }).notNull(),
  /** The list's column naming each recipient's own attachment, if any. */
  attachColumn: text('attach_column'),
  /** JSON array of the list's column names, in order (the export repeats them). */
  columns: text('columns').notNull().default('[]'),
  state: text('state', { enum: ['sending', 'paused', 'cancelled'] }).notNull(),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by').notNull(),
});

/** Each recipient of a campaign: its row of the list and the outbox row of its PEC (the last one sent). */
export const campaignRecipients = sqliteTable(
  'campaign_recipients',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    /** The recipient's row in the list (1 = first data row). */
    row: integer('row').notNull(),
    address: text('address').notNull(),
    /** JSON object: the row's values by column name. */
    fields: text('fields').notNull(),
    outboxId: integer('outbox_id').references(() => outbox.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.row] }), index('campaign_recipients_outbox').on(t.outboxId)],
);

/**
 * The outbox (main/send/outbox-service.ts): every PEC PecDesk sends, written with its message (the
 * .eml in the object store, `objectHash`) BEFORE any SMTP exchange, so a crash loses nothing; the
 * lease and the phase of the attempt say whether it may have reached the provider, so a restart
 * looks for the provider's acceptance before sending again and nothing is sent twice.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The sending mailbox; null once it is removed (a row still waiting is then failed). */
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    fromAddress: text('from_address').notNull(),
    /** The Message-ID PecDesk gave the message: the PEC's msgid, X-Riferimento-Message-ID of its receipts. */
    messageId: text('message_id').notNull(),
    objectHash: text('object_hash').notNull(),
    size: integer('size').notNull(),
    subject: text('subject'),
    /** JSON array of {address, type: 'to' | 'cc'}. */
    recipients: text('recipients').notNull(),
    receiptType: text('receipt_type', { enum: ['completa', 'breve', 'sintetica'] }).notNull(),
    /**
     * queued (waiting, or retrying after nextAttemptAt), sending (a process holds the lease), sent
     * (the provider answered 250, or its acceptance was found), failed (refused: lastError says
     * why), cancelled. A state before queued (approval, issue 14) goes in front of queued.
     */
    state: text('state', { enum: ['queued', 'sending', 'sent', 'failed', 'cancelled'] }).notNull(),
    /**
     * Where the last attempt got: connecting (nothing handed over yet) or data (MAIL FROM onwards:
     * the provider may have the message, so it is looked for before sending again).
     */
    phase: text('phase', { enum: ['connecting', 'data'] }),
    attempts: integer('attempts').notNull().default(0),
    attemptStartedAt: text('attempt_started_at'),
    nextAttemptAt: text('next_attempt_at'),
    leaseOwner: text('lease_owner'),
    leaseUntil: text('lease_until'),
    /** Stable code (connection-failed, auth-failed, rejected, rate-limited, …) and the server's words. */
    lastErrorCode: text('last_error_code'),
    lastError: text('last_error'),
    sentAt: text('sent_at'),
    /** How the outcome was known: smtp (250), acceptance (found after an interruption), sent-folder. */
    sentBy: text('sent_by'),
    /** The sent copy in the archive (messages.id), once ingested. */
    archivedMessageId: integer('archived_message_id').references(() => messages.id, {
      onDelete: 'set null',
    }),
    /** The copy in the mailbox's Sent folder on the server: pending, done, failed (lastError). */
    sentCopy: text('sent_copy', { enum: ['pending', 'done', 'failed'] })
      .notNull()
      .default('pending'),
    campaignId: integer('campaign_id').references(() => campaigns.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    uniqueIndex('outbox_message_id').on(t.messageId),
    index('outbox_state').on(t.state),
    index('outbox_campaign').on(t.campaignId),
    index('outbox_account_started').on(t.accountId, t.attemptStartedAt),
  ],
);

/** Messages an office sends again and again: kept by name, loaded into compose or a campaign. */
export const sendTemplates = sqliteTable('send_templates', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  receiptType: text('receipt_type', { enum: ['completa', 'breve', 'sintetica'] }).notNull(),
  updatedAt: text('updated_at').notNull(),
});
