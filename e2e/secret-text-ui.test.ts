// The Settings view's switch for OCR masking of card numbers and keys, in Debian Chromium against a
// real `deskpilot serve`: it shows what settings.json holds, and each choice saved from the page
// lands in settings.json (read from disk): always (true), never (false), own screen only (unset).
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

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-secret-text-ui-'));
  display = await startDisplay({ size: { width: 1024, height: 640 } });
  writeSettings(dataDir, { run: { approve: 'risky', maxSteps: 20, maxSeconds: 300, privacy: { windowTitles: ['Bank'], maskSecretText: false } } });
  ui = await openUi({ display: display.display, dataDir });
}, 60_000);

afterAll(async () => {
  await ui?.close();
  await display?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const privacyOnDisk = () => (JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as Settings).run.privacy;

describe('masking card numbers and keys in the settings', () => {
  it('shows the saved choice and saves each one to settings.json', async () => {
    const { page } = ui;
    await page.evaluate(() => (location.hash = '#/settings'));
    const select = page.getByTestId('setting-mask-text');
    await select.waitFor({ timeout: 15_000 });
    expect(await select.inputValue()).toBe('never');
    expect(await page.getByTestId('settings-privacy').textContent()).toContain('Black out card numbers and keys read on the screen');

    const save = async (choice: string) => {
      await select.selectOption(choice);
      await page.getByTestId('settings-save').click();
      await expect.poll(privacyOnDisk, { timeout: 10_000 }).toEqual(
        choice === 'ownScreen' ? { windowTitles: ['Bank'] } : { windowTitles: ['Bank'], maskSecretText: choice === 'always' },
      );
    };
    await save('always');
    await page.getByTestId('settings-privacy').screenshot({ path: join(SHOTS, 'mask-text-settings.png') });
    await save('ownScreen');
    await save('never');

    // A fresh page reads it back from the server.
    await page.reload();
    await page.evaluate(() => (location.hash = '#/settings'));
    await select.waitFor({ timeout: 15_000 });
    expect(await select.inputValue()).toBe('never');
  }, 90_000);
});
