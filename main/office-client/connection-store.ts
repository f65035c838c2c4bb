/**
 * Which office server this PC's PecDesk is a client of ("Connetti al server dell'ufficio", issue
 * 16): its address, the SHA-256 fingerprint of its certificate the person confirmed, and the last
 * name used to sign in there. Kept in the person's config folder (office-server.json beside
 * secrets.key, main/paths.ts userDataDir), never in an archive: it says how this PC reaches the
 * office, and an archive copied elsewhere (a backup, the server itself) must not carry it.
 *
 * Pins outlive a disconnection: a later connection to the same address that finds another
 * certificate is still the "changed" case, not a new first contact a person would wave through.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { normalizeFingerprint } from '../client/fingerprint.ts';
import { parseServerUrl } from '../client/remote.ts';

export const CONNECTION_FILE = 'office-server.json';

export interface OfficeServer {
  /** https://host:port, as parseServerUrl writes it. */
  url: string;
  /** Colon hex, upper case. */
  fingerprint: string;
  /** The name last signed in with there (the login screen offers it), or null. */
  lastUser: string | null;
}

export interface ConnectionSettings {
  /** The server this PC works on, or null: this PC's own archive. */
  server: OfficeServer | null;
  /** Every fingerprint ever confirmed, by server address. */
  pins: Record<string, string>;
}

export const EMPTY_SETTINGS: ConnectionSettings = { server: null, pins: {} };

const fingerprint = z.string().transform((text, ctx) => {
  const normal = normalizeFingerprint(text);
  if (!normal) ctx.addIssue({ code: 'custom', message: 'not a SHA-256 fingerprint' });
  return normal ?? '';
});

const fileSchema = z.object({
  version: z.literal(1),
  server: z
    .object({ url: z.string().max(2_000), fingerprint, lastUser: z.string().max(200).nullable() })
    .nullable(),
  pins: z.record(z.string().max(2_000), fingerprint),
});

/** The canonical address of a server as a person may type it ("nas:4443", "https://nas"). */
export function canonicalUrl(text: string): string {
  return parseServerUrl(text.trim()).origin;
}

/**
 * Reads the settings; a missing file is "no server". A damaged file is an error (said, not
 * silently replaced): it holds the pins, and forgetting one would turn a changed certificate into
 * a harmless-looking first contact.
 */
export function readSettings(configDir: string): ConnectionSettings {
  let text: string;
  try {
    text = readFileSync(join(configDir, CONNECTION_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_SETTINGS;
    throw error;
  }
  return parseSettings(text, join(configDir, CONNECTION_FILE));
}

export function parseSettings(text: string, where = CONNECTION_FILE): ConnectionSettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not JSON (${(error as Error).message}): fix or remove it`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`${where} is not a PecDesk office connection file: ${z.prettifyError(parsed.error)}`);
  const { server, pins } = parsed.data;
  return { server: server ? { ...server, url: canonicalUrl(server.url) } : null, pins };
}

/** Writes the settings owner-only, whole or not at all (a temporary file renamed into place). */
export function writeSettings(configDir: string, settings: ConnectionSettings): void {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const path = join(configDir, CONNECTION_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ version: 1, ...settings }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/** What a probed certificate means for this PC, given the pins. */
export type PinDecision =
  /** Never confirmed for this address: show it and ask. */
  | { kind: 'first-contact' }
  /** The one confirmed before. */
  | { kind: 'pinned' }
  /** Not the one confirmed before: refuse unless the person confirms the new one knowingly. */
  | { kind: 'changed'; pinned: string };

export function pinDecision(settings: ConnectionSettings, url: string, seen: string): PinDecision {
  const pinned = settings.pins[canonicalUrl(url)];
  if (!pinned) return { kind: 'first-contact' };
  return pinned === normalizeFingerprint(seen) ? { kind: 'pinned' } : { kind: 'changed', pinned };
}

/** The server confirmed: it becomes the one this PC works on, and its fingerprint the pin. */
export function pinServer(settings: ConnectionSettings, url: string, confirmed: string): ConnectionSettings {
  const origin = canonicalUrl(url);
  const fp = normalizeFingerprint(confirmed);
  if (!fp) throw new Error(`${confirmed} is not a SHA-256 fingerprint`);
  const lastUser = settings.server?.url === origin ? settings.server.lastUser : null;
  return { server: { url: origin, fingerprint: fp, lastUser }, pins: { ...settings.pins, [origin]: fp } };
}

/** Back to this PC's archive; the pins stay. */
export function forgetServer(settings: ConnectionSettings): ConnectionSettings {
  return { ...settings, server: null };
}

export function withLastUser(settings: ConnectionSettings, name: string): ConnectionSettings {
  return settings.server ? { ...settings, server: { ...settings.server, lastUser: name } } : settings;
}
