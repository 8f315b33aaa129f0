// Agent tasks and runs over rows made in the app: Debian Chromium driven by Playwright against a real
// `deskpilot serve` whose provider is the mock (set in its Settings). "New agent task" saves a prompt
// automation with the Settings' provider and no key (the file on disk checked), run now asks the mock
// with the key the app holds, and the answer lands in the inbox with its run. A replay automation run
// "for each row" of a 3-row CSV picked in the page types each row into a sandbox's xterm (a file
// on disk holds the three lines in order), and the page's table shows the three rows. Cancel on a
// 3-row batch while row 2 runs aborts that row's replay and row 3 never starts (files and store checked).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Automation } from '../agents/contract.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { startMockOpenAI, type MockOpenAI } from './mock-openai/server.ts';
import { mockProvider, openUi, SHOTS, writeSettings, type Served } from './support/ui-serve.ts';

const KEY = 'sk-automations-app-key-0123';
const TASK_NAME = 'invoice check';
const ROWS_NAME = 'add row on sandbox';

let display: VirtualDisplay;
let mock: MockOpenAI;
let server: Served;
let browser: Browser;
let page: Page;
let dataDir: string;
let out: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dp-auto-app-'));
  out = join(dataDir, 'rows-out');
  mkdirSync(out);
  [display, mock] = await Promise.all([startDisplay({ size: { width: 1024, height: 700 } }), startMockOpenAI({ apiKey: KEY, models: ['mock-cu'] })]);
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

/** The inbox row of a run, read from serve's database file (a second, read-only connection). */
function inboxRow(runId: string): { read_at: number | null; archived_at: number | null } {
  const db = new Database(join(dataDir, 'deskpilot.db'), { readonly: true });
  try {
    return db.prepare('SELECT read_at, archived_at FROM inbox WHERE run_id = ?').get(runId) as { read_at: number | null; archived_at: number | null };
  } finally {
    db.close();
  }
}

const automationFile = (name: string) => JSON.parse(readFileSync(join(dataDir, 'automations', `${name}.json`), 'utf8')) as Automation;

