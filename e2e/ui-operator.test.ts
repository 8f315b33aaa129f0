// The operator's everyday basics in Chromium against `deskpilot serve` with the real engine and the
// mock model: a dark theme that follows the system or the settings, the `?` shortcut list and Pause
// all from the keyboard, a question set apart from steering, a thread's totals and its run filter,
// a title renamed in place, plain wording, and a notification when a run waits while the page is hidden.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run, Thread } from '../agents/contract.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { startMockOpenAI, type MockAction, type MockOpenAI } from './mock-openai/server.ts';
import { mockProvider, openUi, SHOTS, writeSettings, type Served } from './support/ui-serve.ts';

const KEY = 'sk-ui-operator-basics-key';
let display: VirtualDisplay;
let mock: MockOpenAI;
let server: Served;
let browser: Browser;
let page: Page;
let dataDir: string;

// Actions the chat adapter accepts that the Responses computer tool has no word for.
const agentAction = (a: Record<string, unknown>) => a as unknown as MockAction;
const typeText = (text: string): MockAction => ({ type: 'type', text });
// A risky command: the run waits for the operator's approval before it.
const RISKY = typeText('rm -rf ~/keep-this\n');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-ui-operator-'));
  [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockOpenAI({ apiKey: KEY, models: ['mock-cu'] })]);
  // Runs get sandboxes of their own, so several can wait at once.
  writeSettings(dataDir, { ...mockProvider(mock.url), run: { approve: 'risky', maxSteps: 20, maxSeconds: 300 }, runOn: 'sandbox', maxParallelRuns: 3 });
  ({ server, browser, page } = await openUi({ display: display.display, dataDir, apiKey: KEY, viewport: { width: 1400, height: 900 } }));
  await page.getByTestId('new-thread').waitFor();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await Promise.all([display?.stop(), mock?.close()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const runs = async () => (await server.call('runs.list', {})) as Run[];
const runView = () => page.getByTestId('run-view');
const runStatus = (runId: string) => async () => (await runs()).find((r) => r.id === runId)?.status;

/** Starts a task in a new thread from the composer and returns its run id once the run view shows it. */
async function startTask(task: string): Promise<string> {
  await page.evaluate(() => (location.hash = '#/new'));
  await page.getByTestId('task-input').fill(task);
  await page.getByTestId('start-run').click();
  await expect
    .poll(async () => (await runView().count()) > 0 && (await runView().getAttribute('data-run-id')), { timeout: 60_000 })
    .toBeTruthy()
    .catch(async (err: unknown) => {
      // Say why: the error banner holds the server's answer to runs.start.
      const banner = (await page.getByTestId('error-banner').count()) ? await page.getByTestId('error-banner').textContent() : 'no error shown';
      throw new Error(`the run of "${task}" did not open (${banner})`, { cause: err });
    });
  return (await runView().getAttribute('data-run-id'))!;
}

/** Continues the open thread with another task (the composer continues the thread it is in). */
async function continueThread(task: string): Promise<string> {
  const before = new Set((await runs()).map((r) => r.id));
  await page.getByTestId('task-input').fill(task);
  await page.getByTestId('start-run').click();
  let id: string | undefined;
  await expect.poll(async () => (id = (await runs()).find((r) => !before.has(r.id))?.id), { timeout: 20_000 }).toBeTruthy();
  return id!;
}

async function abortAll(): Promise<void> {
  await server.call('runs.controlAll', { action: 'abort' });
  await expect.poll(async () => (await runs()).filter((r) => ['queued', 'running', 'paused', 'waiting'].includes(r.status)).length, { timeout: 30_000 }).toBe(0);
}

/** The page's background colour as the browser computed it. */
const background = (p: Page) => p.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

/** WCAG contrast of an element's text against the first opaque background behind it. */
function contrast(el: Locator): Promise<number> {
  return el.evaluate((node) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    let bg: number[] | undefined;
    for (let n: Element | null = node; n && !bg; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3]! > 0.9)) bg = c.slice(0, 3);
    }
    bg ??= rgb(getComputedStyle(document.documentElement).backgroundColor).slice(0, 3);
    const [a, b] = [lum(rgb(getComputedStyle(node).color).slice(0, 3)), lum(bg)].sort((x, y) => y - x);
    return (a! + 0.05) / (b! + 0.05);
  });
}

