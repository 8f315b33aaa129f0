// Recording a demonstration from the app: Debian Chromium (headless, not on the recorded display)
// driven by Playwright against a real `deskpilot serve --display :N`. The operator's input on :N is
// played by xdotool: a click into an xterm, a shell command typed there (which writes a file in the
// display's HOME), a key, and a last click on a window titled like Deskpilot's own (left out, as the
// click on "Stop" would be). The banner counts rise; "Stop and review" opens the draft in the step
// editor; a step is deleted and the typed value becomes a parameter; Save writes version 1; run now
// with another value writes that value into the file. Recording twice is refused, and so is a run
// on the display being recorded; Cancel leaves no automation; the server closing mid-recording ends
// its hook.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Automation } from '../agents/contract.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { bannerXterm, waitForFile } from './support/apps.ts';
import { openUi, SHOTS, writeSettings, type Served } from './support/ui-serve.ts';

const NAME = 'recorded greet';
const TITLE = 'dp-record-xterm';
const BANNER = 'RECORDING TERMINAL READY';
/** Stands in for Deskpilot's own window on the recorded display (Electron, or a browser there). */
const OWN_TITLE = 'Deskpilot - stand-in';

let display: VirtualDisplay;
let server: Served;
let browser: Browser;
let page: Page;
let dataDir: string;
let home: string;
let xterm = '';

