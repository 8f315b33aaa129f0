// The Automations view as an operator meets it: Debian Chromium driven by Playwright against a real
// `deskpilot serve`, whose engine drives xterm on a virtual display through the mock model. A
// finished run is saved as an automation with a parameter, edited in the step editor (a refused
// edit loses nothing, a good one is version 2 on disk), run now with a new value without a single
// model request (checked in the file xterm writes), and found in the history and the inbox; a
// schedule with a bad cron shows croner's complaint, a good one shows in the list.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Automation } from '../agents/contract.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { startMockOpenAI, type MockAction, type MockOpenAI } from './mock-openai/server.ts';
import { bannerXterm, waitForFile } from './support/apps.ts';
import { mockProvider, openUi, SHOTS, writeSettings, type Served } from './support/ui-serve.ts';

const KEY = 'sk-automations-ui-key';
const NAME = 'greet file';
const TITLE = 'dp-automation-xterm';
const BANNER = 'AUTOMATION TERMINAL READY';

let display: VirtualDisplay;
let mock: MockOpenAI;
let server: Served;
let browser: Browser;
let page: Page;
let dataDir: string;
let home: string;
let xterm: string;
let replayRunId: string;

/** A fresh xterm showing the same banner each time: the screen a replay starts from looks as it did when recorded. */
async function freshXterm(): Promise<string> {
  xterm = await bannerXterm(display, { title: TITLE, banner: BANNER, ...(xterm ? { previous: xterm } : {}) });
  return xterm;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-auto-ui-'));
  [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockOpenAI({ apiKey: KEY, models: ['mock-cu'] })]);
  home = display.env.HOME!;
  await freshXterm();
  writeSettings(dataDir, { ...mockProvider(mock.url), run: { approve: 'never', maxSteps: 20, maxSeconds: 300 } });
  ({ server, browser, page } = await openUi({ display: display.display, dataDir, apiKey: KEY }));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await mock?.close();
  await display?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const runView = () => page.getByTestId('run-view');
const runStatus = () => runView().getAttribute('data-status');
const detail = () => page.getByTestId('automation-detail');
const rows = () => page.getByTestId('step-edit-row');
const automationFile = () => JSON.parse(readFileSync(join(dataDir, 'automations', `${NAME}.json`), 'utf8')) as Automation;

