// Tool calls as an operator meets them: Debian Chromium driven by Playwright against a real
// `deskpilot serve` (tools allowed on its own screen through Settings), whose engine runs the
// model's shell calls (scripted by the mock OpenAI server over HTTP) in a real bash. Output shows
// live while a command runs; a risky call waits in an approval card that edits or rejects it;
// effects are checked on disk and in the requests the model received.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { startMockOpenAI, type MockAction, type MockOpenAI } from './mock-openai/server.ts';
import { waitForFile } from './support/apps.ts';
import { mockProvider, openUi, SHOTS, writeSettings, type Served } from './support/ui-serve.ts';

const KEY = 'sk-tools-ui-key';

let display: VirtualDisplay;
let mock: MockOpenAI;
let server: Served;
let browser: Browser;
let page: Page;
let dataDir: string;
/** The HOME the serve process (and so its tools on its own screen) runs with. */
let home: string;

const shell = (command: string): MockAction => ({ type: 'tool', name: 'shell', input: { command } });
const done = (answer: string) => ({ type: 'done', answer }) as unknown as MockAction;

const SETUP = 'mkdir -p ~/x && echo keep > ~/x/keep.txt && echo "home is $HOME"';
const SLOW = 'for i in 1 2 3; do echo line$i; sleep 0.7; done; echo oops >&2; printf "\\033[31mred\\033[0m\\n"';
const RISKY = 'rm -rf ~/x';
const EDITED = 'echo edited > ~/edited.txt';
const REJECTED = 'rm -rf ~/x/keep.txt';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-tools-ui-'));
  home = mkdtempSync(join(tmpdir(), 'dp-tools-home-'));
  [display, mock] = await Promise.all([startDisplay({ size: { width: 1024, height: 640 } }), startMockOpenAI({ apiKey: KEY, models: ['mock-cu'] })]);
  writeSettings(dataDir, {
    ...mockProvider(mock.url),
    run: { approve: 'risky', maxSteps: 20, maxSeconds: 300 },
    tools: { onOwnScreen: true, extraFolders: [], maxCommandSeconds: 60 },
  });
  ({ server, browser, page } = await openUi({ display: display.display, dataDir, apiKey: KEY, env: { HOME: home } }));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await mock?.close();
  await display?.stop();
  for (const dir of [dataDir, home]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const runView = () => page.getByTestId('run-view');
const toolItem = (command: string) => page.getByTestId('action-item').filter({ has: page.getByTestId('tool-command').getByText(command, { exact: true }) });

describe('tool calls in the UI', () => {
  it('shows the Tools settings as saved', async () => {
    await page.evaluate(() => (location.hash = '#/settings'));
    const own = page.getByTestId('setting-tools-own-screen');
    await own.waitFor({ timeout: 15_000 });
    expect(await own.isChecked()).toBe(true);
    expect(await page.getByTestId('setting-max-command-seconds').inputValue()).toBe('60');
    expect(await page.getByTestId('settings-tools').textContent()).toContain('Let the agent use a terminal and files when it works on your own screen');
  });

  it('streams a command’s output live, then its exit code; edits one risky call and rejects another, checked on disk', async () => {
    mock.setTrajectory([
      { thought: 'Make the folder.', actions: [shell(SETUP)] },
      { thought: 'Count slowly.', actions: [shell(SLOW)] },
      { thought: 'Remove the folder.', actions: [shell(RISKY)] },
      { thought: 'Remove the file then.', actions: [shell(REJECTED)] },
      { actions: [done('All done.')] },
    ]);
    await page.evaluate(() => (location.hash = '#/'));
    await page.getByTestId('task-input').fill('Tidy the x folder');
    await page.getByTestId('start-run').click();
    await runView().waitFor({ timeout: 15_000 });

    // The first call ran in the shell with the serve's HOME.
    const setup = toolItem(SETUP);
    await setup.and(page.locator('[data-state="performed"]')).waitFor({ timeout: 20_000 });
    expect(readFileSync(join(home, 'x', 'keep.txt'), 'utf8')).toBe('keep\n');

    // line1 is on screen while the command still runs (it takes about 2.1 s), before line3.
    const slow = toolItem(SLOW);
    const live = slow.and(page.locator('[data-state="running"]')).getByTestId('tool-output').filter({ hasText: 'line1' });
    await live.waitFor({ timeout: 20_000 });
    const seenWhileRunning = await live.textContent();
    expect(seenWhileRunning).not.toContain('line3');
    expect(await page.getByTestId('status-line').textContent()).toMatch(/running shell: for i in 1 2 3/);
    await page.screenshot({ path: join(SHOTS, 'tool-running.png') });

    // Finished: collapsed to a summary with the exit code; opened again, the output is all there.
    await slow.and(page.locator('[data-state="performed"]')).waitFor({ timeout: 20_000 });
    expect(await slow.getByTestId('tool-summary').textContent()).toMatch(/^exit code 0 · \d/);
    expect(await slow.getByTestId('tool-output').count()).toBe(0);
    await slow.getByTestId('tool-toggle').click();
    const output = slow.getByTestId('tool-output');
    expect(await output.textContent()).toMatch(/line1\nline2\nline3\n/);
    // stderr apart, and no raw escape sequence on screen (the red text is plain "red").
    expect(await output.locator('[data-stream="stderr"]').textContent()).toBe('oops\n');
    expect(await output.textContent()).not.toContain('\x1b');
    expect(await output.textContent()).toContain('red\n');

    // A risky call waits with its command and risks; a bad edit is refused in the card.
    const card = page.getByTestId('approval-card');
    await card.waitFor({ timeout: 20_000 });
    expect(await card.getByTestId('approval-command').textContent()).toBe(RISKY);
    expect(await card.textContent()).toContain('deletes files');
    expect(await runView().getAttribute('data-status')).toBe('waiting');
    await card.getByTestId('edit-action').click();
    const box = card.getByTestId('edit-json');
    expect(JSON.parse(await box.inputValue())).toEqual({ command: RISKY });
    await box.fill('{"command": "ls"');
    await card.getByTestId('edit-send').click();
    expect(await card.getByTestId('edit-error').textContent()).toMatch(/^Not valid JSON: /);
    await box.fill('["ls"]');
    await card.getByTestId('edit-send').click();
    expect(await card.getByTestId('edit-error').textContent()).toMatch(/must be a JSON object/);
    await page.screenshot({ path: join(SHOTS, 'tool-edit-refused.png') });
    expect(existsSync(join(home, 'x'))).toBe(true);
    await box.fill(JSON.stringify({ command: EDITED }));
    await card.getByTestId('edit-send').click();

    // The edited call ran as edited: its file is there and the folder is untouched.
    expect(await waitForFile(join(home, 'edited.txt'), 20_000)).toBe('edited\n');
    expect(readFileSync(join(home, 'x', 'keep.txt'), 'utf8')).toBe('keep\n');
    const edited = toolItem(EDITED);
    await edited.and(page.locator('[data-state="performed"]')).waitFor({ timeout: 20_000 });
    expect(await edited.textContent()).toContain('edited');

    // The next risky call is rejected with a reason: nothing runs, and the model hears why.
    const second = page.getByTestId('approval-card');
    await expect.poll(async () => second.getByTestId('approval-command').textContent().catch(() => null), { timeout: 20_000 }).toBe(REJECTED);
    await second.getByTestId('reject-reason').fill('keep that file, please');
    await second.getByTestId('reject').click();
    await expect.poll(() => runView().getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    expect(readFileSync(join(home, 'x', 'keep.txt'), 'utf8')).toBe('keep\n');
    expect(await toolItem(REJECTED).getAttribute('data-state')).toBe('rejected');
    const after = mock.requests.map((r) => JSON.stringify(r.body)).filter((b) => b.includes('keep that file, please'));
    expect(after).toHaveLength(1);
    // The model was told where the setup ran, and the slow command's output.
    const last = JSON.stringify(mock.requests.at(-1)?.body);
    expect(last).toContain(`home is ${home}`);
    expect(last).toContain('line3');
    await page.screenshot({ path: join(SHOTS, 'tool-done.png') });
    expect(JSON.stringify(mock.requests[0]?.body)).toContain('"name":"shell"');
  }, 120_000);

  it('the Tools settings saved in the UI reach the next runs: the longest command, then no tools on this screen', async () => {
    const settings = async () => {
      await page.evaluate(() => (location.hash = '#/settings'));
      await page.getByTestId('settings-tools').waitFor({ timeout: 15_000 });
    };
    const save = async () => {
      await page.getByTestId('settings-save').click();
      await page.getByTestId('settings-saved').waitFor({ timeout: 15_000 });
    };
    const onDisk = () => JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).tools;
    const run = async (task: string) => {
      await page.evaluate(() => (location.hash = '#/'));
      await page.getByTestId('task-input').fill(task);
      await page.getByTestId('start-run').click();
      await expect.poll(() => page.getByTestId('run-task').textContent(), { timeout: 15_000 }).toBe(task);
      await expect.poll(() => runView().getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    };

    await settings();
    await page.getByTestId('setting-max-command-seconds').fill('1');
    await save();
    expect(onDisk()).toEqual({ onOwnScreen: true, extraFolders: [], maxCommandSeconds: 1 });
    mock.setTrajectory([{ actions: [shell('sleep 5; echo never')] }, { actions: [done('Too slow.')] }]);
    await run('Wait a while');
    const slow = toolItem('sleep 5; echo never');
    expect(await slow.getByTestId('tool-summary').textContent()).toBe('timed out after 1 s');
    expect(JSON.stringify(mock.requests.at(-1)?.body)).toContain('the settings allow at most 1 s');

    await settings();
    await page.getByTestId('setting-tools-own-screen').uncheck();
    await save();
    expect(onDisk()).toMatchObject({ onOwnScreen: false });
    mock.setTrajectory([{ actions: [done('Nothing to run.')] }]); // also clears the recorded requests
    await run('Look only');
    const asked = mock.requests.map((r) => JSON.stringify(r.body));
    expect(asked.length).toBeGreaterThan(0);
    for (const body of asked) expect(body).not.toContain('"name":"shell"');
  }, 120_000);
});
