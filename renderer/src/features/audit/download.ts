/**
 * Saves what the core hands over (the log's export, recovery codes) through the browser's or
 * Electron's download: an object URL, revoked once the download has started.
 */
export function downloadBytes(bytes: Uint8Array, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function base64Bytes(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

export function downloadText(text: string, filename: string): void {
  downloadBytes(new TextEncoder().encode(text), filename, 'text/plain;charset=utf-8');
}
