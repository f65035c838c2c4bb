/**
 * What every e2e spec shares: the facts of the archive the global setup synced and serves, its
 * URL, the screenshots folder, and a served empty archive (the welcome screen, the demo).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/archive.ts';
import { startServe } from '../support/serve.ts';

export const SHOTS = 'tests/e2e/screenshots';
mkdirSync(SHOTS, { recursive: true });

export interface Facts {
  sent: { subject: string; recipients: string[]; identificativo: string };
  incoming: { subject: string };
  forged: { subject: string };
  partial: { subject: string };
  unread: { subject: string };
  total: number;
  imap: { port: number; user: string; password: string; caPem: string };
}

export const facts = (): Facts => JSON.parse(process.env.PECDESK_E2E_FACTS ?? '{}');
export const url = () => process.env.PECDESK_E2E_URL ?? '';

/** `serve` on a new, empty archive (nothing configured), with its own secrets and no test CA. */
export function serveEmpty(prefix: string, extraEnv: NodeJS.ProcessEnv = {}) {
  return startServe(join(tempDir(prefix), 'archive'), {
    ...process.env,
    PECDESK_SECRETS: 'file',
    PECDESK_SECRET_KEY: 'e2e-empty',
    PECDESK_PEC_TRUST_ANCHORS: '',
    ...extraEnv,
  });
}
