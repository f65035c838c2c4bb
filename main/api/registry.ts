/**
 * Every call from every transport goes through `call`: the method is looked up, its arguments are
 * validated against the contract's schema, the caller is identified and the method's rule checked
 * (main/api/access.ts, contract.ts methodRules), the handler runs, and what the rule says to log is
 * logged. Any failure becomes an ApiResponse error. Handlers cannot skip any of it because they are
 * only reachable from here.
 */
import { z } from 'zod';
import type { AuditEvent } from '../auth/audit.ts';
import { has } from '../auth/rights.ts';
import type { Access, CallContext, EventRule, Principal, Target } from './access.ts';
import {
  type ApiArgs,
  type ApiEvents,
  ApiFailure,
  type ApiResponse,
  type ApiResults,
  argSchemas,
  eventRules,
  methodRules,
  type Transport,
} from './contract.ts';
import { type ApiEventName, type ApiMethod, isApiMethod } from './methods.ts';

/** What a transport knows of a call: where it came from and the session it carries, if any. */
export interface Caller {
  transport: Transport;
  /** The session token (personal logins), from the call. */
  session?: string | null;
  /** A word on the origin for the log: a window, a browser tab's address, the OS user of the CLI. */
  origin?: string;
}

export type HandlerContext = Caller & CallContext;
export type Handler<M extends ApiMethod> = (
  args: ApiArgs<M>,
  caller: HandlerContext,
) => Promise<ApiResults[M]>;
export type Handlers = { [M in ApiMethod]: Handler<M> };

/**
 * What the registry needs from the core to enforce the rules: who a caller is, which mailboxes a
 * call touches, and the log.
 */
export interface Guard {
  /** The person behind the call, or null when nobody is signed in. */
  identify(caller: Caller): Principal | null;
  /** The account ids a call's target names (the mailboxes a message sits in…). */
  targets(target: Target, args: Record<string, unknown>): number[];
  /** Whether the target exists at all (a message of no mailbox has no account). */
  exists(target: Target, args: Record<string, unknown>): boolean;
  /** Appends a log entry in a transaction of its own. */
  record(principal: Principal, event: AuditEvent): void;
  /** Appends a log entry into the transaction the handler has open. */
  append(principal: Principal, event: AuditEvent): void;
  /** Of these threads, those with a member in a mailbox the person may read. */
  visibleThreads(principal: Principal, threadIds: readonly number[]): number[];
}

/** What a connection may receive of an event: the payload (perhaps reduced), or undefined. */
export type EventFilter = (event: ApiEventName, payload: unknown) => unknown | undefined;

export interface ApiRegistry {
  call(method: unknown, args: unknown, caller: Caller): Promise<ApiResponse<unknown>>;
  /**
   * The events one connection (a window, a WebSocket) may receive, for whoever it speaks for now
   * (`caller` is read at each event: the session is the one its last call carried).
   */
  filterEvents(caller: () => Caller): EventFilter;
}

export interface Logger {
  error(message: string): void;
}

/** What failed, by the family of the method; the details are in the log. */
const INTERNAL_MESSAGES: [prefix: string, message: string][] = [
  ['messages.get', 'the archive could not read this message'],
  ['attachments.', 'the archive could not read this attachment'],
  ['threads.', 'the archive could not read this PEC thread'],
  ['messages.', 'the archive could not list the messages'],
  ['views.', 'the archive could not list its views'],
  ['search', 'the search could not be completed'],
  ['accounts.', 'the mailbox settings could not be read or changed'],
  ['sync.', 'the sync could not be started'],
  ['demo.', 'the demo archive could not be opened or closed'],
  ['pec.', 'the message could not be inspected'],
  ['auth.', 'signing in could not be completed'],
  ['users.', 'the people of the archive could not be read or changed'],
  ['offices.', 'the offices could not be read or changed'],
  ['grants.', 'the permissions could not be read or changed'],
  ['audit.', 'the activity log could not be read'],
];

