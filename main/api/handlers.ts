/**
 * The handlers of the API, over the core services. They receive validated arguments only
 * (registry.ts) and return plain data; secrets never leave this layer.
 */
import { findAccount, listAccounts, updateAccountSettings } from '../../db/accounts.ts';
import { isMessageSeen, setMessageSeen } from '../../db/flags.ts';
import { countMessages, getMessage, messageLocationsOf, threadMembers } from '../../db/messages.ts';
import { listSavedSearches, removeSavedSearch, saveSearch } from '../../db/saved-searches.ts';
import { accountOfFolder, inScope, messagesInScope, type Scope } from '../../db/scope.ts';
import { countHeadsWithoutDoc, countStaleText } from '../../db/search.ts';
import { findThread, getThread, threadRecipientsOf } from '../../db/threads.ts';
import { countViewMessages, listView, mailboxEntries, smartViewCounts } from '../../db/views.ts';
import {
  AccountError,
  addAccount,
  publicAccount,
  removeAccount,
  resolveAccount,
  setAccountPassword,
} from '../accounts/account-service.ts';
import { PRESETS } from '../accounts/presets.ts';
import type { Archive } from '../archive/archive.ts';
import { readScope } from '../auth/rights.ts';
import { createDemoArchive, DEMO_STEPS } from '../demo/demo-archive.ts';
import { accountQuota } from '../keep/quota.ts';
import { createOfficeHandlers, type OfficeController } from '../office-client/office-handlers.ts';
import { inspectMessage, originalBytes } from '../pec/inspect.ts';
import { readAttachment } from '../pec/original.ts';
import { deliveryOverdue } from '../pec/reconcile.ts';
import type { TrustAnchors } from '../pec/trust.ts';
import { runSearch } from '../search/search.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { OutboxService } from '../send/outbox-service.ts';
import { classifyImapError, connectImap } from '../sync/imap-connect.ts';
import type { SyncService } from '../sync/sync-service.ts';
import { ApiFailure, type ThreadView } from './contract.ts';
import type { EventBus } from './events.ts';
import { archiveGuard } from './guard.ts';
import { createKeepHandlers } from './keep-handlers.ts';
import { messageInspection } from './message-view.ts';
import { createPeopleHandlers } from './people-handlers.ts';
import { type ApiRegistry, createRegistry, type Handlers, type Logger } from './registry.ts';
import { createSendHandlers } from './send-handlers.ts';
import { createWorkHandlers, viewerOf } from './work-handlers.ts';

export interface CoreServices {
  version: string;
  /** The archive open now: the person's own, or the demo one. */
  archiveDir: string | null;
  /** The person's own archive (the demo archive lives beside it, in "<dir>-demo"). */
  homeArchiveDir?: string;
  demo?: boolean;
  anchors: TrustAnchors | undefined;
  archive?: Archive;
  secrets?: SecretStore;
  sync?: SyncService;
  /** Sends what the outbox holds (main/send/), started and stopped with the archive. */
  outbox?: OutboxService;
  /** Where handlers report progress of long calls (demo.open) to the front ends. */
  events?: EventBus;
  /** The clock of work changes (issue 14; tests move it). */
  workClock?: () => Date;
  switchArchive?(dir: string): Promise<void>;
  /**
   * The desktop app's or the local browser app's switch between this archive and an office server
   * (main/office-client/front-end.ts); absent on the office server itself, whose office.* refuse.
   */
  office?: OfficeController;
}

/** "2026-11-25 Contratto di locazione.eml": the date sorts, the subject says what it is. */
export function emlFileName(date: string | null, subject: string | null): string {
  const day = date && /^\d{4}-\d{2}-\d{2}/.test(date) ? date.slice(0, 10) : null;
  const words = (subject ?? '')
    // Characters no file system takes, and control characters.
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)
    .replace(/[. ]+$/, '');
  return `${[day, words].filter(Boolean).join(' ') || 'messaggio'}.eml`;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ApiFailure('not-found', `no ${what} is open`);
  return value;
}

/**
 * A PEC thread as the caller may see it: the thread's facts (its recipients' states are those of
 * the PEC every recipient was sent), and only the members with a copy in the caller's mailboxes (a
 * PEC from one archived mailbox to another is one thread: each side sees its own messages).
 */
