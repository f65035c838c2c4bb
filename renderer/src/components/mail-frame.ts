/**
 * The HTML of a mail, shown so that it can do nothing by itself: no script runs, nothing is fetched
 * until the person loads images (and then images only, never with a Referer), and no link is
 * followed unless the person confirms it. Framework-free, so the security tests run this very code
 * in chromium (tests/security/bridge-mail-frame.test.ts); HtmlBody.tsx is its React wrapper.
 *
 * The layers, each enough for something on its own:
 * - the frame's sandbox: no scripts, no popups, no forms, no top navigation;
 * - the frame document's CSP: no request but images, and those only after "Carica immagini";
 * - the mail's HTML is cleaned first: what fetches or changes the frame's rules without being an
 *   image (<link rel=prefetch> and preconnect pass the CSP once images are allowed, a mail's own
 *   <meta name=referrer> or referrerpolicy would bring the Referer back) is removed;
 * - the frame is a blob: document, not srcdoc: chromium sends a Referer for CSS url() images of an
 *   about:srcdoc document whatever its referrer policy, and honours it in a blob: one;
 * - every activation of a link (click, middle click, Enter, <area>, SVG) is caught in the frame's
 *   document from the moment it exists, and only a confirmed web or mail address is opened, by the
 *   app's own window;
 * - the page's CSP (frame-src blob:) and, in Electron, will-frame-navigate keep the frame on the
 *   mail: it can never become a data: page or a site.
 */

/** No allow-scripts (ever), allow-same-origin so the app can reach the document to guard it. */
export const FRAME_SANDBOX = 'allow-same-origin';
export const FRAME_REFERRER_POLICY = 'no-referrer';

/**
 * How the app opens a confirmed link. Electron's window-open handler (main/electron/security.ts)
 * opens only requests carrying these window features: only a script can pass features, and the
 * only scripts that run are the app's own.
 */
export const CONFIRMED_OPEN_FEATURES = 'noopener,noreferrer';

const XLINK = 'http://www.w3.org/1999/xlink';

/** Elements that fetch, navigate, run code, or change the frame's rules: never part of a mail view. */
const DROPPED_ELEMENTS = new Set([
  'script',
  'link',
  'meta',
  'base',
  'title',
  'iframe',
  'frame',
  'frameset',
  'fencedframe',
  'portal',
  'object',
  'embed',
  'applet',
  'noembed',
  // Declarative shadow roots would hide their contents from this cleaning.
  'template',
  // SMIL can rewrite an attribute (a link's href) after cleaning, without any script.
  'animate',
  'animatemotion',
  'animatetransform',
  'set',
]);

/** Attributes that choose a referrer, ping, target another window, or would run script. */
function droppedAttribute(name: string): boolean {
  const n = name.toLowerCase();
  return (
    n.startsWith('on') ||
    n === 'referrerpolicy' ||
    n === 'ping' ||
    n === 'target' ||
    n === 'formtarget' ||
    n === 'attributionsrc' ||
    n === 'shadowrootmode' ||
    n === 'srcdoc'
  );
}

/** Removes what DROPPED_ELEMENTS and droppedAttribute name under `root`; returns how much it removed. */
function clean(root: ParentNode): number {
  let removed = 0;
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (DROPPED_ELEMENTS.has(el.localName.toLowerCase())) {
      el.remove();
      removed++;
      continue;
    }
    for (const attr of Array.from(el.attributes)) {
      if (droppedAttribute(attr.localName)) {
        el.removeAttributeNS(attr.namespaceURI, attr.localName);
        removed++;
      }
    }
  }
  return removed;
}

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function head(loadImages: boolean): string {
  const images = loadImages ? 'data: cid: https: http:' : 'data: cid:';
  // <base target=_blank>: a click that ever escaped the guard becomes a popup, which the sandbox
  // blocks, instead of a navigation of the frame.
  return `<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src ${images}; font-src data:; form-action 'none'; base-uri 'none'"><meta name="referrer" content="no-referrer"><base target="_blank"><style>body{font-family:system-ui,sans-serif;font-size:14px;margin:8px;overflow-wrap:anywhere}</style></head>`;
}
const HEAD_ELEMENTS = 5;

/** The mail's styles and body, cleaned. */
function mailBody(doc: Document): string {
  clean(doc);
  const styles = Array.from(doc.head.querySelectorAll('style'), (s) => s.outerHTML).join('');
  return styles + doc.body.innerHTML;
}

