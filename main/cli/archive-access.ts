/** Opening the archive and the secret store for a CLI command, the same way the app does. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EventBus } from '../api/events.ts';
import { Archive } from '../archive/archive.ts';
import { archiveTrustAnchors } from '../archive/archive-config.ts';
import { openSecretStore } from '../secrets/open-store.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
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
  const archive = Archive.open(ctx.archiveDir, { events, ...(anchors ? { anchors } : {}) });
  await archive.sweep();
  return { archive, events, close: () => archive.close() };
}

export function openSecrets(ctx: CliContext, io: CliIo): Promise<SecretStore> {
  return openSecretStore(ctx.archiveDir, {
    env: io.env as NodeJS.ProcessEnv,
    warn: (line) => io.err(`${line}\n`),
  });
}
