import { afterEach, describe, expect, it } from 'vitest';
import type { AppService } from './app-service.ts';
import { CommandError } from './command-error.ts';
import { openTestService } from './test-service.ts';

let service: AppService;
afterEach(async () => service?.close());

const failure = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(CommandError);
  return (err as CommandError).failure.error;
};

// A finished run written straight into the log, as the loop would have written it.
function seedRun(s: AppService) {
  const store = s.store;
  const thread = store.createThread('invoices');
  const run = store.createRun({ threadId: thread.id, task: 'rename <the> files', provider: 'openai' });
  const ref = store.putBlob(Buffer.from('not really a png'), 'png');
  store.appendMany(run.id, [
    { type: 'run_started', task: run.task, provider: 'openai', display: ':1', screen: { width: 1280, height: 800 }, options: {} },
    { type: 'step_started', step: 1 },
    { type: 'screenshot_captured', step: 1, ref, image: { width: 1024, height: 640 }, screen: { width: 1280, height: 800 }, ms: 12 },
    { type: 'model_responded', step: 1, thought: 'click the <b>file</b>', actions: 1, ms: 800, usage: { inputTokens: 900, outputTokens: 40 } },
    { type: 'run_finished', answer: 'renamed', steps: 1 },
  ]);
  store.setRunStatus(run.id, 'done', { answer: 'renamed' });
  return { thread, run, ref };
}

