// Locks every web contents down before any window exists: a strict CSP, no navigation, no new
// windows, no webviews, and every permission (camera, notifications, clipboard...) refused.
import { app, session } from 'electron';

/** Scripts and styles only from the app's own files; screenshots from our blob scheme; no network. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // Inline style attributes and the style tags libraries inject; scripts stay strict.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' deskpilot-blob: data: blob:",
  "font-src 'self' data:",
  // The live view's loopback WebSocket (runs.liveView); each URL carries a token of one use.
  "connect-src 'self' deskpilot-blob: ws://127.0.0.1:*",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function setupSecurity(): void {
  // Pages carry the same policy in a meta tag too: headers are the first line, file:// loads the fallback.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
