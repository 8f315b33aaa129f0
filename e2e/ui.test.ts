// The UI as an operator meets it: Debian Chromium driven by Playwright against a real
// `deskpilot serve`, whose engine drives xterm on a real virtual display and talks through the real
// `openai` SDK to the mock server. Effects are checked in the files xterm writes.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { startMockOpenAI, type MockAction, type MockOpenAI } from './mock-openai/server.ts';
import { openXterm, waitForFile } from './support/apps.ts';
import { mockProvider, openUi, SHOTS, writeSettings, type Served } from './support/ui-serve.ts';

const KEY = 'sk-ui-test-key-never-shown';

let display: VirtualDisplay;
let mock: MockOpenAI;
let server: Served;
let browser: Browser;
let page: Page;
let dataDir: string;
let home: string;

// Actions the chat adapter accepts that the Responses computer tool has no word for.
const agentAction = (a: Record<string, unknown>) => a as unknown as MockAction;
const typeText = (text: string): MockAction => ({ type: 'type', text });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-ui-'));
  [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockOpenAI({ apiKey: KEY, models: ['mock-cu'] })]);
  home = display.env.HOME!;
  await openXterm(display, 'ui-xterm');
  writeSettings(dataDir, { ...mockProvider(mock.url), run: { approve: 'risky', maxSteps: 20, maxSeconds: 300 } });
  ({ server, browser, page } = await openUi({ display: display.display, dataDir, apiKey: KEY, viewport: { width: 1400, height: 900 } }));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await mock?.close();
  await display?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const runView = () => page.getByTestId('run-view');
const status = () => runView().getAttribute('data-status');

/** Starts a task in a new thread (with a thread open, the composer continues that thread). */
async function startTask(task: string): Promise<string> {
  await page.evaluate(() => (location.hash = '#/'));
  await page.getByTestId('task-input').fill(task);
  await page.getByTestId('start-run').click();
  await expect.poll(async () => (await runView().count()) > 0 && (await runView().getAttribute('data-run-id')), { timeout: 15_000 }).toBeTruthy();
  return (await runView().getAttribute('data-run-id'))!;
}

const requestText = (i: number) => JSON.stringify(mock.requests[i]?.body ?? null);

