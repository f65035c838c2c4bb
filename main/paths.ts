import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The per-user data folder, the same one Electron's app.getPath('userData') gives for "PecDesk",
 * so the CLI, the bridge and the desktop app open the same archive.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'PecDesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'PecDesk');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'PecDesk');
}

/** --archive DIR, else PECDESK_ARCHIVE, else <user data>/archive. */
export function resolveArchiveDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.PECDESK_ARCHIVE ?? join(userDataDir(env), 'archive');
}
