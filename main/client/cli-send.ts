/**
 * `send` and `outbox` through an office server: the server's outbox sends (it alone holds the
 * mailbox passwords); the CLI queues through the API and waits, reading the row's state back.
 */
import type { OutboxView } from '../api/send-contract.ts';
import { callApi } from '../cli/archive-access.ts';
import type { CliContext, CliIo } from '../cli/command.ts';
import type { SendSession, SentRow } from '../cli/commands/send-support.ts';
import { tty } from '../cli/terminal-text.ts';
import { openCliApi } from './cli-remote.ts';

/** Still on its way to the provider (the server's outbox is working on it). */
const WAITING = new Set(['queued', 'retrying', 'sending', 'verifying']);
/** The provider took it (and perhaps already answered): what the local outbox calls 'sent'. */
const TAKEN = new Set(['sent', 'accepted', 'not-accepted', 'delivered', 'partial', 'delivery-failed']);

function sentRow(v: OutboxView): SentRow {
  return {
    id: v.id,
    messageId: v.messageId,
    state: TAKEN.has(v.state) ? 'sent' : v.state,
    lastError: v.error,
    lastErrorCode: v.errorCode,
  };
}

export async function remoteSendSession(ctx: CliContext, io: CliIo): Promise<SendSession> {
  const api = await openCliApi(ctx, io);
  const rows = async () => (await callApi(api.registry, 'outbox.list', { offset: 0, limit: 500 })).rows;
  return {
    registry: api.registry,
    async row(id) {
      const found = (await rows()).find((r) => r.id === id);
      return found ? sentRow(found) : undefined;
    },
    async unsettled() {
      return (await rows()).filter((r) => WAITING.has(r.state)).map((r) => r.id);
    },
    async run(ids, { waitMs, quiet, signal }) {
      if (ids.length === 0) return;
      const last = new Map<number, string>();
      const started = Date.now();
      for (;;) {
        const mine = (await rows()).filter((r) => ids.includes(r.id));
        for (const r of mine) {
          const line = `${r.state}${r.errorCode ? ` (${r.errorCode}: ${r.error})` : ''}`;
          if (!quiet && last.get(r.id) !== line) io.err(tty`outbox ${r.id} ${r.messageId}: ${line}\n`);
          last.set(r.id, line);
        }
        if (!mine.some((r) => WAITING.has(r.state))) return;
        if (signal?.aborted) return;
        if (waitMs !== undefined && Date.now() - started > waitMs) return;
        await new Promise((r) => setTimeout(r, 300));
      }
    },
    close: () => api.close(),
  };
}
