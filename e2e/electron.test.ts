// The Electron shell. The built bundles are checked everywhere: the preload is CommonJS, requires
// only 'electron' and exposes exactly call and onEvent; no window weakens its sandbox. Where an
// Electron binary exists the app is launched with Playwright and probed from its own window.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppEvent, LoggedRunEvent } from '../agents/contract.ts';
import type { DesktopDriver } from '../agents/desktop/driver.ts';
import { appRoot, electronBinary, electronVersion, NO_BINARY } from '../electron/electron-binary.ts';
import { ensureElectronSqlite } from '../electron/native-sqlite.ts';
import { BrowserWindow as FakeWindow } from '../electron/test-support/fake-electron.ts';
import { WebSocket } from 'ws';
import { startMockOpenAI, type MockAction } from './mock-openai/server.ts';
import { HttpRefusal, RfbTestClient } from './support/rfb-client.ts';
import { mockProvider, writeSettings } from './support/ui-serve.ts';

// The control strip is exercised against the same stand-in the main-process probe uses.
vi.mock('electron', () => import('../electron/test-support/fake-electron.ts'));

const dist = join(appRoot, 'dist', 'electron');
/** What the launch tests touch in the page, typed here because the e2e project has no DOM lib. */
type PageGlobals = { deskpilot: { call(c: string, i: unknown): Promise<unknown> }; open(url: string): unknown; location: { href: string }; require?: unknown; process?: unknown };
const binary = electronBinary();

function read(path: string): string {
  return readFileSync(path, 'utf8');
}

