/**
 * Attacks from the HTML of a mail, in Debian's chromium: the mail frame is built by the renderer's
 * own code (renderer/src/components/mail-frame.ts, bundled as the app bundles it) inside a page
 * served with the app's real headers, once by the browser bridge and once by Electron's app://
 * handler. A "sender" server on 127.0.0.1 records what the mail makes the browser ask for.
 *
 * - Before "Carica immagini" nothing at all reaches the sender.
 * - After it, images load but never with a Referer (CSS url() used to send one), and nothing that
 *   is not an image is fetched (<link rel=prefetch> used to be) or connected to (preconnect).
 * - Every way of following a link asks first: click, middle click (used to open a tab at once),
 *   Enter on a focused link, <area> (used to navigate the frame to a data: page), SVG links; a form
 *   never submits; the frame never navigates away from the mail.
 * - Links are guarded from the moment the mail shows, not from its load event (which a slow image
 *   can hold back forever).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Frame, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../main/api/events.ts';
import type { ApiRegistry } from '../../main/api/registry.ts';
import { createAppProtocolHandler } from '../../main/electron/app-protocol.ts';
import { type RunningBridge, startBridge } from '../../main/server/http-server.ts';
import { tempDir } from '../support/archive.ts';

const CHROMIUM = process.env.PECDESK_CHROMIUM ?? '/usr/bin/chromium';
// The same flags as playwright.config.ts.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const MAIL_FRAME = new URL('../../renderer/src/components/mail-frame.ts', import.meta.url).pathname;
const GIF = 'data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==';

/** The test page's script: the renderer's mail-frame module, used the way HtmlBody uses it. */
const ENTRY = `
import { FRAME_REFERRER_POLICY, FRAME_SANDBOX, mountMailFrame, openConfirmedLink } from ${JSON.stringify(MAIL_FRAME)};
window.showMail = (html, loadImages) => {
  document.querySelector('iframe')?.remove();
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', FRAME_SANDBOX);
  frame.setAttribute('referrerpolicy', FRAME_REFERRER_POLICY);
  frame.style.width = '600px';
  document.body.append(frame);
  mountMailFrame(frame, html, {
    loadImages,
    follow: (url) => {
      if (window.confirm(url)) openConfirmedLink(url);
    },
  });
};
`;

const HTML_BODY = new URL('../../renderer/src/components/HtmlBody.tsx', import.meta.url).pathname;
const I18N = new URL('../../renderer/src/i18n/index.ts', import.meta.url).pathname;

/** The React component itself, as the reader shows it, with window.confirm as the question. */
const REACT_ENTRY = `
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { HtmlBody } from ${JSON.stringify(HTML_BODY)};
import { initI18n } from ${JSON.stringify(I18N)};
initI18n('it');
window.showReactMail = (html) => {
  const host = document.createElement('div');
  document.body.append(host);
  createRoot(host).render(createElement(HtmlBody, { html, confirmLink: (url) => window.confirm(url) }));
};
`;

interface Hit {
  path: string;
  referer: string | undefined;
}

