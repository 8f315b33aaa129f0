// MCP servers as an operator meets them in Settings: Debian Chromium driven by Playwright against a
// real `deskpilot serve`. The fixture server (the SDK over stdio) is added through the form, Test
// lists its tools (echo read-only), it is saved and still there after a reload (and in
// settings.json, with only what was typed); a broken one's Test says why in plain words; a run with
// the broken one on shows the warning in its timeline and goes on.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';
import { mockProvider, openUi, SHOTS, writeSettings, type Served } from './support/ui-serve.ts';

const KEY = 'sk-mcp-settings-ui-key';
const RUNNER = new URL('./mcp-fixtures/run.js', import.meta.url).pathname;
/** The secret the server's environment holds; only its name is typed into the form. */
const SECRET = 'the-secret-value-0123';

let mock: MockOpenAI;
let server: Served;
let browser: Browser;
let page: Page;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-mcp-ui-'));
  mock = await startMockOpenAI({ apiKey: KEY, models: ['mock-cu'] });
  writeSettings(dataDir, { ...mockProvider(mock.url), runOn: 'sandbox', run: { approve: 'never', maxSteps: 5, maxSeconds: 120 } });
  ({ server, browser, page } = await openUi({ dataDir, apiKey: KEY, env: { ECHO_KEY: SECRET } }));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await mock?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const settingsFile = () => JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { mcpServers?: Record<string, unknown>[] };
const row = (id: string) => page.locator(`[data-testid="mcp-server"][data-id="${id}"]`);

async function addServer(name: string, command: string[], env = ''): Promise<void> {
  await page.getByTestId('mcp-add').click();
  const form = page.getByTestId('mcp-form');
  await form.getByTestId('mcp-name').fill(name);
  await form.getByTestId('mcp-command').fill(command.join('\n'));
  if (env) await form.getByTestId('mcp-env').fill(env);
  await form.getByTestId('mcp-done').click();
  await form.waitFor({ state: 'detached' });
}

describe('MCP servers in the Settings view', () => {
  it('adds the fixture server, Test lists its tools, and it is saved and still there after a reload', async () => {
    await page.getByTestId('settings-link').click();
    await page.getByTestId('settings-mcp').waitFor();
    await page.getByTestId('mcp-add').click();
    // The form says how to keep keys out of the file.
    await expect(page.getByTestId('mcp-variable-note').textContent()).resolves.toContain('${VARIABLE}');
    await page.getByTestId('mcp-cancel').click();

    await addServer('Echo fixture', [process.execPath, RUNNER, 'echo-server.ts'], 'ECHO_TOKEN=${ECHO_KEY}');
    await expect(row('echo-fixture').getByTestId('mcp-server-start').textContent()).resolves.toContain('echo-server.ts');
    // Not saved yet: Test saves the form first, then starts the saved server.
    await expect(row('echo-fixture').getByTestId('mcp-server-test').textContent()).resolves.toBe('Save and test');
    await row('echo-fixture').getByTestId('mcp-server-test').click();
    const tools = row('echo-fixture').getByTestId('mcp-test-tools');
    await tools.waitFor({ timeout: 30_000 });
    const listed = await tools.getByTestId('mcp-tool').evaluateAll((els) => els.map((e) => [e.getAttribute('data-name'), e.getAttribute('data-read-only')]));
    expect(Object.fromEntries(listed)).toEqual({ echo: 'true', touch: 'false', crash: 'false' });
    await expect(tools.locator('[data-name="echo"]').textContent()).resolves.toContain('read-only');
    await expect(row('echo-fixture').getByTestId('mcp-server-test').textContent()).resolves.toBe('Test');
    await page.screenshot({ path: join(SHOTS, 'mcp-settings.png'), fullPage: true });

    // On disk: the entry as typed, the variable's name and never its value.
    const onDisk = settingsFile();
    expect(onDisk.mcpServers).toEqual([{ id: 'echo-fixture', name: 'Echo fixture', command: process.execPath, args: [RUNNER, 'echo-server.ts'], env: { ECHO_TOKEN: '${ECHO_KEY}' }, enabled: true, trusted: false }]);
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).not.toContain(SECRET);

    // Trusted ticked and saved with the Save button; a reload shows it from the server.
    await row('echo-fixture').getByTestId('mcp-server-trusted').check();
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    await page.reload();
    await page.getByTestId('settings-mcp').waitFor();
    await expect(row('echo-fixture').getByTestId('mcp-server-trusted').isChecked()).resolves.toBe(true);
    await expect(row('echo-fixture').getByTestId('mcp-server-enabled').isChecked()).resolves.toBe(true);
    expect(settingsFile().mcpServers?.[0]).toMatchObject({ id: 'echo-fixture', trusted: true });
  }, 90_000);

  it('a broken server\'s Test says why in plain words; Edit keeps its id; Remove takes it out', async () => {
    await addServer('Broken one', ['/nonexistent/mcp-server', '--port', '1']);
    await row('broken-one').getByTestId('mcp-server-test').click();
    const failed = row('broken-one').getByTestId('mcp-test-failed');
    await failed.waitFor({ timeout: 30_000 });
    const reason = (await failed.textContent()) ?? '';
    expect(reason).toContain('"Broken one" did not start');
    expect(reason).toContain('was not found');
    // No raw codes from the OS or the protocol.
    expect(reason).not.toMatch(/ENOENT|spawn|-3200\d|MCP error/);

    await row('broken-one').getByTestId('mcp-server-edit').click();
    await page.getByTestId('mcp-form').getByTestId('mcp-name').fill('Broken, renamed');
    await page.getByTestId('mcp-form').getByTestId('mcp-done').click();
    await expect(row('broken-one').locator('strong').textContent()).resolves.toBe('Broken, renamed');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    expect(settingsFile().mcpServers?.map((s) => [s['id'], s['name']])).toEqual([['echo-fixture', 'Echo fixture'], ['broken-one', 'Broken, renamed']]);
  }, 60_000);

  it('a run with the broken server on shows it was left out, and the run still finishes', async () => {
    mock.setTrajectory([{ text: 'nothing to do' }]);
    const run = (await server.call('runs.start', { task: 'check the MCP servers' })) as { id: string };
    await page.goto(`${server.url}#/runs/${run.id}`);
    const note = page.locator('[data-testid="note"].note-mcp_server_failed');
    await note.waitFor({ timeout: 60_000 });
    const text = (await note.textContent()) ?? '';
    expect(text).toContain('The MCP server Broken, renamed was left out:');
    expect(text).toContain('was not found');
    let status = '';
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      status = ((await server.call('runs.get', { runId: run.id })) as { status: string }).status;
      if (['done', 'failed', 'aborted', 'interrupted'].includes(status)) break;
    }
    expect(status).toBe('done');

    // Remove it from the settings.
    await page.getByTestId('settings-link').click();
    await row('broken-one').getByTestId('mcp-server-remove').click();
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    expect(settingsFile().mcpServers?.map((s) => s['id'])).toEqual(['echo-fixture']);
  }, 120_000);
});
