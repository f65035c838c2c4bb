/**
 * The PEC trust list shipped with PecDesk (resources/trust/: root PEM files and trust.json with the
 * eras), read once. A root file whose SHA-256 is not the one trust.json names is refused: the list
 * is the one thing that decides what "Firma valida" means, so a changed file must not pass quietly.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { certificateFromDer, pemToDer, type TrustAnchors, type TrustEra } from './trust.ts';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

const trustListSchema = z.object({
  roots: z
    .array(z.object({ file: z.string().regex(/^[a-z0-9.-]+\.pem$/), subject: z.string(), sha256: sha256Hex }))
    .min(1),
  eras: z
    .array(
      z.object({
        id: z.string().min(1),
        name: z.string().min(1),
        root: z.string(),
        intermediate: z.object({ commonName: z.string().min(1), organization: z.string().optional() }),
        policy: z.string().regex(/^\d+(\.\d+)+$/),
        from: z.iso.datetime(),
        until: z.iso.datetime().nullable(),
      }),
    )
    .min(1),
});

/** Beside the bundle (scripts/build.mjs copies it there), else resources/trust in a checkout. */
export function trustFolder(): string {
  const beside = fileURLToPath(new URL('./trust/', import.meta.url));
  if (existsSync(join(beside, 'trust.json'))) return beside;
  return fileURLToPath(new URL('../../resources/trust/', import.meta.url));
}

export function loadTrustList(folder = trustFolder()): TrustAnchors {
  const list = trustListSchema.parse(JSON.parse(readFileSync(join(folder, 'trust.json'), 'utf8')));
  const byFile = new Map<string, string>();
  const certificates = list.roots.map((root) => {
    const der = pemToDer(readFileSync(join(folder, root.file), 'utf8'));
    const actual = createHash('sha256').update(der).digest('hex');
    if (actual !== root.sha256)
      throw new Error(
        `PEC trust list: ${root.file} is not the certificate trust.json names (SHA-256 ${actual})`,
      );
    byFile.set(root.file, root.sha256);
    return certificateFromDer(der);
  });
  const eras: TrustEra[] = list.eras.map((era) => {
    const rootSha256 = byFile.get(era.root);
    if (!rootSha256) throw new Error(`PEC trust list: era ${era.id} names an unknown root ${era.root}`);
    return {
      id: era.id,
      name: era.name,
      rootSha256,
      intermediate: era.intermediate,
      policy: era.policy,
      from: new Date(era.from),
      until: era.until ? new Date(era.until) : null,
    };
  });
  return { certificates, eras, source: 'pec-trust-list' };
}

let shipped: TrustAnchors | null = null;

/** The shipped PEC trust list, read on first use. */
export function pecTrustList(): TrustAnchors {
  shipped ??= loadTrustList();
  return shipped;
}
