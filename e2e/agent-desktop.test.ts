// The whole agent on a real desktop: AgentRun + the nut-js driver on a virtual display with real
// apps (xterm, mousepad), the real `openai` SDK over HTTP to the mock Responses server and its
// scripted trajectories, a real store. Effects are checked in the files the apps write.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { imageToScreen } from '../agents/desktop/geometry.ts';
import { NutDriver } from '../agents/desktop/nut-driver.ts';
import { OpenAIResponsesPlanner, type OpenAIResponsesOptions } from '../agents/models/openai-responses.ts';
import { AgentRun } from '../agents/run/agent-run.ts';
import type { ApprovalDecision, RunOptions } from '../agents/run/events.ts';
import { Store } from '../agents/store/store.ts';
import { startMockOpenAI, type MockOpenAI, type MockTurn } from './mock-openai/server.ts';
import { openXterm, waitForFile } from './support/apps.ts';
import { eventsOf, ofType, onEvents, openReadableMousepad, requestInput, requestTexts, sleep, until, type EvOf } from './support/agent-harness.ts';

const API_KEY = 'sk-test-agent-desktop';

let display: VirtualDisplay;
let driver: NutDriver;
let mock: MockOpenAI;
let store: Store;
let dir: string;
let home: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskpilot-agent-e2e-'));
  [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockOpenAI({ apiKey: API_KEY })]);
  driver = await NutDriver.start({ display: display.display, env: display.env });
  store = Store.open(join(dir, 'deskpilot.db'));
  home = display.env.HOME!;
});

