// The Gemini planner with the real @google/genai SDK over real HTTP to the mock generateContent server:
// request shape, function responses with the screenshot, safety confirmations, pruning, faults and abort;
// then whole runs on a sandbox display (xterm and mousepad, effects checked on disk) with a rejected action
// reported back in a function response, and a declined confirmation ending the run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { NutDriver } from '../agents/desktop/nut-driver.ts';
import { GeminiPlanner, type GeminiOptions } from '../agents/models/gemini.ts';
import { ModelError } from '../agents/models/planner.ts';
import type { PlannerContext } from '../agents/models/planner.ts';
import { checkEndpoint } from '../agents/models/endpoint-check.ts';
import { AgentRun } from '../agents/run/agent-run.ts';
import { startRun } from '../agents/run/start-run.ts';
import type { ApprovalDecision, RunOptions } from '../agents/run/events.ts';
import { Store } from '../agents/store/store.ts';
import { startMockGemini, type GeminiMockTurn, type MockGemini } from './mock-gemini/server.ts';
import { openXterm, waitForFile } from './support/apps.ts';
import { ofType, onEvents, openReadableMousepad, type EvOf } from './support/agent-harness.ts';

const KEY = 'gemini-test-key';
type Part = Record<string, unknown> & { functionResponse?: { id?: string; name: string; response: Record<string, unknown>; parts?: Array<{ inlineData: { data: string } }> } };
type Body = { contents: Array<{ role: string; parts: Part[] }>; tools: unknown[]; systemInstruction?: unknown };

async function png(width: number, height: number, background: string): Promise<string> {
  return `data:image/png;base64,${(await sharp({ create: { width, height, channels: 3, background } }).png().toBuffer()).toString('base64')}`;
}
const signal = () => new AbortController().signal;
async function modelError(p: Promise<unknown>): Promise<ModelError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ModelError);
  return err as ModelError;
}
const imagesIn = (b: Body) => b.contents.flatMap((c) => c.parts).filter((p) => p.inlineData || p.functionResponse?.parts?.length).length;

