// Tool calls in the OpenAI formats: request bodies (function tools beside the computer tool, the fields each
// model gets) and the parse of function calls into tool actions, with their outputs for the next request.
import { describe, expect, it } from 'vitest';
import { OpenAIResponsesPlanner } from './openai-responses.ts';
import { callOutputs, modelDefaults } from './openai-responses-request.ts';
import { parseResponsesOutput } from './openai-responses-parse.ts';
import { maxTokensFieldFor, OpenAIChatPlanner } from './openai-chat.ts';
import { parseChatCompletion } from './openai-chat-parse.ts';
import { ModelError } from './planner.ts';
import type { PlannerContext } from './planner.ts';
import type { ToolSpec } from '../tools/tool.ts';

const SHELL: ToolSpec = { name: 'shell', description: 'Run a command.', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } };
const READ: ToolSpec = { name: 'read_file', description: 'Read a file.', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } };
const shot = { dataUrl: 'data:image/png;base64,AAAA', image: { width: 1024, height: 640 } };
const ctx = (over: Partial<PlannerContext> = {}): PlannerContext => ({ task: 'Do it', step: 1, screenshot: shot, outcomes: [], userMessages: [], ...over });
const response = (output: unknown[]) => ({ id: 'resp_1', status: 'completed', output, usage: { input_tokens: 10, output_tokens: 2 } });
const fnCall = (call_id: string, name: string, args: unknown) => ({ type: 'function_call', id: `fc_${call_id}`, call_id, name, arguments: args, status: 'completed' });

function thrown(f: () => unknown): ModelError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return err as ModelError;
  }
  throw new Error('expected a ModelError');
}

describe('Responses request bodies', () => {
  it('sends the run tools as function tools beside the computer tool, with their JSON schemas', () => {
    const body = new OpenAIResponsesPlanner({ apiKey: 'k' }).buildBody(ctx({ tools: [SHELL, READ] }));
    expect(body.tools).toEqual([
      { type: 'computer_use_preview', display_width: 1024, display_height: 640, environment: 'linux' },
      { type: 'function', name: 'shell', description: 'Run a command.', parameters: SHELL.parameters, strict: false },
      { type: 'function', name: 'read_file', description: 'Read a file.', parameters: READ.parameters, strict: false },
    ]);
    expect(new OpenAIResponsesPlanner({ apiKey: 'k' }).buildBody(ctx()).tools).toHaveLength(1);
  });

  it('picks the tool, the reasoning summary and the context handling by model', () => {
    const preview = new OpenAIResponsesPlanner({ apiKey: 'k', model: 'computer-use-preview-2025-03-11' }).buildBody(ctx());
    expect(preview).toMatchObject({ truncation: 'auto', reasoning: { summary: 'concise' } });
    expect(preview.tools![0]!.type).toBe('computer_use_preview');
    expect(preview.context_management).toBeUndefined();

    const gpt5 = new OpenAIResponsesPlanner({ apiKey: 'k', model: 'gpt-5.4' }).buildBody(ctx());
    expect(gpt5.tools).toEqual([{ type: 'computer' }]);
    expect(gpt5.reasoning).toEqual({ summary: 'auto' });
    expect(gpt5.truncation).toBeUndefined();
    expect(gpt5.context_management).toEqual([{ type: 'compaction', compact_threshold: 200_000 }]);

    // An unknown name (an Azure deployment) keeps the shape such endpoints were always sent, without a summary.
    const deployment = new OpenAIResponsesPlanner({ apiKey: 'k', model: 'my-cua' }).buildBody(ctx());
    expect(deployment.tools![0]!.type).toBe('computer_use_preview');
    expect(deployment.truncation).toBe('auto');
    expect(deployment.reasoning).toBeUndefined();
    expect(modelDefaults('o3')).toMatchObject({ toolType: 'computer', reasoningSummary: 'auto' });
  });

  it('lets the settings override each choice', () => {
    const body = new OpenAIResponsesPlanner({ apiKey: 'k', model: 'gpt-5.4', toolType: 'computer_use_preview', reasoningSummary: 'off', truncation: true, compactThreshold: false }).buildBody(ctx());
    expect(body.tools![0]).toMatchObject({ type: 'computer_use_preview' });
    expect(body.reasoning).toBeUndefined();
    expect(body.truncation).toBe('auto');
    expect(body.context_management).toBeUndefined();
    const other = new OpenAIResponsesPlanner({ apiKey: 'k', model: 'my-cua', toolType: 'computer', reasoningSummary: 'detailed', truncation: false, compactThreshold: 50_000 }).buildBody(ctx());
    expect(other).toMatchObject({ tools: [{ type: 'computer' }], reasoning: { summary: 'detailed' }, context_management: [{ type: 'compaction', compact_threshold: 50_000 }] });
    expect(other.truncation).toBeUndefined();
  });

  it('answers each call of the previous response in order: screenshots for computer calls, outputs for function calls', () => {
    const items = callOutputs(
      [{ kind: 'function', id: 'c1', name: 'shell' }, { kind: 'computer', id: 'c2' }, { kind: 'function', id: 'c3', name: 'read_file' }, { kind: 'function', id: 'c4', name: 'shell' }, { kind: 'function', id: 'c5', name: 'shell' }, { kind: 'function', id: 'c6', name: 'shell' }],
      [
        { status: 'performed', callId: 'c1', tool: { name: 'shell', output: 'hello\nexit code 0', isError: false } },
        { status: 'performed', callId: 'c2', acknowledgedSafetyChecks: [{ id: 's', code: 'x', message: 'm' }] },
        { status: 'performed', callId: 'c3', tool: { name: 'read_file', output: 'no such file', isError: true } },
        { status: 'rejected', callId: 'c4', reason: 'not in my home', toolName: 'shell' },
        { status: 'failed', callId: 'c5', error: 'the input does not match the schema', toolName: 'shell' },
      ],
      shot,
    );
    expect(items).toEqual([
      { type: 'function_call_output', call_id: 'c1', output: 'hello\nexit code 0' },
      { type: 'computer_call_output', call_id: 'c2', output: { type: 'computer_screenshot', image_url: shot.dataUrl }, acknowledged_safety_checks: [{ id: 's', code: 'x', message: 'm' }] },
      { type: 'function_call_output', call_id: 'c3', output: 'Error: the read_file call did not succeed.\nno such file' },
      { type: 'function_call_output', call_id: 'c4', output: 'The operator rejected the shell call: not in my home' },
      { type: 'function_call_output', call_id: 'c5', output: 'The shell call failed: the input does not match the schema' },
      { type: 'function_call_output', call_id: 'c6', output: 'The shell call was not performed.' },
    ]);
    const withImage = callOutputs([{ kind: 'function', id: 'i', name: 'screenshot_tool' }], [{ status: 'performed', callId: 'i', tool: { name: 'screenshot_tool', output: 'ok', isError: false, images: [{ dataUrl: 'data:image/png;base64,BBBB' }] } }], shot);
    expect(withImage[0]).toEqual({ type: 'function_call_output', call_id: 'i', output: [{ type: 'input_text', text: 'ok' }, { type: 'input_image', image_url: 'data:image/png;base64,BBBB', detail: 'auto' }] });
  });
});

