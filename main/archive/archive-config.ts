/**
 * Per-archive settings in <archive>/config.json. Today: the PEC trust anchors an archive uses
 * instead of the Actalis root (the demo archive and test archives carry their test CA).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
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

/** The archive's anchors and PECDESK_PEC_TRUST_ANCHORS together; undefined means the Actalis root. */
export async function archiveTrustAnchors(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TrustAnchors | undefined> {
  const files = [
    ...(readArchiveConfig(dir).trustAnchorFiles ?? []).map((f) => (isAbsolute(f) ? f : join(dir, f))),
    ...(env.PECDESK_PEC_TRUST_ANCHORS?.split(':').filter(Boolean) ?? []),
  ];
  return files.length > 0 ? loadTrustAnchors(files) : undefined;
}