const xdotool = (...args: string[]) => display.run('xdotool', args);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fresh xterm at the same place showing the same banner: a replay starts from the screen the demonstration saw. */
async function freshXterm(): Promise<void> {
  xterm = await bannerXterm(display, { title: TITLE, banner: BANNER, geometry: '80x20+0+0', ...(xterm ? { previous: xterm } : {}) });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-record-ui-'));
  display = await startDisplay({ size: { width: 1280, height: 800 } });
  home = display.env.HOME!;
  await display.launch('xterm', ['-T', OWN_TITLE, '-geometry', '40x10+900+400', '-e', 'bash', '--norc', '--noprofile']);
  await display.waitForWindow({ name: OWN_TITLE });
  await freshXterm();
  writeSettings(dataDir, { run: { approve: 'never', maxSteps: 20, maxSeconds: 120 } });
  ({ server, browser, page } = await openUi({ display: display.display, dataDir }));
  await page.getByTestId('automations-link').click();
  await page.getByTestId('automations-view').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await display?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const banner = () => page.getByTestId('recording-banner');
const rows = () => page.getByTestId('step-edit-row');
const runView = () => page.getByTestId('run-view');
const automationFile = () => JSON.parse(readFileSync(join(dataDir, 'automations', `${NAME}.json`), 'utf8')) as Automation;
const count = async (attr: string) => Number(await banner().getAttribute(attr));

/** A failed call's error object as the server sent it. */
async function refusal(command: string, input: unknown): Promise<{ code: string; message: string }> {
  const err = await server.call(command, input).then(() => undefined, (e: Error) => e);
  expect(err, `${command} should have been refused`).toBeInstanceOf(Error);
  return (JSON.parse(err!.message.slice(err!.message.indexOf('{'))) as { error: { code: string; message: string } }).error;
}

describe('recording a demonstration from the Automations view', () => {
  it('records, reviews in the step editor, saves v1, and the saved automation runs with another value', async () => {
    await page.getByTestId('record-start').click();
    await expect.poll(() => banner().getAttribute('data-active'), { timeout: 30_000 }).toBe('true');
    expect(await banner().getAttribute('data-display')).toBe(display.display);
    expect(await page.getByTestId('record-start').isDisabled()).toBe(true);
    await sleep(400); // a few frames before the first press

    // The demonstration, on the recorded display.
    await xdotool('mousemove', '300', '200', 'click', '1');
    await xdotool('type', '--delay', '15', 'echo first-value > ~/recorded.txt');
    await xdotool('key', 'Return');
    expect(await waitForFile(join(home, 'recorded.txt'))).toBe('first-value\n');
    await xdotool('key', 'ctrl+l');
    await sleep(300);
    await xdotool('mousemove', '1000', '450', 'click', '1'); // "Stop" on Deskpilot's own window
    await sleep(300);
    await expect.poll(() => count('data-presses'), { timeout: 5000 }).toBe(2);
    expect(await count('data-events')).toBeGreaterThan(30);
    expect(await page.getByTestId('recording-presses').textContent()).toBe('2 presses');
    expect(await page.getByTestId('recording-elapsed').textContent()).toMatch(/^0:\d\d$/);
    await page.screenshot({ path: join(SHOTS, 'recording-banner.png') });

    // Stop and review: a bad name is refused beside the prompt and the recording goes on.
    await page.getByTestId('recording-stop').click();
    await page.getByTestId('recording-name').fill('Bad/Name');
    await page.getByTestId('recording-stop-confirm').click();
    await expect.poll(() => page.getByTestId('recording-error').textContent()).toMatch(/not a valid automation name/);
    expect(await banner().getAttribute('data-active')).toBe('true');
    await page.getByTestId('recording-name').fill(NAME);
    await page.getByTestId('recording-stop-confirm').click();

    const draft = page.getByTestId('recorded-draft');
    await draft.waitFor({ timeout: 60_000 });
    expect(await draft.getAttribute('data-name')).toBe(NAME);
    expect(await banner().count()).toBe(0);
    expect(await page.getByTestId('automation-editor').getAttribute('data-new')).toBe('true');
    expect(await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).toEqual(['click', 'type', 'keypress']);
    expect(await rows().nth(1).getByTestId('step-text').inputValue()).toBe('echo first-value > ~/recorded.txt\n');
    expect(await page.getByTestId('recorded-warning').allTextContents()).toContain("left out the last 1 step: they went to Deskpilot's own window (stopping the recording)");
    // The click's evidence: a crop from the frame before the press, loaded through the server.
    const thumbs = page.getByTestId('evidence-thumb');
    expect(await thumbs.count()).toBe(1);
    await expect.poll(() => thumbs.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0)), { timeout: 10_000 }).toEqual([true]);
    expect(existsSync(join(dataDir, 'automations', `${NAME}.json`)), 'nothing is saved before Save').toBe(false);

    // Review: delete the keypress, make the typed value a parameter.
    await rows().nth(2).getByTestId('step-delete').click();
    await expect.poll(() => rows().count()).toBe(2);
    await rows().nth(1).getByTestId('step-make-param').click();
    await page.getByTestId('step-param-name').fill('value');
    await page.getByTestId('step-param-ok').click();
    await rows().nth(1).getByTestId('step-text').fill('echo {{value}} > ~/recorded.txt\n');
    await page.getByTestId('param-default').fill('first-value');
    // The draft's edits live in the store: another view and back loses nothing.
    await page.getByTestId('settings-link').click();
    await page.getByTestId('automations-link').click();
    await expect.poll(() => rows().count()).toBe(2);
    expect(await rows().nth(1).getByTestId('step-text').inputValue()).toBe('echo {{value}} > ~/recorded.txt\n');
    await page.screenshot({ path: join(SHOTS, 'recorded-draft.png'), fullPage: true });

    await page.getByTestId('automation-save').click();
    const detail = page.getByTestId('automation-detail');
    await detail.and(page.locator('[data-version="1"]')).waitFor({ timeout: 10_000 });
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/automations/${NAME}`);
    const file = automationFile();
    expect(file).toMatchObject({ version: 1, name: NAME, params: [{ name: 'value', default: 'first-value' }] });
    expect(file.steps.map((s) => s.action)).toEqual([{ type: 'click', x: 300, y: 200, button: 'left' }, { type: 'type', text: 'echo {{value}} > ~/recorded.txt\n' }]);
    expect(file.steps[0]!.evidence).toMatchObject({ crop: expect.stringMatching(/\.png$/), window: { title: TITLE } });

    // Run now with another value: the effect lands in the file.
    await freshXterm();
    rmSync(join(home, 'recorded.txt'), { force: true });
    await page.getByTestId('run-now-param').fill('second-value');
    await page.getByTestId('run-now-target').selectOption('current');
    await page.getByTestId('run-now').click();
    await expect.poll(async () => (await runView().count()) > 0 && runView().getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    expect(await waitForFile(join(home, 'recorded.txt'))).toBe('second-value\n');
  }, 90_000);

  it('refuses a second recording and a run on the recorded display; Cancel leaves no automation', async () => {
    await page.getByTestId('automations-link').click();
    await page.getByTestId('record-start').click();
    await expect.poll(() => banner().getAttribute('data-active'), { timeout: 30_000 }).toBe('true');

    expect(await refusal('recordings.start', {})).toEqual({ code: 'conflict', message: `a demonstration is already being recorded on display ${display.display}: stop or cancel it first` });
    const run = await refusal('automations.run', { name: NAME, params: { value: 'x' }, target: 'current' });
    expect(run).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^a demonstration is being recorded on display/) });

    await xdotool('mousemove', '200', '150', 'click', '1');
    await expect.poll(() => count('data-presses'), { timeout: 5000 }).toBe(1);
    await page.getByTestId('recording-cancel').click();
    await expect.poll(() => banner().count()).toBe(0);
    expect(await server.call('recordings.status', {})).toEqual({ active: false, events: 0, presses: 0 });
    expect(await page.getByTestId('recorded-draft').count()).toBe(0);
    expect((await server.call('automations.list', {}) as { name: string; version: number }[]).map((a) => [a.name, a.version])).toEqual([[NAME, 1]]);
    expect(readdirSync(join(dataDir, 'automations')).filter((f) => f.endsWith('.json'))).toEqual([`${NAME}.json`]);
    expect(await page.getByTestId('record-start').isDisabled()).toBe(false);
  }, 30_000);

  it('the server closing mid-recording leaves no input hook or driver process behind', async () => {
    await server.call('recordings.start', {});
    const children = execFileSync('pgrep', ['-P', String(server.child.pid)], { encoding: 'utf8' }).split('\n').map(Number).filter(Boolean);
    expect(children.length, 'the hook and the frame driver run as child processes').toBeGreaterThanOrEqual(2);
    await server.stop();
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(() => children.filter(alive), { timeout: 5000 }).toEqual([]);
  }, 30_000);
});
