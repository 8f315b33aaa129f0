// Runs on the user's own screen ask before acting in a window that was not open when they started.
// A real display (Xvfb + openbox) stands for the user's screen, driven as one (a `display` target
// through the app's engine: AppService, RunHost, startRun), the real `openai` SDK to the mock
// server. An xterm open at the start is typed into without asking; a second xterm opened after the
// run started (while the test holds the run paused) is refused with approval mode "never" (its
// file never appears, the model is told why), typed into once the operator approves through
// approvals.decide (asked once, then known; with mode "always" in the action's one request), and
// typed into unasked when the setting is off.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppService } from '../agents/app/app-service.ts';
import { openTestService } from '../agents/app/test-service.ts';
import type { Run, RunEvent } from '../agents/contract.ts';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import type { StoredEvent } from '../agents/store/types.ts';
import { startMockOpenAI, type MockOpenAI, type MockTurn } from './mock-openai/server.ts';
import { focus, openXterm, waitForFile } from './support/apps.ts';
import { sleep, until } from './support/agent-harness.ts';

const KEY = 'sk-test-new-windows-0123456789';
let display: VirtualDisplay;
let mock: MockOpenAI;
let service: AppService;
let out: string;
let first: string;

type Ev = StoredEvent & RunEvent;
const events = (runId: string) => service.store.readEvents(runId) as Ev[];
const ofType = <T extends RunEvent['type']>(runId: string, type: T) => events(runId).filter((e): e is Ev & Extract<RunEvent, { type: T }> => e.type === type);

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'deskpilot-new-windows-'));
  [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockOpenAI({ apiKey: KEY })]);
  // The app drives this display as it would the user's own screen ($DISPLAY), not as a sandbox.
  service = await openTestService({ display: display.display });
  await service.call('settings.update', {
    providers: [{ id: 'mock', preset: 'custom', label: 'Mock', adapter: 'openai-responses', baseURL: mock.url, model: 'computer-use-preview' }],
    activeProvider: 'mock', runOn: 'current', run: { approve: 'never', maxSteps: 20, maxSeconds: 300 },
  });
  await service.call('settings.setKey', { providerId: 'mock', apiKey: KEY });
  first = await openXterm(display, 'open-at-start');
}, 90_000);

afterAll(async () => {
  await service?.close();
  await mock?.close();
  await display?.stop();
  if (out) rmSync(out, { recursive: true, force: true });
});

const file = (name: string) => join(out, name);

/** Where the new xterm goes: a point 40 px inside its top-left corner is in it, in screen pixels. */
const LATE = { x: 640, y: 400 };
/** The model's image is 1024 wide for this 1280-wide screen (checked in the test). */
const SCALE = 1024 / 1280;
const inLate = { x: Math.round((LATE.x + 40) * SCALE), y: Math.round((LATE.y + 40) * SCALE) };

/**
 * Starts a run whose first step types into the xterm open at the start; once that is performed the run
 * is held paused while a new xterm is opened and focused, then resumed into the later turns.
 */
async function runWithLateWindow(title: string, early: string, later: MockTurn[]): Promise<Run> {
  await focus(display, first);
  mock.setTrajectory([{ actions: [{ type: 'type', text: `echo early > ${file(early)}\n` }] }, ...later]);
  let runId: string | undefined;
  let paused = false;
  const stop = service.store.subscribe<RunEvent>((e) => {
    // Held before step 2 (the loop checks for a pause first), so the new window is open and focused when it goes on.
    if (e.runId === runId && e.type === 'action_performed' && !paused) {
      paused = true;
      void service.call('runs.control', { runId, action: 'pause' });
    }
  });
  try {
    const run = (await service.call('runs.start', { task: `write files (${title})` })) as Run;
    runId = run.id;
    await until('the run to pause', () => service.store.getRun(run.id)!.status === 'paused', 60_000);
    // Typed into the window open at the start, unasked.
    expect(await waitForFile(file(early), 20_000)).toBe('early\n');
    await display.launch('xterm', ['-T', title, '-geometry', `50x10+${LATE.x}+${LATE.y}`, '-fa', 'DejaVu Sans Mono', '-fs', '11', '-e', 'bash', '--norc', '--noprofile']);
    const id = await display.waitForWindow({ name: title }, 30_000);
    await focus(display, id);
    await sleep(500); // its shell up to read the keys
    await service.call('runs.control', { runId: run.id, action: 'resume' });
    return run;
  } finally {
    stop();
  }
}

const ended = (runId: string) => until(`run ${runId} to end`, () => ['done', 'failed', 'aborted'].includes(service.store.getRun(runId)!.status), 120_000);

