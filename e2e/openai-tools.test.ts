// Tool calls through the real `openai` SDK over HTTP against the mock: the request offers the run's tools
// as function tools beside the computer tool, a function call in the reply becomes a tool action, and the
// next request answers it with the tool's output (function_call_output / a role:'tool' message).
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIResponsesPlanner } from '../agents/models/openai-responses.ts';
import type { OpenAIResponsesOptions } from '../agents/models/openai-responses.ts';
import { OpenAIChatPlanner } from '../agents/models/openai-chat.ts';
import type { OpenAIChatOptions } from '../agents/models/openai-chat.ts';
import { ModelError } from '../agents/models/planner.ts';
import type { PlannerContext } from '../agents/models/planner.ts';
import type { ToolSpec } from '../agents/tools/tool.ts';
import { startMockOpenAI } from './mock-openai/server.ts';
import type { MockOpenAI } from './mock-openai/server.ts';

let mock: MockOpenAI | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const SHELL: ToolSpec = {
  name: 'shell',
  description: 'Run a bash command in the run environment.',
  parameters: { type: 'object', properties: { command: { type: 'string', description: 'The command.' }, timeout_ms: { type: 'integer', minimum: 1 } }, required: ['command'], additionalProperties: false },
};
const READ: ToolSpec = { name: 'read_file', description: 'Read a text file.', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } };

let shot = '';
beforeAll(async () => {
  shot = `data:image/png;base64,${(await sharp({ create: { width: 16, height: 10, channels: 3, background: '#336699' } }).png().toBuffer()).toString('base64')}`;
});

function ctx(over: Partial<PlannerContext> = {}): PlannerContext {
  return { task: 'Count the invoices', step: 1, screenshot: { dataUrl: shot, image: { width: 1024, height: 640 } }, outcomes: [], userMessages: [], tools: [SHELL, READ], ...over };
}
const signal = () => new AbortController().signal;
type Item = Record<string, unknown>;
const body = (m: MockOpenAI, i: number) => m.requests[i]!.body as { [k: string]: unknown; input: Item[]; tools: Item[]; messages: Item[] };

async function modelError(p: Promise<unknown>): Promise<ModelError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ModelError);
  return err as ModelError;
}