describe('the Deskpilot UI over deskpilot serve', () => {
  it('runs a task in a new thread: steps stream in, a risky action waits, pause and resume, steer, approve from the keyboard', async () => {
    mock.setTrajectory([
      { thought: 'Write the file from the terminal.', actions: [typeText('echo ui-one > ~/ui-one.txt\n')] },
      { thought: 'Clean up the scratch folder.', actions: [typeText('rm -rf ~/ui-scratch; echo cleaned > ~/ui-cleaned.txt\n')] },
      { actions: [agentAction({ type: 'done', answer: 'The file is written.' })] },
    ]);
    const runId = await startTask('Write ui-one into ~/ui-one.txt');
    await expect.poll(() => page.getByTestId('thread-item').count()).toBe(1);
    expect(await waitForFile(join(home, 'ui-one.txt'), 15_000)).toBe('ui-one\n');

    const card = page.getByTestId('approval-card');
    await card.waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain('rm -rf');
    await expect.poll(status).toBe('waiting');
    await page.screenshot({ path: join(SHOTS, 'approval-waiting.png') });

    await page.getByTestId('pause').click();
    await expect.poll(status).toBe('paused');
    expect(await page.getByTestId('status-line').textContent()).toMatch(/paus/i);
    await page.getByTestId('resume').click();
    await expect.poll(status).toBe('waiting');

    await page.getByTestId('steer-input').fill('please keep the terminal open');
    await page.getByTestId('steer-send').click();

    // Approve from the keyboard, with focus outside any text field.
    await page.getByTestId('timeline').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Enter');
    await expect.poll(status, { timeout: 15_000 }).toBe('done');
    expect(await waitForFile(join(home, 'ui-cleaned.txt'), 10_000)).toBe('cleaned\n');
    expect(requestText(2)).toContain('please keep the terminal open');
    expect(await page.getByTestId('status-line').textContent()).toContain('The file is written.');
    expect(await page.getByTestId('step-row').count()).toBe(3);
    expect(await page.getByTestId('live-screen').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'run-done.png') });
    expect(runId).toMatch(/^[0-9A-Z]{26}$/);
    // The audit trail says who approved: an operator through serve, from the browser's loopback address.
    const { events } = (await server.call('runs.events', { runId })) as { events: { type: string; by?: unknown }[] };
    const decided = events.filter((e) => e.type === 'approval_decided');
    expect(decided.length).toBeGreaterThan(0);
    for (const e of decided) expect(e.by).toEqual({ kind: 'remote', address: expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$|^::1$/) });
  });

  it('rejects a risky action with a reason: nothing happens, and the model is told why', async () => {
    mkdirSync(join(home, 'keep'), { recursive: true });
    mock.setTrajectory([
      { thought: 'Remove the folder.', actions: [typeText('rm -rf ~/keep\n')] },
      { actions: [agentAction({ type: 'done', answer: 'Left it alone.' })] },
    ]);
    await startTask('Tidy the home folder');
    await page.getByTestId('approval-card').waitFor({ timeout: 15_000 });
    await page.getByTestId('reject-reason').fill('that folder holds my tax papers');
    await page.getByTestId('reject').click();
    await expect.poll(status, { timeout: 15_000 }).toBe('done');
    expect(existsSync(join(home, 'keep'))).toBe(true);
    expect(requestText(1)).toContain('that folder holds my tax papers');
  });

  it('answers the agent’s question', async () => {
    mock.setTrajectory([
      { actions: [agentAction({ type: 'ask_user', question: 'Which folder should I use?' })] },
      { actions: [typeText('echo "$PWD" > ~/ui-answer.txt\n')] },
      { actions: [agentAction({ type: 'done', answer: 'Used it.' })] },
    ]);
    await startTask('Save the listing somewhere');
    const question = page.getByTestId('question-card');
    await question.waitFor({ timeout: 15_000 });
    expect(await question.textContent()).toContain('Which folder should I use?');
    await page.getByTestId('answer-input').fill('Documents please');
    await page.getByTestId('answer-send').click();
    await expect.poll(status, { timeout: 15_000 }).toBe('done');
    expect(requestText(1)).toContain('Documents please');
    await waitForFile(join(home, 'ui-answer.txt'));
  });

  it('aborts a run whose model request hangs', async () => {
    // Had the run gone on (a retry, a next step), the turn waiting behind the hang would write this file.
    const after = join(home, 'ui-after-abort.txt');
    mock.setTrajectory([{ actions: [typeText(`echo too-late > ${after}\n`)] }, { actions: [agentAction({ type: 'done' })] }]);
    mock.injectFaults([{ kind: 'hang' }]);
    const before = mock.requests.length;
    await startTask('Wait for a slow model');
    await expect.poll(() => mock.requests.length, { timeout: 15_000 }).toBeGreaterThan(before);
    await page.getByTestId('abort').click();
    await expect.poll(status, { timeout: 5_000 }).toBe('aborted');
    expect(await page.getByTestId('pause').isDisabled()).toBe(true);
    // Nothing ran after the abort: no further request reached the model, and the file never appeared.
    await new Promise((r) => setTimeout(r, 2000));
    expect(mock.requests.length).toBe(before + 1);
    expect(existsSync(after)).toBe(false);
  });

  it('finds the history intact after a reload', async () => {
    const before = await page.getByTestId('run-item').count();
    await page.goto(server.url);
    await page.getByTestId('thread-item').first().waitFor();
    await expect.poll(() => page.getByTestId('thread-item').count()).toBe(4);
    await page.getByTestId('thread-item').last().click();
    await page.getByTestId('run-item').first().click();
    await expect.poll(status).toBe('done');
    await expect.poll(() => page.getByTestId('step-row').count()).toBe(3);
    expect(await page.getByTestId('status-line').textContent()).toContain('The file is written.');
    expect(before).toBeGreaterThan(0);
  });

  it('changes settings: a provider tested against the endpoint, approval mode saved, the key never shown', async () => {
    await page.getByTestId('settings-link').click();
    await page.getByTestId('settings-view').waitFor();
    const row = page.locator('[data-testid="provider-row"][data-provider-id="mock"]');
    await row.getByTestId('test-connection').click();
    await expect.poll(() => page.getByTestId('check-result').count(), { timeout: 30_000 }).toBeGreaterThan(2);
    expect(await page.getByTestId('check-result').first().textContent()).toMatch(/reachable/i);
    // The key state reads "key set" (or from the environment); "no key" is text too, so match the words.
    expect(await row.getByTestId('provider-has-key').textContent()).toMatch(/^(key set|key from \S+)$/);
    await page.getByTestId('setting-approve').selectOption('always');
    await page.getByTestId('setting-max-steps').fill('12');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    await page.screenshot({ path: join(SHOTS, 'settings.png'), fullPage: true });
    expect(await page.content()).not.toContain(KEY);
    await page.reload();
    await page.getByTestId('settings-view').waitFor();
    expect(await page.getByTestId('setting-approve').inputValue()).toBe('always');
    expect(await page.getByTestId('setting-max-steps').inputValue()).toBe('12');
    const saved = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { run: { approve: string } };
    expect(saved.run.approve).toBe('always');
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).not.toContain(KEY);
  });

  it('refuses a page without the token and a socket from another origin', async () => {
    const other = await browser.newPage();
    try {
      const res = await other.goto(server.base);
      expect(res?.status()).toBe(401);
      expect(await other.textContent('body')).toContain('deskpilot serve');
      // A page of another origin (the mock server's) that somehow learnt the token.
      await other.goto(`${mock.url}/models`);
      const outcome = await other.evaluate(
        (url) => new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
        `${server.base.replace('http', 'ws')}/api/events?token=${server.token}`,
      );
      expect(outcome).toBe('refused');
      const sameOrigin = await page.evaluate(
        (url) => new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => (ws.close(), resolve('open'));
          ws.onerror = () => resolve('refused');
        }),
        `${server.base.replace('http', 'ws')}/api/events?token=${server.token}`,
      );
      expect(sameOrigin).toBe('open');
    } finally {
      await other.close();
    }
  });
});
