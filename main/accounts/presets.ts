/**
 * Provider presets from resources/providers/presets.json: a person adds a mailbox with e-mail and
 * password, the hosts come from here. Read once, validated where it enters.
 */
import { z } from 'zod';
import data from '../../resources/providers/presets.json' with { type: 'json' };

const endpoint = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  security: z.enum(['tls', 'starttls']),
});

const presetSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  domains: z.array(z.string()),
  imap: endpoint,
  smtp: endpoint,
  login: z.enum(['address', 'user-id']),
  note: z.string().optional(),
});

export type ProviderPreset = z.infer<typeof presetSchema>;

export const PRESETS: readonly ProviderPreset[] = z.array(presetSchema).parse(data.presets);

export function findPreset(id: string): ProviderPreset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The preset whose domain the address belongs to (aruba for studio@pec.it), if any. */
export function presetForAddress(email: string): ProviderPreset | undefined {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return PRESETS.find((p) => p.domains.some((d) => domain === d || domain.endsWith(`.${d}`)));
}