afterAll(async () => {
  store?.close();
  await driver?.close();
  await mock?.close();
  await display?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function start(turns: MockTurn[], task: string, opts: { options?: Partial<RunOptions>; planner?: Partial<OpenAIResponsesOptions> } = {}): AgentRun {
  mock.setTrajectory(turns);
  const planner = new OpenAIResponsesPlanner({ baseURL: mock.url, apiKey: API_KEY, timeoutMs: 10_000, maxRetries: 2, ...opts.planner });
  return AgentRun.start({ store, driver, planner }, { task, provider: planner.name, model: planner.model, options: { approve: 'risky', ...opts.options } });
}

/** An operator who answers each approval request after a short human-like pause. */
function operator(run: AgentRun, decide: (e: EvOf<'approval_requested'>, n: number) => ApprovalDecision): () => void {
  let n = 0;
  return onEvents(store, run, (e) => {
    if (e.type !== 'approval_requested') return;
    const decision = decide(e as EvOf<'approval_requested'>, ++n);
    setTimeout(() => run.control.decide(e.actionId, decision), 30);
  });
}

describe('the agent on a real desktop through the OpenAI SDK and the mock server', () => {
  it('(a) does a task in xterm: types a shell command that writes a file', async () => {
    await openXterm(display, 'agent-a');
    const out = join(home, 'agent-a.txt');
    const run = start([
      { thought: 'A terminal is open; I will write the file from the shell.', actions: [{ type: 'type', text: `echo "written by the agent" > ${out}\n` }], usage: { input_tokens: 2100, output_tokens: 80 } },
      { text: 'The file is written.' },
    ], 'Write "written by the agent" to agent-a.txt');
    const result = await run.finished;
    expect(result).toMatchObject({ status: 'done', answer: 'The file is written.', steps: 2 });
    expect(await waitForFile(out)).toBe('written by the agent\n');

    expect(ofType(store, run, 'action_performed')).toHaveLength(1);
    expect(ofType(store, run, 'approval_requested')).toEqual([]);
    expect(ofType(store, run, 'model_responded')[0]).toMatchObject({ thought: 'A terminal is open; I will write the file from the shell.', usage: { inputTokens: 2100, outputTokens: 80 } });
    expect(ofType(store, run, 'run_started')[0]).toMatchObject({ display: display.display, screen: { width: 1280, height: 800 } });
    // The model saw the real screen, and was shown the new one with the call's output.
    const [first, second] = ofType(store, run, 'screenshot_captured');
    expect(first).toMatchObject({ image: { width: 1024, height: 640 }, screen: { width: 1280, height: 800 } });
    expect(second!.ref).not.toBe(first!.ref);
    const output = requestInput(mock, 1).find((i) => i.type === 'computer_call_output') as { output: { image_url: string } };
    expect(output.output.image_url).toBe(`data:image/png;base64,${store.readBlob(second!.ref).toString('base64')}`);
    expect(mock.requests.map((r) => r.reply)).toEqual(['turn', 'turn']);
  });

  it('(b) edits in mousepad: types, clicks a word found by OCR on its screenshot, saves with Ctrl+S', async () => {
    const file = join(home, 'agent-b.txt');
    await openReadableMousepad(display, file);
    const run = start([
      { actions: [{ type: 'type', text: 'alpha bravo charlie\n' }] },
      // Resolved by the mock with tesseract on the screenshot it received: clicking puts the
      // caret on line 1, so End + " delta" lands there only if the click hit the word.
      { thought: 'I will put the caret on "charlie".', actions: [{ type: 'click_text', text: 'charlie' }] },
      { batch: true, actions: [{ type: 'keypress', keys: ['END'] }, { type: 'type', text: ' delta' }, { type: 'keypress', keys: ['CTRL', 'S'] }] },
      { text: 'Saved.' },
    ], 'Append " delta" to the first line and save');
    const result = await run.finished;
    expect(result, JSON.stringify(ofType(store, run, 'run_failed'))).toMatchObject({ status: 'done', answer: 'Saved.' });
    expect(await waitForFile(file)).toBe('alpha bravo charlie delta\n');

    const click = ofType(store, run, 'action_proposed').find((e) => e.action.type === 'click')!;
    expect(click.raw).toMatchObject({ type: 'click', button: 'left' });
    // The model saw 1024x640 of the 1280x800 screen: its point went through the geometry module.
    const raw = click.raw as { x: number; y: number };
    const shot = ofType(store, run, 'screenshot_captured').find((e) => e.step === click.step)!;
    const scaling = { screen: shot.screen, image: shot.image, scaleX: shot.image.width / shot.screen.width, scaleY: shot.image.height / shot.screen.height };
    expect(shot.image).toEqual({ width: 1024, height: 640 });
    expect(click.screenAction).toMatchObject({ type: 'click', ...imageToScreen(raw, scaling) });
    expect(ofType(store, run, 'action_performed')).toHaveLength(5);
    // The batch came as one call with three actions, answered with one output.
    expect(requestInput(mock, 3).filter((i) => i.type === 'computer_call_output')).toHaveLength(1);
  });

  it('(c) pauses mid-run with a model reply in flight, performs nothing until resumed', async () => {
    await openXterm(display, 'agent-c');
    const out = join(home, 'agent-c.txt');
    const run = start([
      { actions: [{ type: 'type', text: `echo one >> ${out}\n` }] },
      { actions: [{ type: 'type', text: `echo two >> ${out}\n` }] },
      { text: 'Both lines written.' },
    ], 'Write two lines');
    const stop = onEvents(store, run, (e) => {
      if (e.type === 'model_requested' && e.step === 2) run.control.pause();
    });
    await until('the second reply to arrive while paused', () => mock.served === 2 && ofType(store, run, 'action_proposed').length === 2);
    await sleep(700);
    expect(readFileSync(out, 'utf8')).toBe('one\n');
    expect(ofType(store, run, 'action_performed')).toHaveLength(1);
    expect(store.getRun(run.id)!.status).toBe('paused');
    expect(mock.requests).toHaveLength(2);

    run.control.resume();
    expect((await run.finished).status).toBe('done');
    stop();
    expect(await waitForFile(out)).toBe('one\ntwo\n');
    const seq = (pred: (e: ReturnType<typeof eventsOf>[number]) => boolean) => eventsOf(store, run).find(pred)!.seq;
    const paused = seq((e) => e.type === 'run_paused');
    const replied = seq((e) => e.type === 'model_responded' && e.step === 2);
    const resumed = seq((e) => e.type === 'run_resumed');
    const performed = ofType(store, run, 'action_performed')[1]!.seq;
    expect(paused).toBeLessThan(replied);
    expect(replied).toBeLessThan(resumed);
    expect(resumed).toBeLessThan(performed);
  });

  it('(d) aborts mid-typing of a long text: ends aborted within 500 ms and the keys stop', async () => {
    await openXterm(display, 'agent-d');
    const out = join(home, 'agent-d.txt');
    const lines = Array.from({ length: 80 }, (_, i) => `line ${String(i + 1).padStart(2, '0')} abcdefghijklmnopqrstuvwxyz`);
    const run = start([
      { actions: [{ type: 'type', text: `cat > ${out}\n` }] },
      { actions: [{ type: 'type', text: `${lines.join('\n')}\n` }] },
      { text: 'not reached' },
    ], 'Type a long text into a file');
    await until('the long text to be typing', () => existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 3, 20_000);
    const t0 = performance.now();
    run.control.abort();
    const result = await run.finished;
    const elapsed = performance.now() - t0;
    expect(result).toMatchObject({ status: 'aborted', reason: 'aborted by the operator', steps: 2 });
    expect(elapsed).toBeLessThan(500);
    expect(eventsOf(store, run).at(-1)!.type).toBe('run_aborted');
    expect(ofType(store, run, 'action_performed')).toHaveLength(1);
    expect(store.getRun(run.id)!.status).toBe('aborted');

    await sleep(400);
    const settled = readFileSync(out, 'utf8');
    await sleep(800);
    expect(readFileSync(out, 'utf8')).toBe(settled);
    const written = settled.split('\n').slice(0, -1);
    expect(written.length).toBeGreaterThan(2);
    expect(written.length).toBeLessThan(lines.length);
    expect(written).toEqual(lines.slice(0, written.length));
    expect(mock.served).toBe(2);
  });

  it('(e) steers: the message reaches the very next model request', async () => {
    await openXterm(display, 'agent-e');
    const out = join(home, 'agent-e.txt');
    const steer = 'Please also keep the terminal open when you are done.';
    const run = start([
      { actions: [{ type: 'type', text: `echo steered >> ${out}\n` }] },
      { text: 'Done, and the terminal is still open.' },
    ], 'Write a line');
    const stop = onEvents(store, run, (e) => {
      if (e.type === 'action_proposed' && e.step === 1) run.control.steer(steer);
    });
    expect((await run.finished).status).toBe('done');
    stop();
    expect(requestTexts(mock, 0)).not.toContain(steer);
    expect(requestTexts(mock, 1)).toContain(steer);
    expect(ofType(store, run, 'user_message').map((e) => e.text)).toEqual([steer]);
    expect(await waitForFile(out)).toBe('steered\n');
  });

  it('(f) approves, edits and rejects under "always"; the rejection reason reaches the model', async () => {
    const title = 'agent-f';
    await openXterm(display, title);
    const out = join(home, 'agent-f.txt');
    const run = start([
      { actions: [{ type: 'type', text: `echo approved >> ${out}\n` }] },
      { actions: [{ type: 'type', text: `echo wrong >> ${out}\n` }] },
      { actions: [{ type: 'keypress', keys: ['ALT', 'F4'] }] },
      { text: 'Finished.' },
    ], 'Write lines, then close the terminal', { options: { approve: 'always' } });
    const stop = operator(run, (_e, n) => (n === 1
      ? { decision: 'approve' }
      : n === 2
        ? { decision: 'edit', action: { type: 'type', text: `echo edited >> ${out}\n` } }
        : { decision: 'reject', reason: 'Do not close the terminal.' }));
    expect((await run.finished).status).toBe('done');
    stop();
    expect(await waitForFile(out)).toBe('approved\nedited\n');
    const requested = ofType(store, run, 'approval_requested');
    expect(requested.map((e) => e.reasons)).toEqual([['approval mode is "always"'], ['approval mode is "always"'], ['LeftAlt+F4 closes the window']]);
    expect(ofType(store, run, 'approval_decided').map((e) => e.decision)).toEqual(['approve', 'edit', 'reject']);
    expect(ofType(store, run, 'action_performed').map((e) => e.actionId)).toEqual(requested.slice(0, 2).map((e) => e.actionId));
    // The terminal is still there: Alt+F4 never reached the desktop.
    expect((await display.run('xdotool', ['search', '--name', title])).trim()).not.toBe('');
    // The rejected call still gets its output (the API requires one), and the reason as text.
    const rejectedCall = String(requestInput(mock, 3).find((i) => i.type === 'computer_call_output')!.call_id);
    expect(rejectedCall).toMatch(/^call_/);
    expect(requestTexts(mock, 3)).toContain(`The operator rejected the action (call ${rejectedCall}): Do not close the terminal.`);
  });

  it('(f) under "risky" asks only for the risky action, and a rejection keeps it off the desktop', async () => {
    const title = 'agent-f-risky';
    await openXterm(display, title);
    const out = join(home, 'agent-f-risky.txt');
    const run = start([
      { actions: [{ type: 'type', text: `echo harmless >> ${out}\n` }] },
      { actions: [{ type: 'type', text: `rm -rf ${out}\n` }] },
      { text: 'Left the file alone.' },
    ], 'Write a line, then clean up');
    const stop = operator(run, () => ({ decision: 'reject', reason: 'Keep the file.' }));
    expect((await run.finished).status).toBe('done');
    stop();
    expect(ofType(store, run, 'approval_requested').map((e) => e.reasons)).toEqual([['typed command deletes files']]);
    expect(ofType(store, run, 'action_performed')).toHaveLength(1);
    await sleep(300);
    expect(readFileSync(out, 'utf8')).toBe('harmless\n');
    expect(requestTexts(mock, 2).some((t) => t.endsWith('): Keep the file.'))).toBe(true);
  });

  it('(g) pending safety checks: approval is asked even under "never", then acknowledged to the model', async () => {
    await openXterm(display, 'agent-g');
    const out = join(home, 'agent-g.txt');
    const checks = [{ id: 'cu_sc_e2e_1', code: 'malicious_instructions', message: 'The screen shows instructions from a third party.' }];
    const run = start([
      { actions: [{ type: 'type', text: `echo checked >> ${out}\n` }], safetyChecks: checks },
      { text: 'Done.' },
    ], 'Follow the on-screen instructions', { options: { approve: 'never' } });
    const stop = operator(run, () => ({ decision: 'approve' }));
    expect((await run.finished).status).toBe('done');
    stop();
    expect(ofType(store, run, 'action_proposed')[0]).toMatchObject({ safetyChecks: checks });
    expect(ofType(store, run, 'approval_requested').map((e) => e.reasons)).toEqual([['model safety check: The screen shows instructions from a third party.']]);
    const output = requestInput(mock, 1).find((i) => i.type === 'computer_call_output')!;
    expect(output.acknowledged_safety_checks).toEqual(checks);
    expect(await waitForFile(out)).toBe('checked\n');
  });

  describe('(h) model faults', () => {
    it('retries a 500, a connection reset and a 429 with Retry-After, and the run still succeeds', async () => {
      await openXterm(display, 'agent-h');
      const out = join(home, 'agent-h.txt');
      mock.injectFaults([{ kind: '500' }, { kind: 'reset' }, { kind: '429', retryAfter: 1 }]);
      const run = start([
        { actions: [{ type: 'type', text: `echo survived >> ${out}\n` }] },
        { text: 'Done.' },
      ], 'Write a line despite a flaky API', { planner: { maxRetries: 3 } });
      expect((await run.finished).status).toBe('done');
      expect(mock.requests.map((r) => r.reply)).toEqual(['500', 'reset', '429', 'turn', 'turn']);
      expect(mock.requests[3]!.headers['x-stainless-retry-count']).toBe('3');
      expect(ofType(store, run, 'model_error')).toEqual([]);
      expect(ofType(store, run, 'model_requested').map((e) => e.attempt)).toEqual([1, 1]);
      expect(await waitForFile(out)).toBe('survived\n');
    });

    it('asks again after a hung API, a bounded number of times, then fails the run with a timeout model_error', async () => {
      // Each attempt is the SDK's request and its one retry; the loop re-asks a timeout twice.
      mock.injectFaults(Array.from({ length: 6 }, () => ({ kind: 'hang' as const })));
      const t0 = performance.now();
      const run = start([{ actions: [{ type: 'type', text: 'never typed' }] }], 'Wait for a hung API', { planner: { timeoutMs: 300, maxRetries: 1 } });
      const result = await run.finished;
      expect(performance.now() - t0).toBeLessThan(15_000);
      expect(result.status).toBe('failed');
      expect(result.reason).toMatch(/^model error: no reply from the model within 300 ms/);
      expect(ofType(store, run, 'model_error').map((e) => [e.kind, e.attempt, e.willRetry])).toEqual([['timeout', 1, true], ['timeout', 2, true], ['timeout', 3, false]]);
      expect(ofType(store, run, 'action_proposed')).toEqual([]);
      expect(mock.requests.map((r) => r.reply)).toEqual(Array.from({ length: 6 }, () => 'hang'));
    });

    it('re-asks after invalid JSON and a nonsense action, performing nothing from them', async () => {
      await openXterm(display, 'agent-h2');
      const out = join(home, 'agent-h2.txt');
      mock.injectFaults([{ kind: 'malformed-json' }, { kind: 'nonsense' }]);
      const run = start([
        { actions: [{ type: 'type', text: `echo recovered >> ${out}\n` }] },
        { text: 'Done.' },
      ], 'Write a line despite a confused model');
      expect((await run.finished).status).toBe('done');
      expect(ofType(store, run, 'model_error').map((e) => [e.kind, e.attempt, e.willRetry])).toEqual([['malformed', 1, true], ['malformed', 2, true]]);
      expect(ofType(store, run, 'model_error')[1]!.message).toMatch(/unknown action type "teleport"/);
      expect(ofType(store, run, 'action_proposed')).toHaveLength(1);
      expect(ofType(store, run, 'action_performed')).toHaveLength(1);
      expect(mock.requests.map((r) => r.reply)).toEqual(['malformed-json', 'nonsense', 'turn', 'turn']);
      // The re-asks carry the correction, and do not chain from the unusable replies.
      for (const i of [1, 2]) {
        expect(requestTexts(mock, i).some((t) => t.includes('could not be used'))).toBe(true);
        expect((mock.requests[i]!.body as { previous_response_id?: string }).previous_response_id).toBeUndefined();
      }
      expect(await waitForFile(out)).toBe('recovered\n');
    });

    it('gives up after a bounded number of unusable replies, with nothing performed', async () => {
      mock.injectFaults([{ kind: 'nonsense', variant: 'string-coords' }, { kind: 'nonsense', variant: 'string-coords' }, { kind: 'nonsense', variant: 'string-coords' }]);
      const run = start([{ actions: [{ type: 'type', text: 'never typed' }] }], 'Talk to a broken model', { options: { maxModelRetries: 2 } });
      const result = await run.finished;
      expect(result.status).toBe('failed');
      expect(result.reason).toMatch(/^model error: .*x: expected number, received string/);
      expect(ofType(store, run, 'model_error').map((e) => [e.kind, e.willRetry])).toEqual([['malformed', true], ['malformed', true], ['malformed', false]]);
      expect(ofType(store, run, 'action_proposed')).toEqual([]);
      expect(mock.served).toBe(0);
      expect(mock.requests).toHaveLength(3);
    });
  });

  // X leaves alpha at 0 in grabs; a resize that premultiplied it would hand the model a black image.
  it('a capture scaled down for the model shows the same picture as the full one', async () => {
    await openXterm(display, 'agent-scaling');
    const thumb = async (png: Buffer) => sharp(png).resize(64, 40, { fit: 'fill' }).greyscale().raw().toBuffer();
    const full = await thumb((await driver.capture({ format: 'png' })).data);
    const scaled = await thumb((await driver.capture({ format: 'png', width: 640 })).data);
    const mean = (b: Buffer) => b.reduce((sum, v) => sum + v, 0) / b.length;
    expect(mean(full)).toBeGreaterThan(10); // the white terminal is on screen
    const diff = full.reduce((sum, v, i) => sum + Math.abs(v - scaled[i]!), 0) / full.length;
    expect(diff).toBeLessThan(8);
  });
});