describe('AppService', () => {
  it('parses every input: bad input, unknown commands and missing things are told apart', async () => {
    service = await openTestService();
    expect(await failure(service.call('threads.create', { title: '' }))).toMatchObject({ code: 'bad_input' });
    expect(await failure(service.call('threads.create', { title: 'x', extra: 1 }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/extra/) });
    expect(await failure(service.call('runs.events', { runId: 'nope' }))).toMatchObject({ code: 'not_found' });
    expect(await failure(service.call('runs.control', { runId: 'nope', action: 'explode' }))).toMatchObject({ code: 'bad_input' });
    expect(await failure(service.call('rm.rf', {}))).toMatchObject({ code: 'unknown_command' });
    expect(await failure(service.call('__proto__', {}))).toMatchObject({ code: 'unknown_command' });
  });

  it('creates, searches, renames and deletes threads, telling subscribers', async () => {
    service = await openTestService();
    const seen: string[] = [];
    service.onEvent((e) => seen.push(e.kind));
    const a = (await service.call('threads.create', { title: 'Invoices' })) as { id: string };
    await service.call('threads.create', { title: 'Spreadsheets' });
    expect(((await service.call('threads.list', { search: 'invo' })) as { id: string }[]).map((t) => t.id)).toEqual([a.id]);
    expect(await service.call('threads.rename', { threadId: a.id, title: 'Bills' })).toMatchObject({ title: 'Bills' });
    await service.call('threads.delete', { threadId: a.id });
    expect(await failure(service.call('threads.delete', { threadId: a.id }))).toMatchObject({ code: 'not_found' });
    expect(seen.filter((k) => k === 'threads_changed')).toHaveLength(4);
  });

  it('adds up a thread: its runs, steps begun, tokens, and cost only when a reply reported one', async () => {
    service = await openTestService();
    const { thread } = seedRun(service);
    expect(await service.call('threads.totals', { threadId: thread.id })).toEqual({ runs: 1, steps: 1, tokens: 940, costUsd: null });
    const second = service.store.createRun({ threadId: thread.id, task: 'again', provider: 'openai' });
    service.store.appendMany(second.id, [
      { type: 'step_started', step: 1 },
      { type: 'model_responded', step: 1, thought: '', actions: 1, ms: 10, usage: { inputTokens: 50, outputTokens: 10, costUsd: 0.25 } },
      { type: 'step_started', step: 2 },
    ]);
    expect(await service.call('threads.totals', { threadId: thread.id })).toEqual({ runs: 2, steps: 3, tokens: 1000, costUsd: 0.25 });
    expect(await failure(service.call('threads.totals', { threadId: 'nope' }))).toMatchObject({ code: 'not_found' });
  });

  it('reads events after a seq, and refuses control of a run that has ended', async () => {
    service = await openTestService();
    const { run } = seedRun(service);
    const page = (await service.call('runs.events', { runId: run.id, afterSeq: 3 })) as { events: { seq: number; type: string }[]; lastSeq: number };
    expect(page.events.map((e) => [e.seq, e.type])).toEqual([[4, 'model_responded'], [5, 'run_finished']]);
    expect(page.lastSeq).toBe(5);
    expect(await failure(service.call('runs.control', { runId: run.id, action: 'pause' }))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/done/) });
    expect(await failure(service.call('runs.steer', { runId: run.id, text: 'go left' }))).toMatchObject({ code: 'conflict' });
  });

  it('never shows a key: settings tell only whether one is set, or which variable supplies it', async () => {
    service = await openTestService({ env: { OPENROUTER_API_KEY: 'env-secret' } });
    await service.call('settings.update', {
      providers: [
        { id: 'openai', preset: 'openai', label: 'OpenAI', adapter: 'openai-responses', baseURL: '', model: 'computer-use-preview' },
        { id: 'router', preset: 'openrouter', label: 'OpenRouter', adapter: 'openai-chat', baseURL: 'https://openrouter.ai/api/v1', model: 'qwen' },
      ],
    });
    expect(await service.call('settings.setKey', { providerId: 'openai', apiKey: 'sk-very-secret' })).toEqual({ hasKey: true });
    const view = await service.call('settings.get', {});
    expect(JSON.stringify(view)).not.toMatch(/sk-very-secret|env-secret/);
    expect(view).toMatchObject({ providers: [{ id: 'openai', hasKey: true }, { id: 'router', hasKey: true, keyFromEnv: 'OPENROUTER_API_KEY' }] });
    expect(await service.call('settings.setKey', { providerId: 'openai', apiKey: null })).toEqual({ hasKey: false });
    expect(await failure(service.call('settings.setKey', { providerId: 'ghost', apiKey: 'k' }))).toMatchObject({ code: 'bad_input' });
  });

  it('refuses to start a run it could not drive, and leaves no half-written run', async () => {
    service = await openTestService();
    expect(await failure(service.call('runs.start', { task: 'do it' }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/needs an API key: set one in Settings/) });
    await service.call('settings.setKey', { providerId: 'openai', apiKey: 'sk-x' });
    // env has no DISPLAY and runOn is 'current'
    expect(await failure(service.call('runs.start', { task: 'do it' }))).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/DISPLAY is not set/) });
    expect(await service.call('runs.list', {})).toEqual([]);
    expect(await service.call('threads.list', {})).toEqual([]);
  });

  it('exports a run as JSON with its screenshots and as HTML with the text escaped', async () => {
    service = await openTestService();
    const { run, ref } = seedRun(service);
    const json = (await service.call('runs.export', { runId: run.id, format: 'json' })) as { filename: string; content: string };
    const doc = JSON.parse(json.content) as { run: { id: string }; events: unknown[]; screenshots: Record<string, string> };
    expect(json.filename).toBe(`deskpilot-run-${run.id}.json`);
    expect(doc.events).toHaveLength(5);
    expect(Buffer.from(doc.screenshots[ref]!.split(',')[1]!, 'base64').toString()).toBe('not really a png');
    const html = ((await service.call('runs.export', { runId: run.id, format: 'html' })) as { content: string }).content;
    expect(html).toContain('rename &#60;the&#62; files');
    expect(html).toContain('click the &#60;b&#62;file&#60;/b&#62;');
    expect(html).not.toContain('<b>');
    expect(html).toContain(`src="data:image/png;base64,`);
    expect(html).toMatch(/<h2>Step 1/);
  });
});
