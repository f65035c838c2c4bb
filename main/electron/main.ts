/**
 * The desktop shell: one window on app://pecdesk/, the API over IPC. Everything else is the plain
 * Node core (../core.ts), shared with the browser bridge and the CLI.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Notification,
  protocol,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { openCore } from '../core.ts';
import { openFrontEnd } from '../office-client/front-end.ts';
import { portableDataDir, resolveArchiveDir } from '../paths.ts';
import { setChildLauncher } from '../search/extract/child-launcher.ts';
import { createAppProtocolHandler } from './app-protocol.ts';
import { utilityProcessLauncher } from './extract-launcher.ts';
import { forwardEvents, wireIpc } from './ipc.ts';
import { nativeModuleFailure } from './native-failure.ts';
import { showWorkNotices } from './notices.ts';
import { showQuotaAlerts } from './quota-notices.ts';
import { APP_ORIGIN, APP_SCHEME, denyAllPermissions, hardenWebContents, windowOptions } from './security.ts';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = `${here}../renderer`;
const preloadPath = `${here}../preload/index.cjs`;

/** `--archive DIR` or `--archive=DIR`, as `npm start -- --archive DIR` passes it on. */
export function archiveArgument(argv: string[]): string | undefined {
  const i = argv.indexOf('--archive');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--archive='))?.slice('--archive='.length);
}

/** The portable build's data folder beside its executable, when its switch is on (main/paths.ts). */
const portable = portableDataDir(process.argv, process.env, (path) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
});
// Electron's own files (window state, the interface's settings, caches) travel with the archive.
if (portable) app.setPath('userData', join(portable, 'app'));

async function start() {
  await app.whenReady();
  // Attachment text is read in a utility process: the RunAsNode fuse rules out child_process.fork.
  setChildLauncher(utilityProcessLauncher((path, args, options) => utilityProcess.fork(path, args, options)));
  const archiveFlag = archiveArgument(process.argv);
  const core = await openCore({ archiveDir: resolveArchiveDir(archiveFlag, process.env, portable) });
  // This PC's archive or the office server the person connected to (issue 16): the window's calls
  // and events go through the switch (its settings in userData, which the portable build moves).
  const front = openFrontEnd(core, { configDir: app.getPath('userData') });
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
  denyAllPermissions(session.defaultSession);
  const ipcSessions = wireIpc(ipcMain, front.registry);
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, shell));

  const createWindow = () => {
    const win = new BrowserWindow(windowOptions(preloadPath));
    const unsubscribe = forwardEvents(front.events, win.webContents, front.registry, ipcSessions);
    const contentsId = win.webContents.id;
    // Reminders and escalations for this window's person, also when the window is in the background.
    const stopNotices = showWorkNotices(
      front.events,
      front.registry.filterEvents(() => ({
        transport: 'ipc',
        session: ipcSessions.of(contentsId),
        origin: 'desktop',
      })),
      Notification,
      () => {
        if (!win.isDestroyed()) win.show();
      },
    );
    // A mailbox about to fill up (issue 15): said on the desktop too, a full one refuses PEC.
    const stopQuotaAlerts = showQuotaAlerts(
      front.events,
      front.registry.filterEvents(() => ({
        transport: 'ipc',
        session: ipcSessions.of(contentsId),
        origin: 'desktop',
      })),
      Notification,
      () => {
        if (!win.isDestroyed()) win.show();
      },
    );
    win.on('closed', () => {
      unsubscribe();
      stopNotices();
      stopQuotaAlerts();
    });
    win.once('ready-to-show', () => win.show());
    void win.loadURL(`${APP_ORIGIN}/index.html`);
  };
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void front.close().finally(() => core.close()));
}

start().catch((error) => {
  console.error(`PecDesk failed to start: ${(error as Error).stack ?? error}`);
  // A native module built for another ABI or system: said in a dialog with its fix, not only in a
  // terminal the person may not have.
  const native = nativeModuleFailure(error, { packaged: app.isPackaged });
  if (native) dialog.showErrorBox(native.title, native.message);
  app.exit(1);
});
