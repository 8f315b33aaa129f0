// Issue 16 hole 6: a reply body that stalls, trickles or never ends held a run until its time limit
// (30 minutes). The real `openai` SDK over HTTP to the mock server with those faults: each is a
// 'timeout' ModelError within its idle or total limit, and a run retries it and goes on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { NutDriver } from '../agents/desktop/nut-driver.ts';
import { OpenAIChatPlanner } from '../agents/models/openai-chat.ts';
import { OpenAIResponsesPlanner } from '../agents/models/openai-responses.ts';
import { ModelError, type PlannerContext } from '../agents/models/planner.ts';
import { AgentRun } from '../agents/run/agent-run.ts';
import { Store } from '../agents/store/store.ts';
import { startMockOpenAI, type MockFault, type MockOpenAI } from './mock-openai/server.ts';

const KEY = 'sk-test-timeouts';
const LIMITS = { idleTimeoutMs: 400, totalTimeoutMs: 1_500, timeoutMs: 5_000, maxRetries: 0 };

let mock: MockOpenAI;
let shot = '';
beforeAll(async () => {
  mock = await startMockOpenAI({ apiKey: KEY });
  shot = `data:image/png;base64,${(await sharp({ create: { width: 16, height: 10, channels: 3, background: '#336699' } }).png().toBuffer()).toString('base64')}`;
});
afterAll(async () => mock?.close());

const ctx = (): PlannerContext => ({ task: 'wait a moment', step: 0, screenshot: { dataUrl: shot, image: { width: 1024, height: 640 } }, outcomes: [], userMessages: [] });

async function timedError(p: Promise<unknown>): Promise<{ err: ModelError; ms: number }> {
  const t0 = Date.now();
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ModelError);
  return { err: err as ModelError, ms: Date.now() - t0 };
}

describe('a reply body that does not end in time', () => {
  const planners = {
    'responses': () => new OpenAIResponsesPlanner({ baseURL: mock.url, apiKey: KEY, ...LIMITS }),
    'chat, streamed': () => new OpenAIChatPlanner({ baseURL: mock.url, apiKey: KEY, model: 'm', stream: true, ...LIMITS }),
    'chat': () => new OpenAIChatPlanner({ baseURL: mock.url, apiKey: KEY, model: 'm', ...LIMITS }),
  };
  const faults: { fault: MockFault; message: RegExp; within: [number, number] }[] = [
    { fault: { kind: 'stall' }, message: /stalled: no data for 400 ms/, within: [350, 1_300] },
    { fault: { kind: 'trickle', intervalMs: 150 }, message: /did not end within 1500 ms/, within: [1_400, 2_500] },
    { fault: { kind: 'endless', intervalMs: 20 }, message: /did not end within 1500 ms/, within: [1_400, 2_500] },
  ];
  for (const [name, make] of Object.entries(planners)) {
    it(`${name}: a stall fails on the idle limit, a trickle and an endless body on the total limit`, async () => {
      mock.setTrajectory([{ actions: [{ type: 'wait' }] }]);
      for (const { fault, message, within } of faults) {
        mock.injectFaults([fault]);
        const { err, ms } = await timedError(make().next(ctx(), new AbortController().signal));
        expect(err.kind, fault.kind).toBe('timeout');
        expect(err.message).toMatch(message);
        expect(ms, fault.kind).toBeGreaterThanOrEqual(within[0]);
        expect(ms, fault.kind).toBeLessThan(within[1]);
      }
      // The connection was closed, not left dripping: the next request is answered normally.
      expect((await make().next(ctx(), new AbortController().signal)).actions[0]?.action.type).toBe('wait');
    });
  }
});

describe('a run whose model reply never ends', () => {
  let display: VirtualDisplay;
  let driver: NutDriver;
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dp-timeouts-'));
    display = await startDisplay({ size: { width: 800, height: 600 } });
    driver = await NutDriver.start({ display: display.display, env: display.env });
    store = Store.open(join(dir, 'deskpilot.db'));
  });
  afterAll(async () => {
    store?.close();
    await driver?.close();
    await display?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const start = (maxModelRetries: number) => {
    const planner = new OpenAIResponsesPlanner({ baseURL: mock.url, apiKey: KEY, ...LIMITS });
    return AgentRun.start({ store, driver, planner }, { task: 'wait, then say done', provider: planner.name, model: planner.model, options: { approve: 'never', maxModelRetries, maxSeconds: 60 } });
  };
  const errors = (runId: string) => store.readEvents<{ type: string; kind?: string; willRetry?: boolean }>(runId, 0).filter((e) => e.type === 'model_error');

  it('retries a reply that trickled forever and completes within seconds', async () => {
    mock.setTrajectory([{ actions: [{ type: 'wait' }] }, { text: 'Done waiting.' }]);
    mock.injectFaults([{ kind: 'trickle', intervalMs: 150 }]);
    const t0 = Date.now();
    const run = start(2);
    const end = await run.finished;
    const ms = Date.now() - t0;
    expect(end.status).toBe('done');
    expect(errors(run.id).map((e) => [e.kind, e.willRetry])).toEqual([['timeout', true]]);
    expect(ms).toBeLessThan(10_000);
    console.log(`run with one trickled reply: done in ${ms} ms`);
  });

  it('fails with the reason once its model retries are spent, within seconds', async () => {
    mock.setTrajectory([{ actions: [{ type: 'wait' }] }]);
    mock.injectFaults([{ kind: 'stall' }, { kind: 'endless' }, { kind: 'trickle' }]);
    const t0 = Date.now();
    const run = start(2);
    const end = await run.finished;
    const ms = Date.now() - t0;
    expect(end).toMatchObject({ status: 'failed', reason: expect.stringMatching(/model error: the model's reply did not end within 1500 ms/) });
    expect(errors(run.id).map((e) => [e.kind, e.willRetry])).toEqual([['timeout', true], ['timeout', true], ['timeout', false]]);
    expect(ms).toBeLessThan(10_000);
    console.log(`run with three endless replies: failed in ${ms} ms`);
  });
});
