/**
 * When the desktop app cannot load a native module (better-sqlite3 built for Node's ABI, not
 * Electron's; a binary of another platform; a damaged install), the person sees what happened and
 * the one thing that fixes it, instead of a window that never opens. Shown before any window, so
 * the language chosen in the app is not known yet: Italian first, English after. Kept apart from
 * main.ts so that it is tested without Electron.
 */

/** The command scripts/native-electron.mjs names (FIX_COMMAND there): it rebuilds the copy. */
export const NATIVE_FIX_COMMAND = 'node scripts/native-electron.mjs --force';

/** What Node and Electron say when a .node file cannot be loaded into this process. */
const NATIVE_LOAD_ERROR = [
  /NODE_MODULE_VERSION/,
  /was compiled against a different Node\.js version/,
  /Could not locate the bindings file/,
  /Module did not self-register/,
  /invalid ELF header|wrong ELF class/,
  /is not a valid Win32 application/,
  /incompatible architecture|mach-o file, but is an incompatible/,
  /\.node['"]?: (?:undefined symbol|cannot open shared object)/,
];

export interface NativeFailure {
  module: string;
  title: string;
  message: string;
}

/** The package a native binary belongs to: the last node_modules/<name> in its path. */
function moduleOf(text: string): string {
  const found = [...text.matchAll(/node_modules[\\/]((?:@[^\\/\s]+[\\/])?[^\\/\s'"]+)/g)].pop();
  return found ? found[1]!.replace('\\', '/') : 'better-sqlite3';
}

/**
 * The message for an error thrown while the app started, when it is a native module that failed
 * to load (null for any other error). A checkout (`npm start`) is told the command that rebuilds
 * the module for Electron; an installed app, whose modules were built when it was packaged, to
 * install it again.
 */
export function nativeModuleFailure(error: unknown, where: { packaged: boolean }): NativeFailure | null {
  const err = error as { message?: unknown; code?: unknown } | null;
  const text = typeof err?.message === 'string' ? err.message : String(error);
  if (err?.code !== 'ERR_DLOPEN_FAILED' && !NATIVE_LOAD_ERROR.some((re) => re.test(text))) return null;
  const module = moduleOf(text);
  const it = where.packaged
    ? `PecDesk non può partire: il modulo nativo ${module} non si carica (installazione danneggiata ` +
      `o pacchetto di un altro sistema).\n\nReinstalla PecDesk scaricando il pacchetto giusto per questo computer. ` +
      `L'archivio delle PEC non è stato toccato.`
    : `PecDesk non può partire: il modulo nativo ${module} non è compilato per questa versione di Electron.\n\n` +
      `Nella cartella di PecDesk esegui:\n\n    ${NATIVE_FIX_COMMAND}\n\npoi avvia di nuovo con npm start. ` +
      `L'archivio delle PEC non è stato toccato.`;
  const en = where.packaged
    ? `PecDesk cannot start: the native module ${module} does not load (a damaged install, or a package ` +
      `for another system). Install PecDesk again with the package for this computer. The archive was not touched.`
    : `PecDesk cannot start: the native module ${module} is not built for this Electron. In PecDesk's folder run ` +
      `\`${NATIVE_FIX_COMMAND}\`, then npm start again. The archive was not touched.`;
  return {
    module,
    title: 'PecDesk: modulo nativo non caricato',
    // The error itself last, for whoever helps them: which file, which ABI.
    message: `${it}\n\n— English —\n${en}\n\n${text.slice(0, 600)}`,
  };
}
