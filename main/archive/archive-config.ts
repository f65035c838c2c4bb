/**
 * Per-archive settings in <archive>/config.json. Today: the test CA the demo archive trusts instead
 * of the PEC trust list. Only a demo archive may bring its own anchors: anyone can write a
 * config.json into a folder they hand over, and anchors of their choosing would make their forged
 * PEC show "Firma valida". A demo archive always runs under the demo banner, which says its
 * signatures come from test providers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { isDemoArchive } from '../demo/demo-archive.ts';
import type { TrustAnchors } from '../pec/trust.ts';
import { loadTrustAnchors } from '../pec/trust-config.ts';

const configSchema = z.object({
  trustAnchorFiles: z.array(z.string()).optional(),
});

export type ArchiveConfig = z.infer<typeof configSchema>;

export function readArchiveConfig(dir: string): ArchiveConfig {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) return {};
  const parsed = configSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(`${file} is not a valid PecDesk archive configuration: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * A demo archive's anchors and PECDESK_PEC_TRUST_ANCHORS together; undefined means the PEC trust
 * list shipped with PecDesk (resources/trust).
 */
export async function archiveTrustAnchors(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TrustAnchors | undefined> {
  const own = isDemoArchive(dir) ? (readArchiveConfig(dir).trustAnchorFiles ?? []) : [];
  const files = [
    ...own.map((f) => (isAbsolute(f) ? f : join(dir, f))),
    ...(env.PECDESK_PEC_TRUST_ANCHORS?.split(':').filter(Boolean) ?? []),
  ];
  return files.length > 0 ? loadTrustAnchors(files) : undefined;
}
