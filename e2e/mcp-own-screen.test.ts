// "Let MCP clients act on my own screen" (Settings): serve's /mcp refuses an MCP client the user's own
// screen while it is off (a clear message, nothing started), and lets it act there once it is on: the SDK's
// own client over Streamable HTTP, a virtual display standing in for the user's screen with an xterm on it;
// the setting ticked in the settings page (Chromium), as a user would.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../agents/contract.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { launchChromium, serve, writeSettings, type Served } from './support/ui-serve.ts';

const run = promisify(execFile);

let own: VirtualDisplay;
let server: Served;
let client: Client;
let dataDir: string;
let outDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-mcp-own-'));
  outDir = mkdtempSync(join(tmpdir(), 'dp-mcp-own-out-'));
  // The user's screen: a size no sandbox gets by default, so a screenshot shows which screen it came from.
  own = await startDisplay({ size: { width: 1024, height: 768 } });
  await own.launch('xterm', []);
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    if ((await run('xdotool', ['search', '--onlyvisible', '--class', 'xterm'], { env: own.env }).catch(() => ({ stdout: '' }))).stdout.trim()) break;
  }
  // Nobody approves in this test: the MCP session's actions go without asking.
  writeSettings(dataDir, { run: { approve: 'never', maxSteps: 10, maxSeconds: 300 } });
  server = await serve(['--data-dir', dataDir, '--display', own.display]);
  client = new Client({ name: 'own-screen-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), { requestInit: { headers: { authorization: `Bearer ${server.token}` } } }));
}, 120_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await server?.stop();
  await own?.stop();
  for (const d of [dataDir, outDir]) if (d) rmSync(d, { recursive: true, force: true });
});

const tool = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
const textOf = (r: CallToolResult) => r.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');
const setOwnScreen = async (on: boolean) => {
  const view = (await server.call('settings.update', { mcpOwnScreen: on })) as Settings;
  expect(view.mcpOwnScreen).toBe(on);
};

describe('MCP clients and the user\'s own screen, as the settings say', () => {
  it('is refused with the setting to turn on while it is off, and allowed (a file written from its xterm) once it is on', async () => {
    // Off by default: refused, in words that say where to turn it on; nothing started.
    expect(((await server.call('settings.get', {})) as Settings).mcpOwnScreen).toBeUndefined();
    const refused = await tool('sandbox_start', { own_screen: true });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/own screen is off: .*"Let MCP clients act on my own screen" in Deskpilot's Settings/);
    expect(JSON.parse(textOf(await tool('sandbox_list', {})))).toEqual([]);

    // Ticked in the settings page and saved: the client acts on the screen serve drives.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(server.url);
      await page.getByTestId('settings-link').click();
      const box = page.getByTestId('setting-mcp-own-screen');
      await box.waitFor();
      expect(await box.isChecked()).toBe(false);
      await expect.poll(() => page.getByTestId('settings-mcp-clients').textContent()).toContain('Let MCP clients act on my own screen');
      await box.check();
      await page.getByTestId('settings-save').click();
      await page.getByTestId('settings-saved').waitFor();
    } finally {
      await browser.close();
    }
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).mcpOwnScreen).toBe(true);
    const started = await tool('sandbox_start', { own_screen: true });
    expect(started.isError, textOf(started)).toBeFalsy();
    const session = JSON.parse(textOf(started)) as { sandbox: string; display: string; ownScreen: boolean; width: number; height: number };
    expect(session).toMatchObject({ display: own.display, ownScreen: true, width: 1024, height: 768 });

    const shot = await tool('screenshot', { sandbox: session.sandbox });
    const image = shot.content.find((c) => c.type === 'image');
    expect(await sharp(Buffer.from(image!.data, 'base64')).metadata()).toMatchObject({ format: 'png', width: 1024, height: 768 });

    const { stdout } = await run('xdotool', ['search', '--onlyvisible', '--class', 'xterm', 'getwindowgeometry', '--shell'], { env: own.env });
    const g = Object.fromEntries(stdout.trim().split('\n').map((l) => l.split('=')).map(([k, v]) => [k, Number(v)]));
    const written = join(outDir, 'from-mcp.txt');
    expect((await tool('click', { sandbox: session.sandbox, x: g['X']! + Math.round(g['WIDTH']! / 2), y: g['Y']! + Math.round(g['HEIGHT']! / 2) })).isError).toBeFalsy();
    const typed = await tool('type', { sandbox: session.sandbox, text: `echo own-screen > ${written}\n` });
    expect(typed.isError, textOf(typed)).toBeFalsy();
    await expect.poll(() => (existsSync(written) ? readFileSync(written, 'utf8') : ''), { timeout: 10_000 }).toBe('own-screen\n');
    const runRow = (await server.call('runs.get', { runId: session.sandbox })) as { provider: string };
    expect(runRow.provider).toBe('mcp');

    // Off again: the next client is refused at once (the settings are read at each start).
    expect((await tool('sandbox_stop', { sandbox: session.sandbox })).isError).toBeFalsy();
    await setOwnScreen(false);
    const again = await tool('sandbox_start', { own_screen: true });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/own screen is off/);
  }, 120_000);
});
