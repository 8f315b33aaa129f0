// The Claude planner with the real @anthropic-ai/sdk over real HTTP to the mock Messages API: request
// shape, tool_results, caching and pruning, faults and abort; then whole runs on a sandbox display
// (xterm and mousepad, effects checked on disk) with a rejected action reported as an is_error tool_result.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDisplay, type VirtualDisplay } from '../agents/desktop/display.ts';
import { NutDriver } from '../agents/desktop/nut-driver.ts';
import { AnthropicPlanner, type AnthropicOptions } from '../agents/models/anthropic.ts';
import { ModelError } from '../agents/models/planner.ts';
import type { PlannerContext } from '../agents/models/planner.ts';
import { checkEndpoint } from '../agents/models/endpoint-check.ts';
import { AgentRun } from '../agents/run/agent-run.ts';
import { startRun } from '../agents/run/start-run.ts';
import type { ApprovalDecision, RunOptions } from '../agents/run/events.ts';
import { Store } from '../agents/store/store.ts';
import { startMockAnthropic, type ClaudeMockTurn, type MockAnthropic } from './mock-anthropic/server.ts';
import { openXterm, waitForFile } from './support/apps.ts';
import { ofType, onEvents, openReadableMousepad, type EvOf } from './support/agent-harness.ts';

const KEY = 'sk-ant-test';
type Msg = { role: string; content: Array<Record<string, unknown>> };
type Body = { [k: string]: unknown; messages: Msg[]; tools: Array<Record<string, unknown>>; system: Array<Record<string, unknown>> };

async function png(width: number, height: number, background: string): Promise<string> {
  return `data:image/png;base64,${(await sharp({ create: { width, height, channels: 3, background } }).png().toBuffer()).toString('base64')}`;
}
const signal = () => new AbortController().signal;
async function modelError(p: Promise<unknown>): Promise<ModelError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ModelError);
  return err as ModelError;
}
const imagesIn = (b: Body) => b.messages.flatMap((m) => m.content).flatMap((c) => (c.type === 'image' ? [c] : c.type === 'tool_result' && Array.isArray(c.content) ? (c.content as Array<Record<string, unknown>>).filter((x) => x.type === 'image') : []));

