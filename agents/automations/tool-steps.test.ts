// Tool calls in automations: a run that called the shell beside screen actions compiles into tool
// steps (as performed: an edited call as edited, a failed one left out) and replays them as tool
// calls through the run's tools, with parameters filled in; the effects are checked on disk.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScriptedPlanner } from '../models/scripted.ts';
import type { Planner } from '../models/planner.ts';
import { launchRun } from '../run/start-run.ts';
import type { ApprovalDecision } from '../run/events.ts';
import type { Store } from '../store/store.ts';
import { useTempStore } from '../store/testdata/temp-store.ts';
import { parseAutomation, placeholders } from './automation.ts';
import { compileRun } from './compile.ts';
import { ReplayPlanner } from './replay-planner.ts';
import { replayTools, startReplay } from './replay.ts';
import { PictureDriver } from './testdata/fake-driver.ts';
import { filler, scene } from './testdata/scene.ts';

const tmp = useTempStore();
let screen: Buffer;

beforeAll(async () => {
  screen = await scene(filler());
});

/** A run with the shell on a pretend sandbox whose HOME is `home`; `decide` answers approvals. */
async function toolRun(store: Store, home: string, planner: Planner, decide?: (reasons: string[]) => ApprovalDecision) {
  const driver = new PictureDriver(screen);
  const opened = { display: ':99', driver, env: { HOME: home, DISPLAY: ':99' }, sandboxed: true, close: async () => undefined };
  const run = launchRun(opened, { store, planner, provider: 'scripted', task: 'write the invoice', tools: { names: ['shell'] }, options: { approve: decide ? 'always' : 'never' } });
  const stop = store.subscribe((e) => {
    if (e.runId === run.id && e.type === 'approval_requested' && decide) setTimeout(() => run.control.decide(e['actionId'] as string, decide(e['reasons'] as string[])), 1);
  });
  const result = await run.finished;
  stop();
  return { run, result, driver };
}

const SCRIPT = [
  { actions: [{ type: 'tool', name: 'shell', input: { command: 'echo INV-001 > ~/invoice.txt' } }, { type: 'keypress', keys: ['CTRL', 'S'] }] },
  { actions: [{ type: 'tool', name: 'shell', input: { command: 'exit 3' } }] },
  { actions: [{ type: 'type', text: 'INV-001 sent' }] },
  { actions: [{ type: 'done' }] },
];

