/**
 * The outbox as the core runs it (main/core.ts): one per open archive, started with it and stopped
 * before it closes, shared by every front end (Electron, the browser bridge). After each PEC the
 * provider took, the sending mailbox is synced (when the core watches its mailboxes) so that the
 * acceptance and the delivery receipts reach the PEC's thread within seconds.
 */
import { findAccount } from '../../db/accounts.ts';
import type { EventBus } from '../api/events.ts';
import type { Archive } from '../archive/archive.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { SyncService } from '../sync/sync-service.ts';
import { type OutboxOptions, OutboxService } from './outbox-service.ts';

/**
 * PECDESK_SEND_VERIFY_MS: how long an interrupted attempt waits for the provider's proof before
 * sending again (default 3 minutes); for tests and the simulator, whose providers answer at once.
 */
export function outboxOptionsFromEnv(env: NodeJS.ProcessEnv): OutboxOptions {
  const verify = Number(env.PECDESK_SEND_VERIFY_MS);
  return Number.isFinite(verify) && verify >= 0 && env.PECDESK_SEND_VERIFY_MS
    ? { verifyGraceMs: verify, verifyEveryMs: Math.min(5_000, Math.max(200, verify / 5)) }
    : {};
}

export function startOutbox(
  archive: Archive,
  secrets: SecretStore,
  events: EventBus,
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
