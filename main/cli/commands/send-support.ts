/**
 * What `send`, `outbox` and `campaign` share: the archive opened with its secrets and an outbox
 * that sends only the rows the command is about (a CLI started for one PEC does not take the app's
 * campaign), waiting until the provider has taken them, with a line per change on standard error.
 */

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { countUnsettled, getOutbox, unsettledIds } from '../../../db/outbox.ts';
import type { ApiRegistry } from '../../api/registry.ts';
import { remoteSendSession } from '../../client/cli-send.ts';
import { OutboxService } from '../../send/outbox-service.ts';
import { outboxOptionsFromEnv } from '../../send/start.ts';
import { archiveRegistry, type OpenedArchive, openArchive, openSecrets } from '../archive-access.ts';
import { type CliContext, CliError, type CliIo } from '../command.ts';
import { tty } from '../terminal-text.ts';

/** How far an outbox row got, as `send` reports it ('sent': the provider took it). */
export interface SentRow {
  id: number;
  messageId: string;
  state: string;
  lastError: string | null;
  lastErrorCode: string | null;
}

export interface SendSession {
  registry: ApiRegistry;
  /**
   * Sends these rows (and only these) until each is sent, failed or cancelled; through an office
   * server, its outbox sends them and this waits for it.
   */
  run(ids: number[], options: { waitMs?: number; quiet?: boolean; signal?: AbortSignal }): Promise<void>;
  row(id: number): Promise<SentRow | undefined>;
  /** The rows waiting to be sent (queued, or interrupted). */
  unsettled(): Promise<number[]>;
  close(): Promise<void>;
}

export interface LocalSendSession extends SendSession {
  opened: OpenedArchive;
}

/** The session of `send` and `outbox`: this archive's, or the office server's with --server. */
export function openAnySendSession(ctx: CliContext, io: CliIo): Promise<SendSession> {
  return ctx.server ? remoteSendSession(ctx, io) : openSendSession(ctx, io);
}

export async function openSendSession(ctx: CliContext, io: CliIo): Promise<LocalSendSession> {
  const opened = await openArchive(ctx, io, true);
  const secrets = await openSecrets(ctx, io);
  const registry = archiveRegistry(opened, secrets);
  let service: OutboxService | null = null;
  return {
    opened,
    registry,
    async row(id) {
      return getOutbox(opened.archive.db, id);
    },
    async unsettled() {
      return unsettledIds(opened.archive.db);
    },
    async run(ids, { waitMs, quiet, signal }) {
      if (ids.length === 0) return;
      const db = opened.archive.db;
      const last = new Map<number, string>();
      const report = () => {
        if (quiet) return;
        for (const id of ids) {
          const row = getOutbox(db, id);
          if (!row) continue;
          const line = `${row.state}${row.lastErrorCode ? ` (${row.lastErrorCode}: ${row.lastError})` : ''}`;
          if (last.get(id) === line) continue;
          last.set(id, line);
          io.err(tty`outbox ${id} ${row.messageId}: ${line}\n`);
        }
      };
      service = new OutboxService(opened.archive, secrets, opened.events, {
        ...outboxOptionsFromEnv(io.env as NodeJS.ProcessEnv),
        only: ids,
        log: (line) => io.err(tty`outbox: ${line}\n`),
      });
      service.start();
      const started = Date.now();
      try {
        while (countUnsettled(db, ids) > 0) {
          if (signal?.aborted) break;
          if (waitMs !== undefined && Date.now() - started > waitMs) break;
          report();
          await new Promise((r) => setTimeout(r, 200));
        }
        report();
      } finally {
        await service.stop();
        service = null;
      }
    },
    async close() {
      await service?.stop();
      opened.close();
    },
  };
}

/** A file for the API: its name and its bytes as base64 (the core reads no path a client names). */
export function readFileArg(path: string, what: string): { filename: string; contentBase64: string } {
  try {
    return { filename: basename(path), contentBase64: readFileSync(path).toString('base64') };
  } catch (e) {
    throw new CliError(`${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
}

export function readTextArg(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
}

export const RECEIPTS = ['completa', 'breve', 'sintetica'] as const;

export function receiptArg(value: string | undefined): (typeof RECEIPTS)[number] {
  if (value === undefined) return 'completa';
  if (!(RECEIPTS as readonly string[]).includes(value))
    throw new CliError('--receipt must be completa, breve or sintetica', 2);
  return value as (typeof RECEIPTS)[number];
}

/** Ctrl+C or SIGTERM stops the wait (what is queued stays queued, and is sent later). */
export function stopSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