describe('Electron bundles (built with npm run build:electron)', () => {
  beforeAll(() => {
    const vite = join(appRoot, 'node_modules', 'vite', 'bin', 'vite.js');
    const r = spawnSync(process.execPath, [vite, 'build', '--config', 'electron/vite.config.ts'], { cwd: appRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vite build of electron/ failed:\n${r.stdout}\n${r.stderr}`);
  }, 120_000);

  it('builds main as ESM, the preload as CommonJS, and the pages', () => {
    for (const f of ['main.js', 'preload.cjs', 'nut-worker.js', 'display-host.js', 'pages/strip.html', 'pages/strip.js', 'pages/marker.html']) expect(existsSync(join(dist, f)), f).toBe(true);
    expect(read(join(dist, 'main.js'))).toMatch(/^import .* from "electron";$/m);
  });

  it('the preload is CommonJS that requires nothing but electron', () => {
    const code = read(join(dist, 'preload.cjs'));
    expect(code).not.toMatch(/^\s*(import|export)\b/m);
    expect(code).not.toMatch(/\bimport\s*\(/);
    const required = [...code.matchAll(/\brequire\(\s*([^)]*)\)/g)].map((m) => m[1]);
    expect(required).toEqual(['"electron"']);
  });

  it('the preload exposes exactly call and onEvent, and unwraps replies', async () => {
    const exposed: Record<string, Record<string, (...a: unknown[]) => unknown>> = {};
    const invoked: unknown[][] = [];
    const listeners = new Set<(...a: unknown[]) => void>();
    let reply: unknown = { ok: true, value: { version: '1' } };
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...a: unknown[]) => unknown>) => (exposed[key] = api) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => (invoked.push(args), reply),
        on: (_channel: string, l: (...a: unknown[]) => void) => listeners.add(l),
        removeListener: (_channel: string, l: (...a: unknown[]) => void) => listeners.delete(l),
      },
    };
    const required: string[] = [];
    const require = (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`the preload required ${id}`);
    };
    runInNewContext(read(join(dist, 'preload.cjs')), { require, module: { exports: {} }, exports: {} }, { filename: 'preload.cjs' });

    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['deskpilot']);
    const api = exposed['deskpilot']!;
    expect(Object.keys(api).sort()).toEqual(['call', 'onEvent']);

    await expect(api['call']!('app.info', {})).resolves.toEqual({ version: '1' });
    expect(invoked).toEqual([['deskpilot:call', 'app.info', {}]]);
    await expect(api['call']!(42, {})).rejects.toMatchObject({ message: expect.stringMatching(/^unknown_command: /) });
    expect(invoked).toHaveLength(1);
    reply = { ok: false, error: { code: 'bad_input', message: 'describe the task' } };
    await expect(api['call']!('runs.start', { task: '' })).rejects.toMatchObject({ message: 'bad_input: describe the task', code: 'bad_input' });

    const seen: unknown[] = [];
    const off = api['onEvent']!((e: unknown) => seen.push(e)) as () => void;
    for (const l of listeners) l({}, { kind: 'threads_changed' });
    off();
    expect(listeners.size).toBe(0);
    expect(seen).toEqual([{ kind: 'threads_changed' }]);
  });

  it('no window enables Node, or turns off context isolation, the sandbox or web security', () => {
    const sources = readdirSync(join(appRoot, 'electron', 'main')).map((f) => read(join(appRoot, 'electron', 'main', f)));
    const weak = /nodeIntegration(InSubFrames|InWorker)?\s*:\s*true|contextIsolation\s*:\s*false|sandbox\s*:\s*false|webSecurity\s*:\s*false|allowRunningInsecureContent\s*:\s*true|webviewTag\s*:\s*true/;
    for (const text of [...sources, read(join(dist, 'main.js'))]) expect(text).not.toMatch(weak);
    expect(read(join(appRoot, 'electron', 'main', 'security.ts'))).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
  });

  it("the main window is created with the secure options object itself (not text that could sit in a comment)", async () => {
    // Electron is the test stand-in here (vi.mock above): the real createMainWindow runs and the options it passes are read back.
    const { createMainWindow } = await import('../electron/main/windows.ts');
    const before = FakeWindow.all.length;
    createMainWindow();
    const win = FakeWindow.all[before]!;
    expect(win.options['webPreferences']).toEqual(expect.objectContaining({
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
    }));
    expect((win.options['webPreferences'] as { preload?: string }).preload).toMatch(/preload\.cjs$/);
  });

  it('the workers the engine forks point at built files', () => {
    const main = read(join(dist, 'main.js'));
    const urls = [...main.matchAll(/new URL\("(\.[^"]+)", import\.meta\.url\)/g)].map((m) => m[1]!);
    expect(urls).toEqual(expect.arrayContaining(['./nut-worker.js', './display-host.js']));
    for (const u of urls) expect(existsSync(join(dist, u)), u).toBe(true);
  });

  it('the control strip page script type-checks against the DOM (its own tsconfig)', () => {
    const tsc = join(appRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'electron/pages/tsconfig.json', '--noEmit'], { cwd: appRoot, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  it('the control strip and marker pages have a CSP and no inline script', () => {
    for (const page of ['strip.html', 'marker.html']) {
      const html = read(join(dist, 'pages', page));
      expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
      for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) expect(tag).toMatch(/^<script src="\.\/[\w-]+\.js"[^>]*><\/script>$/);
      expect(html).not.toMatch(/\son[a-z]+=/);
    }
  });
});

describe('the built main process, run in Node with a stand-in electron module', () => {
  const homes: string[] = [];
  afterAll(() => homes.forEach((h) => rmSync(h, { recursive: true, force: true })));

  function probe(safeStorage: 'available' | 'missing'): Record<string, any> {
    const home = mkdtempSync(join(tmpdir(), 'deskpilot-main-'));
    homes.push(home);
    const env = { ...process.env, DESKPILOT_HOME: home, FAKE_ELECTRON_PROBE: '1', FAKE_SAFE_STORAGE: safeStorage, DISPLAY: ':4242' };
    const args = ['--import', 'tsx', '--import', './electron/test-support/register-fake-electron.ts', 'dist/electron/main.js'];
    const r = spawnSync(process.execPath, args, { cwd: appRoot, env, encoding: 'utf8', timeout: 60_000 });
    const line = r.stdout.split('\n').find((l) => l.startsWith('PROBE '));
    if (r.status !== 0 || !line) throw new Error(`main exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
    return { ...JSON.parse(line.slice(6)), stderr: r.stderr, home };
  }

  it('wires the engine to IPC for our own window only, with the blob scheme and the security hooks', () => {
    const out = probe('available');
    expect(out['error']).toBeUndefined();
    expect(out['windowOptions'].webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: join(dist, 'preload.cjs') });
    expect(out['url']).toBe(`file://${join(appRoot, 'dist', 'renderer', 'index.html')}`);
    expect(out['appInfo']).toMatchObject({ ok: true, value: { transport: 'ipc', dataDir: out['home'], display: ':4242' } });
    for (const key of ['unknown', 'proto']) expect(out[key]).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(out['badInput']).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    for (const key of ['foreignUrl', 'subFrame', 'noFrame', 'otherSender']) expect(out[key], key).toEqual({ ok: false, error: { code: 'failed', message: 'refused: this page is not part of Deskpilot' } });
    expect(out['stderr']).toContain('dropped a call from an untrusted frame (https://evil.example/)');
    expect(out['thread']).toMatchObject({ ok: true, value: { title: 'from the probe' } });
    expect(out['eventsSent']).toEqual([['deskpilot:event', { kind: 'threads_changed' }]]);
    expect(out['privileged']).toEqual([{ scheme: 'deskpilot-blob', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(out['blobStatuses']).toEqual([404, 404, 404]);
    expect(out['blob']).toEqual({ status: 200, type: 'image/png', bytes: true });
    expect(out['csp']?.[0]).toMatch(/^default-src 'none'; script-src 'self';/);
    expect([out['permission'], out['permissionCheck'], out['openHandler'], out['navigationPrevented']]).toEqual([false, false, { action: 'deny' }, true]);
    expect(out['shortcut']).toBe('CommandOrControl+Shift+Space');
  });

  it('keeps API keys encrypted on disk, and never shows them to the UI', () => {
    const out = probe('available');
    expect(out['setKey']).toEqual({ ok: true, value: { hasKey: true } });
    expect(out['keyInSettingsView']).toBe(false);
    const file = JSON.parse(out['secretsFile']) as { secrets: Record<string, string> };
    expect(Buffer.from(file.secrets['openai']!, 'base64').toString()).toBe(`sealed:${[...'sk-probe-secret'].reverse().join('')}`);
    expect(out['secretsFile']).not.toContain('sk-probe-secret');
  });

  it('keeps keys in memory only, and says why, when the OS cannot encrypt', () => {
    const out = probe('missing');
    expect(out['setKey']).toEqual({ ok: true, value: { hasKey: true } });
    expect(out['secretsFile']).toBeNull();
    expect(out['stderr']).toMatch(/API keys will be kept in memory only and forgotten on quit: .*no keychain/);
  });
});

describe('the live view in the desktop app (built main process, stand-in electron module, a real sandbox)', () => {
  const KEY = 'sk-electron-live-key';

  it('runs.liveView gives the page a loopback socket of its own: refused without its token, frames of the sandbox with it, one use', async () => {
    if (!existsSync(join(dist, 'main.js'))) throw new Error('dist/electron/main.js is missing: the bundle tests above build it');
    const home = mkdtempSync(join(tmpdir(), 'deskpilot-main-live-'));
    const mock = await startMockOpenAI({ apiKey: KEY, models: ['mock-cu'] });
    writeSettings(home, { ...mockProvider(mock.url), runOn: 'sandbox', run: { approve: 'always', maxSteps: 5, maxSeconds: 300 } });
    mock.setTrajectory([{ thought: 'Wait here.', actions: [{ type: 'type', text: 'echo waiting\n' }] }, { actions: [{ type: 'done', answer: 'Done.' } as unknown as MockAction] }]);
    const env = { ...process.env, DESKPILOT_HOME: home, FAKE_ELECTRON_PROBE: 'stdin', FAKE_SAFE_STORAGE: 'available', DISPLAY: ':4242' };
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', './electron/test-support/register-fake-electron.ts', 'dist/electron/main.js'], { cwd: appRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const replies = new Map<number, unknown>();
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (const m of out.matchAll(/^REPLY (.*)$/gm)) {
        const r = JSON.parse(m[1]!) as { id: number; reply: unknown };
        replies.set(r.id, r.reply);
      }
    });
    const exited = new Promise((r) => child.once('exit', r));
    let next = 0;
    /** A call from the main window's page, through main's IPC handler; the unwrapped value. */
    const call = async <T,>(command: string, input: unknown): Promise<T> => {
      const id = ++next;
      child.stdin.write(`${JSON.stringify({ id, command, input })}\n`);
      await expect.poll(() => replies.has(id), { timeout: 60_000 }).toBe(true);
      const reply = replies.get(id) as { ok: boolean; value?: T; error?: unknown };
      if (!reply.ok) throw new Error(`${command}: ${JSON.stringify(reply.error)}`);
      return reply.value as T;
    };
    const events = async (runId: string) => (await call<{ events: LoggedRunEvent[] }>('runs.events', { runId })).events;
    const status = (url: string) => new Promise<number>((resolve) => {
      const ws = new WebSocket(url);
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => (ws.close(), resolve(101)));
      ws.once('error', () => resolve(-1));
    });
    try {
      await expect.poll(() => out.includes('READY'), { timeout: 60_000 }).toBe(true);
      await call('settings.setKey', { providerId: 'mock', apiKey: KEY });
      const { id: runId } = await call<{ id: string }>('runs.start', { task: 'wait in the terminal' });
      // Its first action waits for approval: the run stays on its sandbox meanwhile.
      await expect.poll(async () => (await events(runId)).some((e) => e.type === 'approval_requested'), { timeout: 90_000 }).toBe(true);
      const started = (await events(runId)).find((e) => e.type === 'run_started') as Extract<LoggedRunEvent, { type: 'run_started' }>;

      const viewer = 'electron-viewer-1';
      const { url } = await call<{ url: string }>('runs.liveView', { runId, viewer });
      const m = /^ws:\/\/127\.0\.0\.1:(\d+)\/live\?token=([A-Za-z0-9_-]{43})$/.exec(url);
      expect(m, url).not.toBeNull();
      const port = Number(m![1]);
      const { url: another } = await call<{ url: string }>('runs.liveView', { runId, viewer });
      expect(another).not.toBe(url); // a fresh token for each offer
      // Listening on loopback only, on a port the OS picked.
      const { stdout: listening } = await promisify(execFile)('ss', ['-ltnH']);
      expect(listening).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}\\s`));
      expect(listening).not.toMatch(new RegExp(`(0\\.0\\.0\\.0|\\*|\\[::\\]):${port}\\s`));

      // No token, a wrong one, a run that is not there: refused.
      const base = `ws://127.0.0.1:${port}/live`;
      expect(await status(base)).toBe(401);
      expect(await status(`${base}?token=${'A'.repeat(43)}`)).toBe(401);
      await expect(RfbTestClient.connect(base, {})).rejects.toBeInstanceOf(HttpRefusal);
      await expect(call('runs.liveView', { runId: '01NOSUCHRUN', viewer })).rejects.toThrow(/not_found|not active/);

      // With its token: the sandbox's frames, following it.
      const client = await RfbTestClient.connect(url, {});
      expect([client.width, client.height]).toEqual([1280, 800]);
      client.requestUpdate(false);
      await client.readUpdate();
      const first = client.fb.slice();
      expect(first.some((v) => v !== 0)).toBe(true);
      const display = { ...process.env, DISPLAY: started.display };
      await promisify(execFile)('xdotool', ['type', '--delay', '5', ': frames-in-electron'], { env: display });
      let changed = false;
      for (const deadline = Date.now() + 10_000; !changed && Date.now() < deadline; ) {
        client.requestUpdate(true);
        await client.readUpdate();
        changed = !Buffer.from(client.fb).equals(Buffer.from(first));
      }
      expect(changed).toBe(true);
      // One connection per offer: the same URL again is refused.
      expect(await status(url)).toBe(401);
      client.close();
      await call('runs.control', { runId, action: 'abort' });
    } finally {
      child.stdin.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await mock.close();
      rmSync(home, { recursive: true, force: true });
    }
    expect(err).not.toMatch(/could not start/);
  }, 240_000);
});

describe('the control strip and click marker', () => {
  const ev = (runId: string, e: Record<string, unknown>): AppEvent => ({ kind: 'run_event', event: { runId, seq: 1, at: 0, ...e } as unknown as LoggedRunEvent });

  it('follow a run on the user\'s own screen, stay out of its screenshots, and close when it ends', async () => {
    const { ControlStrip } = await import('../electron/main/control-strip.ts');
    const listeners = new Set<(e: AppEvent) => void>();
    const emit = (e: AppEvent) => listeners.forEach((l) => l(e));
    const overlays = new ControlStrip(':42');
    overlays.attach({ onEvent: (l) => (listeners.add(l), () => listeners.delete(l)) });
    const before = FakeWindow.all.length;

    emit(ev('sandboxed', { type: 'run_started', display: ':101' }));
    expect(FakeWindow.all.length).toBe(before);
    emit(ev('r1', { type: 'run_started', display: ':42' }));
    const strip = FakeWindow.all[before]!;
    await new Promise((r) => setImmediate(r));
    expect(strip.webContents.mainFrame.url).toMatch(/\/pages\/strip\.html\?run=r1$/);
    expect(strip.isVisible()).toBe(true);
    expect(strip.flags).toMatchObject({ contentProtection: true, alwaysOnTop: true });
    expect(strip.options['webPreferences']).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });

    emit(ev('r1', { type: 'action_proposed', actionId: 'a1', step: 1, action: {}, risks: [], screenAction: { type: 'click', x: 100, y: 200, button: 'left' } }));
    const marker = FakeWindow.all[before + 1]!;
    expect(marker.getBounds()).toEqual({ x: 82, y: 182, width: 36, height: 36 });
    expect(marker.isVisible()).toBe(true);
    expect(marker.flags).toEqual({ contentProtection: true, ignoreMouse: true, alwaysOnTop: true, shaped: true });
    expect(marker.options['focusable']).toBe(false);

    const seen: boolean[][] = [];
    const driver = { display: ':42', capture: async () => (seen.push([strip.isVisible(), marker.isVisible()]), {}) } as unknown as DesktopDriver;
    const sandboxDriver = { display: ':101' } as unknown as DesktopDriver;
    expect(overlays.wrapDriver(sandboxDriver)).toBe(sandboxDriver);
    await overlays.wrapDriver(driver).capture({});
    expect(seen).toEqual([[false, false]]);
    expect([strip.isVisible(), marker.isVisible()]).toEqual([true, true]);

    emit(ev('r1', { type: 'action_performed', actionId: 'a1', ms: 3 }));
    expect(marker.isVisible()).toBe(false);
    emit(ev('r1', { type: 'run_finished', steps: 1 }));
    expect([strip.isDestroyed(), marker.isDestroyed()]).toEqual([true, true]);
  });
});

