
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Recording } from '../automations/recorder.ts';
import type { WindowInfo } from '../automations/window-probe.ts';
import type { DesktopAction } from '../desktop/actions.ts';
import { commands, type AppEvent, type CommandName, type RecordingStatus } from '../contract.ts';
import type { AppService } from './app-service.ts';
import { automationStore } from './automation-runner.ts';
import { DEFAULT_SETTINGS } from './settings-file.ts';
import { CommandError } from './command-error.ts';
import { ownWindowTail, recordingCommands, type RecorderHandle, type RecordingDeps } from './recording-commands.ts';
import { RunHost } from './run-host.ts';
import { MemorySecrets } from './secrets.ts';
import { openTestService } from './test-service.ts';

let service: AppService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
  vi.useRealTimers();
});

const failure = async (p: Promise<unknown> | (() => unknown)) => {
  const err = await (typeof p === 'function' ? Promise.resolve().then(p) : p).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(CommandError);
  return (err as CommandError).failure.error;
};

type Input = (kind: string) => void;

/** A recorder that records what the test says it saw. */
class FakeRecorder implements RecorderHandle {
  error: Error | undefined;
  stopped = false;
  closed = false;
  constructor(readonly input: Input, private readonly recording: Recording) {}
  async stop() {
    this.stopped = true;
    return this.recording;
  }
  async close() {
    this.closed = true;
  }
}

const pointer = (action: DesktopAction & { x: number; y: number }, at: number) => ({ action, at, point: { x: action.x, y: action.y } });
const click = (x: number, y: number, at: number) => pointer({ type: 'click', x, y, button: 'left' }, at);
const typing = (text: string, at: number) => ({ action: { type: 'type' as const, text }, at });

/** A recording whose pointer steps went to windows with these titles (no frames: no OCR needed). */
function recordingOf(steps: Recording['steps'], titles: Record<number, string>, events = 20): Recording {
  const pinned: Recording['pinned'] = new Map();
  for (const s of steps) {
    if (!s.point) continue;
    const title = titles[s.at];
    const window: WindowInfo | undefined = title ? { id: '1', title, left: 0, top: 0, width: 800, height: 600 } : undefined;
    pinned.set(s.at, { frame: undefined, window: Promise.resolve(window), a11y: Promise.resolve(undefined) });
  }
  return { steps, pinned, screen: { width: 1280, height: 800 }, events };
}

async function setUp(recording: Recording, over: Partial<RecordingDeps> = {}) {
  service = await openTestService();
  const dataDir = ((await service.call('app.info', {})) as { dataDir: string }).dataDir;
  const automations = automationStore(service.store, dataDir);
  const events: RecordingStatus[] = [];
  let recorder: FakeRecorder | undefined;
  const rec = recordingCommands({
    store: service.store, automations: () => automations, display: () => ':77', usingDisplay: () => undefined,
    emit: (e: AppEvent) => e.kind === 'recording_changed' && events.push(e.status),
    startRecorder: async (_display, onInput) => (recorder = new FakeRecorder(onInput, recording)),
    ...over,
  });
  /** Calls a handler with the contract's parsing on both sides. */
  const call = async <C extends Extract<CommandName, `recordings.${string}`>>(command: C, input: unknown) => {
    const handler = rec.handlers[command] as (i: unknown) => unknown;
    return commands[command].output.parse(await handler(commands[command].input.parse(input))) as ReturnType<(typeof commands)[C]['output']['parse']>;
  };
  return { rec, call, events, automations, recorder: () => recorder! };
}

describe('ownWindowTail', () => {
  it("counts the presses on Deskpilot's window at the end, with the keys typed after the first of them", () => {
    const steps = [click(1, 1, 1), typing('ls\n', 2), click(5, 5, 3), typing('name', 4), click(6, 6, 5)];
    expect(ownWindowTail(steps, ['xterm', undefined, 'Deskpilot - Chromium', undefined, 'Deskpilot'])).toBe(3);
    expect(ownWindowTail(steps, ['xterm', undefined, 'xterm', undefined, 'Deskpilot'])).toBe(1);
    // A press on Deskpilot followed by a press elsewhere was part of the demonstration.
    expect(ownWindowTail(steps, ['Deskpilot', undefined, 'Deskpilot', undefined, 'xterm'])).toBe(0);
    expect(ownWindowTail([typing('x', 1)], [undefined])).toBe(0);
    expect(ownWindowTail([click(1, 1, 1)], [undefined])).toBe(0);
  });
});