function threadView(archive: Archive, id: number, scope: Scope): ThreadView | null {
  const t = getThread(archive.db, id);
  if (!t) return null;
  const all = threadMembers(archive.db, t.id);
  const visible = messagesInScope(
    archive.db,
    all.map((m) => m.id),
    scope,
  );
  const members = all.filter((m) => visible.has(m.id));
  return {
    id: t.id,
    msgid: t.msgid,
    identificativo: t.identificativo,
    subject: t.subject,
    sender: t.sender,
    direction: t.direction,
    state: t.state,
    acceptedAt: t.acceptedAt,
    acceptanceMissing: t.acceptanceMissing,
    lastActivityAt: t.lastActivityAt,
    overdue: deliveryOverdue(t, new Date()),
    recipientCount: t.recipientCount,
    recipientTotal: t.recipientTotal,
    deliveredCount: t.deliveredCount,
    failedCount: t.failedCount,
    warningCount: t.warningCount,
    pendingCount: t.pendingCount,
    noProofCount: t.noProofCount,
    unverifiedCount: t.unverifiedCount,
    recipients: threadRecipientsOf(archive.db, t.id).map((r) => ({
      address: r.address,
      type: r.type,
      state: r.state,
      stateAt: r.stateAt,
      provider: r.provider,
      error: r.error,
      errorDetail: r.errorDetail,
      receiptMessageId:
        r.receiptMessageId !== null && visible.has(r.receiptMessageId) ? r.receiptMessageId : null,
    })),
    members: members.map((m) => ({
      id: m.id,
      kind: m.kind,
      date: m.certDate ?? m.date,
      signatureVerdict: m.signatureVerdict,
      deliveryAddress: m.deliveryAddress,
      provider: m.certProvider,
      identificativo: m.identificativo,
      error: m.certError,
      errorDetail: m.certErrorDetail,
    })),
  };
}

function accountFailure(error: unknown): never {
  if (error instanceof AccountError) {
    throw new ApiFailure(
      error.code === 'not-found' ? 'not-found' : error.code === 'exists' ? 'conflict' : 'invalid-arguments',
      error.message,
    );
  }
  throw error;
}