describe('a dark theme that follows the system, with a switch in the settings', () => {
  it('follows prefers-color-scheme, and the chosen theme wins and survives a reload', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${server.base}/#/settings`);
    await page.getByTestId('setting-theme').waitFor();
    const light = await background(page);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => background(page)).not.toBe(light);
    const dark = await background(page);
    expect(dark).toBe('rgb(15, 17, 21)');
    expect(light).toBe('rgb(246, 247, 249)');

    // Light chosen in the settings beats the dark system, applies at once, and survives a reload.
    await page.getByTestId('setting-theme').selectOption('light');
    await expect.poll(() => background(page)).toBe(light);
    await page.reload();
    await page.getByTestId('setting-theme').waitFor();
    expect(await page.getByTestId('setting-theme').inputValue()).toBe('light');
    expect(await background(page)).toBe(light);
    await page.getByTestId('setting-theme').selectOption('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => background(page)).toBe(dark);
    await page.getByTestId('setting-theme').selectOption('system');
    await expect.poll(() => background(page)).toBe(light);
  }, 60_000);
});

describe('keyboard: the shortcut list and Pause all', () => {
  it('? outside text fields shows the shortcuts and Escape closes them; ? in a text field is typed', async () => {
    await page.goto(`${server.base}/#/`);
    await page.getByTestId('task-input').waitFor();
    await page.locator('body').click({ position: { x: 700, y: 5 } });
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcut-help');
    await help.waitFor({ timeout: 5000 });
    expect(await help.textContent()).toContain('Ctrl+Shift+Space');
    expect(await help.getByTestId('shortcut').count()).toBeGreaterThanOrEqual(5);
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);

    await page.getByTestId('task-input').fill('');
    await page.getByTestId('task-input').press('?');
    expect(await page.getByTestId('task-input').inputValue()).toBe('?');
    expect(await help.count()).toBe(0);
    await page.getByTestId('task-input').fill('');
  }, 30_000);

  it('Ctrl+Shift+Space pauses every running task from the browser', async () => {
    mock.setTrajectory([{ thought: 'Clean up.', actions: [RISKY] }, { thought: 'Clean up.', actions: [RISKY] }]);
    const first = await startTask('pause me first');
    const second = await startTask('pause me second');
    await expect.poll(runStatus(first), { timeout: 30_000 }).toBe('waiting');
    await expect.poll(runStatus(second), { timeout: 30_000 }).toBe('waiting');
    // An open approval card takes Escape and Enter; Pause all must work beside it.
    await page.locator('body').click({ position: { x: 700, y: 5 } });
    await page.keyboard.press('Control+Shift+Space');
    await expect.poll(runStatus(first), { timeout: 15_000 }).toBe('paused');
    await expect.poll(runStatus(second), { timeout: 15_000 }).toBe('paused');
    expect(await page.getByTestId('key-notice').textContent()).toBe('Paused 2 runs.');
    await abortAll();
  }, 90_000);
});

