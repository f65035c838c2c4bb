/**
 * The outbox as the core runs it (main/core.ts): one per open archive, started with it and stopped
 * before it closes, shared by every front end (Electron, the browser bridge). After each PEC the
 * provider took, the sending mailbox is synced (when the core watches its mailboxes) so that the
 * acceptance and the delivery receipts reach the PEC's thread within seconds.
 */
import { findAccount } from '../../db/accounts.ts';
import type { Archive } from '../archive/archive.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { SyncService } from '../sync/sync-service.ts';
import { type OutboxEvents, type OutboxOptions, OutboxService } from './outbox-service.ts';

/**
 * For tests and the simulator, whose providers answer at once and whose clock may run fast:
 * PECDESK_SEND_VERIFY_MS, how long an interrupted attempt waits for the provider's proof before
 * sending again (default 3 minutes); PECDESK_SEND_MINUTE_MS, how long the "minute" of a mailbox's
 * messages-per-minute lasts (default 60,000).
 */
export function outboxOptionsFromEnv(env: NodeJS.ProcessEnv): OutboxOptions {
  const number = (name: string) => {
    const v = Number(env[name]);
    return env[name] && Number.isFinite(v) && v >= 0 ? v : null;
  };
  const verify = number('PECDESK_SEND_VERIFY_MS');
  const minute = number('PECDESK_SEND_MINUTE_MS');
  return {
    ...(verify !== null && {
      verifyGraceMs: verify,
      verifyEveryMs: Math.min(5_000, Math.max(200, verify / 5)),
    }),
    ...(minute !== null && minute > 0 && { rateWindowMs: minute }),
  };
}

export function startOutbox(
  archive: Archive,
  secrets: SecretStore,
  events: OutboxEvents,
  sync: SyncService | undefined,
  options: { env: NodeJS.ProcessEnv; watch: boolean },
): OutboxService {
  const outbox = new OutboxService(archive, secrets, events, {
    ...outboxOptionsFromEnv(options.env),
    onSent: (accountId) => {
      const account = findAccount(archive.db, accountId);
      // A watched mailbox already syncs (IDLE brings the receipts at once): this is then a no-op.
      if (account && options.watch) void sync?.syncAccount(account, true);
    },
  });
  outbox.start();
  return outbox;
}
