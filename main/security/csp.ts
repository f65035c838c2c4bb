/**
 * One Content-Security-Policy for the Electron window and the browser bridge. Mail HTML is shown in
 * a sandboxed blob: frame (renderer/src/components/mail-frame.ts), which inherits this policy and
 * adds its own: no script, no remote image until asked, no remote font.
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
  // The only frame is the mail's blob: document; nothing may navigate it to a data: page or a site.
  'frame-src blob:',
  // No workers, no other frames.
  "child-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