export function internalMessage(method: string): string {
  const found = INTERNAL_MESSAGES.find(([prefix]) => method.startsWith(prefix));
  return `${found?.[1] ?? 'PecDesk could not complete the request'}: an internal error (the details are in PecDesk's log)`;
}

function refuse(code: 'unauthenticated' | 'forbidden' | 'not-found', message: string): ApiResponse<never> {
  return { ok: false, error: { code, message } };
}

/** Checks the method's access rule; returns the mailboxes the call touches, or the refusal. */
function check(
  access: Access,
  principal: Principal | null,
  args: Record<string, unknown>,
  guard: Guard,
  method: string,
): { accounts: number[] } | ApiResponse<never> {
  if (access.who === 'anyone') return { accounts: [] };
  if (!principal) return refuse('unauthenticated', `${method}: sign in first`);
  if (access.who === 'signed-in') return { accounts: [] };
  if (access.who === 'admin')
    return principal.rights.administers
      ? { accounts: [] }
      : refuse('forbidden', `${method}: only the owner or an administrator may do this`);
  const accounts = guard.targets(access.target, args);
  // Archived messages of no mailbox any more (its account removed) are the administrators' only.
  if (accounts.length === 0)
    return principal.rights.administers && guard.exists(access.target, args)
      ? { accounts }
      : refuse('not-found', notFound(access.target, args));
  // A message in two mailboxes is readable by whoever may read either.
  if (accounts.some((id) => has(principal.rights, access.right, id))) return { accounts };
  // Someone else's message, thread or mailbox does not exist for this person: "forbidden" would
  // confirm that message 12 is there. Where they may read, they learn the right they lack.
  return accounts.some((id) => principal.rights.byAccount.has(id))
    ? refuse('forbidden', `${method}: this needs the ${access.right} right on the mailbox`)
    : refuse('not-found', notFound(access.target, args));
}

/** "no message 12", "no thread <id@host>", "no mailbox a@pec.it": what was asked for. */
function notFound(t: Target, args: Record<string, unknown>): string {
  if ('message' in t) return `no message ${String(args[t.message])}`;
  if ('thread' in t) return `no thread ${String(args.id ?? args.msgid)}`;
  if ('item' in t)
    return args.threadId !== undefined
      ? `no thread ${String(args.threadId)}`
      : `no message ${String(args.id)}`;
  if ('outbox' in t) return `no outbox row ${String(args[t.outbox])}`;
  if ('campaign' in t) return `no campaign ${String(args[t.campaign])}`;
  return `no mailbox ${String(args[t.account])}`;
}

/** The log entry's target for a call whose rule the registry logs. */
function targetOf(
  access: Access,
  args: Record<string, unknown>,
): Pick<AuditEvent, 'targetType' | 'targetId'> {
  if (access.who !== 'mailbox') return {};
  const t = access.target;
  if ('message' in t) return { targetType: 'message', targetId: args[t.message] as number };
  if ('thread' in t) return { targetType: 'thread', targetId: (args.id ?? args.msgid) as string | number };
  if ('item' in t)
    return args.threadId !== undefined
      ? { targetType: 'thread', targetId: args.threadId as number }
      : { targetType: 'message', targetId: args.id as number };
  if ('outbox' in t) return { targetType: 'outbox', targetId: args[t.outbox] as number };
  if ('campaign' in t) return { targetType: 'campaign', targetId: args[t.campaign] as number };
  return { targetType: 'account', targetId: args[t.account] as string };
}

