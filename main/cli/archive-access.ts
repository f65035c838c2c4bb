/** Opening the archive and the secret store for a CLI command, the same way the app does. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { adoptLegacyCaFiles } from '../accounts/legacy-ca.ts';
import type { ApiArgs, ApiMethod, ApiResults } from '../api/contract.ts';
import { EventBus } from '../api/events.ts';
import { type CoreServices, registryFor } from '../api/handlers.ts';
import type { ApiRegistry } from '../api/registry.ts';
import { Archive } from '../archive/archive.ts';
import { archiveTrustAnchors } from '../archive/archive-config.ts';
import { openSecretStore } from '../secrets/open-store.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { VERSION } from '../version.ts';
import { workOnIngest } from '../work/ingest-hook.ts';
import { type CliContext, CliError, type CliIo } from './command.ts';

export interface OpenedArchive {
  archive: Archive;
  events: EventBus;
  close(): void;
}

export async function openArchive(ctx: CliContext, io: CliIo, mustExist = false): Promise<OpenedArchive> {
  if (mustExist && !existsSync(join(ctx.archiveDir, 'archive.db'))) {
    throw new CliError(`no archive in ${ctx.archiveDir}: add an account first (pecdesk account add)`);
  }
  const events = new EventBus();
  const anchors = await archiveTrustAnchors(ctx.archiveDir, io.env as NodeJS.ProcessEnv);
  // Routing rules run on what the CLI archives too (pecdesk sync), as in the app.
  const archive = Archive.open(ctx.archiveDir, {
    events,
    onIngest: workOnIngest(),
    ...(anchors ? { anchors } : {}),
  });
  await archive.sweep();
  // CA files named by an older archive are read once into the db, as the app does at open.
  adoptLegacyCaFiles(archive.db, (line) => io.err(`${line}\n`));
  // What the CLI prints must follow today's rules: an archive reconciled by an older version is
  // brought up to date first (once; seconds even for an office's archive).
  await archive.reconcileThreads();
  await archive.refreshSearchDocs();
  return { archive, events, close: () => archive.close() };
}

export function openSecrets(ctx: CliContext, io: CliIo): Promise<SecretStore> {
  return openSecretStore(ctx.archiveDir, {
    env: io.env as NodeJS.ProcessEnv,
    warn: (line) => io.err(`${line}\n`),
  });
}

/**
 * The API registry over an opened archive: CLI commands call the same handlers as the app, so
 * what they print is what the app shows.
 */
export function archiveRegistry(
  opened: OpenedArchive,
  secrets?: SecretStore,
  services: Pick<CoreServices, 'outbox'> = {},
): ApiRegistry {
  return registryFor({
    version: VERSION,
    archiveDir: opened.archive.dir,
    anchors: undefined,
    archive: opened.archive,
    ...(secrets ? { secrets } : {}),
    ...services,
  });
}

/** Calls a handler and turns an API error into the CLI's error line (not-found: exit 1). */
export async function callApi<M extends ApiMethod>(
  registry: ApiRegistry,
  method: M,
  args: ApiArgs<M>,
): Promise<ApiResults[M]> {
  const response = await registry.call(method, args, { transport: 'cli' });
  if (!response.ok)
    throw new CliError(response.error.message, response.error.code === 'invalid-arguments' ? 2 : 1);
  return response.value as ApiResults[M];
}
