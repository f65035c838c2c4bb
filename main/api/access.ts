/**
 * What each API method needs from its caller, and what the log records of it (issue "people"):
 * declared once per method in contract.ts (methodRules, beside the argument schemas, typed so that
 * a new method cannot be added without both), checked by the registry before the handler runs.
 */
import type { AuditActor, AuditEvent } from '../auth/audit.ts';
import type { Right, Rights } from '../auth/rights.ts';

/** Which mailboxes (account ids) a call touches, from its arguments. */
export type Target =
  /** The message with this id (args[field]): every mailbox it sits in. */
  | { message: string }
  /** A PEC thread, by id or by msgid (threads.get's arguments): every mailbox of its members. */
  | { thread: true }
  /** An account by its address (args[field]). */
  | { account: string }
  /**
   * A list row (issue 14's work): args.threadId, or the row of message args.id (its thread's when
   * it has one): every mailbox of the row's messages.
   */
  | { item: true }
  /** A row of the outbox (args[field]): the mailbox it is sent from. */
  | { outbox: string }
  /** A mass sending (args[field]): the mailbox it sends from. */
  | { campaign: string };

export type Access =
  /** Before anyone has signed in: status, login, the first owner. */
  | { who: 'anyone' }
  /** Anyone signed in; the handler shows only the mailboxes they may read (scoped queries). */
  | { who: 'signed-in' }
  /** People and settings of the whole archive: owner and admins. */
  | { who: 'admin' }
  /** This right on every mailbox the call touches. */
  | { who: 'mailbox'; right: Right; target: Target };

/**
 * false: the call neither reveals nor changes anything the log must keep (lists the person may see
 * anyway, status). Otherwise the action recorded: by the registry after a successful call
 * ('registry': reads, whose entry goes alone), or by the handler inside the transaction of its
 * change ('handler': the registry checks that it did).
 */
export type AuditRule = false | { action: string; by: 'registry' | 'handler' };

export interface MethodRule {
  access: Access;
  audit: AuditRule;
}

/**
 * Who receives an event pushed to the front ends (IPC, WebSocket): events say things about
 * mailboxes too (a sync's folder names and counts, which threads changed), so each declares it.
 */
export type EventRule =
  /** Anyone signed in (nothing in it belongs to a mailbox). */
  | { who: 'signed-in' }
  /** Owner and admins only. */
  | { who: 'admin' }
  /** Those who may read the mailbox (account id) in payload[field]. */
  | { who: 'mailbox'; field: string }
  /** archive.changed: each person gets the changed threads they may read, without the counts. */
  | { who: 'threads' }
  /** Only the people (users.id) in payload[field] (a reminder, an escalation: issue 14). */
  | { who: 'people'; field: string };

export const anyone: Access = { who: 'anyone' };
export const signedIn: Access = { who: 'signed-in' };
export const admin: Access = { who: 'admin' };
export const onMessage = (right: Right, field = 'id'): Access => ({
  who: 'mailbox',
  right,
  target: { message: field },
});
export const onThread = (right: Right): Access => ({ who: 'mailbox', right, target: { thread: true } });
export const onItem = (right: Right): Access => ({ who: 'mailbox', right, target: { item: true } });
export const onOutbox = (right: Right, field = 'id'): Access => ({
  who: 'mailbox',
  right,
  target: { outbox: field },
});
export const onCampaign = (right: Right, field = 'id'): Access => ({
  who: 'mailbox',
  right,
  target: { campaign: field },
});
export const onAccount = (right: Right, field = 'email'): Access => ({
  who: 'mailbox',
  right,
  target: { account: field },
});

/** Who is calling, once the registry has found out (see main/api/identity.ts). */
export interface Principal {
  /** The person (users.id), null for the CLI on the archive's own machine and before the owner exists. */
  userId: number | null;
  name: string;
  rights: Rights;
  /** How the log names them. */
  actor: AuditActor;
}

/** Handed to a handler: who calls, and the log, to write to inside its change's transaction. */
export interface CallContext {
  principal: Principal;
  /** Appends an entry for this call; for 'handler' rules, inside the change's transaction. */
  audit(event: AuditEvent): void;
  /**
   * Who to name in the entries a service writes itself, inside its own transaction (main/auth/
   * people.ts): asking for it tells the registry that the service logs this call, so the registry
   * does not add an entry of its own.
   */
  auditor(): AuditActor;
}
