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
  /**
   * Issue 14: outgoing PEC of this mailbox wait in the approval queue before the outbox sends them
   * (main/work/approvals.ts).
   */
  requireApproval: integer('require_approval', { mode: 'boolean' }).notNull().default(false),
  /**
   * Issue 14: incoming PEC of this mailbox dated from here on are work ("nuova") until handled;
   * null: 30 days before the mailbox was added (older mail is history, not work).
   */
  workSince: text('work_since'),
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
    /**
     * A folder that lives only in the archive (messages imported from an mbox or .eml folder,
     * main/transfer/): never synced, never emptied, its UIDs given by the import.
     */
    local: integer('local', { mode: 'boolean' }).notNull().default(false),
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
    /**
     * When emptying (main/keep/) removed this copy from the server, after checking the archived
     * object against it. The row stays: the message still belongs to this mailbox and folder in the
     * archive (rights, views), it is just no longer on the server. UIDs are never reused under one
     * UIDVALIDITY, so the row cannot meet a new message.
     */
    removedAt: text('removed_at'),
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
    state: text('state', {
      // approval: waiting for approval (issue 14, a mailbox that requires it); rejected: refused there.
      enum: ['approval', 'queued', 'sending', 'sent', 'failed', 'cancelled', 'rejected'],
    }).notNull(),
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
    // Which mailbox a sent copy belongs to before its Sent folder has it (db/scope.ts).
    index('outbox_archived_message').on(t.archivedMessageId),
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

/**
 * The mailbox's space as the server reports it (IMAP QUOTA, RFC 2087/9208), one sample per sync
 * (main/keep/quota.ts): the history the forecast ("piena tra circa 12 giorni") is drawn from.
 */
export const quotaSamples = sqliteTable(
  'quota_samples',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    at: text('at').notNull(),
    /** STORAGE in bytes (the server counts KiB). */
    usedBytes: integer('used_bytes').notNull(),
    limitBytes: integer('limit_bytes').notNull(),
    messagesUsed: integer('messages_used'),
    messagesLimit: integer('messages_limit'),
  },
  (t) => [index('quota_samples_account_at').on(t.accountId, t.at)],
);

/**
 * Keeping a mailbox (main/keep/): its emptying policy, off until the person turns it on, and the
 * last quota alert given (so each threshold is said once, and again only after space was freed).
 */
export const keepPolicies = sqliteTable('keep_policies', {
  accountId: integer('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  /** Emptying runs by itself after a sync; never without the person turning it on. */
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(false),
  /** older-than: copies older than N days; until-percent: the oldest until usage is under P %. */
  mode: text('mode', { enum: ['older-than', 'until-percent'] })
    .notNull()
    .default('older-than'),
  olderThanDays: integer('older_than_days'),
  untilPercent: integer('until_percent'),
  /** One folder (its path), or null for every folder the archive syncs. */
  folder: text('folder'),
  /** delete (UID EXPUNGE) or move to a provider folder (moveTo). */
  action: text('action', { enum: ['delete', 'move'] })
    .notNull()
    .default('delete'),
  moveTo: text('move_to'),
  /** Also messages not yet handled (issue 14's work states); off: they stay on the server. */
  includeUnhandled: integer('include_unhandled', { mode: 'boolean' }).notNull().default(false),
  /** The highest quota threshold already alerted (0: none); lowered when usage falls again. */
  alertLevel: integer('alert_level').notNull().default(0),
  lastAutoRunAt: text('last_auto_run_at'),
  updatedAt: text('updated_at'),
  updatedBy: text('updated_by'),
});

/**
 * Each emptying run, journaled before anything is deleted: a run stopped half-way (a crash, a
 * killed process) is found 'running' and resumed from its items.
 */
export const emptyingRuns = sqliteTable(
  'emptying_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** JSON of the policy the run follows (mode, days or percent, folder, action, moveTo…). */
    policy: text('policy').notNull(),
    state: text('state', { enum: ['running', 'done', 'failed'] }).notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    /** Who started it (the log's actor: user:<id>, cli:<os user>, system for a policy's own run). */
    actor: text('actor').notNull(),
    actorName: text('actor_name').notNull(),
    origin: text('origin').notNull(),
    candidates: integer('candidates').notNull().default(0),
    deleted: integer('deleted').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    error: text('error'),
  },
  (t) => [index('emptying_runs_account').on(t.accountId, t.state)],
);

/**
 * Every copy a run means to remove: planned (chosen, not yet checked), deleting (checked against
 * the archive and being removed: the server may or may not have done it when a crash comes),
 * deleted (gone from the server, logged), skipped (with the reason).
 */
export const emptyingItems = sqliteTable(
  'emptying_items',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => emptyingRuns.id, { onDelete: 'cascade' }),
    mailboxId: integer('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    uid: integer('uid').notNull(),
    messageId: integer('message_id').notNull(),
    objectHash: text('object_hash').notNull(),
    size: integer('size').notNull(),
    state: text('state', { enum: ['planned', 'deleting', 'deleted', 'skipped'] }).notNull(),
    reason: text('reason'),
    doneAt: text('done_at'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.mailboxId, t.uid] })],
);

/**
 * Working on PEC as a team (issue 14, main/work/). Tags: a shared taxonomy with colours, created by
 * those allowed, applied by hand or by routing rules to list rows.
 */