describe('Responses function calls', () => {
  const tools = { toolNames: ['shell', 'read_file'] };

  it('become tool actions with the call_id, in order with computer calls', () => {
    const parsed = parseResponsesOutput(response([
      { type: 'reasoning', id: 'rs', summary: [{ type: 'summary_text', text: 'List the folder, then click.' }] },
      fnCall('call_a', 'shell', '{"command":"ls ~"}'),
      { type: 'computer_call', id: 'cu', call_id: 'call_b', action: { type: 'click', button: 'left', x: 5, y: 6 }, pending_safety_checks: [] },
      fnCall('call_c', 'read_file', '{"path":"/tmp/x"}'),
    ]), tools);
    expect(parsed.step.thought).toBe('List the folder, then click.');
    expect(parsed.step.actions.map((a) => [a.callId, a.action])).toEqual([
      ['call_a', { type: 'tool', name: 'shell', input: { command: 'ls ~' } }],
      ['call_b', { type: 'click', x: 5, y: 6, button: 'left' }],
      ['call_c', { type: 'tool', name: 'read_file', input: { path: '/tmp/x' } }],
    ]);
    expect(parsed.calls).toEqual([{ kind: 'function', id: 'call_a', name: 'shell' }, { kind: 'computer', id: 'call_b' }, { kind: 'function', id: 'call_c', name: 'read_file' }]);
    expect(parsed.callIds).toEqual(['call_b']);
  });

  it('refuses bad arguments, a missing or unknown name, and any call when no tools were offered', () => {
    expect(thrown(() => parseResponsesOutput(response([fnCall('c', 'shell', '{"command": "ls"')]), tools)).message).toMatch(/function_call c: the arguments are not valid JSON/);
    expect(thrown(() => parseResponsesOutput(response([fnCall('c', 'shell', '["ls"]')]), tools)).message).toMatch(/must be a JSON object, got an array/);
    expect(thrown(() => parseResponsesOutput(response([{ type: 'function_call', call_id: 'c', arguments: '{}' }]), tools)).message).toMatch(/name: the function call has no name/);
    expect(thrown(() => parseResponsesOutput(response([fnCall('c', 'rm_everything', '{}')]), tools)).message).toMatch(/unknown tool "rm_everything"; the tools are "shell", "read_file"/);
    expect(thrown(() => parseResponsesOutput(response([fnCall('c', 'shell', '{"command":"ls"}')]))).message).toMatch(/unknown tool "shell"; no tools were offered/);
  });
});

