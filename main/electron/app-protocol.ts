import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../security/csp.ts';
import { STATIC_CONTENT_TYPES } from '../static-types.ts';
import { APP_HOST } from './security.ts';

/**
 * Serves the built renderer on app://pecdesk/ with the same CSP as the browser bridge. Paths are
 * confined to the renderer folder; anything else is 404.
 */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const base = resolve(rendererDir);
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const pathname = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const file = resolve(join(base, normalize(pathname)));
    if (!file.startsWith(base + sep)) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': STATIC_CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
          // Inherited by the mail frame: no request it makes names the app's page.
          'Referrer-Policy': 'no-referrer',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  };
}