describe('a window not open at the start, on the user\'s own screen', () => {
  it('approval mode "never": typing and a click aimed at it are refused before they happen, and the model is told why', async () => {
    // Typing goes to the new window (it has the focus); then a click on it.
    const run = await runWithLateWindow('late-never', 'early-1.txt', [
      { actions: [{ type: 'type', text: `echo late > ${file('late-1.txt')}\n` }] },
      { actions: [{ type: 'click', button: 'left', ...inLate }] },
      { text: 'Done.' },
    ]);
    await ended(run.id);
    expect(service.store.getRun(run.id)!.status).toBe('done');
    expect(ofType(run.id, 'screenshot_captured')[0]!.image.width).toBe(1024);
    await sleep(1500); // time for a shell to have written it, had the keys reached one
    expect(existsSync(file('late-1.txt'))).toBe(false);
    expect(ofType(run.id, 'approval_requested')).toEqual([]);
    const failed = ofType(run.id, 'action_failed');
    expect(failed).toHaveLength(2);
    for (const f of failed) {
      expect(f.error).toContain('acting in a window that was not open when the run started: "late-never" (XTerm)');
      expect(f.error).toContain('approval mode "never"');
    }
    // The refusals reached the model in its next requests.
    expect(JSON.stringify(mock.requests.at(-1)!.body)).toContain('not open when the run started');
  }, 180_000);
});

describe('a window not open at the start, approved or not asked about', () => {
  it('approval mode "risky": the typing waits for the operator, lands once approved (through approvals.decide), and the window is known after', async () => {
    const { reasons, stop } = await approvingAll('risky');
    try {
      const run = await runWithLateWindow('late-approved', 'early-2.txt', [
        { actions: [{ type: 'type', text: `echo late > ${file('late-2.txt')}\n` }] },
        { actions: [{ type: 'type', text: `echo again >> ${file('late-2.txt')}\n` }] },
        { text: 'Done.' },
      ]);
      await ended(run.id);
      expect(service.store.getRun(run.id)!.status).toBe('done');
      await until('both lines in the new window\'s file', () => existsSync(file('late-2.txt')) && readFileSync(file('late-2.txt'), 'utf8') === 'late\nagain\n', 20_000);
      // Asked once, naming the window; the typing into the window open at the start was not asked about.
      expect(reasons).toEqual([['acting in a window that was not open when the run started: "late-approved" (XTerm)']]);
      expect(ofType(run.id, 'action_failed')).toEqual([]);
    } finally {
      stop();
    }
  }, 180_000);

  it('approval mode "always": each action is asked once, the typing into the new window naming it in that one request', async () => {
    const { reasons, stop } = await approvingAll('always');
    try {
      const run = await runWithLateWindow('late-always', 'early-4.txt', [
        { actions: [{ type: 'type', text: `echo late > ${file('late-4.txt')}\n` }] },
        { actions: [{ type: 'type', text: `echo again >> ${file('late-4.txt')}\n` }] },
        { text: 'Done.' },
      ]);
      await ended(run.id);
      expect(service.store.getRun(run.id)!.status).toBe('done');
      await until('both lines in the new window\'s file', () => existsSync(file('late-4.txt')) && readFileSync(file('late-4.txt'), 'utf8') === 'late\nagain\n', 20_000);
      const always = 'approval mode is "always"';
      expect(reasons).toEqual([[always], [always, 'acting in a window that was not open when the run started: "late-always" (XTerm)'], [always]]);
      expect(ofType(run.id, 'approval_decided')).toHaveLength(3);
      expect(ofType(run.id, 'action_failed')).toEqual([]);
    } finally {
      stop();
    }
  }, 180_000);

  it('with the setting off, nothing is asked and the typing lands even with approval mode "never"', async () => {
    await service.call('settings.update', { run: { approve: 'never', maxSteps: 20, maxSeconds: 300, windows: { askNew: false } } });
    const run = await runWithLateWindow('late-off', 'early-3.txt', [
      { actions: [{ type: 'type', text: `echo late > ${file('late-3.txt')}\n` }] },
      { text: 'Done.' },
    ]);
    await ended(run.id);
    expect(await waitForFile(file('late-3.txt'), 20_000)).toBe('late\n');
    expect(ofType(run.id, 'action_failed')).toEqual([]);
  }, 180_000);
});

/** Sets the approval mode and approves every request through the contract, keeping each request's reasons. */
async function approvingAll(approve: 'risky' | 'always'): Promise<{ reasons: string[][]; stop: () => void }> {
  await service.call('settings.update', { run: { approve, maxSteps: 20, maxSeconds: 300 } });
  const reasons: string[][] = [];
  const stop = service.store.subscribe<RunEvent>((e) => {
    if (e.type !== 'approval_requested') return;
    reasons.push(e.reasons);
    void service.call('approvals.decide', { runId: e.runId, actionId: e.actionId, decision: { decision: 'approve' } });
  });
  return { reasons, stop };
}