export function createRegistry(handlers: Handlers, guard: Guard, log: Logger = console): ApiRegistry {
  return {
    async call(method, args, caller) {
      if (!isApiMethod(method)) {
        return {
          ok: false,
          error: { code: 'unknown-method', message: `unknown API method ${String(method)}` },
        };
      }
      const parsed = argSchemas[method].safeParse(args ?? {});
      if (!parsed.success) {
        return {
          ok: false,
          error: { code: 'invalid-arguments', message: `${method}: ${z.prettifyError(parsed.error)}` },
        };
      }
      const rule = methodRules[method];
      const data = parsed.data as Record<string, unknown>;
      try {
        const principal = guard.identify(caller);
        const checked = check(rule.access, principal, data, guard, method);
        if ('ok' in checked) return checked;
        let logged = 0;
        const context: HandlerContext = {
          ...caller,
          // Only 'anyone' methods run without a principal, and they write their own entries.
          principal: principal as Principal,
          audit: (event) => {
            if (!principal) throw new Error(`${method}: nobody to log the call for`);
            guard.append(principal, event);
            logged++;
          },
          auditor: () => {
            if (!principal) throw new Error(`${method}: nobody to log the call for`);
            logged++;
            return principal.actor;
          },
        };
        const handler = handlers[method] as Handler<typeof method>;
        const value = await handler(parsed.data as never, context);
        if (rule.audit && principal) {
          if (rule.audit.by === 'registry')
            guard.record(principal, {
              action: rule.audit.action,
              ...targetOf(rule.access, data),
              accountId: checked.accounts[0] ?? null,
            });
          else if (logged === 0 && rule.access.who !== 'anyone') {
            // A handler that changes something must log it in its own transaction; one that did
            // not is a bug, and the entry is written all the same, late rather than never.
            log.error(`api ${method}: the handler did not write its audit entry`);
            guard.record(principal, {
              action: rule.audit.action,
              ...targetOf(rule.access, data),
              accountId: checked.accounts[0] ?? null,
            });
          }
        }
        return { ok: true, value };
      } catch (error) {
        if (error instanceof ApiFailure)
          return { ok: false, error: { code: error.code, message: error.message } };
        // The details (file paths of the archive, library messages) go to the log only: a client
        // learns what failed, in words, not where the archive lives or what its files are named.
        log.error(`api ${method} failed: ${(error as Error).stack ?? String(error)}`);
        return { ok: false, error: { code: 'internal', message: internalMessage(method) } };
      }
    },
    filterEvents(caller) {
      // Sync progress comes many times a second: who the connection speaks for is looked up again
      // when its session changes and every few seconds (a revoked session stops its events soon).
      let known: { session: string | null; at: number; principal: Principal | null } | null = null;
      const principalNow = (): Principal | null => {
        const c = caller();
        const session = c.session ?? null;
        const now = Date.now();
        if (!known || known.session !== session || now - known.at > EVENT_IDENTITY_MS)
          known = { session, at: now, principal: guard.identify(c) };
        return known.principal;
      };
      return (event, payload) => {
        try {
          const principal = principalNow();
          if (!principal) return undefined;
          const rule = eventRules[event] as EventRule;
          if (rule.who === 'signed-in') return payload;
          // Addressed to people: only theirs, administrators included (the CLI and "solo io"
          // without an owner have no user id: they administer, and hear what is for administrators).
          if (rule.who === 'people') {
            const ids = (payload as Record<string, unknown>)[rule.field];
            const to = Array.isArray(ids) ? ids : [];
            return (principal.userId !== null && to.includes(principal.userId)) ||
              (principal.userId === null && principal.rights.administers)
              ? payload
              : undefined;
          }
          if (principal.rights.administers) return payload;
          if (rule.who === 'admin') return undefined;
          if (rule.who === 'mailbox') {
            const id = (payload as Record<string, unknown>)[rule.field];
            return typeof id === 'number' && principal.rights.byAccount.has(id) ? payload : undefined;
          }
          const changed = payload as ApiEvents['archive.changed'];
          // No counts: how many messages arrived elsewhere is not theirs to know.
          return { created: 0, threads: guard.visibleThreads(principal, changed.threads) };
        } catch (error) {
          log.error(`api event ${event} not delivered: ${(error as Error).stack ?? String(error)}`);
          return undefined;
        }
      };
    },
  };
}

const EVENT_IDENTITY_MS = 5_000;