describe('the Automations view over deskpilot serve', () => {
  it('saves a finished run as an automation with a parameter, and shows its steps with their evidence', async () => {
    mock.setTrajectory([
      { thought: 'Focus the terminal.', actions: [{ type: 'click_text', text: 'TERMINAL' }] },
      { thought: 'Write the greeting.', actions: [{ type: 'type', text: 'echo hello-one > ~/greeting.txt\n' }] },
      { thought: 'Log it.', actions: [{ type: 'type', text: 'echo extra >> ~/extra.txt\n' }] },
      { actions: [{ type: 'done', answer: 'Written.' } as unknown as MockAction] },
    ]);
    await page.getByTestId('task-input').fill('Write hello-one into ~/greeting.txt');
    await page.getByTestId('start-run').click();
    await expect.poll(async () => (await runView().count()) > 0 && runStatus(), { timeout: 30_000 }).toBe('done');
    expect(await waitForFile(join(home, 'greeting.txt'))).toBe('hello-one\n');
    expect(await waitForFile(join(home, 'extra.txt'))).toBe('extra\n');
    expect(mock.requests.length).toBe(4);

    // A name that is not allowed is refused by the server, in its words, beside the form.
    await page.getByTestId('save-as-automation').click();
    await page.getByTestId('save-as-name').fill('Bad/Name');
    await page.getByTestId('save-as-submit').click();
    await expect.poll(() => page.getByTestId('save-as-error').textContent()).toMatch(/not a valid automation name/);

    await page.getByTestId('save-as-name').fill(NAME);
    await page.getByTestId('save-as-params').fill('word=hello-one');
    await page.screenshot({ path: join(SHOTS, 'save-as-automation.png') });
    await page.getByTestId('save-as-submit').click();
    await detail().and(page.locator('[data-version="1"]')).waitFor({ timeout: 30_000 });
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/automations/${NAME}`);

    await expect.poll(() => rows().count()).toBe(3);
    expect(await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).toEqual(['click', 'type', 'type']);
    expect(await rows().nth(1).getByTestId('step-text').inputValue()).toBe('echo {{word}} > ~/greeting.txt\n');
    expect(await page.getByTestId('param-row').getAttribute('data-name')).toBe('word');
    // The click's evidence: its crop, loaded through the server, and the word OCR read under it.
    const thumbs = page.getByTestId('evidence-thumb');
    expect(await thumbs.count()).toBe(1);
    await expect.poll(() => thumbs.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth)), { timeout: 10_000 }).toEqual([96]);
    expect((await rows().first().getByTestId('evidence-text').textContent())?.toUpperCase()).toContain('TERMINAL');
    expect(automationFile()).toMatchObject({ version: 1, params: [{ name: 'word' }] });
    await page.screenshot({ path: join(SHOTS, 'automation-editor.png'), fullPage: true });
  });

  it('keeps an edit the server refused, and saves the corrected one as version 2', async () => {
    const x = await rows().first().getByTestId('step-x').inputValue();
    // Delete the logging step, then make a bad edit: a negative coordinate.
    await rows().nth(2).getByTestId('step-delete').click();
    await expect.poll(() => rows().count()).toBe(2);
    await rows().first().getByTestId('step-x').fill('-5');
    await page.getByTestId('automation-save').click();
    await expect.poll(() => page.getByTestId('automation-error').textContent()).toMatch(/x/);
    // Nothing is lost: the deletion and the edit are still there; nothing was saved.
    expect(await rows().count()).toBe(2);
    expect(await rows().first().getByTestId('step-x').inputValue()).toBe('-5');
    expect(automationFile().version).toBe(1);
    expect(await detail().getAttribute('data-version')).toBe('1');

    await rows().first().getByTestId('step-x').fill(x);
    await page.getByTestId('automation-save').click();
    await expect.poll(() => page.getByTestId('automation-saved').textContent()).toBe('Saved v2');
    expect(await detail().getAttribute('data-version')).toBe('2');
    expect(await page.getByTestId('automation-version').textContent()).toBe('v2');
    const file = automationFile();
    expect(file.version).toBe(2);
    expect(file.steps.map((s) => s.action.type)).toEqual(['click', 'type']);
    expect(file.steps[0]!.action).toMatchObject({ x: Number(x) });
  });

  it('runs it now with a new value: done without the model, the file written, in the history and the inbox', async () => {
    await freshXterm();
    rmSync(join(home, 'greeting.txt'), { force: true });
    const requests = mock.requests.length;
    await page.getByTestId('run-now-param').fill('hello-two');
    await page.getByTestId('run-now-target').selectOption('current');
    await page.getByTestId('run-now').click();
    await expect.poll(async () => (await runView().count()) > 0 && runStatus(), { timeout: 30_000 }).toBe('done');
    replayRunId = (await runView().getAttribute('data-run-id'))!;
    expect(await waitForFile(join(home, 'greeting.txt'))).toBe('hello-two\n');
    // The deleted step did not run again.
    expect(readFileSync(join(home, 'extra.txt'), 'utf8')).toBe('extra\n');
    expect(mock.requests.length, 'a replay must not call the model').toBe(requests);
    expect(await page.getByTestId('run-provider').textContent()).toContain(`${NAME}@v2`);
    // The click was found again by its evidence, not just replayed blind.
    expect(await page.getByTestId('step-row').first().textContent()).toMatch(/step 1\/2 click .*: (replayed at|relocated)/);

    await page.evaluate((name) => (location.hash = `#/automations/${encodeURIComponent(name)}`), NAME);
    const item = page.locator(`[data-testid="history-item"][data-run-id="${replayRunId}"]`);
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 10_000 }).toBe('done');
    expect(await page.getByTestId('history-item').count()).toBe(1);

    await page.getByTestId('automations-link').click();
    const inbox = page.locator(`[data-testid="inbox-item"][data-run-id="${replayRunId}"]`);
    await expect.poll(() => inbox.getAttribute('data-status'), { timeout: 10_000 }).toBe('succeeded');
    await page.screenshot({ path: join(SHOTS, 'automations-list.png'), fullPage: true });
    const row = page.locator(`[data-testid="automation-row"][data-name="${NAME}"]`);
    expect(await row.getAttribute('data-version')).toBe('2');
    expect(await row.getByTestId('automation-steps').textContent()).toBe('2');
    expect(await row.getByTestId('automation-last').getAttribute('data-status')).toBe('succeeded');
    // The inbox links to the run.
    await inbox.getByTestId('inbox-run-link').click();
    await expect.poll(() => runView().getAttribute('data-run-id')).toBe(replayRunId);
  });

  it("schedules it: a bad cron shows croner's complaint, a good one shows in the list", async () => {
    await page.evaluate((name) => (location.hash = `#/automations/${encodeURIComponent(name)}`), NAME);
    await page.getByTestId('schedule-cron').fill('61 * * * *');
    await page.getByTestId('schedule-save').click();
    await expect.poll(() => page.getByTestId('schedule-error').textContent()).toMatch(/^"61 \* \* \* \*" is not a usable cron expression: .+/);
    expect(await page.getByTestId('schedule-current').getAttribute('data-cron')).toBe('');

    await page.getByTestId('schedule-cron').fill('0 3 * * *');
    await page.getByTestId('schedule-target').selectOption('sandbox');
    await page.getByTestId('schedule-save').click();
    await expect.poll(() => page.getByTestId('schedule-current').getAttribute('data-cron')).toBe('0 3 * * *');
    expect(await page.getByTestId('schedule-error').count()).toBe(0);

    await page.getByTestId('automations-link').click();
    const cell = page.locator(`[data-testid="automation-row"][data-name="${NAME}"]`).getByTestId('automation-schedule');
    await expect.poll(() => cell.textContent()).toContain('0 3 * * *');
    expect(await cell.textContent()).toContain('sandbox');
  });
});
