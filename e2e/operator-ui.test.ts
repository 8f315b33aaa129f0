// The operator's everyday path in Chromium against `deskpilot serve --display` with the real engine:
// quick starts in three new threads all run (each in a sandbox chosen per run), threads are titled
// from their tasks and created only when a task starts, the Active runs board shows a tile per run,
// a waiting approval shows in the sidebar badge and the page title, and Abort all ends them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import type { Run, Thread } from '../agents/contract.ts';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';
import { openUi, serve, SHOTS, writeSettings, type Served } from './support/ui-serve.ts';

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
    // Each thread in the sidebar says it waits for the operator.
    await expect.poll(() => page.locator('[data-testid="thread-status"][data-status="waiting"]').count(), { timeout: 10_000 }).toBe(3);
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

describe('Test connection', () => {
  it('ends with one verdict a person can act on', async () => {
    await page.goto(`${server.base}/#/settings`);
    const row = page.locator('[data-testid="provider-row"][data-provider-id="mock"]');
    await row.getByTestId('test-connection').click();
    await page.getByTestId('check-verdict').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('check-verdict').count()).toBe(1);
    const ok = (await page.getByTestId('check-verdict').getAttribute('data-ok')) === 'true';
    expect(await page.getByTestId('check-verdict').textContent()).toMatch(ok ? /^Works with Deskpilot\.$/ : /^Not usable yet: .+ failed \(.+\)\. Fix this, then test again\.$/);
  }, 60_000);
});

describe('serve keeps its token across restarts', () => {
  it('an open page carries on after serve restarts; --new-token rotates it and the old one is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskpilot-token-'));
    writeSettings(dir, {});
    let s1: Served | undefined = await serve(['--data-dir', dir]);
    let s2: Served | undefined;
    const context = await browser.newContext();
    try {
      const file = join(dir, 'serve-token');
      expect(readFileSync(file, 'utf8').trim()).toBe(s1.token);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const p = await context.newPage();
      await p.goto(s1.url);
      await p.getByTestId('new-thread').waitFor();
      const port = new URL(s1.base).port;
      await s1.stop();
      s1 = undefined;
      await p.getByTestId('connection-banner').waitFor({ timeout: 15_000 });
      expect(await p.getByTestId('connection-banner').textContent()).not.toMatch(/code|1006/);

      s2 = await serve(['--data-dir', dir, '--port', port]);
      expect(s2.token).toBe(readFileSync(file, 'utf8').trim());
      // The page's cookie still holds a valid token: it reconnects on its own and works.
      await expect.poll(() => p.getByTestId('connection-banner').count(), { timeout: 20_000 }).toBe(0);
      await p.getByTestId('settings-link').click();
      await p.getByTestId('setting-run-on').waitFor({ timeout: 10_000 });
      const old = s2.token;
      await s2.stop();

      s2 = await serve(['--data-dir', dir, '--port', port, '--new-token']);
      expect(s2.token).not.toBe(old);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const refused = await fetch(`${s2.base}/api/call/threads.list`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${old}` }, body: '{}' });
      expect(refused.status).toBe(401);
    } finally {
      await context.close();
      await s1?.stop();
      await s2?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