describe.skipIf(!binary)(`Electron launch${binary ? '' : ` (skipped: ${NO_BINARY})`}`, () => {
  let app: ElectronApplication;
  let page: Page;
  let home: string;

  beforeAll(async () => {
    if (!existsSync(join(appRoot, 'dist', 'renderer', 'index.html'))) throw new Error('dist/renderer/index.html is missing: run npm run build first');
    home = mkdtempSync(join(tmpdir(), 'deskpilot-electron-'));
    const sqlite = ensureElectronSqlite(electronVersion());
    const env = { ...process.env, DESKPILOT_HOME: home, DESKPILOT_SQLITE_BINDING: sqlite } as Record<string, string>;
    delete env['ELECTRON_RUN_AS_NODE'];
    app = await _electron.launch({ executablePath: binary!, args: [appRoot], cwd: appRoot, env });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('opens the main window on the built renderer', async () => {
    expect(page.url()).toMatch(/\/dist\/renderer\/index\.html$/);
  });

  it('gives the page exactly call and onEvent, and no Node', async () => {
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).deskpilot).sort())).toEqual(['call', 'onEvent']);
    expect(await page.evaluate(() => [typeof (globalThis as unknown as PageGlobals).require, typeof (globalThis as unknown as PageGlobals).process])).toEqual(['undefined', 'undefined']);
  });

  it('answers contract commands and refuses foreign ones', async () => {
    const call = (command: string) =>
      page.evaluate(
        (c) => (globalThis as unknown as PageGlobals).deskpilot.call(c, {}).then((v) => ({ ok: v }), (e: Error) => ({ error: e.message })),
        command,
      );
    expect(await call('app.info')).toMatchObject({ ok: { transport: 'ipc', dataDir: expect.any(String) } });
    expect(await call('fs.readFile')).toEqual({ error: expect.stringMatching(/^unknown_command: /) });
    expect(await call('__proto__')).toEqual({ error: expect.stringMatching(/^unknown_command: /) });
  });

  it('enforces a content security policy, and blocks navigation and new windows', async () => {
    const evalResult = await page.evaluate(() => {
      try {
        return String((0, eval)('1'));
      } catch (e) {
        return `blocked: ${String(e)}`;
      }
    });
    expect(evalResult).toMatch(/^blocked: /);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com') === null)).toBe(true);
    const before = page.url();
    await page.evaluate(() => void ((globalThis as unknown as PageGlobals).location.href = 'https://example.com/'));
    await new Promise((r) => setTimeout(r, 500));
    expect(page.url()).toBe(before);
    expect(app.windows()).toHaveLength(1);
  });
});
