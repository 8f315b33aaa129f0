// The operator's everyday path in Chromium against `deskpilot serve --display` with the real engine:
// quick starts in three new threads all run (each in a sandbox chosen per run), threads are titled
// from their tasks and created only when a task starts, the Active runs board shows a tile per run,
// a waiting approval shows in the sidebar badge and the page title, and Abort all ends them.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import type { Run, Thread } from '../agents/contract.ts';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';
import { openUi, SHOTS, writeSettings, type Served } from './support/ui-serve.ts';

const KEY = 'sk-test-operator-0123456789';
let display: VirtualDisplay;
let mock: MockOpenAI;
let server: Served;
let browser: Browser;
let page: Page;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'deskpilot-operator-'));
  [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockOpenAI({ apiKey: KEY })]);
  writeSettings(dataDir, {
    providers: [{ id: 'mock', preset: 'custom', label: 'Mock model', adapter: 'openai-responses', baseURL: mock.url, model: 'computer-use-preview' }],
    activeProvider: 'mock',
    // Every action waits for approval: the runs stay live, waiting for the operator.
    run: { approve: 'always', maxSteps: 20, maxSeconds: 300 },
    maxParallelRuns: 3,
  });
  mkdirSync(SHOTS, { recursive: true });
  ({ server, browser, page } = await openUi({ display: display.display, dataDir, apiKey: KEY, viewport: { width: 1400, height: 900 } }));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await Promise.all([display?.stop(), mock?.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

const TASKS = ['write the first note', 'write the second note', 'write the third note'];

describe('the operator starts several runs and supervises them', () => {
  it('quick starts in three new threads all run, in sandboxes chosen per run, and show on the board', async () => {
    mock.setTrajectory(TASKS.map(() => ({ actions: [{ type: 'type', text: 'echo hello\n' }] })));
    for (const task of TASKS) {
      await page.getByTestId('new-thread').click();
      await page.waitForURL(/#\/new$/);
      // Run on is a per-run choice even though this server has a screen of its own.
      const runOn = page.getByTestId('run-on');
      await expect.poll(() => runOn.isDisabled()).toBe(false);
      await runOn.selectOption('sandbox');
      await page.getByTestId('task-input').fill(task);
      await page.getByTestId('task-input').press('Control+Enter');
      // No wait for the start: the next task is typed at once.
    }
    // Every task became a run, each in a thread of its own titled from its task; no empty thread was made.
    await expect.poll(async () => ((await server.call('runs.list', {})) as Run[]).length, { timeout: 30_000 }).toBe(3);
    const threads = (await server.call('threads.list', {})) as Thread[];
    expect(threads.map((t) => t.title).sort()).toEqual([...TASKS].sort());
    const runs = (await server.call('runs.list', {})) as Run[];
    expect(runs.map((r) => r.task).sort()).toEqual([...TASKS].sort());

    // All three wait for an approval: the board has three tiles, the badge and the title say so.
    await expect.poll(async () => ((await server.call('runs.list', {})) as Run[]).filter((r) => r.status === 'waiting').length, { timeout: 60_000 }).toBe(3);
    await page.getByTestId('active-runs-link').click();
    await expect.poll(() => page.getByTestId('run-tile').count(), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => page.getByTestId('waiting-badge').getAttribute('data-count'), { timeout: 10_000 }).toBe('3');
    expect(await page.title()).toMatch(/^\(3\) 3 runs wait for you/);
    await expect.poll(() => page.getByTestId('tile-waiting').count(), { timeout: 10_000 }).toBe(3);
    // Each ran on a sandbox display of its own, not on this server's screen.
    const started = await Promise.all(runs.map(async (r) => ((await server.call('runs.events', { runId: r.id })) as { events: { type: string; display?: string }[] }).events.find((e) => e.type === 'run_started')?.display));
    expect(new Set(started).size).toBe(3);
    expect(started).not.toContain(display.display);
    await page.screenshot({ path: join(SHOTS, 'operator-board.png') });

    await page.getByTestId('abort-all').click();
    await expect.poll(async () => ((await server.call('runs.list', {})) as Run[]).map((r) => r.status).join(), { timeout: 30_000 }).toBe('aborted,aborted,aborted');
    await expect.poll(() => page.getByTestId('waiting-badge').count()).toBe(0);
    expect(await page.title()).not.toMatch(/wait/);
  }, 180_000);

  it('opening a thread shows its latest run, not an empty pane', async () => {
    const [thread] = (await server.call('threads.list', {})) as Thread[];
    await page.goto(`${server.base}/#/threads/${thread!.id}`);
    await expect.poll(() => page.getByTestId('run-task').textContent(), { timeout: 10_000 }).toBe(thread!.title);
  }, 30_000);
});