describe('recording commands on an app service without a display', () => {
  it('is idle at first, refuses to record without a screen (sandbox settings or not), and stop needs a recording', async () => {
    service = await openTestService();
    expect(await service.call('recordings.status', {})).toEqual({ active: false, events: 0, presses: 0 });
    expect(await failure(service.call('recordings.start', {}))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/no screen to record here/) });
    await service.call('settings.update', { runOn: 'sandbox' });
    expect(await failure(service.call('recordings.start', {}))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/a sandbox has nobody at it/) });
    expect(await failure(service.call('recordings.stop', { name: 'x' }))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/no demonstration is being recorded/) });
    expect(await service.call('recordings.cancel', {})).toEqual({ ok: true });
    expect(await failure(service.call('recordings.start', { extra: 1 }))).toMatchObject({ code: 'bad_input' });
    expect(await failure(service.call('recordings.stop', {}))).toMatchObject({ code: 'bad_input' });
  });

  it('says it cannot record a display that is not running, and is idle again', async () => {
    service = await openTestService({ display: ':3999' });
    const err = await failure(service.call('recordings.start', {}));
    expect(err).toMatchObject({ code: 'failed', message: expect.stringMatching(/^cannot record display :3999: /) });
    expect(await service.call('recordings.status', {})).toEqual({ active: false, events: 0, presses: 0 });
  }, 30_000);

  it('a run host refuses a run on a display being recorded, before starting anything there', async () => {
    service = await openTestService();
    const host = new RunHost({ store: service.store, secrets: new MemorySecrets(), env: {}, onEnded: () => undefined, busy: (d) => (d === ':5' ? `a demonstration is being recorded on display ${d}` : undefined) });
    const planner = { next: () => Promise.reject(new Error('never asked')) } as never;
    const err = await failure(host.startPlanned({ task: 't', planner, provider: 'p', options: {}, target: { kind: 'display', display: ':5' } }));
    expect(err).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^a demonstration is being recorded on display :5: wait for it to end/) });
    expect(host.usingDisplay(':5')).toBeUndefined();
    // Run now asks for the target first: refused there, before the scheduler records a failed replay.
    const own = new RunHost({ store: service.store, secrets: new MemorySecrets(), env: { DISPLAY: ':5' }, onEnded: () => undefined, busy: () => 'a demonstration is being recorded on display :5' });
    expect(await failure(() => own.target(DEFAULT_SETTINGS))).toMatchObject({ code: 'conflict' });
    expect(own.target({ ...DEFAULT_SETTINGS, runOn: 'sandbox' })).toEqual({ kind: 'sandbox' });
  });
});

