/**
 * The Electron hardening rules as plain functions over the few Electron objects they touch, so they
 * are unit-tested with those objects substituted (the binary cannot run on CI machines).
 */
import type {
  BrowserWindowConstructorOptions,
  HandlerDetails,
  Session,
  Shell,
  WebContents,
  WebFrameMain,
} from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'pecdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'PecDesk',
    show: false,
    backgroundColor: '#f5f6f8',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** IPC is answered only for the app's own top frame, never for a mail frame or a foreign page. */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined): boolean {
  if (!frame || frame.parent) return false;
  try {
    // Custom schemes have an opaque URL.origin ("null"): compare scheme and host instead.
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Links a person may open in the system browser: web pages and new mail, nothing local. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      (u.protocol === 'https:' || u.protocol === 'http:' || u.protocol === 'mailto:') &&
      !u.username &&
      !u.password
    );
  } catch {
    return false;
  }
}

/**
 * Where a frame of the window may go: the top frame stays on app://pecdesk/, a subframe can only be
 * the mail's blob: document the renderer makes (renderer/src/components/mail-frame.ts). A link in a
 * mail can never turn its frame into a data: page, a file or a site.
 */
export function isAllowedNavigation(url: string, isMainFrame: boolean): boolean {
  return url.startsWith(isMainFrame ? `${APP_ORIGIN}/` : `blob:${APP_ORIGIN}/`);
}

/**
 * A request for a new window is never granted. It goes to the system browser only when it is the
 * app's own window.open after the person confirmed (mail-frame.ts, openConfirmedLink): that call
 * passes window features ("noopener,noreferrer"), which only a script can pass, and no script runs
 * in a mail frame. A link followed inside a mail by a middle or shift click reaches this handler
 * with no features, and is refused.
 */
export function handleWindowOpen(
  details: Pick<HandlerDetails, 'url' | 'features'>,
  shell: Pick<Shell, 'openExternal'>,
): { action: 'deny' } {
  const features = details.features.split(',').map((f) => f.trim().toLowerCase());
  if (features.includes('noopener') && isSafeExternalUrl(details.url)) {
    shell.openExternal(details.url).catch((error: Error) => {
      console.error(`PecDesk: cannot open ${details.url}: ${error.message}`);
    });
  }
  return { action: 'deny' };
}

/** The window never navigates away from the app and never opens another window. */
export function hardenWebContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  shell: Pick<Shell, 'openExternal'>,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, true)) event.preventDefault();
  });
  // Every frame, the mail's included (will-navigate sees only the top frame).
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url, event.isMainFrame)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details) => handleWindowOpen(details, shell));
}

/**
 * No page ever gets a permission: camera, microphone, notifications, geolocation, clipboard
 * reading, MIDI, HID/USB/serial devices, opening external protocols, fullscreen… The app uses none
 * of them (it shows no web notifications; should it ever notify, it will do so from the main
 * process, which these handlers do not govern), and mail content must never get one.
 */
export function denyAllPermissions(
  session: Pick<
    Session,
    'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
  >,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
