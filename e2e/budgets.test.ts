// Budgets end to end: AgentRun + the nut-js driver on a virtual display with xterm, the real `openai`
// SDK to the mock server reporting usage, a real store. At the limit the run stops before acting on
// the reply (the file its command would write never appears), or asks and goes on when raised.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { NutDriver } from '../agents/desktop/nut-driver.ts';
import { OpenAIResponsesPlanner } from '../agents/models/openai-responses.ts';
import { AgentRun } from '../agents/run/agent-run.ts';
import type { RunOptions } from '../agents/run/events.ts';
import { Store } from '../agents/store/store.ts';
import { startMockOpenAI, type MockOpenAI, type MockTurn } from './mock-openai/server.ts';
import { openXterm, waitForFile } from './support/apps.ts';
import { ofType, onEvents, sleep } from './support/agent-harness.ts';

const API_KEY = 'sk-test-budgets';
let display: VirtualDisplay;
let driver: NutDriver;
let mock: MockOpenAI;
let store: Store;
let dir: string;
let home: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-budget-e2e-'));
  [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockOpenAI({ apiKey: API_KEY })]);
  driver = await NutDriver.start({ display: display.display, env: display.env });
  store = Store.open(join(dir, 'deskpilot.db'));
  home = display.env.HOME!;
  await openXterm(display, 'budget-term');
});

afterAll(async () => {
  store?.close();
  await driver?.close();
  await mock?.close();
  await display?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function start(turns: MockTurn[], options: Partial<RunOptions>, threadId?: string): AgentRun {
  mock.setTrajectory(turns);
  const planner = new OpenAIResponsesPlanner({ baseURL: mock.url, apiKey: API_KEY, timeoutMs: 10_000, maxRetries: 1 });
  return AgentRun.start({ store, driver, planner }, { task: 'write files', provider: planner.name, model: planner.model, threadId, options: { approve: 'never', ...options } });
}

const write = (file: string): MockTurn => ({ actions: [{ type: 'type', text: `echo ok > ${file}\n` }], usage: { input_tokens: 2000, output_tokens: 100 } });

describe('budgets against the mock', () => {
  it('stops at the run token limit before acting on the reply that crossed it', async () => {
    const [a, b] = [join(home, 'stop-a.txt'), join(home, 'stop-b.txt')];
    const run = start([write(a), write(b), { text: 'done' }], { budgets: { runTokens: 3000, atLimit: 'stop' } });
    const result = await run.finished;
    expect(result.status).toBe('failed');
    expect(result.reason).toContain("run's token budget is reached: 4,200 of 3,000 tokens used");
    expect(await waitForFile(a)).toBe('ok\n');
    await sleep(1500); // time enough for a second command to land, had it been typed
    expect(existsSync(b)).toBe(false);
    expect(ofType(store, run, 'budget_reached')).toMatchObject([{ step: 2, scope: 'run', measure: 'tokens', used: 4200, limit: 3000, atLimit: 'stop' }]);
    expect(mock.requests).toHaveLength(2);
  });

  it('asks at the limit: "raise" lets the reply go ahead, "stop" ends the run with nothing more done', async () => {
    const [a, b, c] = [join(home, 'ask-a.txt'), join(home, 'ask-b.txt'), join(home, 'ask-c.txt')];
    const run = start([write(a), write(b), write(c), { text: 'done' }], { budgets: { runTokens: 3000, atLimit: 'ask' } });
    let asked = 0;
    onEvents(store, run, (e) => {
      if (e.type !== 'question_asked') return;
      asked += 1;
      setTimeout(() => run.control.answer(e.actionId, asked === 1 ? 'raise to 5000' : 'stop'), 50);
    });
    const result = await run.finished;
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('the operator stopped the run');
    expect(await waitForFile(b)).toBe('ok\n');
    await sleep(1500);
    expect(existsSync(c)).toBe(false);
    expect(ofType(store, run, 'budget_reached').map((e) => [e.used, e.limit])).toEqual([[4200, 3000], [6300, 5000]]);
    expect(ofType(store, run, 'question_asked')[0]!.question).toContain('Answer "raise"');
  });

  it('counts the thread: a second run in the same thread stops once the thread total crosses its limit', async () => {
    const first = start([write(join(home, 'thread-a.txt')), { text: 'done', }], {});
    expect((await first.finished).status).toBe('done');
    const used = store.usageTotals({ threadId: first.threadId }).tokens;
    expect(used).toBeGreaterThanOrEqual(2100);
    const second = start([write(join(home, 'thread-b.txt')), { text: 'done' }], { budgets: { threadTokens: used + 1000, atLimit: 'stop' } }, first.threadId);
    const result = await second.finished;
    expect(result.reason).toContain("thread's token budget is reached");
    await sleep(1000);
    expect(existsSync(join(home, 'thread-b.txt'))).toBe(false);
  });
});
