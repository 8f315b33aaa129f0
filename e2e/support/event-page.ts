// A page that reports every pointer, wheel and key event it sees back to a tiny local HTTP
// server, and a helper that opens it full-screen in Chromium on a virtual display. Tests drive
// the real mouse and keyboard with a DesktopDriver and then check what the browser received.
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { VirtualDisplay } from '../../agents/desktop/display.ts';

export type PageEventType =
  | 'ready'
  | 'resize'
  | 'mousedown'
  | 'mouseup'
  | 'click'
  | 'dblclick'
  | 'auxclick'
  | 'contextmenu'
  | 'wheel'
  | 'keydown';

export interface PageEvent {
  type: PageEventType;
  screenX: number;
  screenY: number;
  clientX: number;
  clientY: number;
  button: number;
  /** UIEvent.detail: the click count for mouse events. */
  detail: number;
  deltaX: number;
  deltaY: number;
  key: string;
  /** Epoch milliseconds when the browser stamped the event (performance.timeOrigin + timeStamp). */
  time: number;
  /** Epoch milliseconds when the server received it. */
  receivedAt: number;
  /** Window geometry, on 'ready' and 'resize'. */
  innerWidth?: number;
  innerHeight?: number;
  windowScreenX?: number;
  windowScreenY?: number;
  devicePixelRatio?: number;
  hasFocus?: boolean;
}

// Events are queued and posted in order, one request in flight at a time, so hundreds of
// keydowns arrive in order without exhausting the browser's connections.
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>deskpilot-event-page</title>
<style>
  html, body { margin: 0; padding: 0; width: 100%; height: 100%; overflow: hidden; background: #fff;
    user-select: none; cursor: default; }
