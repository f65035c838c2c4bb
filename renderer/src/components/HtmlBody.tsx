import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Mail HTML in a sandboxed frame: no script ever runs (no allow-scripts), remote content is blocked
 * by the frame's own CSP until the person chooses to load images, and a link opens in the system
 * browser only after confirmation. allow-same-origin (without scripts) lets the app catch clicks.
 */
export function frameDocument(html: string, loadImages: boolean): string {
  const images = loadImages ? 'data: cid: https: http:' : 'data: cid:';
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src ${images}; font-src data:"><base target="_blank"><style>body{font-family:system-ui,sans-serif;font-size:14px;margin:8px;overflow-wrap:anywhere}</style></head><body>${html}</body></html>`;
}

export function HtmlBody({ html, confirmLink }: { html: string; confirmLink: (url: string) => boolean }) {
  const { t } = useTranslation();
  const [loadImages, setLoadImages] = useState(false);
  const attach = useCallback(
    (frame: HTMLIFrameElement | null) => {
      const doc = frame?.contentDocument;
      if (!frame || !doc) return;
      doc.addEventListener('click', (e) => {
        const link = (e.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
        if (!link) return;
        e.preventDefault();
        const href = link.href;
        if (/^(https?|mailto):/i.test(href) && confirmLink(href))
          window.open(href, '_blank', 'noopener,noreferrer');
      });
      frame.style.height = `${Math.min(4000, Math.max(120, doc.documentElement.scrollHeight + 16))}px`;
    },
    [confirmLink],
  );
  const hasRemote = /<img[^>]+src=["']?https?:/i.test(html) || /url\(\s*["']?https?:/i.test(html);
  return (
    <div className="html-body">
      {hasRemote && !loadImages && (
        <p className="banner banner-warn">
          {t('original.remoteBlocked')}{' '}
          <button type="button" onClick={() => setLoadImages(true)}>
            {t('original.loadImages')}
          </button>
        </p>
      )}
      <iframe
        key={loadImages ? 'images' : 'plain'}
        title={t('original.title')}
        sandbox="allow-same-origin"
        referrerPolicy="no-referrer"
        srcDoc={frameDocument(html, loadImages)}
        onLoad={(e) => attach(e.currentTarget)}
        data-testid="html-body"
      />
    </div>
  );
}