/**
 * The frame's whole document. The cleaned markup is parsed once more as the frame will parse it:
 * if that parse holds anything the cleaning removes (markup built to change shape when serialized
 * and parsed again), the mail is shown as plain text instead.
 */
export function frameDocument(html: string, loadImages: boolean): string {
  const first = parse(html);
  const text = first.body?.textContent ?? '';
  const doc = `<!doctype html><html>${head(loadImages)}<body>${mailBody(first)}</body></html>`;
  const again = parse(doc);
  const stable =
    again.head.querySelectorAll('*').length === HEAD_ELEMENTS &&
    again.documentElement.attributes.length === 0 &&
    again.body.attributes.length === 0 &&
    clean(again.body) === 0;
  if (stable) return doc;
  return `<!doctype html><html>${head(false)}<body><pre style="white-space:pre-wrap">${escapeHtml(text)}</pre></body></html>`;
}

/** The address a link leads to, when it is one a person may open: web pages and new mail only. */
export function followableUrl(raw: string | null, base: string): string | null {
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:' && url.protocol !== 'mailto:') return null;
  // https://bank.example@evil.test/ reads as the bank in a confirmation.
  if (url.username || url.password) return null;
  return url.href;
}

/** The <a> (HTML or SVG) or <area> the event happened in, if any. */
function linkOf(target: EventTarget | null): Element | null {
  for (let node = target as Node | null; node; node = node.parentNode) {
    if (node.nodeType !== 1) continue;
    const name = (node as Element).localName;
    if (name === 'a' || name === 'area') return node as Element;
  }
  return null;
}

/**
 * The frame never follows a link itself: every click (Enter on a focused link is a click too) and
 * every middle click on a link is stopped here, and the address goes to `follow`, which asks.
 */
export function guardLinks(doc: Document, follow: (url: string) => void): void {
  const onActivate = (event: MouseEvent) => {
    const link = linkOf(event.target);
    if (!link) return;
    event.preventDefault();
    // auxclick: the middle button opens; the right one (context menu) and others do nothing.
    if (event.type === 'auxclick' && event.button !== 1) return;
    const url = followableUrl(link.getAttribute('href') ?? link.getAttributeNS(XLINK, 'href'), link.baseURI);
    if (url) follow(url);
  };
  doc.addEventListener('click', onActivate, true);
  doc.addEventListener('auxclick', onActivate, true);
}

/** Opens a link the person confirmed, from the app's own window (never from the mail's frame). */
export function openConfirmedLink(url: string): void {
  window.open(url, '_blank', CONFIRMED_OPEN_FEATURES);
}

export interface MailFrameOptions {
  loadImages: boolean;
  /** Called with the address of a link the person activated; it asks, then opens. */
  follow: (url: string) => void;
}

function fitHeight(frame: HTMLIFrameElement, doc: Document): void {
  frame.style.height = `${Math.min(4000, Math.max(120, doc.documentElement.scrollHeight + 16))}px`;
}

/**
 * Shows `html` in `frame` (which carries FRAME_SANDBOX and FRAME_REFERRER_POLICY). The frame stays
 * inert until its document is guarded, and it is guarded as soon as it exists: its load event can
 * wait on a remote image forever, while the mail is already on screen. Returns the cleanup.
 */
export function mountMailFrame(
  frame: HTMLIFrameElement,
  html: string,
  options: MailFrameOptions,
): () => void {
  const url = URL.createObjectURL(new Blob([frameDocument(html, options.loadImages)], { type: 'text/html' }));
  let guarded: Document | null = null;
  let watching = true;
  let tick = 0;
  const guard = (): boolean => {
    const doc = frame.contentDocument;
    if (!doc || doc.URL !== url) return false;
    if (guarded !== doc) {
      guardLinks(doc, options.follow);
      guarded = doc;
      frame.inert = false;
      if (doc.readyState === 'loading')
        doc.addEventListener('DOMContentLoaded', () => fitHeight(frame, doc), { once: true });
    }
    fitHeight(frame, doc);
    return true;
  };
  const watch = () => {
    if (!watching || guard()) return;
    tick = requestAnimationFrame(watch);
  };
  const onLoad = () => {
    // The first load can be the frame's initial about:blank; an error page has no document for us.
    if (guard() || frame.contentDocument?.URL !== 'about:blank') watching = false;
  };
  frame.inert = true;
  frame.addEventListener('load', onLoad);
  frame.src = url;
  tick = requestAnimationFrame(watch);
  return () => {
    watching = false;
    cancelAnimationFrame(tick);
    frame.removeEventListener('load', onLoad);
    URL.revokeObjectURL(url);
  };
}