describe('AnthropicPlanner over HTTP', () => {
  let mock: MockAnthropic;
  let shotA = '';
  let shotB = '';
  beforeAll(async () => {
    mock = await startMockAnthropic({ apiKey: KEY, models: ['claude-sonnet-4-6'] });
    [shotA, shotB] = await Promise.all([png(1280, 800, '#336699'), png(1280, 800, '#996633')]);
  });
  afterAll(() => mock.close());
  const planner = (opts: Partial<AnthropicOptions> = {}) => new AnthropicPlanner({ baseURL: mock.url, apiKey: KEY, maxRetries: 2, timeoutMs: 5_000, ...opts });
  const ctx = (over: Partial<PlannerContext> = {}): PlannerContext => ({ task: 'Save the document', step: 1, screenshot: { dataUrl: shotA, image: { width: 1280, height: 800 } }, outcomes: [], userMessages: [], ...over });
  const body = (i: number) => mock.requests[i]!.body as Body;

  it('sends the computer tool for the model, caches the prefix, and answers each tool_use with a tool_result', async () => {
    mock.setTrajectory([
      { thought: 'I will click File.', actions: [{ action: 'left_click', coordinate: [100, 50] }, { action: 'cursor_position' }, { action: 'hold_key', text: 'shift', duration: 0.5 }], usage: { input_tokens: 200, output_tokens: 80, cache_read_input_tokens: 1800, cache_creation_input_tokens: 0 } },
      { text: 'Saved.' },
    ]);
    const p = planner({ model: 'claude-sonnet-4-6' });
    const step = await p.next(ctx(), signal());
    expect(step.thought).toBe('I will click File.');
    expect(step.actions.map((a) => a.action)).toEqual([
      { type: 'click', x: 100, y: 50, button: 'left' }, { type: 'screenshot' }, { type: 'keypress', keys: 'shift' }, { type: 'wait', ms: 500 },
    ]);
    expect(step.usage).toMatchObject({ inputTokens: 2000, outputTokens: 80, cacheReadTokens: 1800 });
    expect(step.usage!.costUsd).toBeCloseTo((200 * 3 + 1800 * 0.3 + 80 * 15) / 1e6, 10);

    const first = body(0);
    expect(mock.requests[0]!.headers['x-api-key'] ?? mock.requests[0]!.headers.authorization).toMatch(new RegExp(`^(Bearer )?${KEY}$`));
    expect(mock.requests[0]!.headers['anthropic-beta']).toBe('computer-use-2025-11-24');
    expect(first.model).toBe('claude-sonnet-4-6');
    expect(first.tools).toEqual([{ type: 'computer_20251124', name: 'computer', display_width_px: 1280, display_height_px: 800, enable_zoom: true }]);
    expect(first.system[0]).toMatchObject({ type: 'text', cache_control: { type: 'ephemeral' } });
    expect(first.messages).toHaveLength(1);
    expect(first.messages[0]!.content.map((c) => c.type)).toEqual(['text', 'image']);
    expect(first.messages[0]!.content[1]).toMatchObject({ cache_control: { type: 'ephemeral' }, source: { type: 'base64', media_type: 'image/png', data: shotA.split(',')[1] } });

    const ids = [...new Set(step.actions.map((a) => a.callId!))];
    expect(ids).toHaveLength(3);
    const outcomes = step.actions.map((a, i) => (i === 0 ? { status: 'rejected' as const, callId: a.callId!, reason: 'not that menu' } : { status: 'performed' as const, callId: a.callId! }));
    const done = await p.next(ctx({ step: 2, screenshot: { dataUrl: shotB, image: { width: 1280, height: 800 } }, outcomes, userMessages: ['use the keyboard'] }), signal());
    expect(done.answer).toBe('Saved.');
    const results = body(1).messages[2]!.content;
    expect(results.map((r) => [r.type, r.tool_use_id, r.is_error ?? false])).toEqual([
      ['tool_result', ids[0], true], ['tool_result', ids[1], false], ['tool_result', ids[2], false], ['text', undefined, false],
    ]);
    expect(JSON.stringify(results[0])).toContain('The operator rejected this action: not that menu');
    expect(JSON.stringify(results[1])).toContain('X=100,Y=50');
    // The screenshot rides on the last computer call only; the note says hold_key could not hold.
    expect(JSON.stringify(results[2])).toContain('Deskpilot cannot hold keys');
    expect(JSON.stringify(results[2])).toContain(shotB.split(',')[1]!.slice(0, 40));
    expect(JSON.stringify(results[0])).not.toContain('"image"');
    expect(results[3]).toMatchObject({ type: 'text', text: 'use the keyboard', cache_control: { type: 'ephemeral' } });
  });

  it('picks computer_20250124 for older models and offers the run\'s tools as bash, the editor and custom tools', async () => {
    mock.setTrajectory([{ tools: [{ name: 'bash', input: { command: 'ls ~' } }, { name: 'str_replace_based_edit_tool', input: { command: 'view', path: '/tmp/a.txt' } }] }, { text: 'ok' }]);
    const tools = ['shell', 'read_file', 'write_file', 'load_skill'].map((name) => ({ name, description: `the ${name} tool`, parameters: { type: 'object', properties: { x: { type: 'string' } } } }));
    const p = planner({ model: 'claude-sonnet-4-5' });
    const step = await p.next(ctx({ tools }), signal());
    expect(step.actions.map((a) => a.action)).toEqual([{ type: 'tool', name: 'shell', input: { command: 'ls ~' } }, { type: 'tool', name: 'read_file', input: { path: '/tmp/a.txt' } }]);
    expect(mock.requests[0]!.headers['anthropic-beta']).toBe('computer-use-2025-01-24');
    expect(body(0).tools).toEqual([
      { type: 'computer_20250124', name: 'computer', display_width_px: 1280, display_height_px: 800 },
      { type: 'bash_20250124', name: 'bash' },
      { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
      { name: 'load_skill', description: 'the load_skill tool', input_schema: { type: 'object', properties: { x: { type: 'string' } } } },
    ]);
    const [a, b] = step.actions.map((x) => x.callId!);
    await p.next(ctx({ tools, outcomes: [
      { status: 'performed', callId: a, tool: { name: 'shell', output: 'exit 2: no such file', isError: true } },
      { status: 'performed', callId: b, tool: { name: 'read_file', output: 'hello', isError: false } },
    ] }), signal());
    const results = body(1).messages[2]!.content;
    expect(results[0]).toMatchObject({ tool_use_id: a, is_error: true, content: [{ type: 'text', text: 'exit 2: no such file' }] });
    expect(results[1]).toMatchObject({ tool_use_id: b, content: [{ type: 'text', text: 'hello' }] });
    expect(results[1]!.is_error).toBeUndefined();
  });

  it('keeps the newest 3 screenshots, dropping older ones 3 at a time, and zooms into the next screenshot', async () => {
    mock.setTrajectory([...Array.from({ length: 5 }, (): ClaudeMockTurn => ({ actions: [{ action: 'screenshot' }] })), { actions: [{ action: 'zoom', region: [0, 0, 320, 200] }] }, { text: 'done' }]);
    const p = planner();
    let outcomes: PlannerContext['outcomes'] = [];
    const counts: number[] = [];
    for (let i = 0; i < 7; i++) {
      const step = await p.next(ctx({ step: i + 1, outcomes }), signal());
      counts.push(imagesIn(body(i)).length);
      outcomes = step.actions.map((a) => ({ status: 'performed' as const, callId: a.callId! }));
    }
    // Images 1..n: at 4 and 5 none is dropped yet (1 and 2 over, below the chunk of 3); at 6, 3 go at once.
    expect(counts.slice(0, 6)).toEqual([1, 2, 3, 4, 5, 3]);
    const zoomed = body(6).messages.at(-1)!.content[0]!;
    expect(JSON.stringify(zoomed)).toContain('Region [0, 0, 320, 200]');
    const crop = (zoomed.content as Array<{ type: string; source?: { data: string } }>).find((c) => c.type === 'image')!;
    expect(await sharp(Buffer.from(crop.source!.data, 'base64')).metadata()).toMatchObject({ width: 1280, height: 800 });
  });

  it('retries a 429 after its retry-after, a 500 and a reset; a hang is a timeout', async () => {
    mock.setTrajectory([{ actions: [{ action: 'screenshot' }] }, { actions: [{ action: 'screenshot' }] }]);
    mock.injectFaults([{ kind: '429', retryAfter: 1 }]);
    const t0 = Date.now();
    await planner().next(ctx(), signal());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    mock.injectFaults([{ kind: '500' }, { kind: 'reset' }]);
    await planner().next(ctx(), signal());
    expect(mock.requests.map((r) => r.reply)).toEqual(['429', 'turn', '500', 'reset', 'turn']);
    mock.injectFaults([{ kind: 'hang' }, { kind: 'hang' }]);
    const err = await modelError(planner({ timeoutMs: 300, maxRetries: 1 }).next(ctx(), signal()));
    expect(err.kind).toBe('timeout');
  });

  it('reports invalid JSON and nonsense as malformed without moving the conversation, then re-asks with the correction', async () => {
    mock.setTrajectory([{ actions: [{ action: 'left_click', coordinate: [3, 4] }] }]);
    mock.injectFaults([{ kind: 'malformed-json' }, { kind: 'nonsense' }, { kind: 'nonsense', variant: 'string-coords' }]);
    const p = planner();
    expect((await modelError(p.next(ctx(), signal()))).kind).toBe('malformed');
    expect((await modelError(p.next(ctx(), signal()))).message).toMatch(/unknown computer action "teleport"/);
    expect((await modelError(p.next(ctx(), signal()))).message).toMatch(/coordinate must be \[x, y\] numbers/);
    const step = await p.next(ctx({ correction: 'Your previous reply could not be used.' }), signal());
    expect(step.actions[0]!.action).toEqual({ type: 'click', x: 3, y: 4, button: 'left' });
    const last = mock.requests.at(-1)!.body as Body;
    expect(last.messages).toHaveLength(1);
    expect(JSON.stringify(last.messages[0])).toContain('Your previous reply could not be used.');
  });

  it('models test: every step passes, a wrong key and an unknown model are named', async () => {
    mock.setTrajectory([{ text: 'OK' }, { actions: [{ action: 'screenshot' }] }]);
    const check = (over: { apiKey?: string; model?: string }) => checkEndpoint({ baseURL: mock.url, apiKey: KEY, model: 'claude-sonnet-4-6', adapter: 'anthropic', timeoutMs: 5_000, ...over });
    const ok = await check({});
    expect(ok.map((r) => [r.check, r.status])).toEqual([['reachable', 'ok'], ['key accepted', 'ok'], ['model present', 'ok'], ['vision accepted', 'ok'], ['tools accepted', 'ok']]);
    expect(ok.at(-1)!.detail).toContain('computer_20251124');
    expect((mock.requests.at(-1)!.body as Body).tools[0]).toMatchObject({ type: 'computer_20251124' });
    const key = await check({ apiKey: 'wrong' });
    expect(key.map((r) => r.status)).toEqual(['ok', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(key[1]!.detail).toMatch(/401/);
    const model = await check({ model: 'claude-nope' });
    expect(model.map((r) => r.status)).toEqual(['ok', 'ok', 'failed', 'skipped', 'skipped']);
  });

  it('settles within 500 ms of an abort, mid-request or mid-backoff', async () => {
    mock.setTrajectory([{ actions: [{ action: 'screenshot' }] }]);
    mock.injectFaults([{ kind: 'hang' }, { kind: '429', retryAfter: 30 }]);
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

describe('Claude runs on a sandbox display through the mock', () => {
  let display: VirtualDisplay;
  let driver: NutDriver;
  let mock: MockAnthropic;
  let store: Store;
  let dir: string;
  let home: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deskpilot-claude-e2e-'));
    [display, mock] = await Promise.all([startDisplay({ size: { width: 1280, height: 800 } }), startMockAnthropic({ apiKey: KEY })]);
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

  function start(turns: ClaudeMockTurn[], task: string, options: Partial<RunOptions> = {}): AgentRun {
    mock.setTrajectory(turns);
    const planner = new AnthropicPlanner({ baseURL: mock.url, apiKey: KEY, timeoutMs: 10_000, maxRetries: 1 });
    return AgentRun.start({ store, driver, planner }, { task, provider: 'anthropic', model: planner.model, options: { approve: 'never', ...options } });
  }
  const body = (i: number) => mock.requests[i]!.body as Body;

  it('types a shell command in xterm that writes a file; the next screenshot goes back in the tool_result', async () => {
    await openXterm(display, 'claude-a');
    const out = join(home, 'claude-a.txt');
    const run = start([
      { thought: 'A terminal is open.', actions: [{ action: 'type', text: `echo "written by claude" > ${out}\n` }] },
      { text: 'The file is written.' },
    ], 'Write a file from the terminal');
    expect(await run.finished).toMatchObject({ status: 'done', answer: 'The file is written.', steps: 2 });
    expect(await waitForFile(out)).toBe('written by claude\n');
    const shots = ofType(store, run, 'screenshot_captured');
    expect(shots[0]).toMatchObject({ image: { width: 1280, height: 800 }, screen: { width: 1280, height: 800 } });
    const result = body(1).messages[2]!.content[0]!;
    expect(result.type).toBe('tool_result');
    const image = (result.content as Array<{ type: string; source?: { data: string } }>).find((c) => c.type === 'image')!;
    expect(image.source!.data).toBe(store.readBlob(shots[1]!.ref).toString('base64'));
    expect(ofType(store, run, 'model_responded')[0]).toMatchObject({ thought: 'A terminal is open.', usage: { inputTokens: 1500, outputTokens: 60 } });
  });

  it('reports a rejected action back as an is_error tool_result with the reason', async () => {
    await openXterm(display, 'claude-b');
    const out = join(home, 'claude-b.txt');
    const run = start([
      { actions: [{ action: 'type', text: `echo no > ${out}\n` }] },
      { text: 'Understood, nothing written.' },
    ], 'Write a file', { approve: 'always' });
    const stop = onEvents(store, run, (e) => {
      if (e.type === 'approval_requested') setTimeout(() => run.control.decide((e as EvOf<'approval_requested'>).actionId, { decision: 'reject', reason: 'Not in this folder.' } as ApprovalDecision), 30);
    });
    expect((await run.finished).status).toBe('done');
    stop();
    const result = body(1).messages[2]!.content[0]!;
    expect(result).toMatchObject({ type: 'tool_result', is_error: true });
    expect(JSON.stringify(result)).toContain('The operator rejected this action: Not in this folder.');
    await new Promise((r) => setTimeout(r, 300));
    expect(ofType(store, run, 'action_performed')).toHaveLength(0);
    await expect(waitForFile(out, 300)).rejects.toThrow();
  });

  it('clicks a word found by OCR in mousepad, types and saves', async () => {
    const file = join(home, 'claude-c.txt');
    await openReadableMousepad(display, file);
    const run = start([
      { actions: [{ action: 'type', text: 'alpha bravo charlie\n' }] },
      { actions: [{ action: 'click_text', text: 'charlie' }] },
      { actions: [{ action: 'key', text: 'End' }, { action: 'type', text: ' delta' }, { action: 'key', text: 'ctrl+s' }] },
      { text: 'Saved.' },
    ], 'Append " delta" to the first line and save');
    expect((await run.finished).status, JSON.stringify(ofType(store, run, 'run_failed'))).toBe('done');
    expect(await waitForFile(file)).toBe('alpha bravo charlie delta\n');
  });

  it('aborts during a model request and settles at once', async () => {
    const run = start([{ actions: [{ action: 'screenshot' }] }], 'Wait for a reply that never comes');
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

describe('Claude with the run\'s own tools on a sandbox', () => {
  it('bash runs as the shell tool and the editor reads with read_file; their output goes back in tool_results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskpilot-claude-tools-'));
    const store = Store.open(join(dir, 'deskpilot.db'));
    const mock = await startMockAnthropic({ apiKey: KEY });
    try {
      mock.setTrajectory([
        { tools: [{ name: 'bash', input: { command: "printf 'from claude\\n' > ~/claude-tools.txt && echo written" } }] },
        { tools: [{ name: 'str_replace_based_edit_tool', input: { command: 'view', path: 'claude-tools.txt' } }] },
        { text: 'The file says: from claude.' },
      ]);
      const planner = new AnthropicPlanner({ baseURL: mock.url, apiKey: KEY, timeoutMs: 10_000, maxRetries: 1 });
      let home = '';
      const { run, closed } = await startRun({ kind: 'sandbox', launch: [] }, { store, planner, provider: 'anthropic', task: 'tools', options: { approve: 'risky', maxSteps: 6 } }, { onDisplay: (d) => { home = d.env?.['HOME'] ?? ''; } });
      const result = await run.finished;
      const written = readFileSync(join(home, 'claude-tools.txt'), 'utf8');
      await closed;
      expect(result).toMatchObject({ status: 'done', answer: 'The file says: from claude.' });
      expect(written).toBe('from claude\n');
      const tools = (mock.requests[0]!.body as Body).tools.map((t) => t.name ?? t.type);
      expect(tools).toEqual(expect.arrayContaining(['computer', 'bash', 'str_replace_based_edit_tool']));
      expect(tools).not.toContain('shell');
      const result1 = (mock.requests[1]!.body as Body).messages.at(-1)!.content[0]!;
      expect(result1).toMatchObject({ type: 'tool_result' });
      expect(JSON.stringify(result1)).toContain('written');
      expect(result1.is_error).toBeUndefined();
      expect(JSON.stringify((mock.requests[2]!.body as Body).messages.at(-1)!.content[0])).toContain('from claude');
    } finally {
      await mock.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