describe('GeminiPlanner over HTTP', () => {
  let mock: MockGemini;
  let shotA = '';
  let shotB = '';
  beforeAll(async () => {
    mock = await startMockGemini({ apiKey: KEY, models: ['gemini-3.5-flash'] });
    [shotA, shotB] = await Promise.all([png(1280, 800, '#336699'), png(1280, 800, '#996633')]);
  });
  afterAll(() => mock.close());
  const planner = (opts: Partial<GeminiOptions> = {}) => new GeminiPlanner({ baseURL: mock.url, apiKey: KEY, maxRetries: 2, timeoutMs: 5_000, ...opts });
  const ctx = (over: Partial<PlannerContext> = {}): PlannerContext => ({ task: 'Save the document', step: 1, screenshot: { dataUrl: shotA, image: { width: 1280, height: 800 } }, outcomes: [], userMessages: [], ...over });
  const body = (i: number) => mock.requests[i]!.body as Body;

  it('sends the desktop computer-use tool beside the run\'s functions and answers every call with a function response', async () => {
    mock.setTrajectory([
      { thought: 'The File menu is top left.', calls: [
        { name: 'click', args: { x: 500, y: 500, intent: 'Open the File menu.' } },
        { name: 'type_text_at', args: { x: 250, y: 250, text: 'report', press_enter: true }, noId: true },
        { name: 'shell', args: { command: 'ls' } },
      ], usage: { promptTokenCount: 2000, candidatesTokenCount: 50, cachedContentTokenCount: 1200 } },
      { text: 'Saved.' },
    ]);
    const tools = [{ name: 'shell', description: 'Runs a command.', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } }];
    const p = planner({ model: 'gemini-3.5-flash' });
    const step = await p.next(ctx({ tools }), signal());
    expect(step.thought).toBe('The File menu is top left.\n\nOpen the File menu.');
    expect(step.usage).toEqual({ inputTokens: 2000, outputTokens: 50, cacheReadTokens: 1200 });
    expect(step.actions.map((a) => a.action)).toEqual([
      { type: 'click', x: 640, y: 400, button: 'left' },
      { type: 'click', x: 320, y: 200, button: 'left' },
      { type: 'keypress', keys: ['ctrl', 'a'] },
      { type: 'keypress', keys: ['Delete'] },
      { type: 'type', text: 'report' },
      { type: 'keypress', keys: ['Return'] },
      { type: 'tool', name: 'shell', input: { command: 'ls' } },
    ]);
    expect(mock.requests[0]!.headers['x-goog-api-key']).toBe(KEY);
    expect(mock.requests[0]!.path).toBe('/v1beta/models/gemini-3.5-flash:generateContent');
    const first = body(0);
    expect(first.tools).toEqual([
      { computerUse: { environment: 'ENVIRONMENT_DESKTOP', excludedPredefinedFunctions: ['key_down', 'key_up'] } },
      { functionDeclarations: [{ name: 'shell', description: 'Runs a command.', parametersJsonSchema: tools[0]!.parameters }] },
    ]);
    expect(first.contents).toHaveLength(1);
    expect(first.contents[0]!.parts[1]).toEqual({ inlineData: { mimeType: 'image/png', data: shotA.split(',')[1] } });

    // One call's actions share its id; the typed group failed midway, so the call answers with the error.
    const [click, typed, shell] = [step.actions[0]!.callId!, step.actions[1]!.callId!, step.actions[6]!.callId!];
    expect(new Set(step.actions.slice(1, 6).map((a) => a.callId))).toEqual(new Set([typed]));
    const outcomes: PlannerContext['outcomes'] = [
      { status: 'performed', callId: click },
      { status: 'performed', callId: typed }, { status: 'failed', callId: typed, error: 'the window closed' },
      { status: 'rejected', callId: typed, reason: 'not performed: an earlier action in the batch failed' },
      { status: 'rejected', callId: typed, reason: 'not performed: an earlier action in the batch failed' },
      { status: 'rejected', callId: typed, reason: 'not performed: an earlier action in the batch failed' },
      { status: 'rejected', callId: shell, reason: 'not performed: an earlier action in the batch failed' },
    ];
    expect((await p.next(ctx({ tools, screenshot: { dataUrl: shotB, image: { width: 1280, height: 800 } }, outcomes }), signal())).answer).toBe('Saved.');
    const responses = body(1).contents[2]!.parts.map((x) => x.functionResponse!);
    expect(responses.map((r) => [r.name, r.response])).toEqual([
      ['click', {}],
      ['type_text_at', { error: 'The action failed: the window closed' }],
      ['shell', { error: 'The operator rejected this action: not performed: an earlier action in the batch failed' }],
    ]);
    expect(responses[0]!.id).toMatch(/^fc_/);
    expect(responses[1]!.id).toBeUndefined();
    // The screenshot goes with the last computer call only.
    expect(responses[0]!.parts).toBeUndefined();
    expect(responses[1]!.parts![0]!.inlineData.data).toBe(shotB.split(',')[1]);
    expect(responses[2]!.parts).toBeUndefined();
  });

  it('uses the browser environment and legacy exclusions for the 2.5 preview model', async () => {
    mock.setTrajectory([{ calls: [{ name: 'key_combination', args: { keys: 'Control+S' } }] }]);
    const step = await planner({ model: 'gemini-2.5-computer-use-preview-10-2025' }).next(ctx(), signal());
    expect(step.actions.map((a) => a.action)).toEqual([{ type: 'keypress', keys: ['Control', 'S'] }]);
    expect(step.usage!.costUsd).toBeCloseTo((1800 * 1.25 + 40 * 10) / 1e6, 10);
    expect(body(0).tools[0]).toEqual({ computerUse: { environment: 'ENVIRONMENT_BROWSER', excludedPredefinedFunctions: ['open_web_browser', 'navigate', 'search', 'go_back', 'go_forward'] } });
  });

  it('turns require_confirmation into a safety check, acknowledged once approved; a declined one ends the run', async () => {
    const confirm = { decision: 'require_confirmation', explanation: 'Accepting the cookie banner.' };
    mock.setTrajectory([{ calls: [{ name: 'click', args: { x: 10, y: 10, safety_decision: confirm } }] }, { calls: [{ name: 'click', args: { x: 20, y: 20, safety_decision: confirm } }] }]);
    const p = planner();
    const step = await p.next(ctx(), signal());
    const id = step.actions[0]!.callId!;
    expect(step.actions[0]!.safetyChecks).toEqual([{ id, code: 'require_confirmation', message: 'Accepting the cookie banner.' }]);
    const second = await p.next(ctx({ outcomes: [{ status: 'performed', callId: id, acknowledgedSafetyChecks: step.actions[0]!.safetyChecks! }] }), signal());
    expect(body(1).contents[2]!.parts[0]!.functionResponse!.response).toEqual({ safety_acknowledgement: 'true' });
    const ended = await p.next(ctx({ outcomes: [{ status: 'rejected', callId: second.actions[0]!.callId!, reason: 'No cookies.' }] }), signal());
    expect(ended.actions.map((a) => a.action)).toEqual([{ type: 'fail', reason: 'the operator declined click, which Gemini asked to confirm (Accepting the cookie banner.): No cookies.' }]);
    expect(mock.requests).toHaveLength(2);
  });

  it('keeps screenshots in the 3 most recent turns only', async () => {
    mock.setTrajectory(Array.from({ length: 5 }, (): GeminiMockTurn => ({ calls: [{ name: 'take_screenshot' }] })));
    const p = planner();
    let outcomes: PlannerContext['outcomes'] = [];
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const step = await p.next(ctx({ outcomes }), signal());
      counts.push(imagesIn(body(i)));
      outcomes = step.actions.map((a) => ({ status: 'performed' as const, callId: a.callId! }));
    }
    expect(counts).toEqual([1, 2, 3, 3, 3]);
    expect(JSON.stringify(body(4).contents[0])).toContain('an older screenshot, left out');
  });

  it('retries a 429, a 500 and a reset; a hang is a timeout; nonsense is malformed and does not move the conversation', async () => {
    mock.setTrajectory([{ calls: [{ name: 'wait_5_seconds' }] }, { calls: [{ name: 'wait_5_seconds' }] }, { calls: [{ name: 'click', args: { x: 1, y: 1 } }] }]);
    mock.injectFaults([{ kind: '429', retryAfter: 1 }, { kind: '500' }]);
    await planner().next(ctx(), signal());
    mock.injectFaults([{ kind: 'reset' }]);
    await planner().next(ctx(), signal());
    expect(mock.requests.map((r) => r.reply)).toEqual(['429', '500', 'turn', 'reset', 'turn']);
    const p = planner();
    mock.injectFaults([{ kind: 'malformed-json' }, { kind: 'nonsense' }, { kind: 'nonsense', variant: 'string-coords' }]);
    expect((await modelError(p.next(ctx(), signal()))).kind).toBe('malformed');
    expect((await modelError(p.next(ctx(), signal()))).message).toMatch(/unknown function "teleport"/);
    expect((await modelError(p.next(ctx(), signal()))).message).toMatch(/x must be a number on the 0-999 grid, got "120"/);
    const step = await p.next(ctx({ correction: 'Your previous reply could not be used.' }), signal());
    expect(step.actions[0]!.action).toEqual({ type: 'click', x: 1, y: 1, button: 'left' });
    expect((mock.requests.at(-1)!.body as Body).contents).toHaveLength(1);
    mock.injectFaults([{ kind: 'hang' }, { kind: 'hang' }]);
    const err = await modelError(planner({ timeoutMs: 300, maxRetries: 1 }).next(ctx(), signal()));
    expect(err.kind).toBe('timeout');
  }, 30_000);

  it('models test: every step passes, a wrong key and an unknown model are named', async () => {
    mock.setTrajectory([{ text: 'OK' }, { calls: [{ name: 'take_screenshot' }] }]);
    const check = (over: { apiKey?: string; model?: string }) => checkEndpoint({ baseURL: mock.url, apiKey: KEY, model: 'gemini-3.5-flash', adapter: 'gemini', timeoutMs: 5_000, ...over });
    const ok = await check({});
    expect(ok.map((r) => [r.check, r.status])).toEqual([['reachable', 'ok'], ['key accepted', 'ok'], ['model present', 'ok'], ['vision accepted', 'ok'], ['tools accepted', 'ok']]);
    expect((mock.requests.at(-1)!.body as Body).tools[0]).toEqual({ computerUse: { environment: 'ENVIRONMENT_DESKTOP', excludedPredefinedFunctions: ['key_down', 'key_up'] } });
    const key = await check({ apiKey: 'wrong' });
    expect(key.map((r) => r.status)).toEqual(['ok', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(key[1]!.detail).toMatch(/API key not valid/);
    const model = await check({ model: 'gemini-nope' });
    expect(model.map((r) => r.status)).toEqual(['ok', 'ok', 'failed', 'skipped', 'skipped']);
  });

  it('settles within 500 ms of an abort, mid-request or mid-backoff', async () => {
    mock.setTrajectory([{ calls: [{ name: 'take_screenshot' }] }]);
    mock.injectFaults([{ kind: 'hang' }, { kind: '500' }, { kind: '500' }]);
    for (const delay of [150, 300]) {
      const ac = new AbortController();
      const pending = planner({ timeoutMs: 30_000 }).next(ctx(), ac.signal).then(() => undefined, (e: unknown) => e);
      await new Promise((r) => setTimeout(r, delay));
      const t0 = Date.now();
      ac.abort();
      const err = await pending;
      expect(Date.now() - t0).toBeLessThan(500);
      expect((err as Error).name).toBe('AbortError');
    }
  });
});

