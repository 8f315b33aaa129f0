// `deskpilot serve` as a real process for the UI tests, and Debian Chromium driven by Playwright.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEFAULT_SETTINGS } from '../../agents/app/settings-file.ts';
import type { Settings } from '../../agents/contract.ts';

const BIN = new URL('../../bin/deskpilot.js', import.meta.url).pathname;

export interface Served {
  url: string;
  base: string;
  token: string;
  child: ChildProcess;
  stderr: () => string;
  call(command: string, input: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

/** Writes settings.json before the server starts, so it comes up with the mock as its provider. */
export function writeSettings(dataDir: string, patch: Partial<Settings>): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...patch }, null, 2));
}

export async function serve(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 20 s; stderr: ${err}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^Deskpilot UI: (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token')!;
  const base = parsed.origin;
  return {
    url, base, token, child, stderr: () => err,
    async call(command, input) {
      const res = await fetch(`${base}/api/call/${command}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(input) });
      const body = (await res.json()) as unknown;
      if (!res.ok) throw new Error(`${command}: ${JSON.stringify(body)}`);
      return body;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Where the UI tests leave their screenshots. */
export const SHOTS = join(process.cwd(), 'test-results', 'ui');

/** Settings with the mock server as the only provider (its key is set afterwards with setMockKey). */
export function mockProvider(mockUrl: string): Pick<Settings, 'providers' | 'activeProvider'> {
  return { providers: [{ id: 'mock', preset: 'custom', label: 'Mock model', adapter: 'openai-chat', baseURL: mockUrl, model: 'mock-cu' }], activeProvider: 'mock' };
}

export interface UiSession {
  server: Served;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export interface UiOptions {
  /** The server's own screen; without one it runs tasks only in sandboxes. */
  display?: string;
  dataDir: string;
  /** The mock provider's key, set through the API before the page opens. */
  apiKey?: string;
  /** Set over the runner's environment for the server (a HOME of its own, a variable an MCP server reads). */
  env?: NodeJS.ProcessEnv;
  viewport?: { width: number; height: number };
}

/** `deskpilot serve` with a data folder, the mock's key set if given, and a page on its URL. */
export async function openUi(opts: UiOptions): Promise<UiSession> {
  mkdirSync(SHOTS, { recursive: true });
  const display = opts.display ? ['--display', opts.display] : [];
  const server = await serve([...display, '--data-dir', opts.dataDir], { ...process.env, ...opts.env });
  if (opts.apiKey) await server.call('settings.setKey', { providerId: 'mock', apiKey: opts.apiKey });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1400, height: 1000 } });
  await page.goto(server.url);
  return {
    server, browser, page,
    async close() {
      await browser.close();
      await server.stop();
    },
  };
}
