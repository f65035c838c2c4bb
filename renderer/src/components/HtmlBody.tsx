import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FRAME_REFERRER_POLICY, FRAME_SANDBOX, mountMailFrame, openConfirmedLink } from './mail-frame.ts';

export { frameDocument } from './mail-frame.ts';

/**
 * Mail HTML in a sandboxed frame (mail-frame.ts says how): no script ever runs, remote images wait
 * for the person's choice, and a link opens in the system browser only after confirmation.
 */
export function HtmlBody({ html, confirmLink }: { html: string; confirmLink: (url: string) => boolean }) {
  const { t } = useTranslation();
  const [loadImages, setLoadImages] = useState(false);
  const frame = useRef<HTMLIFrameElement>(null);
  // The latest confirmLink without rebuilding the frame each time the parent renders.
  const confirm = useRef(confirmLink);
  confirm.current = confirmLink;
  useEffect(() => {
    if (!frame.current) return;
    return mountMailFrame(frame.current, html, {
      loadImages,
      follow: (url) => {
        if (confirm.current(url)) openConfirmedLink(url);
      },
    });
  }, [html, loadImages]);
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
        ref={frame}
        title={t('original.title')}
        sandbox={FRAME_SANDBOX}
        referrerPolicy={FRAME_REFERRER_POLICY}
        data-testid="html-body"
      />
    </div>
  );
}