describe('Responses planner with tools over HTTP', () => {
  const planner = (m: MockOpenAI, opts: Partial<OpenAIResponsesOptions> = {}) => new OpenAIResponsesPlanner({ baseURL: m.url, apiKey: 'sk-test', maxRetries: 0, timeoutMs: 5_000, ...opts });

  it('offers the tools beside the computer tool, parses function calls in order and answers each with its output', async () => {
    mock = await startMockOpenAI({ apiKey: 'sk-test' });
    const m = mock;
    m.setTrajectory([
      { thought: 'Count them in the shell, then look.', actions: [{ type: 'tool', name: 'shell', input: { command: 'ls ~/Invoices | wc -l' } }, { type: 'click', button: 'left', x: 10, y: 20 }, { type: 'tool', name: 'read_file', input: { path: '/home/u/notes.txt' } }] },
      { text: 'There are 12 invoices.' },
    ]);
    const p = planner(m);
    expect(p.supportsTools).toBe(true);
    const step = await p.next(ctx(), signal());
    expect(step.thought).toBe('Count them in the shell, then look.');
    expect(step.actions.map((a) => a.action)).toEqual([
      { type: 'tool', name: 'shell', input: { command: 'ls ~/Invoices | wc -l' } },
      { type: 'click', x: 10, y: 20, button: 'left' },
      { type: 'tool', name: 'read_file', input: { path: '/home/u/notes.txt' } },
    ]);
    const [shellId, clickId, readId] = step.actions.map((a) => a.callId!);
    expect(new Set([shellId, clickId, readId]).size).toBe(3);

    const first = body(m, 0);
    expect(first.tools).toEqual([
      { type: 'computer_use_preview', display_width: 1024, display_height: 640, environment: 'linux' },
      { type: 'function', name: 'shell', description: SHELL.description, parameters: SHELL.parameters, strict: false },
      { type: 'function', name: 'read_file', description: READ.description, parameters: READ.parameters, strict: false },
    ]);

    const done = await p.next(ctx({
      step: 2,
      outcomes: [
        { status: 'performed', callId: shellId, tool: { name: 'shell', output: '12\n[exit code 0]', isError: false } },
        { status: 'performed', callId: clickId },
        { status: 'rejected', callId: readId, reason: 'the operator keeps notes private', toolName: 'read_file' },
      ],
    }), signal());
    expect(done.answer).toBe('There are 12 invoices.');
    expect(m.requests.map((r) => r.reply)).toEqual(['turn', 'turn']);
    const second = body(m, 1);
    expect(second.previous_response_id).toBe(step.responseId);
    expect(second.input.filter((i) => i.type !== undefined && i.type !== 'message')).toEqual([
      { type: 'function_call_output', call_id: shellId, output: '12\n[exit code 0]' },
      { type: 'computer_call_output', call_id: clickId, output: { type: 'computer_screenshot', image_url: shot } },
      { type: 'function_call_output', call_id: readId, output: 'The operator rejected the read_file call: the operator keeps notes private' },
    ]);
    // The rejection is told once, in its output, not again as a user message.
    expect(JSON.stringify(second.input.filter((i) => i.role === 'user'))).not.toContain('notes private');
  });

  it('puts the screenshot on the user message when only function calls were answered, and the mock refuses a call left unanswered', async () => {
    mock = await startMockOpenAI({ apiKey: 'sk-test' });
    const m = mock;
    m.setTrajectory([{ actions: [{ type: 'tool', name: 'shell', input: { command: 'false' } }] }, { text: 'It failed.' }]);
    const p = planner(m);
    const step = await p.next(ctx(), signal());
    const id = step.actions[0]!.callId!;
    await p.next(ctx({ outcomes: [{ status: 'performed', callId: id, tool: { name: 'shell', output: '[exit code 1]', isError: true } }] }), signal());
    const second = body(m, 1);
    expect(second.input[0]).toEqual({ type: 'function_call_output', call_id: id, output: 'Error: the shell call did not succeed.\n[exit code 1]' });
    expect(JSON.stringify(second.input[1])).toContain(shot);

    // Without its output the API (and the mock) refuse the chained request.
    m.setTrajectory([{ actions: [{ type: 'tool', name: 'shell', input: { command: 'date' } }] }, { text: 'ok' }]);
    const q = planner(m);
    await q.next(ctx(), signal());
    const chained = q.buildBody(ctx({ outcomes: [] }));
    chained.input = [{ role: 'user', content: [{ type: 'input_text', text: 'go on' }] }];
    const res = await fetch(`${m.url}/responses`, { method: 'POST', headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' }, body: JSON.stringify(chained) });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/No tool output found for computer call call_/);
  });

  it('refuses a call of a tool it was not offered, keeps the chain, and re-asks', async () => {
    mock = await startMockOpenAI({ apiKey: 'sk-test' });
    const m = mock;
    m.setTrajectory([{ actions: [{ type: 'tool', name: 'rm_everything', input: {} }] }, { actions: [{ type: 'tool', name: 'shell', input: { command: 'ls' } }] }]);
    const p = planner(m);
    const err = await modelError(p.next(ctx(), signal()));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(/function_call call_\w+: calls an unknown tool "rm_everything"; the tools are "shell", "read_file"/);
    expect(p.lastResponseId).toBeUndefined();
    const step = await p.next(ctx({ correction: 'Call only the tools you were given.' }), signal());
    expect(step.actions[0]!.action).toEqual({ type: 'tool', name: 'shell', input: { command: 'ls' } });
    expect(body(m, 1).previous_response_id).toBeUndefined();
  });

  it('sends a GPT-5.x model the GA computer tool, a reasoning summary and compaction, and shows the summary as the thought', async () => {
    mock = await startMockOpenAI({ apiKey: 'sk-test' });
    const m = mock;
    m.setTrajectory([{ thought: 'The folder is open; list it in the shell.', actions: [{ type: 'tool', name: 'shell', input: { command: 'ls' } }] }]);
    const step = await planner(m, { model: 'gpt-5.4' }).next(ctx(), signal());
    expect(step.thought).toBe('The folder is open; list it in the shell.');
    const b = body(m, 0);
    expect(b.model).toBe('gpt-5.4');
    expect(b.tools[0]).toEqual({ type: 'computer' });
    expect(b.tools.slice(1).map((t) => t.name)).toEqual(['shell', 'read_file']);
    expect(b.reasoning).toEqual({ summary: 'auto' });
    expect(b.context_management).toEqual([{ type: 'compaction', compact_threshold: 200_000 }]);
    expect(b.truncation).toBeUndefined();

    // computer-use-preview keeps the truncation it requires and gets its concise summary.
    m.setTrajectory([{ actions: [{ type: 'wait' }] }]);
    await planner(m).next(ctx({ tools: [] }), signal());
    const preview = body(m, 0);
    expect(preview).toMatchObject({ model: 'computer-use-preview', truncation: 'auto', reasoning: { summary: 'concise' } });
    expect(preview.context_management).toBeUndefined();
    expect(preview.tools).toHaveLength(1);
  });
});

describe.each([false, true])('Chat planner with tools over HTTP (stream: %s)', (stream) => {
  const planner = (m: MockOpenAI, opts: Partial<OpenAIChatOptions> = {}) => new OpenAIChatPlanner({ baseURL: m.url, apiKey: 'sk-test', model: 'qwen2.5-vl-7b', maxRetries: 0, timeoutMs: 5_000, stream, ...opts });

  it('offers the tools beside computer, parses their calls and answers each with a role:tool message carrying the output', async () => {
    mock = await startMockOpenAI({ apiKey: 'sk-test' });
    const m = mock;
    m.setTrajectory([
      { thought: 'Shell first.', actions: [{ type: 'tool', name: 'shell', input: { command: 'grep -c total ~/Invoices/*.txt | sort' } }, { type: 'click', button: 'left', x: 10, y: 20 }] },
      { text: 'Done.' },
    ]);
    const p = planner(m, { maxTokens: 400 });
    expect(p.supportsTools).toBe(true);
    const step = await p.next(ctx(), signal());
    expect(step.thought).toBe('Shell first.');
    expect(step.actions.map((a) => a.action)).toEqual([
      { type: 'tool', name: 'shell', input: { command: 'grep -c total ~/Invoices/*.txt | sort' } },
      { type: 'click', x: 10, y: 20, button: 'left' },
    ]);
    const [shellId, clickId] = step.actions.map((a) => a.callId!);

    const first = body(m, 0);
    expect(first.tools.map((t) => (t.function as { name: string }).name)).toEqual(['computer', 'shell', 'read_file']);
    expect(first.tools[1]).toEqual({ type: 'function', function: { name: 'shell', description: SHELL.description, parameters: SHELL.parameters } });
    // A local server (not api.openai.com) gets max_tokens, the field such servers know.
    expect(first.max_tokens).toBe(400);
    expect(first.max_completion_tokens).toBeUndefined();

    const done = await p.next(ctx({ step: 2, outcomes: [{ status: 'performed', callId: shellId, tool: { name: 'shell', output: 'a.txt:3\nb.txt:9', isError: false } }, { status: 'performed', callId: clickId }] }), signal());
    expect(done.answer).toBe('Done.');
    expect(m.requests.map((r) => r.reply)).toEqual(['turn', 'turn']);
    const messages = body(m, 1).messages;
    expect(messages.map((msg) => msg.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'user']);
    expect(messages[2]!.tool_calls).toEqual([
      { id: shellId, type: 'function', function: { name: 'shell', arguments: JSON.stringify({ command: 'grep -c total ~/Invoices/*.txt | sort' }) } },
      expect.objectContaining({ id: clickId }),
    ]);
    expect(messages.filter((msg) => msg.role === 'tool')).toEqual([
      { role: 'tool', tool_call_id: shellId, content: 'a.txt:3\nb.txt:9' },
      { role: 'tool', tool_call_id: clickId, content: 'Performed. The new screenshot follows.' },
    ]);
  });

  it('refuses a call of a tool it was not offered and sends max_completion_tokens when told to', async () => {
    mock = await startMockOpenAI({ apiKey: 'sk-test' });
    const m = mock;
    m.setTrajectory([{ actions: [{ type: 'tool', name: 'python', input: { code: '1' } }] }, { actions: [{ type: 'tool', name: 'read_file', input: { path: 'a' } }] }]);
    const p = planner(m, { maxTokens: 100, maxTokensField: 'max_completion_tokens' });
    const err = await modelError(p.next(ctx(), signal()));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(/calls an unknown function "python"; the tools are "computer", "shell", "read_file"/);
    expect(p.messages).toHaveLength(0);
    const step = await p.next(ctx(), signal());
    expect(step.actions[0]!.action).toEqual({ type: 'tool', name: 'read_file', input: { path: 'a' } });
    expect(body(m, 1).max_completion_tokens).toBe(100);
    expect(body(m, 1).max_tokens).toBeUndefined();
  });
});
