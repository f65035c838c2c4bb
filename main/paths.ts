import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';

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

/**
 * The portable switch: a folder of this name beside the portable executable (PecDesk.exe on a USB
 * stick, or the .AppImage) makes PecDesk keep its data there instead of on the PC.
 */
export const PORTABLE_FOLDER = 'PecDesk-dati';
/** Started once with this flag, a portable build makes the folder itself. */
export const PORTABLE_FLAG = '--portable';

/**
 * The data folder beside the executable when the portable switch is on, else undefined. The
 * folder of the executable is what the single-file builds say it is: electron-builder's Windows
 * portable target unpacks itself to a temporary folder and sets PORTABLE_EXECUTABLE_DIR to the
 * one it was started from; an AppImage sets APPIMAGE to its own path. An installed build has
 * neither, so a folder of that name beside an installed PecDesk changes nothing.
 */
export function portableDataDir(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  isDirectory: (path: string) => boolean,
  platform = process.platform,
): string | undefined {
  const path = platform === 'win32' ? win32 : posix;
  const exeDir = env.PORTABLE_EXECUTABLE_DIR || (env.APPIMAGE ? path.dirname(env.APPIMAGE) : undefined);
  if (!exeDir) return undefined;
  const dir = path.join(exeDir, PORTABLE_FOLDER);
  return argv.includes(PORTABLE_FLAG) || isDirectory(dir) ? dir : undefined;
}

/**
 * --archive DIR, else PECDESK_ARCHIVE, else the portable data folder's archive (the desktop app,
 * when portableDataDir found one), else <user data>/archive.
 */
export function resolveArchiveDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  portable?: string,
  platform = process.platform,
): string {
  const chosen = flag ?? env.PECDESK_ARCHIVE;
  if (chosen !== undefined) return chosen;
  if (portable) return (platform === 'win32' ? win32 : posix).join(portable, 'archive');
  return join(userDataDir(env), 'archive');
}
