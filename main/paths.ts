import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The per-user data folder, the same one Electron's app.getPath('userData') gives for "PecDesk",
 * so the CLI, the bridge and the desktop app open the same archive. HOME from the given environment
 * wins over the process's own, so a test (or a service with its own HOME) never reaches the real
 * user's folder.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'PecDesk');
  const home = env.HOME || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'PecDesk');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'PecDesk');
}

/**
 * The key of the encrypted secrets file (where no OS keychain exists): in the person's own config
 * folder, never in the archive folder, so a copy of the archive (a backup on the NAS) does not carry
 * the key to its own passwords.
 */
export function secretKeyFile(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  return join(userDataDir(env, platform), 'secrets.key');
}

/** --archive DIR, else PECDESK_ARCHIVE, else <user data>/archive. */
export function resolveArchiveDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.PECDESK_ARCHIVE ?? join(userDataDir(env), 'archive');
}