describe('recording commands with a fake recorder', () => {
  it('records: status with live counts (pushed at most every 500 ms), refuses a second start, and keeps the display busy', async () => {
    const { rec, call, events, recorder } = await setUp(recordingOf([click(10, 10, 1)], { 1: 'xterm' }));
    vi.useFakeTimers();
    const started = await call('recordings.start', {});
    expect(started).toEqual({ display: ':77', startedAt: expect.any(Number) });
    expect(events.at(-1)).toMatchObject({ active: true, display: ':77', events: 0, presses: 0 });
    expect(await failure(call('recordings.start', {}))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already being recorded on display :77/) });
    expect(rec.busy(':77')).toMatch(/being recorded/);
    expect(rec.busy(':78')).toBeUndefined();

    const pushed = events.length;
    for (const kind of ['move', 'down', 'up', 'keydown']) recorder().input(kind);
    expect(events.length).toBe(pushed); // the start's push was just now
    await vi.advanceTimersByTimeAsync(500);
    expect(events.length).toBe(pushed + 1);
    expect(events.at(-1)).toMatchObject({ active: true, events: 4, presses: 1 });
    recorder().input('down');
    await vi.advanceTimersByTimeAsync(499);
    expect(events.length).toBe(pushed + 1);
    await vi.advanceTimersByTimeAsync(1);
    expect(events.at(-1)).toMatchObject({ events: 5, presses: 2 });
    vi.useRealTimers();
    expect(await call('recordings.status', {})).toEqual({ active: true, display: ':77', startedAt: started.startedAt, events: 5, presses: 2 });

    expect(await call('recordings.cancel', {})).toEqual({ ok: true });
    expect(recorder().stopped && recorder().closed).toBe(true);
    expect(events.at(-1)).toEqual({ active: false, events: 0, presses: 0 });
    expect(rec.busy(':77')).toBeUndefined();
  });

  it('refuses to record a display a run is using', async () => {
    const { call } = await setUp(recordingOf([], {}), { usingDisplay: () => 'run 01ABC' });
    expect(await failure(call('recordings.start', {}))).toMatchObject({ code: 'conflict', message: 'run 01ABC is using display :77: wait for it to end, or abort it, before recording a demonstration' });
  });

  it("stops with a draft (not saved): Deskpilot's own clicks left out, a taken name said, a bad name refused without losing the recording", async () => {
    const steps = [click(100, 100, 1), typing('echo hi > f\n', 2), click(900, 50, 3), typing('my demo', 4), click(950, 80, 5)];
    const { call, events, automations, recorder } = await setUp(recordingOf(steps, { 1: 'xterm', 3: 'Deskpilot - Chromium', 5: 'Deskpilot' }));
    automations.save({ format: 'deskpilot-automation', name: 'my demo', params: [], allowHealing: false, steps: [{ id: 's1', intent: 'wait', action: { type: 'wait', ms: 10 } }] });
    await call('recordings.start', {});

    expect(await failure(call('recordings.stop', { name: 'Bad/Name' }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/not a valid automation name/) });
    expect((await call('recordings.status', {})).active).toBe(true);

    const { automation, warnings } = await call('recordings.stop', { name: 'my demo', description: 'shown to the editor' });
    expect(recorder().closed).toBe(true);
    expect(events.at(-1)).toEqual({ active: false, events: 0, presses: 0 });
    expect(automation).toMatchObject({ format: 'deskpilot-automation', name: 'my demo', description: 'shown to the editor', params: [], screen: { width: 1280, height: 800 } });
    expect(automation).not.toHaveProperty('version');
    expect(automation.steps.map((s) => s.action)).toEqual([{ type: 'click', x: 100, y: 100, button: 'left' }, { type: 'type', text: 'echo hi > f\n' }]);
    expect(warnings).toContain("left out the last 3 steps: they went to Deskpilot's own window (stopping the recording)");
    expect(warnings).toContain('an automation named "my demo" exists already: saving makes this its version 2');
    expect(automations.get('my demo')?.version).toBe(1);
    expect(await failure(call('recordings.stop', { name: 'my demo' }))).toMatchObject({ code: 'conflict' });
  });

  it('says nothing was recorded when only the Stop click was', async () => {
    const { call } = await setUp(recordingOf([click(900, 50, 1)], { 1: 'Deskpilot' }, 3));
    await call('recordings.start', {});
    expect(await failure(call('recordings.stop', { name: 'empty' }))).toMatchObject({ code: 'failed', message: "nothing was recorded on :77 (3 input events, 1 step on Deskpilot's own window): there are no steps to review" });
    expect((await call('recordings.status', {})).active).toBe(false);
  });

  it('keeps what was recorded when the display died, says so in the status and the warnings', async () => {
    const { call, events, recorder } = await setUp(recordingOf([click(30, 40, 1)], { 1: 'xterm' }));
    await call('recordings.start', {});
    recorder().error = new Error('the input hook for :77 stopped (SIGKILL): is the display still running?');
    await vi.waitFor(() => expect(events.at(-1)?.error).toMatch(/is the display still running/));
    expect((await call('recordings.status', {})).error).toMatch(/input hook/);
    const { automation, warnings } = await call('recordings.stop', { name: 'cut short' });
    expect(automation.steps.map((s) => s.action)).toEqual([{ type: 'click', x: 30, y: 40, button: 'left' }]);
    expect(warnings[0]).toMatch(/^recording stopped early \(the input hook for :77 stopped .*\): these are the steps recorded before that$/);
  });

  it("close() ends a recording in progress: the recorder is stopped and closed, the display free", async () => {
    const { rec, call, recorder } = await setUp(recordingOf([click(1, 1, 1)], {}));
    await call('recordings.start', {});
    await rec.close();
    expect(recorder().stopped && recorder().closed).toBe(true);
    expect((await call('recordings.status', {})).active).toBe(false);
    expect(rec.busy(':77')).toBeUndefined();
  });
});