describe('a question is unmistakable, and stays so through a pause', () => {
  it('shows the answer box apart from the steer box; paused and resumed, it says the agent waits for the answer', async () => {
    mock.setTrajectory([
      { actions: [agentAction({ type: 'ask_user', question: 'Which folder should I use?' })] },
      { actions: [agentAction({ type: 'done', answer: 'Used it.' })] },
    ]);
    const runId = await startTask('Save the listing where I say');
    const card = page.getByTestId('question-card');
    await card.waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('question-waiting').textContent()).toContain('The agent is waiting for your answer');
    expect(await card.textContent()).toContain('Which folder should I use?');
    // Different names, colours and places: the answer first in the controls, the steer box labelled apart.
    expect(await page.getByTestId('answer-input').getAttribute('aria-label')).not.toBe(await page.getByTestId('steer-input').getAttribute('aria-label'));
    expect(await page.getByTestId('answer-send').textContent()).toBe('Send answer');
    const cardBg = await card.evaluate((e) => getComputedStyle(e).backgroundColor);
    const steerBg = await page.locator('.control-bar').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(cardBg).not.toBe(steerBg);
    expect(await page.locator('.control-bar > *').first().getAttribute('data-testid')).toBe('question-card');
    expect(await page.getByTestId('steer-input').getAttribute('placeholder')).toMatch(/answer the question above/);
    await page.screenshot({ path: join(SHOTS, 'operator-question.png') });

    await page.getByTestId('pause').click();
    await expect.poll(() => runView().getAttribute('data-status'), { timeout: 15_000 }).toBe('paused');
    expect(await page.getByTestId('status-line').textContent()).toBe('Paused. The agent is waiting for your answer: Which folder should I use?');
    await page.getByTestId('resume').click();
    await expect.poll(() => runView().getAttribute('data-status'), { timeout: 15_000 }).toBe('waiting');
    expect(await page.getByTestId('status-line').textContent()).toBe('Waiting for your answer: Which folder should I use?');
    expect(await runStatus(runId)()).toBe('waiting');

    await page.getByTestId('answer-input').fill('Documents');
    await page.getByTestId('answer-send').click();
    await expect.poll(runStatus(runId), { timeout: 20_000 }).toBe('done');
  }, 90_000);
});

describe('a thread: its totals, its runs filtered by status, its title renamed in place', () => {
  let threadId: string;

  it('adds up steps and tokens, and the filter hides the runs of other statuses', async () => {
    mock.setTrajectory([
      { actions: [agentAction({ type: 'done', answer: 'All good.' })] },
      { actions: [agentAction({ type: 'fail', reason: 'the folder is not there' })] },
    ]);
    const done = await startTask('count the invoices');
    await expect.poll(runStatus(done), { timeout: 20_000 }).toBe('done');
    threadId = (await runs()).find((r) => r.id === done)!.threadId;
    const failed = await continueThread('count the receipts');
    await expect.poll(runStatus(failed), { timeout: 20_000 }).toBe('failed');

    const totals = page.getByTestId('thread-totals');
    const expected = (await server.call('threads.totals', { threadId })) as { runs: number; steps: number; tokens: number };
    expect(expected.runs).toBe(2);
    expect(expected.steps).toBeGreaterThanOrEqual(2);
    // A run's step is logged before its model reply's tokens: wait for both.
    await expect.poll(async () => [await totals.getAttribute('data-steps'), await totals.getAttribute('data-tokens')], { timeout: 15_000 }).toEqual([String(expected.steps), String(expected.tokens)]);
    expect(await totals.textContent()).toMatch(new RegExp(`^2 runs · ${expected.steps} steps · [\\d.]+k? tokens`));

    const items = page.getByTestId('run-list').getByTestId('run-item');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(2);
    await page.getByTestId('run-filter').selectOption('done');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().getAttribute('data-run-id')).toBe(done);
    await page.getByTestId('run-filter').selectOption('failed');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().getAttribute('data-run-id')).toBe(failed);
    await page.getByTestId('run-filter').selectOption('waiting');
    await expect.poll(() => items.count()).toBe(0);
    expect(await page.getByTestId('run-filter-empty').textContent()).toBe('No run in this thread is waiting.');
    await page.getByTestId('run-filter').selectOption('all');
    await expect.poll(() => items.count()).toBe(2);
  }, 90_000);

  it('renames the thread from its title: saved through the contract, capped in length, kept after a reload', async () => {
    await page.getByTestId('thread-title-edit').click();
    const input = page.getByTestId('thread-title-input');
    await input.fill('Invoices and receipts, December');
    await input.press('Enter');
    await expect.poll(async () => ((await server.call('threads.list', {})) as Thread[]).find((t) => t.id === threadId)?.title, { timeout: 10_000 }).toBe('Invoices and receipts, December');
    await page.reload();
    await expect.poll(() => page.getByTestId('thread-title-edit').textContent(), { timeout: 10_000 }).toBe('Invoices and receipts, December');
    expect(await page.locator(`[data-thread-id="${threadId}"]`).getByTestId('thread-title').textContent()).toBe('Invoices and receipts, December');

    // A title longer than the contract takes is cut to its 200 characters, never refused with an error.
    await page.getByTestId('thread-title-edit').click();
    await input.fill('x'.repeat(260));
    await input.press('Enter');
    await expect.poll(async () => ((await server.call('threads.list', {})) as Thread[]).find((t) => t.id === threadId)?.title.length, { timeout: 10_000 }).toBe(200);
    expect(await page.getByTestId('error-banner').count()).toBe(0);
  }, 60_000);
});

