// Chosen once at start-up: Electron's preload API when present, else the served browser mode.
import { browserTransport } from './browser-transport.ts';
import { electronTransport } from './electron-transport.ts';
import { readToken } from './token.ts';
import type { Transport } from './types.ts';

export type Startup = { kind: 'ready'; transport: Transport } | { kind: 'no-token' };

export function pickTransport(win: Window): Startup {
  if (win.deskpilot) return { kind: 'ready', transport: electronTransport(win.deskpilot) };
  let storage: Storage | undefined;
  try {
    storage = win.sessionStorage;
  } catch {
    storage = undefined;
  }
  const token = readToken(win.location.search, storage);
  if (!token) return { kind: 'no-token' };
  return { kind: 'ready', transport: browserTransport({ token, host: win.location.host, secure: win.location.protocol === 'https:' }) };
}