export const tags = sqliteTable('tags', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  /** The name folded (lower case, no accents): unique, and what `tag:NAME` finds. */
  nameKey: text('name_key').notNull().unique(),
  /** A CSS colour, #rrggbb. */
  color: text('color').notNull(),
  /** area, client, priority, type: how the taxonomy groups them (null: none). */
  category: text('category'),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by').notNull(),
});

/**
 * The work on one list row: a PEC thread (threadId) or a message outside any thread (messageId),
 * keyed by rowKey ('t:<thread id>' or 'm:<message id>', what db/work-sql.ts computes for a list
 * row). A row without one is "nuova" when it is an incoming PEC of its mailbox's work period, else
 * not work at all. States: new → assigned → claimed (presa in carico, by a person, with the time)
 * → waiting → done; reopenable.
 */
export const workItems = sqliteTable(
  'work_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    rowKey: text('row_key').notNull().unique(),
    threadId: integer('thread_id').references(() => threads.id, { onDelete: 'cascade' }),
    messageId: integer('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    /** null: tagged or given a deadline, but not work (a sent PEC, ordinary mail). */
    state: text('state', { enum: ['new', 'assigned', 'claimed', 'waiting', 'done'] }),
    assigneeUserId: integer('assignee_user_id').references(() => users.id, { onDelete: 'set null' }),
    assigneeOfficeId: integer('assignee_office_id').references(() => offices.id, { onDelete: 'set null' }),
    claimedBy: integer('claimed_by').references(() => users.id, { onDelete: 'set null' }),
    /** The name of who took it in charge, as the log names them (the CLI, "solo io" without owner). */
    claimedByName: text('claimed_by_name'),
    claimedAt: text('claimed_at'),
    doneAt: text('done_at'),
    doneByName: text('done_by_name'),
    priority: text('priority', { enum: ['low', 'normal', 'high', 'urgent'] }),
    /** The due day (Europe/Rome), YYYY-MM-DD. */
    dueDate: text('due_date'),
    /** manual, rule, proposed (from the legal delivery time: to be verified). */
    dueSource: text('due_source', { enum: ['manual', 'rule', 'proposed'] }),
    /** What the deadline rests on ("Ricorso 60 giorni dalla consegna del 12/03/2026"). */
    dueNote: text('due_note'),
    /** The smallest "days before" a reminder was given for (null: none yet). */
    remindedFor: integer('reminded_for'),
    escalatedAt: text('escalated_at'),
    /** When the row's PEC arrived (its date): times to take in charge and to close count from it. */
    arrivedAt: text('arrived_at').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('work_items_state').on(t.state),
    index('work_items_due').on(t.dueDate),
    index('work_items_assignee_user').on(t.assigneeUserId),
    index('work_items_assignee_office').on(t.assigneeOfficeId),
    index('work_items_thread').on(t.threadId),
    index('work_items_message').on(t.messageId),
  ],
);

export const workTags = sqliteTable(
  'work_tags',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => workItems.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
    addedAt: text('added_at').notNull(),
    addedBy: text('added_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.tagId] }), index('work_tags_tag').on(t.tagId)],
);

/** Every change of a row's work and every comment: its history and its comment thread. */
export const workEvents = sqliteTable(
  'work_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => workItems.id, { onDelete: 'cascade' }),
    at: text('at').notNull(),
    /** As the audit log names them: user:<id>, cli:<os user>, rule:<id>, system. */
    actor: text('actor').notNull(),
    actorName: text('actor_name').notNull(),
    /** assign, claim, wait, done, reopen, comment, tag-add, tag-remove, deadline, priority, escalate… */
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state'),
    comment: text('comment'),
    /** JSON: the assignee, the tag, the deadline… */
    details: text('details').notNull().default('{}'),
  },
  (t) => [index('work_events_item').on(t.itemId, t.at)],
);

/** Routing rules (smistamento), run in order on ingest; the definition is main/work/rules.ts's RULE.json. */
export const routingRules = sqliteTable('routing_rules', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  position: integer('position').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  definition: text('definition').notNull(),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * Terms proposed from the legal delivery time, per sender (a glob on the certified address) and
 * category: the editable table behind "scadenza proposta, da verificare" (deadlines-sdi.md A5).
 */
export const deadlineTerms = sqliteTable('deadline_terms', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  label: text('label').notNull(),
  senderPattern: text('sender_pattern').notNull(),
  /** Words the subject must hold (all of them), or null. */
  subjectWords: text('subject_words'),
  days: integer('days').notNull(),
  /** The August suspension (L. 742/1969) applies. */
  feriale: integer('feriale', { mode: 'boolean' }).notNull().default(false),
  /** A civil notification: delivered from 21:00 it counts from the next day (art. 147 c.p.c.). */
  civil: integer('civil', { mode: 'boolean' }).notNull().default(false),
  note: text('note'),
  position: integer('position').notNull(),
});

/** Outgoing PEC waiting for approval (a mailbox that requires it): approved or rejected with a comment. */
export const approvals = sqliteTable(
  'approvals',
  {
    outboxId: integer('outbox_id')
      .primaryKey()
      .references(() => outbox.id, { onDelete: 'cascade' }),
    state: text('state', { enum: ['pending', 'approved', 'rejected'] }).notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedByName: text('requested_by_name').notNull(),
    requestedAt: text('requested_at').notNull(),
    decidedBy: text('decided_by'),
    decidedByName: text('decided_by_name'),
    decidedAt: text('decided_at'),
    comment: text('comment'),
  },
  (t) => [index('approvals_state').on(t.state)],
);