describe('plain wording and contrast', () => {
  it('no CLI flags, raw codes, run ids or "Failed to fetch" on the pages an operator reads; text keeps its contrast in both themes', async () => {
    const developerWords = /(^|\s)--[a-z]|\(code \d+\)|Failed to fetch|\b[0-9A-HJKMNP-TV-Z]{26}\b/;
    for (const hash of ['#/', '#/settings', '#/active', `#/threads/${(await runs())[0]!.threadId}`]) {
      await page.goto(`${server.base}/${hash}`);
      await page.waitForLoadState('networkidle');
      await expect.poll(() => page.locator('main').innerText(), { timeout: 10_000 }).not.toMatch(/Loading…/);
      expect(await page.locator('body').innerText()).not.toMatch(developerWords);
    }
    // Every preset's note, as the settings show it beside a provider, speaks in words.
    const info = (await server.call('app.info', {})) as { presets: { notes?: string }[] };
    for (const p of info.presets) expect(p.notes ?? '').not.toMatch(/(^|\s)--[a-z]/);

    // A run waiting for approval: the badges, the timeline and the approval card are readable light and dark.
    mock.setTrajectory([{ thought: 'Remove the folder.', actions: [RISKY] }]);
    await startTask('tidy the home folder');
    await page.getByTestId('approval-card').waitFor({ timeout: 20_000 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const checked = [
        page.getByTestId('run-status'),
        page.getByTestId('status-line'),
        page.locator('.approval-card strong').first(),
        page.getByTestId('approval-action'),
        page.locator('.step-row .thought').first(),
        page.locator('.step-row .state-tag').first(),
        page.locator('.run-item .badge').first(),
        page.locator('[data-testid="thread-status"]').first(),
        page.locator('.thread-title').first(),
        page.locator('.thread-time').first(),
      ];
      for (const el of checked) {
        await el.waitFor({ timeout: 10_000 });
        expect(await contrast(el), `${String(el)} in ${scheme}`).toBeGreaterThanOrEqual(4.5);
      }
      await page.screenshot({ path: join(SHOTS, `operator-approval-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await abortAll();
  }, 90_000);
});

describe('a notification when a run waits and the page is hidden', () => {
  it('asks permission only from the settings switch, and notifies only while the page is hidden', async () => {
    // Nothing else waits (an earlier test that failed half-way may have left a run waiting).
    await abortAll();
    const context = await browser.newContext();
    try {
      await context.grantPermissions(['notifications'], { origin: server.base });
      // Record what the page asks of the Notification API (the real one still runs).
      await context.addInitScript(() => {
        const w = window as unknown as { __notes: { title: string; body?: string }[]; __asked: number };
        w.__notes = [];
        w.__asked = 0;
        const Real = window.Notification;
        class Recording extends Real {
          constructor(title: string, options?: NotificationOptions) {
            super(title, options);
            w.__notes.push({ title, body: options?.body });
          }
          static override requestPermission(): Promise<NotificationPermission> {
            w.__asked++;
            return Real.requestPermission();
          }
        }
        window.Notification = Recording;
      });
      const p = await context.newPage();
      await p.goto(server.url);
      await p.getByTestId('settings-link').click();
      await p.getByTestId('setting-notify').waitFor();
      expect(await p.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(0);
      expect(await p.getByTestId('setting-notify').isChecked()).toBe(false);
      await p.getByTestId('setting-notify').check();
      await expect.poll(() => p.getByTestId('setting-notify').isChecked()).toBe(true);
      expect(await p.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(1);

      // Visible page: a waiting run changes the title, no notification.
      mock.setTrajectory([{ thought: 'Remove it.', actions: [RISKY] }, { thought: 'Remove it.', actions: [RISKY] }]);
      const visibleRun = (await server.call('runs.start', { task: 'wait while I watch', runOn: 'sandbox' })) as Run;
      await expect.poll(runStatus(visibleRun.id), { timeout: 30_000 }).toBe('waiting');
      await expect.poll(() => p.title(), { timeout: 15_000 }).toMatch(/^\(1\) 1 run waits for you/);
      expect(await p.evaluate(() => (window as unknown as { __notes: unknown[] }).__notes.length)).toBe(0);

      // Hidden page (another tab in front): the next run that waits is notified.
      await p.evaluate(() => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      const hiddenRun = (await server.call('runs.start', { task: 'wait while I look away', runOn: 'sandbox' })) as Run;
      await expect.poll(runStatus(hiddenRun.id), { timeout: 30_000 }).toBe('waiting');
      await expect.poll(() => p.evaluate(() => (window as unknown as { __notes: { title: string; body?: string }[] }).__notes), { timeout: 15_000 }).toEqual([
        { title: expect.stringMatching(/^Deskpilot: .*wait/), body: expect.stringMatching(/wait while I look away|rm -rf/) },
      ]);
      expect(await p.title()).toMatch(/^\(2\) 2 runs wait for you/);
    } finally {
      await context.close();
      await abortAll();
    }
  }, 120_000);

  it('a refused permission leaves the box unticked and says so', async () => {
    const context = await browser.newContext();
    try {
      // The browser's answer, fixed: a person who says no.
      await context.addInitScript(() => {
        window.Notification.requestPermission = () => Promise.resolve('denied');
      });
      const p = await context.newPage();
      await p.goto(server.url);
      await p.getByTestId('settings-link').click();
      await p.getByTestId('setting-notify').click();
      await p.getByTestId('notify-refused').waitFor({ timeout: 10_000 });
      expect(await p.getByTestId('setting-notify').isChecked()).toBe(false);
    } finally {
      await context.close();
    }
  });
});

describe('a second UI language', () => {
  it('Simplified Chinese chosen in the settings changes the UI, and the agent is told to answer in it', async () => {
    await page.goto(`${server.base}/#/settings`);
    await page.getByTestId('setting-language').selectOption('zh-CN');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-link').textContent(), { timeout: 10_000 }).toContain('设置');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.reload();
    await expect.poll(() => page.getByTestId('settings-link').textContent(), { timeout: 10_000 }).toContain('设置');

    mock.setTrajectory([{ actions: [agentAction({ type: 'done', answer: '好了。' })] }]);
    const before = mock.requests.length;
    const runId = await startTask('说一声你好');
    await expect.poll(runStatus(runId), { timeout: 30_000 }).toBe('done');
    expect(JSON.stringify(mock.requests.slice(before).map((r) => r.body))).toContain('The operator reads Simplified Chinese');
    expect(await page.getByTestId('run-status').textContent()).toBe('完成');

    // English again: the next run is not told to write Chinese.
    await page.goto(`${server.base}/#/settings`);
    await page.getByTestId('setting-language').selectOption('en');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-link').textContent(), { timeout: 10_000 }).toContain('Settings');
    mock.setTrajectory([{ actions: [agentAction({ type: 'done', answer: 'Hello.' })] }]);
    const after = mock.requests.length;
    const english = await startTask('say hello');
    await expect.poll(runStatus(english), { timeout: 30_000 }).toBe('done');
    expect(JSON.stringify(mock.requests.slice(after).map((r) => r.body))).not.toContain('The operator reads');
  }, 120_000);
});