describe('Chat tool calls', () => {
  const completion = (toolCalls: unknown[]) => ({ id: 'x', choices: [{ message: { role: 'assistant', content: null, tool_calls: toolCalls }, finish_reason: 'tool_calls' }] });
  const call = (id: string, name: string, args: string) => ({ id, type: 'function', function: { name, arguments: args } });

  it('sends the run tools beside computer and the token limit in the field the server knows', () => {
    const openai = new OpenAIChatPlanner({ apiKey: 'k', maxTokens: 500 });
    const body = openai.buildBody(openai.turnMessages(ctx()), [SHELL]);
    expect(body.tools!.map((t) => t.type === 'function' && t.function.name)).toEqual(['computer', 'shell']);
    expect(body.tools![1]).toEqual({ type: 'function', function: { name: 'shell', description: 'Run a command.', parameters: SHELL.parameters } });
    expect(body).toMatchObject({ max_completion_tokens: 500 });
    expect(body.max_tokens).toBeUndefined();

    const vllm = new OpenAIChatPlanner({ apiKey: 'k', baseURL: 'http://127.0.0.1:8000/v1', maxTokens: 500 });
    const local = vllm.buildBody(vllm.turnMessages(ctx()));
    expect(local).toMatchObject({ max_tokens: 500 });
    expect(local.max_completion_tokens).toBeUndefined();
    expect(local.tools).toHaveLength(1);
    const forced = new OpenAIChatPlanner({ apiKey: 'k', baseURL: 'http://127.0.0.1:8000/v1', maxTokens: 9, maxTokensField: 'max_completion_tokens' });
    expect(forced.buildBody([])).toMatchObject({ max_completion_tokens: 9 });

    expect(maxTokensFieldFor(undefined)).toBe('max_completion_tokens');
    expect(maxTokensFieldFor('https://api.openai.com/v1')).toBe('max_completion_tokens');
    expect(maxTokensFieldFor('https://me.openai.azure.com/openai/v1')).toBe('max_completion_tokens');
    for (const url of ['http://127.0.0.1:11434/v1', 'http://127.0.0.1:1234/v1', 'https://openrouter.ai/api/v1', 'http://api.openai.com.evil.example/v1']) expect(maxTokensFieldFor(url)).toBe('max_tokens');
  });

  it('parses calls of the run tools beside computer calls, and refuses unknown names and bad arguments', () => {
    const image = { width: 1024, height: 640 };
    const parsed = parseChatCompletion(completion([call('a', 'shell', '{"command":"date"}'), call('b', 'computer', '{"action":"screenshot"}')]), { image, toolNames: ['shell'] });
    expect(parsed.step.actions.map((a) => [a.callId, a.action])).toEqual([['a', { type: 'tool', name: 'shell', input: { command: 'date' } }], ['b', { type: 'screenshot' }]]);
    expect(parsed.callIds).toEqual(['a', 'b']);
    expect(thrown(() => parseChatCompletion(completion([call('a', 'shell', '{"command":"date"}')]), { image })).message).toMatch(/unknown function "shell"; the only tool is "computer"/);
    expect(thrown(() => parseChatCompletion(completion([call('a', 'python', '{}')]), { image, toolNames: ['shell'] })).message).toMatch(/unknown function "python"; the tools are "computer", "shell"/);
    expect(thrown(() => parseChatCompletion(completion([call('a', 'shell', '42')]), { image, toolNames: ['shell'] })).message).toMatch(/tool call 0 \(a\): the arguments must be a JSON object, got number/);
  });
});

describe('createPlanner and the computer tool', () => {
  it('follows the model, and the computerTool setting overrides it', async () => {
    const { createPlanner } = await import('./create-planner.ts');
    const tool = async (req: Parameters<typeof createPlanner>[0]) => ((await createPlanner({ apiKey: 'k', env: {}, ...req })).planner as OpenAIResponsesPlanner).buildBody(ctx()).tools![0]!.type;
    expect(await tool({ provider: 'openai' })).toBe('computer_use_preview');
    expect(await tool({ provider: 'openai', model: 'gpt-5.4' })).toBe('computer');
    expect(await tool({ provider: 'openai', model: 'gpt-5.4', computerTool: 'computer_use_preview' })).toBe('computer_use_preview');
    expect(await tool({ provider: 'openai', computerTool: 'computer' })).toBe('computer');
  });
});
