import { describe, expect, it } from 'vitest';
import { fileTypeKey } from '../../../renderer/src/file-type.ts';

describe('attachment types in words, not MIME types', () => {
  it('reads the name first, then the MIME type', () => {
    expect(fileTypeKey('fattura-118.pdf', 'application/octet-stream')).toBe('pdf');
    expect(fileTypeKey('IT01234567890_00118.xml.p7m', 'application/pkcs7-mime')).toBe('p7m');
    expect(fileTypeKey('verbale.DOCX', 'application/octet-stream')).toBe('word');
    expect(fileTypeKey(null, 'message/rfc822')).toBe('eml');
    expect(fileTypeKey('senza-estensione', 'image/png')).toBe('image');
    expect(fileTypeKey('dati.bin', 'application/octet-stream')).toBe('other');
  });
});
