/**
 * The one API contract between the core and every front end (Electron IPC, the HTTP/WebSocket
 * bridge, the CLI): argument schemas, result types, events. Results cross as plain data inside
 * ApiResponse, never as thrown errors (Signal Desktop's pattern).
 */
import { z } from 'zod';
import type { InspectResult } from '../pec/inspect.ts';
import type { ApiEventName, ApiMethod } from './methods.ts';

export type { ApiEventName, ApiMethod } from './methods.ts';

export const argSchemas = {
  'app.info': z.object({}).strict(),
  'pec.inspect': z
    .object({
      fileName: z.string().max(1_000),
      /** Raw .eml bytes, base64: 50 MiB of message at most. */
      contentBase64: z.string().max(70 * 1024 * 1024),
    })
    .strict(),
} satisfies Record<ApiMethod, z.ZodType>;

export type ApiArgs<M extends ApiMethod> = z.infer<(typeof argSchemas)[M]>;

export interface AppInfo {
  name: 'PecDesk';
  version: string;
  /** Where the archive lives; null before one is opened. */
  archiveDir: string | null;
  transport: Transport;
  /** Which roots PEC signatures are checked against. */
  trust: 'system-pec-root' | 'configured';
}

export type InspectView = InspectResult & { fileName: string };

export interface ApiResults {
  'app.info': AppInfo;
  'pec.inspect': InspectView;
}

export interface SyncProgress {
  accountId: number;
  email: string;
  folder: string;
  /** Messages of this folder handled so far in this pass, and how many it had to fetch. */
  done: number;
  total: number;
  /** Messages per second over this pass. */
  rate: number;
}

export type SyncErrorCode =
  | 'auth-failed'
  | 'connection-failed'
  | 'tls-failed'
  | 'timeout'
  | 'server-error'
  | 'no-password';

export interface SyncStateEvent {
  accountId: number;
  email: string;
  state: 'idle' | 'syncing' | 'error';
  errorCode: SyncErrorCode | null;
  error: string | null;
}

export interface ApiEvents {
  'app.notice': { level: 'info' | 'warning' | 'error'; message: string };
  'archive.changed': { created: number; threads: number[] };
  'sync.progress': SyncProgress;
  'sync.state': SyncStateEvent;
}

export type Transport = 'ipc' | 'http' | 'cli';

export type ApiErrorCode =
  | 'invalid-arguments'
  | 'unknown-method'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
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
