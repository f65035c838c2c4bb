/**
 * One Content-Security-Policy for the Electron window and the browser bridge. Mail HTML is shown in
 * a sandboxed srcdoc frame, which inherits this policy: no script, no remote image, no remote font.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // Remote images only ever appear inside a mail frame, whose own CSP blocks them until the
  // person asks to load them.
  "img-src 'self' data: blob: https: http:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self' blob: data:",
  "child-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
