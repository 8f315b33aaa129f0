// Chosen once at start-up: Electron's preload API when present, else the served browser mode.
import { browserTransport } from './browser-transport.ts';
import { electronTransport } from './electron-transport.ts';
import { readToken, withoutToken } from './token.ts';
import type { Transport } from './types.ts';

export function pickTransport(win: Window): Transport {
  if (win.deskpilot) return electronTransport(win.deskpilot);
  let storage: Storage | undefined;
  try {
    storage = win.sessionStorage;
  } catch {
    storage = undefined;
  }
  const token = readToken(win.location.search, storage);
  const clean = withoutToken(win.location.href);
  if (clean !== null) win.history.replaceState(win.history.state, '', clean);
  // Without a token the server's HttpOnly cookie authenticates; a refusal shows the token page (authFailed).
  return browserTransport({ token: token ?? undefined, host: win.location.host, secure: win.location.protocol === 'https:' });
}