export function createHandlers(core: CoreServices): Handlers {
  const anchorOptions = () => (core.anchors ? { anchors: core.anchors } : {});
  return {
    ...createPeopleHandlers(() => need(core.archive, 'archive')),
    ...createSendHandlers({
      archive: () => need(core.archive, 'archive'),
      secrets: () => need(core.secrets, 'secret store'),
      outbox: () => core.outbox,
    }),
    ...createKeepHandlers({
      archive: () => need(core.archive, 'archive'),
      secrets: () => need(core.secrets, 'secret store'),
      anchors: () => core.anchors,
      version: core.version,
    }),
    ...createWorkHandlers({
      archive: () => need(core.archive, 'archive'),
      outbox: () => core.outbox,
      events: () => core.events,
      ...(core.workClock ? { clock: core.workClock } : {}),
    }),
    ...createOfficeHandlers(() => core.office),
    'app.info': async (_args, caller) => ({
      name: 'PecDesk',
      version: core.version,
      archiveDir: core.archiveDir,
      transport: caller.transport,
      trust: core.anchors?.source ?? 'pec-trust-list',
      demo: core.demo ?? false,
      empty: core.archive
        ? listAccounts(core.archive.db).length === 0 && countMessages(core.archive.db) === 0
        : true,
    }),
    'demo.open': async () => {
      const switchArchive = need(core.switchArchive, 'archive switch');
      const dir = `${need(core.homeArchiveDir, 'home archive')}-demo`;
      const progress = (done: number, total: number) => core.events?.emit('demo.progress', { done, total });
      await createDemoArchive(dir, progress);
      await switchArchive(dir);
      progress(DEMO_STEPS, DEMO_STEPS);
      return { archiveDir: dir };
    },
    'demo.close': async () => {
      const home = need(core.homeArchiveDir, 'home archive');
      await need(core.switchArchive, 'archive switch')(home);
      return { archiveDir: home };
    },
    'pec.inspect': async ({ fileName, contentBase64 }) => {
      const raw = Buffer.from(contentBase64, 'base64');
      return { ...(await inspectMessage(raw, anchorOptions())), fileName };
    },
    'views.list': async (_args, caller) => {
      const archive = need(core.archive, 'archive');
      const scope = readScope(caller.principal.rights);
      // "Le mie" and "Del mio ufficio" are the caller's (issue 14).
      const viewer = viewerOf(archive.db, caller.principal.userId);
      return {
        smart: smartViewCounts(archive.db, scope, viewer),
        mailboxes: mailboxEntries(archive.db, scope),
      };
    },
    'messages.list': async ({ view, offset, limit }, caller) => {
      const db = need(core.archive, 'archive').db;
      const scope = readScope(caller.principal.rights);
      if (view.kind === 'mailbox') {
        const account = accountOfFolder(db, view.mailboxId);
        // Another person's folder is no folder at all to this caller (its name included).
        if (account === undefined || !inScope(scope, account))
          throw new ApiFailure('not-found', `no folder ${view.mailboxId}`);
      }
      const viewer = viewerOf(db, caller.principal.userId);
      const page = listView(db, view, offset, limit, scope, viewer);
      return offset === 0 ? { ...page, messageTotal: countViewMessages(db, view, scope, viewer) } : page;
    },
    // Both only of the caller's mailboxes: a result or a suggested address of another mailbox
    // would tell what it holds.
    'search.query': async ({ text, sort, offset, limit, prefixLast, exactCount }, caller) =>
      runSearch(
        need(core.archive, 'archive').db,
        { text, sort, offset, limit, prefixLast: prefixLast ?? false, exactCount: exactCount ?? false },
        readScope(caller.principal.rights),
      ),
    'search.suggest': async ({ text, limit, kinds }, caller) => ({
      suggestions: (await need(core.archive, 'archive').instant()).suggest(
        text,
        limit,
        kinds,
        readScope(caller.principal.rights),
      ),
    }),
    'search.stats': async () => {
      const archive = need(core.archive, 'archive');
      return {
        instant: (await archive.instant()).stats(),
        pendingBackfill: countStaleText(archive.db) + countHeadsWithoutDoc(archive.db),
      };
    },
    'searches.list': async () => listSavedSearches(need(core.archive, 'archive').db),
    'searches.save': async ({ name, query, sort }) => {
      const archive = need(core.archive, 'archive');
      const saved = saveSearch(archive.db, name, query, sort);
      (await archive.instant()).refresh(archive.db);
      return saved;
    },
    'searches.remove': async ({ id }) => {
      const archive = need(core.archive, 'archive');
      if (!removeSavedSearch(archive.db, id)) throw new ApiFailure('not-found', `no saved search ${id}`);
      (await archive.instant()).refresh(archive.db);
      return { removed: id };
    },
    'messages.get': async ({ id }, caller) => {
      const archive = need(core.archive, 'archive');
      const row = getMessage(archive.db, id);
      if (!row) throw new ApiFailure('not-found', `no message ${id}`);
      // The archived original is re-read and its signature checked again, so what is shown is what
      // is kept; its attachments are listed as archived, not decoded (message-view.ts).
      const raw = await archive.objects.get(row.objectHash);
      const inspect = await messageInspection(archive.db, row.id, raw, anchorOptions());
      const emails = new Map(listAccounts(archive.db).map((a) => [a.id, a.email]));
      const scope = readScope(caller.principal.rights);
      return {
        id: row.id,
        threadId: row.threadId,
        // The folders it sits in that the caller may read (a copy in another mailbox stays unsaid).
        locations: messageLocationsOf(archive.db, row.id)
          .filter((l) => inScope(scope, l.accountId))
          .map((l) => ({ path: l.path, email: emails.get(l.accountId) ?? null })),
        inspect,
        thread: row.threadId ? threadView(archive, row.threadId, scope) : null,
      };
    },
    'threads.get': async (args, caller) => {
      const archive = need(core.archive, 'archive');
      const id = 'id' in args ? args.id : findThread(archive.db, args.msgid, args.msgid)?.id;
      const view = id === undefined ? null : threadView(archive, id, readScope(caller.principal.rights));
      if (!view) throw new ApiFailure('not-found', `no thread ${'id' in args ? args.id : args.msgid}`);
      return view;
    },
    // The mailboxes the person may read (everyone's for the owner and administrators).
    'accounts.list': async (_args, caller) => {
      const db = need(core.archive, 'archive').db;
      return listAccounts(db)
        .filter((a) => caller.principal.rights.byAccount.has(a.id))
        .map((a) => ({ ...publicAccount(a), quota: accountQuota(db, a.id) }));
    },
    'accounts.presets': async () =>
      PRESETS.map((p) => ({
        id: p.id,
        name: p.name,
        domains: p.domains,
        login: p.login,
        imap: p.imap,
        smtp: p.smtp,
      })),
    'accounts.add': async ({ password, ...input }, caller) => {
      const archive = need(core.archive, 'archive');
      const row = await addAccount(archive.db, need(core.secrets, 'secret store'), input, password).catch(
        accountFailure,
      );
      caller.audit({
        action: 'account.add',
        targetType: 'account',
        targetId: row.email,
        accountId: row.id,
        details: {
          host: row.imapHost,
          port: row.imapPort,
          user: row.imapUser,
          smtp: row.smtpHost ? `${row.smtpHost}:${row.smtpPort} (${row.smtpSecurity})` : null,
        },
      });
      void core.sync?.syncAccount(row, true);
      return publicAccount(row);
    },
    'accounts.remove': async ({ email }, caller) => {
      const archive = need(core.archive, 'archive');
      const row = findAccount(archive.db, email);
      if (row) core.sync?.stopAccount(row.id);
      const removed = await removeAccount(archive.db, need(core.secrets, 'secret store'), email).catch(
        accountFailure,
      );
      caller.audit({
        action: 'account.remove',
        targetType: 'account',
        targetId: removed.email,
        accountId: removed.id,
      });
      return { removed: removed.email };
    },
    'accounts.setPassword': async ({ email, password }, caller) => {
      const archive = need(core.archive, 'archive');
      const row = await setAccountPassword(
        archive.db,
        need(core.secrets, 'secret store'),
        email,
        password,
      ).catch(accountFailure);
      caller.audit({
        action: 'account.password',
        targetType: 'account',
        targetId: row.email,
        accountId: row.id,
      });
      // The confirmed server is synced at once, as after adding the account.
      void core.sync?.syncAccount(row, true);
      return publicAccount(row);
    },
    'accounts.test': async ({ password, email, preset, imapHost, imapPort, security, user, caPem }) => {
      // The same resolution of presets and defaults as adding, without storing anything.
      let settings: ReturnType<typeof resolveAccount>;
      try {
        settings = resolveAccount({ email, preset, imapHost, imapPort, security, user, caPem });
      } catch (error) {
        accountFailure(error);
      }
      try {
        const client = await connectImap({ ...settings, caPem: settings.caPem ?? null }, password, {
          timeoutMs: 15_000,
        });
        await client.logout().catch(() => client.close());
        return { ok: true, errorCode: null, error: null };
      } catch (error) {
        const e = classifyImapError(error);
        return { ok: false, errorCode: e.code, error: e.message };
      }
    },
    'messages.setSeen': async ({ id, seen }) => {
      const archive = need(core.archive, 'archive');
      if (!getMessage(archive.db, id)) throw new ApiFailure('not-found', `no message ${id}`);
      for (const accountId of setMessageSeen(archive.db, id, seen)) core.sync?.flagsChanged(accountId);
      return { id, seen: isMessageSeen(archive.db, id) };
    },
    'messages.raw': async ({ id }) => {
      const archive = need(core.archive, 'archive');
      const row = getMessage(archive.db, id);
      if (!row) throw new ApiFailure('not-found', `no message ${id}`);
      return {
        filename: emlFileName(row.sortDate, row.originalSubject ?? row.subject),
        contentBase64: (await archive.objects.get(row.objectHash)).toString('base64'),
      };
    },
    'accounts.update': async ({ email, ...settings }, caller) => {
      const archive = need(core.archive, 'archive');
      const row = findAccount(archive.db, email);
      if (!row) throw new ApiFailure('not-found', `no account ${email}`);
      const updated = archive.db.$client.transaction(() => {
        const next = updateAccountSettings(archive.db, row.id, settings)!;
        caller.audit({
          action: 'account.update',
          targetType: 'account',
          targetId: row.email,
          accountId: row.id,
          details: settings,
        });
        return next;
      })();
      return publicAccount(updated);
    },
    'attachments.get': async ({ messageId, index }) => {
      const archive = need(core.archive, 'archive');
      const row = getMessage(archive.db, messageId);
      if (!row) throw new ApiFailure('not-found', `no message ${messageId}`);
      const attachment = await readAttachment(
        originalBytes(await archive.objects.get(row.objectHash)),
        index,
      );
      if (!attachment) throw new ApiFailure('not-found', `message ${messageId} has no attachment ${index}`);
      return {
        filename: attachment.filename,
        contentType: attachment.contentType,
        contentBase64: attachment.content.toString('base64'),
      };
    },
    'sync.now': async () => {
      const archive = need(core.archive, 'archive');
      const sync = need(core.sync, 'sync service');
      // The demo's mailbox has no server to sync with.
      const accounts = core.demo ? [] : listAccounts(archive.db);
      for (const a of accounts) void sync.syncAccount(a, true);
      return { started: accounts.length };
    },
  };
}

/** The one registry over the core's services, with the guard over its current archive. */
export function registryFor(core: CoreServices, log?: Logger): ApiRegistry {
  return createRegistry(
    createHandlers(core),
    archiveGuard(() => core.archive),
    log,
  );
}