</style></head>
<body>
<script>
  const queue = [];
  let sending = false;
  async function flush() {
    if (sending || queue.length === 0) return;
    sending = true;
    const batch = queue.splice(0, queue.length);
    try {
      await fetch('/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    } catch (e) {
      queue.unshift(...batch);
      await new Promise((r) => setTimeout(r, 50));
    }
    sending = false;
    flush();
  }
  function geometry() {
    return { innerWidth, innerHeight, windowScreenX: window.screenX, windowScreenY: window.screenY,
      devicePixelRatio, hasFocus: document.hasFocus() };
  }
  function report(type, e, extra) {
    queue.push(Object.assign({
      type,
      screenX: e && 'screenX' in e ? e.screenX : 0,
      screenY: e && 'screenY' in e ? e.screenY : 0,
      clientX: e && 'clientX' in e ? e.clientX : 0,
      clientY: e && 'clientY' in e ? e.clientY : 0,
      button: e && 'button' in e ? e.button : -1,
      detail: e && typeof e.detail === 'number' ? e.detail : 0,
      deltaX: e && 'deltaX' in e ? e.deltaX : 0,
      deltaY: e && 'deltaY' in e ? e.deltaY : 0,
      key: e && 'key' in e ? e.key : '',
      time: performance.timeOrigin + (e ? e.timeStamp : performance.now()),
    }, extra || {}));
    flush();
  }
  for (const type of ['mousedown', 'mouseup', 'click', 'dblclick', 'auxclick', 'contextmenu', 'keydown']) {
    window.addEventListener(type, (e) => {
      // No context menu, no middle-click autoscroll or paste, no key doing anything to the page.
      if (type === 'contextmenu' || type === 'auxclick' || type === 'keydown' || (type === 'mousedown' && e.button !== 0)) e.preventDefault();
      report(type, e);
    }, { capture: true, passive: false });
  }
  window.addEventListener('wheel', (e) => { e.preventDefault(); report('wheel', e); }, { capture: true, passive: false });
  window.addEventListener('resize', () => report('resize', null, geometry()));
  window.addEventListener('focus', () => report('resize', null, geometry()));
  window.addEventListener('load', () => report('ready', null, geometry()));
</script>
</body></html>`;

export class EventPage {
  readonly events: PageEvent[] = [];
  private waiters = new Set<() => void>();

  private constructor(private server: Server, readonly url: string) {}

  static async start(): Promise<EventPage> {
    let page: EventPage | undefined;
    const server = createServer((req, res) => {
      if (req.method === 'GET' && (req.url === '/' || req.url?.startsWith('/?'))) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(PAGE);
        return;
      }
      if (req.method === 'POST' && req.url === '/events') {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (d: string) => (body += d));
        req.on('end', () => {
          const receivedAt = Date.now();
          try {
            const batch = JSON.parse(body) as Omit<PageEvent, 'receivedAt'>[];
            page?.push(batch.map((e) => ({ ...e, receivedAt })));
          } catch {
            // a malformed post is a bug in the page; the waiting test will time out and say so
          }
          res.writeHead(204);
          res.end();
        });
        return;
      }
      res.writeHead(404);
      res.end();
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    page = new EventPage(server, `http://127.0.0.1:${port}/`);
    return page;
  }

  private push(batch: PageEvent[]): void {
    this.events.push(...batch);
    for (const w of [...this.waiters]) w();
  }

  /** Forgets every event received so far. */
  clear(): void {
    this.events.length = 0;
  }

  /** Events of one type (or all), in arrival order. */
  ofType(...types: PageEventType[]): PageEvent[] {
    return types.length === 0 ? [...this.events] : this.events.filter((e) => types.includes(e.type));
  }

  /** Resolves with the first event matching the predicate (already received or arriving later). */
  waitFor(predicate: (e: PageEvent) => boolean, timeoutMs = 5000, what = 'an event'): Promise<PageEvent> {
    return this.waitUntil(() => this.events.find(predicate), timeoutMs, what);
  }

  /** Resolves once check() returns something other than undefined/false. */
  waitUntil<T>(check: () => T | undefined | false, timeoutMs = 5000, what = 'a condition'): Promise<T> {
    const now = check();
    if (now !== undefined && now !== false) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const waiter = () => {
        const v = check();
        if (v === undefined || v === false) return;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        resolve(v);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.events.slice(-10).map((e) => `${e.type}(${e.clientX},${e.clientY} b${e.button} d${e.detail}${e.key ? ` ${e.key}` : ''})`);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last events: ${seen.join(', ') || 'none'}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Opens the page in a kiosk (full-screen) Chromium on the display and waits until the page has
 * loaded and fills the whole screen, so client pixels are screen pixels. Returns the browser pid.
 */
export async function openInChromium(display: VirtualDisplay, page: EventPage, opts: { timeoutMs?: number } = {}): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const home = display.env.HOME;
  if (!home) throw new Error(`display ${display.display} has no HOME`);
  const profile = mkdtempSync(join(home, 'chromium-profile-'));
  const pid = await display.launch(CHROMIUM, [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--kiosk',
    '--force-device-scale-factor=1',
    `--user-data-dir=${profile}`,
    '--disable-features=Translate',
    '--password-store=basic',
    page.url,
  ]);
  const { width, height } = display.info.size;
  await page.waitFor(
    (e) => (e.type === 'ready' || e.type === 'resize') && e.innerWidth === width && e.innerHeight === height && e.windowScreenX === 0 && e.windowScreenY === 0,
    timeoutMs,
    `Chromium to show ${page.url} full-screen (${width}x${height} at 0,0) on ${display.display}`,
  );
  // Kiosk Chromium may resize once more as the window manager settles it, and a click sent then is
  // lost: wait until no resize has come for a while.
  const deadline = Date.now() + timeoutMs;
  for (let seen = page.ofType('resize').length; ; ) {
    await new Promise((r) => setTimeout(r, QUIET_MS));
    const now = page.ofType('resize').length;
    if (now === seen || Date.now() > deadline) break;
    seen = now;
  }
  return pid;
}

const QUIET_MS = 400;
