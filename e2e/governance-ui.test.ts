// The Settings view's governance sections in Debian Chromium against a real `deskpilot serve`: the
// window lists, the "ask before a new window" switch, private windows and budgets show what
// settings.json holds, and an edit saved from the page lands in settings.json (read from disk) as the
// contract's shapes, with what the form does not edit (screen areas) kept.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../agents/contract.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { openUi, SHOTS, writeSettings, type UiSession } from './support/ui-serve.ts';

let display: VirtualDisplay;
let dataDir: string;
let ui: UiSession;

const AREA = { x: 0, y: 0, width: 200, height: 40 };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-governance-ui-'));
  display = await startDisplay({ size: { width: 1024, height: 640 } });
  writeSettings(dataDir, {
    run: {
      approve: 'risky', maxSteps: 20, maxSeconds: 300,
      windows: { deny: { classes: ['Thunderbird'] } }, privacy: { areas: [AREA] }, budgets: { dayCostUsd: 5, atLimit: 'ask' },
    },
  });
  ui = await openUi({ display: display.display, dataDir });
}, 60_000);

afterAll(async () => {
  await ui?.close();
  await display?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const onDisk = () => (JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as Settings).run;

describe('governance settings in the UI', () => {
  it('shows the saved lists, switch and budgets, and saves an edit to settings.json', async () => {
    const { page } = ui;
    await page.evaluate(() => (location.hash = '#/settings'));
    const askNew = page.getByTestId('setting-ask-new-windows');
    await askNew.waitFor({ timeout: 15_000 });
    // As saved: no askNew in the file means on.
    expect(await askNew.isChecked()).toBe(true);
    expect(await page.getByTestId('settings-windows').textContent()).toContain('ask me before the agent clicks or types in a window that was not open when its run started');
    expect(await page.getByTestId('setting-denyClasses').inputValue()).toBe('Thunderbird');
    expect(await page.getByTestId('setting-budget-dayCostUsd').inputValue()).toBe('5');
    expect(await page.getByTestId('setting-budget-runTokens').inputValue()).toBe('');
    expect(await page.getByTestId('setting-budget-at-limit').inputValue()).toBe('ask');

    await askNew.uncheck();
    await page.getByTestId('setting-denyClasses').fill('Thunderbird\nSignal');
    await page.getByTestId('setting-allowTitles').fill('Invoices');
    await page.getByTestId('setting-privateTitles').fill('Online banking');
    await page.getByTestId('setting-budget-runTokens').fill('20000');
    await page.getByTestId('setting-budget-dayCostUsd').fill('');
    await page.getByTestId('setting-budget-at-limit').selectOption('stop');
    await page.getByTestId('settings-budgets').screenshot({ path: join(SHOTS, 'governance-settings.png') });
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor({ timeout: 10_000 });

    expect(onDisk()).toEqual({
      approve: 'risky', maxSteps: 20, maxSeconds: 300,
      windows: { deny: { classes: ['Thunderbird', 'Signal'] }, allow: { titles: ['Invoices'] }, askNew: false },
      privacy: { areas: [AREA], windowTitles: ['Online banking'] },
      budgets: { runTokens: 20000, atLimit: 'stop' },
    });

    // A fresh page reads them back from the server.
    await page.reload();
    await page.evaluate(() => (location.hash = '#/settings'));
    await askNew.waitFor({ timeout: 15_000 });
    expect(await askNew.isChecked()).toBe(false);
    expect(await page.getByTestId('setting-privateTitles').inputValue()).toBe('Online banking');
    expect(await page.getByTestId('setting-budget-at-limit').inputValue()).toBe('stop');
  }, 90_000);

  it('a budget the contract refuses is named by the server and nothing is saved', async () => {
    const { page } = ui;
    const before = onDisk();
    await page.getByTestId('setting-budget-threadTokens').fill('-5');
    await page.getByTestId('settings-save').click();
    const error = page.getByTestId('settings-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toMatch(/threadTokens/);
    expect(onDisk()).toEqual(before);
  }, 60_000);
});
