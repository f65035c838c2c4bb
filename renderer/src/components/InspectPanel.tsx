import { type DragEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/app-store.ts';
import { MessageDetails } from './MessageDetails.tsx';

/** Open a single .eml from disk and see what PecDesk reads in it. */
export function InspectPanel() {
  const { t } = useTranslation();
  const inspect = useAppStore((s) => s.inspect);
  const inspectFile = useAppStore((s) => s.inspectFile);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void inspectFile(file);
  };

  return (
    <div className="inspect">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target is a convenience; the button inside is the keyboard path */}
      <section
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <h2>{t('inspect.title')}</h2>
        <p>
          {t('inspect.drop')}{' '}
          <button type="button" className="primary" onClick={() => input.current?.click()}>
            {t('inspect.open')}
          </button>
        </p>
        <input
          ref={input}
          type="file"
          accept=".eml,message/rfc822"
          hidden
          data-testid="eml-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void inspectFile(file);
            e.target.value = '';
          }}
        />
      </section>
      {inspect.status === 'reading' && <p className="muted">{t('inspect.reading')}</p>}
      {inspect.status === 'error' && (
        <p className="banner banner-danger" role="alert">
          {inspect.message === 'too-large'
            ? t('inspect.tooLarge')
            : t('inspect.error', { message: inspect.message })}
        </p>
      )}
      {inspect.status === 'done' && <MessageDetails result={inspect.result} />}
    </div>
  );
}
