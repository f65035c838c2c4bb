import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { cleanHtml, hasFormatting } from './compose-model.ts';

/**
 * The body: plain text with simple formatting (bold, italics, underline, bulleted and numbered
 * lists), as an office writes a PEC. The browser's editing commands do the formatting; what is
 * kept is the text and, when there is any formatting, an HTML version reduced to those elements.
 */
export function BodyEditor({
  initialText,
  onChange,
}: {
  /** The text it starts from (a reply's quote); read once, when the editor is made. */
  initialText: string;
  onChange: (body: { text: string; html: string | null }) => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);

  // The text it starts from, once: typing must not be reset (a new draft remounts the editor).
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once on mount
  useEffect(() => {
    // innerText, not textContent: its line breaks become the editor's lines.
    // biome-ignore lint/performance/useDomNodeTextContent: line breaks matter here
    if (ref.current) ref.current.innerText = initialText;
  }, []);

  const changed = () => {
    const el = ref.current;
    if (!el) return;
    const html = cleanHtml(el);
    // biome-ignore lint/performance/useDomNodeTextContent: the lines the person sees, as text
    onChange({ text: el.innerText.replace(/\u00a0/g, ' '), html: hasFormatting(html) ? html : null });
  };

  const command = (name: string) => {
    ref.current?.focus();
    // execCommand is what contentEditable offers for this; Chromium and Electron keep it.
    document.execCommand(name);
    changed();
  };

  const buttons: [string, string, string][] = [
    ['bold', 'compose.bold', 'G'],
    ['italic', 'compose.italic', 'C'],
    ['underline', 'compose.underline', 'S'],
    ['insertUnorderedList', 'compose.bullets', '•'],
    ['insertOrderedList', 'compose.numbers', '1.'],
  ];
  return (
    <div className="body-editor">
      <div className="editor-toolbar" role="toolbar" aria-label={t('compose.formatting')}>
        {buttons.map(([name, key, glyph]) => (
          <button
            key={name}
            type="button"
            className={`format-${name}`}
            title={t(key)}
            aria-label={t(key)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => command(name)}
          >
            {glyph}
          </button>
        ))}
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a rich-text body has no native element */}
      <div
        ref={ref}
        className="editor-area"
        contentEditable
        role="textbox"
        aria-multiline="true"
        aria-label={t('compose.body')}
        tabIndex={0}
        data-testid="compose-body"
        onInput={changed}
        onPaste={(e) => {
          // Pasted text comes in as text: no styles, images or links from elsewhere.
          e.preventDefault();
          document.execCommand('insertText', false, e.clipboardData.getData('text/plain'));
          changed();
        }}
        suppressContentEditableWarning
      />
    </div>
  );
}
