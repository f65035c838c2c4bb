/**
 * Text of a PDF with unpdf (Mozilla's pdf.js, packaged for servers): the extractor the browser
 * engines trust with hostile PDFs every day, no native code. Scanned PDFs have no text layer and
 * give an empty string (no OCR here).
 */
import { getDocumentProxy } from 'unpdf';

/** Pages read per PDF: a contract or an invoice is far shorter; a 5,000-page dump is not indexed whole. */
const MAX_PAGES = 300;

export async function pdfText(bytes: Uint8Array, maxChars: number): Promise<string> {
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), {
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
  });
  try {
    const parts: string[] = [];
    let length = 0;
    const pages = Math.min(pdf.numPages, MAX_PAGES);
    for (let n = 1; n <= pages && length < maxChars; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const text = content.items
        .map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : ''))
        .join('');
      parts.push(text);
      length += text.length;
      page.cleanup();
    }
    return parts.join('\n').slice(0, maxChars);
  } finally {
    await pdf.destroy();
  }
}