describe('Gemini runs on a sandbox display through the mock', () => {
  let display: VirtualDisplay;
  let driver: NutDriver;
  let mock: MockGemini;
  let store: Store;
  let dir: string;
  let home: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deskpilot-gemini-e2e-'));
    [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockGemini({ apiKey: KEY })]);
    driver = await NutDriver.start({ display: display.display, env: display.env });
    store = Store.open(join(dir, 'deskpilot.db'));
    home = display.env.HOME!;
  }, 60_000);
  afterAll(async () => {
    store?.close();
    await driver?.close();
    await mock?.close();
    await display?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => mock.setTrajectory([]));

  function start(turns: GeminiMockTurn[], task: string, options: Partial<RunOptions> = {}): AgentRun {
    mock.setTrajectory(turns);
    const planner = new GeminiPlanner({ baseURL: mock.url, apiKey: KEY, timeoutMs: 10_000, maxRetries: 1 });
    return AgentRun.start({ store, driver, planner }, { task, provider: 'gemini', model: planner.model, options: { approve: 'never', ...options } });
  }
  const body = (i: number) => mock.requests[i]!.body as Body;
  const decideAll = (run: AgentRun, decision: ApprovalDecision) => onEvents(store, run, (e) => {
    if (e.type === 'approval_requested') setTimeout(() => run.control.decide((e as EvOf<'approval_requested'>).actionId, decision), 30);
  });

  it('types a shell command in xterm that writes a file; the next screenshot goes back in the function response', async () => {
    await openXterm(display, 'gemini-a');
    const out = join(home, 'gemini-a.txt');
    const run = start([
      { calls: [{ name: 'type', args: { text: `echo "written by gemini" > ${out}\n`, intent: 'Write the file from the shell.' } }] },
      { text: 'The file is written.' },
    ], 'Write a file from the terminal');
    expect(await run.finished).toMatchObject({ status: 'done', answer: 'The file is written.', steps: 2 });
    expect(await waitForFile(out)).toBe('written by gemini\n');
    expect(ofType(store, run, 'model_responded')[0]).toMatchObject({ thought: 'Write the file from the shell.' });
    const shots = ofType(store, run, 'screenshot_captured');
    const fr = body(1).contents[2]!.parts[0]!.functionResponse!;
    expect(fr).toMatchObject({ name: 'type', response: {} });
    expect(fr.parts![0]!.inlineData.data).toBe(store.readBlob(shots[1]!.ref).toString('base64'));
  });

  it('reports a rejected action in its function response, and a declined confirmation ends the run', async () => {
    await openXterm(display, 'gemini-b');
    const out = join(home, 'gemini-b.txt');
    const run = start([
      { calls: [{ name: 'type', args: { text: `echo no > ${out}\n` } }] },
      { calls: [{ name: 'type', args: { text: `echo yes > ${out}\n`, safety_decision: { decision: 'require_confirmation', explanation: 'Writes a file.' } } }] },
    ], 'Write a file', { approve: 'always' });
    const stop = decideAll(run, { decision: 'reject', reason: 'Not now.' });
    const result = await run.finished;
    stop();
    expect(result).toMatchObject({ status: 'failed' });
    expect((result as { reason: string }).reason).toContain('the operator declined type, which Gemini asked to confirm (Writes a file.): Not now.');
    expect(body(1).contents[2]!.parts[0]!.functionResponse!.response).toEqual({ error: 'The operator rejected this action: Not now.' });
    expect(mock.requests).toHaveLength(2);
    expect(ofType(store, run, 'action_performed')).toHaveLength(0);
    await expect(waitForFile(out, 300)).rejects.toThrow();
  });

  it('asks for a confirmation even under "never", and acknowledges it once approved', async () => {
    await openXterm(display, 'gemini-c');
    const out = join(home, 'gemini-c.txt');
    const run = start([
      { calls: [{ name: 'type', args: { text: `echo confirmed > ${out}\n`, safety_decision: { decision: 'require_confirmation', explanation: 'Writes a file.' } } }] },
      { text: 'Done.' },
    ], 'Write a file', { approve: 'never' });
    const stop = decideAll(run, { decision: 'approve' });
    expect((await run.finished).status).toBe('done');
    stop();
    expect(ofType(store, run, 'approval_requested')).toHaveLength(1);
    expect(await waitForFile(out)).toBe('confirmed\n');
    expect(body(1).contents[2]!.parts[0]!.functionResponse!.response).toEqual({ safety_acknowledgement: 'true' });
  });

  it('clicks a word found by OCR in mousepad (0-999 grid), types and saves', async () => {
    const file = join(home, 'gemini-d.txt');
    await openReadableMousepad(display, file);
    const run = start([
      { calls: [{ name: 'type', args: { text: 'alpha bravo charlie\n' } }] },
      { calls: [{ click_text: 'charlie' }] },
      { calls: [{ name: 'press_key', args: { key: 'End' } }, { name: 'type', args: { text: ' delta' } }, { name: 'hotkey', args: { keys: ['ctrl', 's'] } }] },
      { text: 'Saved.' },
    ], 'Append " delta" to the first line and save');
    expect((await run.finished).status, JSON.stringify(ofType(store, run, 'run_failed'))).toBe('done');
    expect(await waitForFile(file)).toBe('alpha bravo charlie delta\n');
  });

  it('aborts during a model request and settles at once', async () => {
    const run = start([{ calls: [{ name: 'take_screenshot' }] }], 'Wait for a reply that never comes');
    mock.injectFaults([{ kind: 'hang' }]);
    await new Promise<void>((resolve) => {
      const stop = onEvents(store, run, (e) => {
        if (e.type === 'model_requested') {
          stop();
          resolve();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    run.control.abort();
    const result = await run.finished;
    expect(performance.now() - t0).toBeLessThan(500);
    expect(result.status).toBe('aborted');
  });
});

describe('Gemini with the run\'s own tools on a sandbox', () => {
  it('calls the shell and read_file as functions beside computer use; their output goes back in function responses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskpilot-gemini-tools-'));
    const store = Store.open(join(dir, 'deskpilot.db'));
    const mock = await startMockGemini({ apiKey: KEY });
    try {
      mock.setTrajectory([
        { calls: [{ name: 'shell', args: { command: "printf 'from gemini\\n' > ~/gemini-tools.txt && echo written" } }] },
        { calls: [{ name: 'read_file', args: { path: 'gemini-tools.txt' } }] },
        { text: 'The file says: from gemini.' },
      ]);
      const planner = new GeminiPlanner({ baseURL: mock.url, apiKey: KEY, timeoutMs: 10_000, maxRetries: 1 });
      let home = '';
      const { run, closed } = await startRun({ kind: 'sandbox', launch: [] }, { store, planner, provider: 'gemini', task: 'tools', options: { approve: 'risky', maxSteps: 6 } }, { onDisplay: (d) => { home = d.env?.['HOME'] ?? ''; } });
      const result = await run.finished;
      const written = readFileSync(join(home, 'gemini-tools.txt'), 'utf8');
      await closed;
      expect(result).toMatchObject({ status: 'done', answer: 'The file says: from gemini.' });
      expect(written).toBe('from gemini\n');
      const declared = JSON.stringify((mock.requests[0]!.body as Body).tools[1]);
      expect(declared).toContain('"name":"shell"');
      const fr1 = (mock.requests[1]!.body as Body).contents.at(-1)!.parts[0]!.functionResponse!;
      expect(fr1.name).toBe('shell');
      expect(String(fr1.response.output)).toContain('written');
      const fr2 = (mock.requests[2]!.body as Body).contents.at(-1)!.parts[0]!.functionResponse!;
      expect(String(fr2.response.output)).toContain('from gemini');
    } finally {
      await mock.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
