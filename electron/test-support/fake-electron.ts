// A stand-in for the `electron` module, so the built main process can run in plain Node where no
// Electron binary exists. It records what main registers, then probes it the way a page would:
// trusted and untrusted IPC senders, the blob scheme, the security hooks, secrets on disk.
// With FAKE_ELECTRON_PROBE=1 it prints one line `PROBE <json>` and quits. With FAKE_ELECTRON_PROBE=stdin
// it is the page instead: each stdin line `{"id","command","input"}` is a call from the main window's
// top frame, answered by a line `REPLY <json>`; the end of stdin quits. Used by e2e/electron.test.ts only.
import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Handler = (...args: any[]) => any;
const handlers = new Map<string, Handler>();
const schemes = new Map<string, Handler>();
const hooks: Record<string, Handler | undefined> = {};
const privileged: unknown[] = [];
const paths = new Map<string, string>();
let nextId = 1;

class FakeContents extends EventEmitter {
  readonly id = nextId++;
  readonly sent: [string, unknown][] = [];
  mainFrame = { url: '', parent: null, processId: 7, routingId: this.id };
  openHandler: Handler | undefined;
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  isDestroyed(): boolean {
    return false;
  }
  setWindowOpenHandler(h: Handler): void {
    this.openHandler = h;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly all: BrowserWindow[] = [];
  readonly webContents = new FakeContents();
  private visible = false;
  private destroyed = false;
  private bounds = { x: 0, y: 0, width: 0, height: 0 };
  /** What main asked of this window, for the tests to check. */
  readonly flags = { contentProtection: false, ignoreMouse: false, alwaysOnTop: false, shaped: false };
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.all.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadFile(file: string, opts: { query?: Record<string, string> } = {}): Promise<void> {
    const url = pathToFileURL(file);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    this.webContents.mainFrame.url = url.href;
    setImmediate(() => this.emit('ready-to-show'));
    if (process.env['FAKE_ELECTRON_PROBE'] === '1' && BrowserWindow.all[0] === this) setImmediate(() => void probe(this).catch((err: Error) => finish({ error: err.stack ?? err.message })));
    if (process.env['FAKE_ELECTRON_PROBE'] === 'stdin' && BrowserWindow.all[0] === this) setImmediate(() => callsFromStdin(this));
  }
  show(): void { this.visible = true; }
  showInactive(): void { this.visible = true; }
  hide(): void { this.visible = false; }
  isVisible(): boolean { return this.visible; }
  isDestroyed(): boolean { return this.destroyed; }
  isMinimized(): boolean { return false; }
  destroy(): void {
    this.destroyed = true;
    this.visible = false;
    this.emit('closed');
  }
  setBounds(b: typeof this.bounds): void { this.bounds = b; }
  getBounds(): typeof this.bounds { return this.bounds; }
  restore(): void {}
  focus(): void {}
  setAlwaysOnTop(on: boolean): void { this.flags.alwaysOnTop = on; }
  setVisibleOnAllWorkspaces(): void {}
  setContentProtection(on: boolean): void { this.flags.contentProtection = on; }
  setIgnoreMouseEvents(on: boolean): void { this.flags.ignoreMouse = on; }
  setShape(rects: unknown[]): void { this.flags.shaped = rects.length > 0; }
}

class FakeApp extends EventEmitter {
  setName(): void {}
  setPath(name: string, value: string): void { paths.set(name, value); }
  getPath(name: string): string { return paths.get(name) ?? '/nonexistent'; }
  requestSingleInstanceLock(): boolean { return true; }
  whenReady(): Promise<void> { return new Promise((r) => setImmediate(r)); }
  quit(): void {
    let prevented = false;
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) setImmediate(() => process.exit(0));
  }
  exit(code = 0): void { process.exit(code); }
}

export const app = new FakeApp();
export const ipcMain = { handle: (ch: string, h: Handler) => handlers.set(ch, h), removeHandler: (ch: string) => handlers.delete(ch) };
export const protocol = { registerSchemesAsPrivileged: (s: unknown[]) => privileged.push(...s), handle: (scheme: string, h: Handler) => schemes.set(scheme, h) };
export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: (h: Handler) => (hooks['headers'] = h) },
    setPermissionRequestHandler: (h: Handler) => (hooks['permissionRequest'] = h),
    setPermissionCheckHandler: (h: Handler) => (hooks['permissionCheck'] = h),
  },
};
const encrypting = process.env['FAKE_SAFE_STORAGE'] === 'available';
export const safeStorage = {
  isEncryptionAvailable: () => encrypting,
  getSelectedStorageBackend: () => (encrypting ? 'gnome_libsecret' : 'unknown'),
  encryptString: (s: string) => Buffer.from(`sealed:${[...s].reverse().join('')}`),
  decryptString: (b: Buffer) => [...b.toString().replace(/^sealed:/, '')].reverse().join(''),
};
export const screen = {
  getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1280, height: 800 } }),
  screenToDipPoint: (p: unknown) => p,
  dipToScreenRect: (_w: unknown, r: unknown) => r,
};
export const globalShortcut = { register: (accel: string) => ((hooks['shortcut'] = () => accel), true), unregisterAll: () => undefined };
export const dialog = { showErrorBox: (title: string, text: string) => console.error(`${title}: ${text}`) };

