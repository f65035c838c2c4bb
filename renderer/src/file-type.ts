/**
 * What kind of file an attachment is, as a person names it ("Documento PDF", "Fattura XML"),
 * from its name and its MIME type: the i18n key under fileType.* and its fallback.
 */
const BY_EXTENSION: Record<string, string> = {
  pdf: 'pdf',
  xml: 'xml',
  p7m: 'p7m',
  p7s: 'p7s',
  eml: 'eml',
  msg: 'eml',
  zip: 'zip',
  rar: 'zip',
  '7z': 'zip',
  doc: 'word',
  docx: 'word',
  odt: 'word',
  rtf: 'word',
  xls: 'excel',
  xlsx: 'excel',
  ods: 'excel',
  csv: 'csv',
  txt: 'text',
  htm: 'html',
  html: 'html',
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  gif: 'image',
  tif: 'image',
  tiff: 'image',
  bmp: 'image',
};

export function fileTypeKey(filename: string | null, contentType: string): string {
  const name = (filename ?? '').toLowerCase();
  // fattura.xml.p7m: a signed file; the inner type is said by the name before .p7m.
  const ext = /\.([a-z0-9]{1,5})$/.exec(name)?.[1];
  if (ext && BY_EXTENSION[ext]) return BY_EXTENSION[ext]!;
  const type = contentType.toLowerCase();
  if (type === 'application/pdf') return 'pdf';
  if (type === 'message/rfc822') return 'eml';
  if (type.includes('pkcs7')) return 'p7m';
  if (type.endsWith('/xml')) return 'xml';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('text/plain')) return 'text';
  if (type.startsWith('text/html')) return 'html';
  return 'other';
}