/** A mail sender's server: records every request and every TCP connection. */
class Sender {
  readonly hits: Hit[] = [];
  connections = 0;
  private readonly stalled: ServerResponse[] = [];
  private readonly server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    this.hits.push({ path: req.url ?? '', referer: req.headers.referer });
    // An image that never finishes holds the frame's load event back.
    if (req.url?.startsWith('/stall')) {
      this.stalled.push(res);
      return;
    }
    res.writeHead(200, { 'content-type': req.url?.endsWith('.png') ? 'image/gif' : 'text/html' });
    res.end(req.url?.endsWith('.png') ? Buffer.from(GIF.split(',')[1]!, 'base64') : 'ok');
  });

  async start(): Promise<string> {
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  paths(): string[] {
    return this.hits.map((h) => h.path);
  }

  close(): Promise<void> {
    for (const res of this.stalled) res.end();
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** The renderer's folder for both shells: a page and the bundled mail-frame module. */
async function rendererDir(): Promise<string> {
  const dir = tempDir('pecdesk-frame-');
  mkdirSync(dir, { recursive: true });
  const bundle = (contents: string) =>
    build({
      stdin: { contents, resolveDir: process.cwd(), loader: 'tsx', sourcefile: 'entry.tsx' },
      bundle: true,
      format: 'iife',
      target: 'chrome120',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      write: false,
      logLevel: 'warning',
    }).then((b) => b.outputFiles[0]!.contents);
  writeFileSync(join(dir, 'frame-test.js'), await bundle(ENTRY));
  writeFileSync(join(dir, 'react-test.js'), await bundle(REACT_ENTRY));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>PecDesk</title></head><body><script src="/frame-test.js"></script><script src="/react-test.js"></script></body></html>',
  );
  return dir;
}

/** Electron's app:// answers (the same handler main.ts registers), over HTTP for the browser. */
async function appProtocolServer(dir: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const handler = createAppProtocolHandler(dir);
  const server = createServer(async (req, res) => {
    const answer = await handler(new Request(`app://pecdesk${req.url ?? '/'}`));
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

const poll = <T>(fn: () => T) => expect.poll(fn, { timeout: 10_000 });

const noCalls: ApiRegistry = {
  call: async () => ({ ok: false, error: { code: 'forbidden', message: 'not in this test' } }),
  filterEvents: () => () => undefined,
};

describe.runIf(existsSync(CHROMIUM))('the mail frame in chromium', () => {
  let browser: Browser;
  let dir: string;
  let bridge: RunningBridge;
  let app: { origin: string; close: () => Promise<void> };

  beforeAll(async () => {
    dir = await rendererDir();
    bridge = await startBridge({
      registry: noCalls,
      events: new EventBus(),
      staticDir: dir,
      port: 0,
      token: 't'.repeat(43),
    });
    app = await appProtocolServer(dir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await app?.close();
  });

  const shells = [
    ['served by the browser bridge', () => `http://127.0.0.1:${bridge.port}/`],
    ["served like Electron's app://", () => `${app.origin}/`],
  ] as const;

  describe.each(shells)('%s', (_name, pageUrl) => {
    let sender: Sender;
    let t: string;
    let context: BrowserContext;
    let page: Page;
    let dialogs: string[];
    let acceptDialogs: boolean;
    let opened: string[];

    async function show(html: string, loadImages: boolean, ready = '#ready'): Promise<Frame> {
      sender = new Sender();
      t = await sender.start();
      context = await browser.newContext();
      page = await context.newPage();
      dialogs = [];
      acceptDialogs = false;
      opened = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void (acceptDialogs ? d.accept() : d.dismiss());
      });
      context.on('page', (p) => opened.push(p.url() || 'about:blank'));
      await page.goto(pageUrl());
      await page.evaluate(
        ([h, images]) =>
          (window as never as { showMail: (h: string, i: boolean) => void }).showMail(h, images),
        [html.replaceAll('SENDER', t), loadImages] as const,
      );
      await poll(() => page.frames().length).toBe(2);
      const frame = page.frames()[1]!;
      await frame.waitForSelector(ready, { state: 'attached', timeout: 10_000 });
      return frame;
    }

    async function done() {
      await context?.close();
      await sender?.close();
    }

    const settle = () => new Promise((r) => setTimeout(r, 600));

    const LEAKS = `
      <meta name="referrer" content="unsafe-url">
      <link rel="prefetch" href="SENDER/prefetch">
      <link rel="preload" as="image" href="SENDER/preload.png">
      <link rel="preconnect" href="SENDER/">
      <link rel="dns-prefetch" href="SENDER/">
      <style>.b{background:url(SENDER/css-style.png)}</style>
      <p class="b" id="ready">Gentile cliente, in allegato la fattura.</p>
      <div style="background-image:url(SENDER/css-inline.png);width:20px;height:20px"></div>
      <img src="SENDER/img.png" width="10" height="10">
      <img src="SENDER/img-unsafe.png" referrerpolicy="unsafe-url" width="10" height="10">
      <div><template shadowrootmode="open"><link rel="prefetch" href="SENDER/shadow"></template></div>
    `;

    it('with remote images blocked, nothing reaches the sender', async () => {
      try {
        await show(LEAKS, false);
        await settle();
        expect(sender.paths()).toEqual([]);
      } finally {
        await done();
      }
    });

    it('after "Carica immagini", images load without a Referer and nothing else is fetched', async () => {
      try {
        await show(LEAKS, true);
        const images = ['/css-inline.png', '/css-style.png', '/img-unsafe.png', '/img.png'];
        await poll(() => images.every((p) => sender.paths().includes(p))).toBe(true);
        await settle();
        expect([...new Set(sender.paths())].sort()).toEqual(images);
        expect(sender.hits.filter((h) => h.referer !== undefined)).toEqual([]);
      } finally {
        await done();
      }
    });

    it('markup that changes shape when parsed again is shown as text, and fetches nothing', async () => {
      try {
        // The DOMPurify 2.0.0 bypass: after serializing and parsing again, the <link> is an element.
        const frame = await show(
          `<p>Avviso</p><form><math><mtext></form><form><mglyph><style></math><link rel="prefetch" href="SENDER/mxss"><img src="SENDER/mxss.png">`,
          true,
          'pre',
        );
        expect(await frame.locator('pre').textContent()).toContain('Avviso');
        await settle();
        expect(sender.paths()).toEqual([]);
      } finally {
        await done();
      }
    });

    const LINKS = `
      <p id="ready"><a id="plain" href="SENDER/link">Agenzia delle Entrate</a></p>
      <p><a id="self" target="_self" href="data:text/html,<h1>Fattura</h1>">Apri la fattura</a></p>
      <p><img id="map" usemap="#m" src="${GIF}" width="80" height="40"></p>
      <map name="m">
        <area shape="rect" coords="0,0,40,40" href="data:text/html,<h1>Area</h1>" target="_self">
        <area shape="rect" coords="40,0,80,40" href="SENDER/area">
      </map>
      <svg width="80" height="24"><a id="svg" xlink:href="SENDER/svg"><text x="0" y="16">Sito</text></a></svg>
      <form action="SENDER/form" method="post"><button id="submit">Invia</button></form>
    `;

    it('asks before following a link by click, middle click, Enter, <area> or SVG; no navigation, no form', async () => {
      try {
        const frame = await show(LINKS, true);
        const frameUrl = frame.url();
        await frame.click('#plain');
        await poll(() => dialogs).toEqual([`${t}/link`]);
        await frame.click('#plain', { button: 'middle' });
        await poll(() => dialogs.length).toBe(2);
        expect(dialogs[1]).toBe(`${t}/link`);
        await frame.focus('#plain');
        await page.keyboard.press('Enter');
        await poll(() => dialogs.length).toBe(3);
        await frame.click('#map', { position: { x: 60, y: 20 } });
        await poll(() => dialogs.length).toBe(4);
        expect(dialogs[3]).toBe(`${t}/area`);
        await frame.click('#svg');
        await poll(() => dialogs.length).toBe(5);
        expect(dialogs[4]).toBe(`${t}/svg`);
        // data: links are not offered at all, and must not take the frame over.
        await frame.click('#self');
        await frame.click('#map', { position: { x: 10, y: 20 } });
        await frame.click('#submit');
        await settle();
        expect(dialogs).toHaveLength(5);
        expect(page.frames()[1]!.url()).toBe(frameUrl);
        expect(await page.frames()[1]!.locator('#plain').count()).toBe(1);
        expect(opened).toEqual([]);
        expect(sender.paths().filter((p) => !p.endsWith('.png'))).toEqual([]);
      } finally {
        await done();
      }
    });

    it("the page's CSP keeps the frame on the mail even if something navigates it", async () => {
      try {
        await show(LINKS, false);
        for (const target of ['data:text/html,<p id="taken">x</p>', `${t}/site`]) {
          await page.evaluate((src) => {
            document.querySelector('iframe')!.src = src;
          }, target);
          await settle();
          const frame = page.frames()[1];
          expect(frame?.url() ?? '').not.toBe(target);
          expect(
            frame
              ? await frame
                  .locator('#taken')
                  .count()
                  .catch(() => 0)
              : 0,
          ).toBe(0);
        }
        expect(sender.paths()).toEqual([]);
      } finally {
        await done();
      }
    });

    it('opens the link once the person confirms, without a Referer', async () => {
      try {
        const frame = await show(LINKS, false);
        acceptDialogs = true;
        await frame.click('#plain');
        await poll(() => sender.paths()).toContain('/link');
        expect(dialogs).toEqual([`${t}/link`]);
        await poll(() => opened.length).toBe(1);
        expect(sender.hits.find((h) => h.path === '/link')!.referer).toBeUndefined();
      } finally {
        await done();
      }
    });

    it('guards links while an image is still loading (before the load event)', async () => {
      try {
        const frame = await show(
          `<p id="ready"><a id="early" href="SENDER/early">Avviso</a></p><img src="SENDER/stall.png">`,
          true,
        );
        await poll(() => sender.paths()).toContain('/stall.png');
        await frame.click('#early', { button: 'middle' });
        await poll(() => dialogs).toEqual([`${t}/early`]);
        await settle();
        expect(opened).toEqual([]);
        expect(sender.paths()).not.toContain('/early');
      } finally {
        await done();
      }
    });
  });
  describe('HtmlBody, the React component the reader uses', () => {
    it('keeps the sandbox, asks before a middle click, and after "Carica immagini" still guards links and sends no Referer', async () => {
      const sender = new Sender();
      const t = await sender.start();
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const dialogs: string[] = [];
        const opened: string[] = [];
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        context.on('page', (p) => opened.push(p.url()));
        await page.goto(`http://127.0.0.1:${bridge.port}/`);
        await page.evaluate(
          (html) => (window as never as { showReactMail: (h: string) => void }).showReactMail(html),
          `<p id="ready"><a id="plain" href="${t}/link">Agenzia delle Entrate</a></p><img src="${t}/img.png"><div style="background:url(${t}/css.png);height:9px"></div><link rel="prefetch" href="${t}/prefetch">`,
        );
        const frameEl = page.getByTestId('html-body');
        expect(await frameEl.getAttribute('sandbox')).toBe('allow-same-origin');
        const frame = page.frameLocator('[data-testid="html-body"]');
        await frame.locator('#plain').click({ button: 'middle' });
        await poll(() => dialogs).toEqual([`${t}/link`]);
        expect(sender.paths()).toEqual([]);
        await page.getByRole('button', { name: 'Carica immagini' }).click();
        await poll(() => ['/img.png', '/css.png'].every((p) => sender.paths().includes(p))).toBe(true);
        await frame.locator('#plain').click({ button: 'middle' });
        await poll(() => dialogs.length).toBe(2);
        await frame.locator('#plain').click();
        await poll(() => dialogs.length).toBe(3);
        await new Promise((r) => setTimeout(r, 600));
        expect(opened).toEqual([]);
        expect([...new Set(sender.paths())].sort()).toEqual(['/css.png', '/img.png']);
        expect(sender.hits.filter((h) => h.referer !== undefined)).toEqual([]);
      } finally {
        await context.close();
        await sender.close();
      }
    });
  });
});