describe('agent tasks and runs over rows in the app', () => {
  it('creates an agent task from the page, runs it now against the mock, and its answer reaches the inbox', { timeout: 180_000 }, async () => {
    await page.getByTestId('automations-link').click();
    await page.getByTestId('agent-task-new').click();
    await page.getByTestId('agent-task-name').fill(TASK_NAME);
    await page.getByTestId('agent-task-task').fill('Count the new invoices');
    await page.getByTestId('agent-task-tools').uncheck();
    await page.getByTestId('agent-task-minutes').fill('5');
    await page.getByTestId('agent-task-budget').fill('0.5');
    await page.screenshot({ path: join(SHOTS, 'new-agent-task.png'), fullPage: true });
    await page.getByTestId('agent-task-create').click();

    const detail = page.locator(`[data-testid="automation-detail"][data-name="${TASK_NAME}"][data-version="1"]`);
    await detail.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('prompt-task').textContent()).toBe('Count the new invoices');
    expect(await page.getByTestId('prompt-tools').textContent()).toBe('off');
    expect(await page.getByTestId('prompt-where').textContent()).toContain('sandbox');
    expect(await page.getByTestId('prompt-limit').textContent()).toBe('5 min');
    // An agent task has no steps to edit.
    expect(await page.getByTestId('step-edit-row').count()).toBe(0);
    // On disk: the Settings' provider by its id, no address or key variable, and never the key.
    const file = automationFile(TASK_NAME);
    expect(file.prompt).toEqual({ task: 'Count the new invoices', provider: { id: 'mock' }, tools: false, skills: false, target: 'sandbox', maxSeconds: 300, budgetUsd: 0.5 });
    expect(readFileSync(join(dataDir, 'automations', `${TASK_NAME}.json`), 'utf8')).not.toContain(KEY);

    // The schedule controls work on it as on a replay (it runs where its settings say).
    await page.getByTestId('schedule-cron').fill('0 9 * * 1-5');
    await page.getByTestId('schedule-save').click();
    await expect.poll(() => page.getByTestId('schedule-current').getAttribute('data-cron')).toBe('0 9 * * 1-5');
    expect(await page.getByTestId('schedule-target').count()).toBe(0);
    await page.getByTestId('schedule-remove').click();
    await expect.poll(() => page.getByTestId('schedule-current').getAttribute('data-cron')).toBe('');

    mock.setTrajectory([{ text: 'Found 3 new invoices.\nOne of them is overdue.' }]);
    const requests = mock.requests.length;
    await page.getByTestId('run-now').click();
    const runView = page.getByTestId('run-view');
    await expect.poll(async () => (await runView.count()) > 0 && runView.getAttribute('data-status'), { timeout: 90_000 }).toBe('done');
    const runId = (await runView.getAttribute('data-run-id'))!;
    // The mock was asked the task with the key the app keeps.
    const asked = mock.requests.slice(requests);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked[0]!.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(JSON.stringify(asked[0]!.body)).toContain('Count the new invoices');

    await page.getByTestId('automations-link').click();
    const item = page.locator(`[data-testid="inbox-item"][data-automation="${TASK_NAME}"]`);
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(await item.getAttribute('data-run-id')).toBe(runId);
    expect(await item.getByTestId('inbox-answer').textContent()).toBe('Found 3 new invoices.\nOne of them is overdue.');
    await page.screenshot({ path: join(SHOTS, 'agent-task-inbox.png'), fullPage: true });

    // Read, the unread filter, archive and back: each lands in the inbox table on disk.
    const row = () => inboxRow(runId);
    expect(await item.getAttribute('data-unread')).toBe('true');
    expect(row().read_at).toBeNull();
    await item.getByTestId('inbox-mark-read').click();
    await expect.poll(() => item.getAttribute('data-unread')).toBe('false');
    expect(row().read_at).toEqual(expect.any(Number));
    await page.locator('[data-testid="inbox-filter"][data-filter="unread"]').click();
    await expect.poll(() => item.count()).toBe(0);
    await page.locator('[data-testid="inbox-filter"][data-filter="all"]').click();
    await item.getByTestId('inbox-archive').click();
    await expect.poll(() => item.count()).toBe(0);
    expect(row().archived_at).toEqual(expect.any(Number));
    await page.locator('[data-testid="inbox-filter"][data-filter="archived"]').click();
    await expect.poll(() => item.getAttribute('data-archived')).toBe('true');
    await item.getByTestId('inbox-archive').click();
    await expect.poll(() => item.count()).toBe(0);
    expect(row().archived_at).toBeNull();
    await page.locator('[data-testid="inbox-filter"][data-filter="all"]').click();
    await item.getByTestId('inbox-run-link').click();
    await expect.poll(() => page.getByTestId('run-view').getAttribute('data-run-id')).toBe(runId);
  });

  it('runs a replay once per row of a CSV picked in the page, each row typed into a sandbox xterm, and shows the rows', { timeout: 300_000 }, async () => {
    // Made through the contract, as a recorded automation would be saved.
    await server.call('automations.save', {
      automation: {
        format: 'deskpilot-automation', name: ROWS_NAME, params: [{ name: 'name' }, { name: 'amount' }], allowHealing: false,
        steps: [
          // A sandbox starts empty: the automation opens its terminal and waits until it has the focus.
          {
            id: 's1', intent: 'shell: open xterm', action: { type: 'tool', name: 'shell', input: {
              command: 'setsid xterm -e bash --norc --noprofile +H </dev/null >/dev/null 2>&1 & w=$(xdotool search --sync --onlyvisible --class xterm | head -1) && xdotool windowactivate --sync "$w"',
            } },
          },
          { id: 's2', intent: 'type the row', action: { type: 'type', text: 'echo "{{name}} {{amount}}" >> ~/rows.txt\n' } },
          // Waits for the shell in xterm to write the line, then appends it to a file outside the sandbox (which goes when the run ends).
          {
            id: 's3', intent: 'shell: copy the line out', action: { type: 'tool', name: 'shell', input: {
              command: `for i in $(seq 100); do grep -qxF "{{name}} {{amount}}" ~/rows.txt 2>/dev/null && break; sleep 0.1; done; grep -xF "{{name}} {{amount}}" ~/rows.txt >> ${out}/all.txt`,
            } },
          },
        ],
      },
    });
    await page.evaluate((name) => (location.hash = `#/automations/${encodeURIComponent(name)}`), ROWS_NAME);
    await page.getByTestId('rows-run').waitFor({ timeout: 30_000 });
    const requests = mock.requests.length;
    await page.getByTestId('rows-file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from('name,amount\nana,1\nbo,2\ndot,4\n') });
    await page.getByTestId('rows-target').selectOption('sandbox');
    await page.getByTestId('rows-start').click();

    const progress = page.getByTestId('rows-progress');
    await expect.poll(() => progress.getAttribute('data-total'), { timeout: 30_000 }).toBe('3');
    await expect.poll(() => progress.getAttribute('data-state'), { timeout: 240_000, interval: 1000 }).toBe('done');
    // Each row typed into its sandbox's xterm, in the rows' order.
    expect(readFileSync(join(out, 'all.txt'), 'utf8')).toBe('ana 1\nbo 2\ndot 4\n');
    expect(mock.requests.length, 'a replay must not call the model').toBe(requests);

    const rows = page.getByTestId('rows-result');
    expect(await rows.count()).toBe(3);
    expect(await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-row'), e.getAttribute('data-status')]))).toEqual([['1', 'succeeded'], ['2', 'succeeded'], ['3', 'succeeded']]);
    const runIds = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
    // The results CSV beside the uploaded file, in the data folder, and shown on the page.
    const [batchDir] = readdirSync(join(dataDir, 'rows'));
    const resultsFile = join(dataDir, 'rows', batchDir!, 'people.results.csv');
    expect(readFileSync(resultsFile, 'utf8').split(/\r?\n/).filter(Boolean)).toEqual(['row,status,run_id,reason', ...runIds.map((id, i) => `${i + 1},succeeded,${id},`)]);
    expect(await page.getByTestId('rows-path').textContent()).toContain(resultsFile);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rows-download').click()]);
    expect(download.suggestedFilename()).toBe('people.results.csv');
    expect(readFileSync(await download.path(), 'utf8')).toBe(readFileSync(resultsFile, 'utf8'));
    await page.screenshot({ path: join(SHOTS, 'rows-results.png'), fullPage: true });
    // A row's run opens from the table.
    await rows.nth(1).getByRole('link').click();
    await expect.poll(() => page.getByTestId('run-view').getAttribute('data-run-id'), { timeout: 30_000 }).toBe(runIds[1]);
  });

  it('cancels a run over rows from the page: the row going is aborted and later rows never run', { timeout: 300_000 }, async () => {
    const name = 'rows to cancel';
    const marks = join(dataDir, 'cancel-out');
    mkdirSync(marks);
    // Each row notes that it started; every row after the first then waits (far longer than the test)
    // before noting that it finished, so Cancel lands while row 2 is running.
    await server.call('automations.save', {
      automation: {
        format: 'deskpilot-automation', name, params: [{ name: 'name' }], allowHealing: false,
        steps: [
          { id: 's1', intent: 'shell: note the start', action: { type: 'tool', name: 'shell', input: { command: `echo {{name}} >> ${marks}/started.txt` } } },
          { id: 's2', intent: 'shell: a long row', action: { type: 'tool', name: 'shell', input: { command: '[ "{{name}}" = ana ] || sleep 110', timeout_seconds: 115 } } },
          { id: 's3', intent: 'shell: note the end', action: { type: 'tool', name: 'shell', input: { command: `echo {{name}} >> ${marks}/finished.txt` } } },
        ],
      },
    });
    const batches = () => (existsSync(join(dataDir, 'rows')) ? readdirSync(join(dataDir, 'rows')) : []);
    const before = new Set(batches());
    await page.evaluate((n) => (location.hash = `#/automations/${encodeURIComponent(n)}`), name);
    await page.locator(`[data-testid="automation-detail"][data-name="${name}"]`).waitFor({ timeout: 30_000 });
    await page.getByTestId('rows-file').setInputFiles({ name: 'cancel.csv', mimeType: 'text/csv', buffer: Buffer.from('name\nana\nbo\ndot\n') });
    await page.getByTestId('rows-target').selectOption('sandbox');
    await page.getByTestId('rows-start').click();

    const progress = page.getByTestId('rows-progress');
    const lines = (file: string) => {
      try {
        return readFileSync(join(marks, file), 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    };
    // Row 1 done and row 2 under way.
    await expect.poll(() => lines('started.txt'), { timeout: 180_000, interval: 500 }).toEqual(['ana', 'bo']);
    await expect.poll(() => progress.getAttribute('data-done'), { timeout: 30_000 }).toBe('1');
    await page.getByTestId('rows-cancel').click();
    await expect.poll(() => progress.getAttribute('data-state'), { timeout: 90_000, interval: 500 }).toBe('cancelled');
    expect(await page.getByTestId('rows-cancel').count()).toBe(0);
    expect(await progress.textContent()).toBe('Cancelled after 1 of 3 rows. The rest were not run.');

    const rows = page.getByTestId('rows-result');
    const shown = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-row'), e.getAttribute('data-status'), e.getAttribute('data-run-id')]));
    expect(shown.map(([row, status]) => [row, status])).toEqual([['1', 'succeeded'], ['2', 'cancelled'], ['3', 'cancelled']]);
    const [, [, , aborted], [, , never]] = shown as [string[], string[], string[]];
    expect(aborted).toBeTruthy();
    expect(never).toBe('');
    // In the store: row 1's replay done, row 2's aborted the way the app aborts a run, no run for row 3.
    const db = new Database(join(dataDir, 'deskpilot.db'), { readonly: true });
    try {
      const runs = db.prepare('SELECT id, status, error FROM runs WHERE provider = ? AND model = ? ORDER BY created_at, id').all('automation', `${name}@v1`) as { id: string; status: string; error: string | null }[];
      expect(runs.map((r) => r.status)).toEqual(['done', 'aborted']);
      expect(runs[1]!.id).toBe(aborted);
      expect(runs[1]!.error).toMatch(/aborted by the operator/);
      expect(db.prepare("SELECT count(*) FROM events WHERE run_id = ? AND type = 'run_aborted'").pluck().get(aborted)).toBe(1);
    } finally {
      db.close();
    }
    // On disk: the results file says the same, and nothing ran after the cancel (row 2 never reached its end).
    const [batchDir] = batches().filter((d) => !before.has(d));
    expect(readFileSync(join(dataDir, 'rows', batchDir!, 'cancel.results.csv'), 'utf8').split(/\r?\n/).filter(Boolean).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      'row,status', '1,succeeded', '2,cancelled', '3,cancelled',
    ]);
    expect(lines('started.txt')).toEqual(['ana', 'bo']);
    expect(lines('finished.txt')).toEqual(['ana']);
    await page.screenshot({ path: join(SHOTS, 'rows-cancelled.png'), fullPage: true });
  });
});