async function probe(win: BrowserWindow): Promise<void> {
  const call = handlers.get('deskpilot:call')!;
  const contents = win.webContents;
  const top = { ...contents.mainFrame };
  const as = (frame: unknown, sender: unknown = contents) => (command: unknown, input: unknown) => call({ sender, senderFrame: frame }, command, input);
  const trusted = as(top);
  const out: Record<string, unknown> = { windowOptions: win.options, url: top.url, privileged };

  out['appInfo'] = await trusted('app.info', {});
  out['unknown'] = await trusted('fs.readFile', {});
  out['proto'] = await trusted('__proto__', {});
  out['badInput'] = await trusted('threads.create', { title: '' });
  out['foreignUrl'] = await as({ ...top, url: 'https://evil.example/' })('app.info', {});
  out['subFrame'] = await as({ ...top, parent: top, routingId: 999 })('app.info', {});
  out['noFrame'] = await as(null)('app.info', {});
  out['otherSender'] = await as(top, new FakeContents())('app.info', {});
  out['thread'] = await trusted('threads.create', { title: 'from the probe' });
  await new Promise((r) => setImmediate(r));
  out['eventsSent'] = contents.sent;

  const blob = schemes.get('deskpilot-blob')!;
  const get = async (url: string) => (await blob(new Request(url))).status;
  out['blobStatuses'] = [await get('deskpilot-blob://blobs/..%2F..%2Fsecrets.json'), await get(`deskpilot-blob://blobs/sha256-${'0'.repeat(64)}.png`), await get('deskpilot-blob://other/x')];
  // A screenshot as the store keeps it: blobs/<first two hex digits>/<ref>.
  const png = Buffer.from('89504e470d0a1a0a', 'hex');
  const ref = `sha256-${createHash('sha256').update(png).digest('hex')}.png`;
  mkdirSync(join(app.getPath('userData'), 'blobs', ref.slice(7, 9)), { recursive: true });
  writeFileSync(join(app.getPath('userData'), 'blobs', ref.slice(7, 9), ref), png);
  const res = (await blob(new Request(`deskpilot-blob://blobs/${ref}`))) as Response;
  out['blob'] = { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()).equals(png) };

  const headers = await new Promise<Record<string, string[]>>((r) => hooks['headers']!({ responseHeaders: {} }, (res: { responseHeaders: Record<string, string[]> }) => r(res.responseHeaders)));
  out['csp'] = headers['Content-Security-Policy'];
  out['permission'] = await new Promise((r) => hooks['permissionRequest']!(contents, 'media', r, {}));
  out['permissionCheck'] = hooks['permissionCheck']!(contents, 'media', 'file://', {});
  out['openHandler'] = contents.openHandler?.({ url: 'https://example.com' });
  let navigationPrevented = false;
  contents.emit('will-navigate', { preventDefault: () => (navigationPrevented = true) }, 'https://example.com');
  out['navigationPrevented'] = navigationPrevented;
  out['shortcut'] = hooks['shortcut']?.();

  out['setKey'] = await trusted('settings.setKey', { providerId: 'openai', apiKey: 'sk-probe-secret' });
  const settings = (await trusted('settings.get', {})) as { value?: { providers?: unknown[] } };
  out['keyInSettingsView'] = JSON.stringify(settings).includes('sk-probe-secret');
  try {
    out['secretsFile'] = readFileSync(join(app.getPath('userData'), 'secrets.json'), 'utf8');
  } catch {
    out['secretsFile'] = null;
  }
  finish(out);
}

/** The main window's page, played from stdin: one call a line, one REPLY line each, in any order. */
function callsFromStdin(win: BrowserWindow): void {
  const call = handlers.get('deskpilot:call')!;
  const sender = { sender: win.webContents, senderFrame: { ...win.webContents.mainFrame } };
  console.log('READY');
  let buffered = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffered += chunk;
    for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      if (!line.trim()) continue;
      const { id, command, input } = JSON.parse(line) as { id: number; command: string; input: unknown };
      void Promise.resolve(call(sender, command, input)).then((reply: unknown) => console.log(`REPLY ${JSON.stringify({ id, reply })}`));
    }
  });
  process.stdin.on('end', () => app.quit());
}

function finish(out: unknown): void {
  console.log(`PROBE ${JSON.stringify(out)}`);
  app.quit();
}