describe('tool steps in automations', () => {
  it('compiles performed tool calls into steps, parameterized, and replays them through the shell', async () => {
    const store = tmp.open();
    const home = join(tmp.dir(), 'home');
    mkdirSync(home, { recursive: true });
    const { run, result } = await toolRun(store, home, new ScriptedPlanner(SCRIPT));
    expect(result.status, result.reason).toBe('done');
    expect(readFileSync(join(home, 'invoice.txt'), 'utf8')).toBe('INV-001\n');

    const { automation, warnings } = await compileRun(store, run.id, { name: 'invoice', params: { invoice: 'INV-001' }, ocr: false });
    expect(warnings).toEqual(['shell: exit 3 reported an error in the run, so it was left out']);
    expect(automation.steps.map((s) => [s.intent, s.action, s.chained])).toEqual([
      ['shell: echo {{invoice}} > ~/invoice.txt', { type: 'tool', name: 'shell', input: { command: 'echo {{invoice}} > ~/invoice.txt' } }, undefined],
      ['press CTRL+S', { type: 'keypress', keys: ['CTRL', 'S'] }, true],
      ['type "{{invoice}} sent"', { type: 'type', text: '{{invoice}} sent' }, undefined],
    ]);
    // It survives its own file format (the union keeps old screen-only files loading too).
    const parsed = parseAutomation(JSON.stringify({ ...automation, version: 1 }));
    expect([...placeholders(parsed)]).toEqual(['invoice']);
    expect(replayTools(parsed)).toEqual({ names: ['shell'] });

    const home2 = join(tmp.dir(), 'home2');
    mkdirSync(home2, { recursive: true });
    const driver = new PictureDriver(screen);
    const replay = await startReplay({ store, driver, env: { HOME: home2, DISPLAY: ':99' } }, parsed, { params: { invoice: 'INV-777' }, findTimeoutMs: 0, options: { approve: 'never' } });
    const replayed = await replay.run.finished;
    expect(replayed.status, replayed.reason).toBe('done');
    expect(readFileSync(join(home2, 'invoice.txt'), 'utf8')).toBe('INV-777\n');
    expect(driver.performed.filter((a) => a.type !== 'wait')).toEqual([{ type: 'keypress', keys: ['CTRL', 'S'] }, { type: 'type', text: 'INV-777 sent' }]);
    const called = store.readEvents(replay.run.id).filter((e) => e.type === 'tool_called');
    expect(called.map((e) => e['input'])).toEqual([{ command: 'echo INV-777 > ~/invoice.txt' }]);
  });

  it('plans a tool step as a tool call, with no look at the screen', async () => {
    const automation = parseAutomation({
      format: 'deskpilot-automation', version: 1, name: 'plan', params: [{ name: 'who' }],
      steps: [{ id: 's1', intent: 'shell: echo', action: { type: 'tool', name: 'shell', input: { command: 'echo {{who}}', cwd: '/tmp' } } }],
    });
    const planner = new ReplayPlanner(automation, { params: { who: 'ada' } });
    const ctx = { task: 't', step: 1, screenshot: { dataUrl: 'data:image/png;base64,', image: { width: 1, height: 1 } }, outcomes: [], userMessages: [] };
    const step = await planner.next(ctx, new AbortController().signal);
    expect(step.actions.map((a) => a.action)).toEqual([{ type: 'tool', name: 'shell', input: { command: 'echo ada', cwd: '/tmp' } }]);
    // A command that exits with an error stops the replay, naming the step.
    const after = await planner.next({ ...ctx, outcomes: [{ status: 'performed', tool: { name: 'shell', output: 'boom', isError: true } }] }, new AbortController().signal);
    expect(after.actions[0]!.action).toMatchObject({ type: 'fail', reason: expect.stringMatching(/^step 1\/1 shell: echo failed: shell reported an error \(boom\)/) });
  });

  it('keeps an edited tool call as edited, and a replayed call still asks for approval', async () => {
    const store = tmp.open();
    const home = join(tmp.dir(), 'home3');
    mkdirSync(home, { recursive: true });
    const script = [{ actions: [{ type: 'tool', name: 'shell', input: { command: 'echo draft > ~/a.txt' } }] }, { actions: [{ type: 'done' }] }];
    const { run } = await toolRun(store, home, new ScriptedPlanner(script), () => ({ decision: 'edit_tool', input: { command: 'echo final > ~/a.txt' } }));
    expect(readFileSync(join(home, 'a.txt'), 'utf8')).toBe('final\n');
    const { automation } = await compileRun(store, run.id, { name: 'edited', ocr: false });
    expect(automation.steps.map((s) => s.action)).toEqual([{ type: 'tool', name: 'shell', input: { command: 'echo final > ~/a.txt' } }]);

    const home4 = join(tmp.dir(), 'home4');
    mkdirSync(home4, { recursive: true });
    const saved = parseAutomation({ ...automation, version: 1 });
    const replay = await startReplay({ store, driver: new PictureDriver(screen), env: { HOME: home4 } }, saved, { options: { approve: 'always' } });
    const stop = store.subscribe((e) => {
      if (e.runId === replay.run.id && e.type === 'approval_requested') setTimeout(() => replay.run.control.decide(e['actionId'] as string, { decision: 'reject', reason: 'not today' }), 1);
    });
    const result = await replay.run.finished;
    stop();
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/not performed \(.*not today/);
    expect(() => readFileSync(join(home4, 'a.txt'))).toThrow();
  });
});
