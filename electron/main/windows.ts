// The app's windows and the one list of pages allowed to talk to the engine. Every window is
// sandboxed with context isolation and no Node; only pages we loaded ourselves are trusted.
import { BrowserWindow, type BrowserWindowConstructorOptions, type WebContents, type WebFrameMain } from 'electron';
import { pageUrl, preloadPath, rendererIndex } from './paths.ts';

/** webContents id -> the file: URL (no query, no hash) its top frame must show to be heard. */
const trusted = new Map<number, { contents: WebContents; url: string }>();

export function securePreferences(withPreload: boolean): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    ...(withPreload ? { preload: preloadPath } : {}),
  };
}

/** Lets this window's top frame call the engine while it shows `file`; forgotten when it closes. */
export function trustWindow(win: BrowserWindow, file: string): void {
  const { id } = win.webContents;
  trusted.set(id, { contents: win.webContents, url: pageUrl(file) });
  win.once('closed', () => trusted.delete(id));
}

/** True only for the top frame of one of our windows, showing the page we loaded into it. */
export function isTrustedFrame(sender: WebContents, frame: WebFrameMain | null): boolean {
  const entry = trusted.get(sender.id);
  if (!entry || entry.contents !== sender || sender.isDestroyed() || !frame || frame.parent !== null) return false;
  const top = sender.mainFrame;
  if (frame.processId !== top.processId || frame.routingId !== top.routingId) return false;
  try {
    const url = new URL(frame.url);
    url.search = '';
    url.hash = '';
    return url.href === entry.url;
  } catch {
    return false;
  }
}

/** The live contents events may be pushed to. */
export function trustedContents(): WebContents[] {
  return [...trusted.values()].map((t) => t.contents).filter((c) => !c.isDestroyed());
}

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Deskpilot',
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    show: false,
    webPreferences: securePreferences(true),
  });
  trustWindow(win, rendererIndex);
  win.once('ready-to-show', () => win.show());
  void win.loadFile(rendererIndex).catch((err: Error) => console.error(`Deskpilot: cannot load ${rendererIndex} (run npm run build first): ${err.message}`));
  return win;
}
