/**
 * Every call from every transport goes through `call`: the method is looked up, its arguments are
 * validated against the contract's schema, and any failure becomes an ApiResponse error. Handlers
 * cannot skip validation because they are only reachable from here.
 */
import { z } from 'zod';
import {
  type ApiArgs,
  ApiFailure,
  type ApiResponse,
  type ApiResults,
  argSchemas,
  type Transport,
} from './contract.ts';
import { type ApiMethod, isApiMethod } from './methods.ts';

export interface Caller {
  transport: Transport;
}

export type Handler<M extends ApiMethod> = (args: ApiArgs<M>, caller: Caller) => Promise<ApiResults[M]>;
export type Handlers = { [M in ApiMethod]: Handler<M> };

export interface ApiRegistry {
  call(method: unknown, args: unknown, caller: Caller): Promise<ApiResponse<unknown>>;
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
];

export function internalMessage(method: string): string {
  const found = INTERNAL_MESSAGES.find(([prefix]) => method.startsWith(prefix));
  return `${found?.[1] ?? 'PecDesk could not complete the request'}: an internal error (the details are in PecDesk's log)`;
}

export function createRegistry(handlers: Handlers, log: Logger = console): ApiRegistry {
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
      try {
        const handler = handlers[method] as Handler<typeof method>;
        return { ok: true, value: await handler(parsed.data as never, caller) };
      } catch (error) {
        if (error instanceof ApiFailure)
          return { ok: false, error: { code: error.code, message: error.message } };
        // The details (file paths of the archive, library messages) go to the log only: a client
        // learns what failed, in words, not where the archive lives or what its files are named.
        log.error(`api ${method} failed: ${(error as Error).stack ?? String(error)}`);
        return { ok: false, error: { code: 'internal', message: internalMessage(method) } };
      }
    },
  };
}
