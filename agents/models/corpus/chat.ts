// Chat Completions replies with tool calls, broken or odd: hand-written from what OpenAI, vLLM, Ollama
// and LM Studio send, plus generated variations. Screenshot: CHAT_IMAGE (1024x640).
import type { AgentAction } from '../planner.ts';
import { BAD_NUMBERS_JSON } from './types.ts';
import { ChunkAssembler } from '../openai-chat-transport.ts';
import type { CorpusEntry } from './types.ts';

let seq = 0;
export function call(args: unknown, name = 'computer', id?: string): Record<string, unknown> {
  return { id: id ?? `call_${(++seq).toString(36).padStart(6, '0')}`, type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } };
}

export function completion(message: Record<string, unknown>, finishReason: string | null = 'tool_calls', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'chatcmpl-corpus', object: 'chat.completion', created: 1735689600, model: 'gpt-4o',
    choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finishReason, logprobs: null }],
    usage: { prompt_tokens: 1200, completion_tokens: 40, total_tokens: 1240 },
    ...extra,
  };
}

const calls = (...cs: Record<string, unknown>[]) => completion({ tool_calls: cs });
const text = (content: string, finish = 'stop') => completion({ content }, finish);

function handWritten(): CorpusEntry[] {
  const click: AgentAction = { type: 'click', x: 512, y: 300, button: 'left' };
  return [
    // Envelopes
    { name: 'not an object', reply: 'Sorry, I cannot help with that.', error: /not a chat completion object, got string/ },
    { name: 'null', reply: null, error: /got null/ },
    { name: 'array', reply: [], error: /got an array/ },
    { name: 'no choices', reply: { id: 'x', choices: [] }, error: /no choices/ },
    { name: 'choices missing', reply: { id: 'x', object: 'chat.completion' }, error: /choices/ },
    { name: 'choices not array', reply: { choices: { 0: {} } }, error: /choices/ },
    { name: 'message null', reply: { choices: [{ message: null, finish_reason: 'stop' }] }, error: /choices\[0\]\.message is not a chat message/ },
    { name: 'message a string', reply: { choices: [{ message: 'click 10 20', finish_reason: 'stop' }] }, error: /choices\[0\]\.message is not a chat message/ },
    { name: 'server error body', reply: { error: { message: 'The model `gpt-5o` does not exist', type: 'invalid_request_error' } }, error: /server replied with an error: The model `gpt-5o` does not exist/, kind: 'api' },
    { name: 'vllm error object', reply: { object: 'error', message: 'bad', error: { message: 'At most 1 image(s) may be provided in one request.' } }, error: /At most 1 image/, kind: 'api' },
    { name: 'tool_calls not array', reply: completion({ tool_calls: { id: 'a' } }), error: /tool_calls/ },
    { name: 'content a number', reply: completion({ content: 42 }), error: /content/ },
    { name: 'usage with strings', reply: completion({ content: 'ok' }, 'stop', { usage: { prompt_tokens: '12', completion_tokens: 3 } }), error: /usage\.prompt_tokens/ },
    // Empty and prose
    { name: 'empty content, no calls', reply: text(''), error: /neither a tool call nor text/ },
    { name: 'null content, no calls', reply: completion({ content: null }, 'stop'), error: /neither a tool call nor text/ },
    { name: 'whitespace only', reply: text('  \n\t '), error: /neither a tool call nor text/ },
    { name: 'prose cut off at the token limit', reply: text('I will click on the File menu and then', 'length'), error: /text but no tool call \(the reply was cut off at the token limit\)/ },
    { name: 'content filter', reply: text('', 'content_filter'), error: /stopped by the content filter/ },
    { name: 'empty tool_calls with length', reply: completion({ content: '', tool_calls: [] }, 'length'), error: /cut off at the token limit/ },
    // Tool call shapes
    { name: 'tool call without id', reply: completion({ tool_calls: [{ type: 'function', function: { name: 'computer', arguments: '{"action":"screenshot"}' } }] }), error: /tool call 0 is not a function call: id/ },
    { name: 'tool call with empty id', reply: calls(call({ action: 'screenshot' }, 'computer', '')), error: /the tool call has no id/ },
    { name: 'tool call without function', reply: completion({ tool_calls: [{ id: 'call_1', type: 'function' }] }), error: /tool call 0 is not a function call: function/ },
    { name: 'function without name', reply: completion({ tool_calls: [{ id: 'call_1', type: 'function', function: { arguments: '{}' } }] }), error: /function\.name/ },
    { name: 'custom tool call', reply: completion({ tool_calls: [{ id: 'call_1', type: 'custom', custom: { name: 'computer', input: 'click' } }] }), error: /tool call 0 is not a function call/ },
    { name: 'tool call a string', reply: completion({ tool_calls: ['computer({"action":"click"})'] }), error: /tool call 0 is not a function call/ },
    { name: 'unknown function', reply: calls(call({ action: 'click', x: 1, y: 1 }, 'browser')), error: /calls an unknown function "browser"; the tools are "computer", "shell", "read_file"/ },
    { name: 'function named like the action', reply: calls(call({ x: 10, y: 10 }, 'click')), error: /unknown function "click"/ },
    { name: 'capitalised function', reply: calls(call({ action: 'click', x: 1, y: 1 }, 'Computer')), error: /unknown function "Computer"/ },
    { name: 'hermes-style name with prefix', reply: calls(call({ action: 'click', x: 1, y: 1 }, 'functions.computer')), error: /unknown function "functions\.computer"/ },
    { name: 'second call unknown', reply: calls(call({ action: 'click', x: 1, y: 1 }), call({}, 'search_web')), error: /tool call 1 \(call_\w+\) calls an unknown function "search_web"/ },
    // Arguments
    { name: 'empty arguments', reply: calls(call('')), error: /the arguments are empty/ },
    { name: 'arguments cut at the token limit', reply: completion({ tool_calls: [call('{"action": "type", "text": "Dear Sir or Madam, I am writing to')] }, 'length'), error: /not valid JSON \(the reply was cut off at the token limit\)/ },
    { name: 'python dict arguments', reply: calls(call("{'action': 'click', 'x': 10, 'y': 20}")), error: /not valid JSON/ },
    { name: 'trailing comma', reply: calls(call('{"action": "click", "x": 10, "y": 20,}')), error: /not valid JSON/ },
    { name: 'two JSON objects in one call', reply: calls(call('{"action":"click","x":1,"y":2}{"action":"type","text":"a"}')), error: /not valid JSON/ },
    { name: 'markdown fenced arguments', reply: calls(call('```json\n{"action":"click","x":1,"y":2}\n```')), error: /not valid JSON/ },
    { name: 'arguments an array', reply: calls(call('[{"action":"click","x":1,"y":2}]')), error: /must be a JSON object, got an array/ },
    { name: 'arguments a string', reply: calls(call('"click"')), error: /must be a JSON object, got string/ },
    { name: 'arguments null', reply: calls(call('null')), error: /must be a JSON object, got null/ },
    { name: 'arguments a number', reply: calls(call('42')), error: /must be a JSON object, got number/ },
    { name: 'no action field', reply: calls(call({ x: 10, y: 20 })), error: /have no "action"/ },
    { name: 'action and type disagree', reply: calls(call({ action: 'click', type: 'double_click', x: 1, y: 2 })), error: /name two actions: action "click" and type "double_click"/ },
    { name: 'action null and nothing else', reply: calls(call({ action: null, x: 1, y: 2 })), error: /have no "action"/ },
    { name: 'action a number', reply: calls(call({ action: 1, x: 1, y: 2 })), error: /unknown action type number 1/ },
    { name: 'action an array', reply: calls(call({ action: ['click'], x: 1, y: 2 })), error: /unknown action type an array/ },
    { name: 'left_click (Anthropic name)', reply: calls(call({ action: 'left_click', coordinate: [10, 20] })), error: /unknown action type "left_click"/ },
    { name: 'coordinate array instead of x/y', reply: calls(call({ action: 'click', coordinate: [10, 20] })), error: /x: expected number, received undefined/ },
    { name: 'x/y nested in a point', reply: calls(call({ action: 'move', point: { x: 10, y: 20 } })), error: /x: expected number/ },
    { name: 'keys as a plus string', reply: calls(call({ action: 'keypress', keys: 'ctrl+s' })), error: /keys: expected array, received string/ },
    { name: 'keys empty', reply: calls(call({ action: 'keypress', keys: [] })), error: /keypress needs at least one key/ },
    { name: 'keys with an unknown key', reply: calls(call({ action: 'keypress', keys: ['ctrl', 'hyperspace'] })), error: /unknown key "hyperspace"/ },
    { name: 'keys with an empty name', reply: calls(call({ action: 'keypress', keys: ['ctrl', ''] })), error: /keys\.1/ },
    { name: 'click with unknown held key', reply: calls(call({ action: 'click', x: 5, y: 5, keys: ['fn'] })), error: /unknown key "fn"/ },
    { name: 'button middle (schema says wheel)', reply: calls(call({ action: 'click', x: 5, y: 5, button: 'middle' })), error: /button: Invalid option/ },
    { name: 'drag with one point', reply: calls(call({ action: 'drag', path: [{ x: 1, y: 1 }] })), error: /a drag needs at least a start and an end point/ },
    { name: 'drag path as pairs', reply: calls(call({ action: 'drag', path: [[1, 1], [5, 5]] })), error: /path\.0/ },
    { name: 'drag end off-screen', reply: calls(call({ action: 'drag', path: [{ x: 10, y: 10 }, { x: 2000, y: 10 }] })), error: /drag: end point \(2000, 10\) is outside the 1024x640 screenshot/ },
    { name: 'drag middle point negative', reply: calls(call({ action: 'drag', path: [{ x: 10, y: 10 }, { x: -3, y: 5 }, { x: 20, y: 20 }] })), error: /drag: point 1 \(-3, 5\) is outside/ },
    { name: 'scroll of nothing', reply: calls(call({ action: 'scroll', x: 10, y: 10, scroll_x: 0, scroll_y: 0 })), error: /moves nothing/ },
    { name: 'scroll without a point', reply: calls(call({ action: 'scroll', scroll_y: 300 })), error: /x: expected number, received undefined/ },
    { name: 'scroll of a million pixels', reply: calls(call({ action: 'scroll', x: 10, y: 10, scroll_x: 0, scroll_y: 1e6 })), error: /more than the 100 allowed/ },
    { name: 'scroll direction instead of pixels', reply: calls(call({ action: 'scroll', x: 10, y: 10, direction: 'down' })), error: /scroll_x: expected number/ },
    { name: 'type with a number', reply: calls(call({ action: 'type', text: 12345 })), error: /text: expected string, received number/ },
    { name: 'type with content instead of text', reply: calls(call({ action: 'type', content: 'hello' })), error: /text: expected string, received undefined/ },
    { name: 'wait negative', reply: calls(call({ action: 'wait', ms: -100 })), error: /wait action: ms/ },
    { name: 'wait fractional', reply: calls(call({ action: 'wait', ms: 1.5 })), error: /ms: expected int/ },
    { name: 'wait an hour', reply: calls(call({ action: 'wait', ms: 3_600_000 })), error: /ms: Too big/ },
    { name: 'wait in seconds as string', reply: calls(call({ action: 'wait', ms: '2s' })), error: /ms: expected number, received string/ },
    { name: 'ask_user without question', reply: calls(call({ action: 'ask_user' })), error: /question: expected string/ },
    { name: 'ask_user empty question', reply: calls(call({ action: 'ask_user', question: '' })), error: /question: Too small/ },
    { name: 'done with a numeric answer', reply: calls(call({ action: 'done', answer: 42 })), error: /answer: expected string, received number/ },
    { name: 'fail with an object reason', reply: calls(call({ action: 'fail', reason: { why: 'no' } })), error: /reason: expected string, received object/ },
    { name: 'click at the right edge', reply: calls(call({ action: 'click', x: 1024, y: 10 })), error: /click: point \(1024, 10\) is outside the 1024x640 screenshot/ },
    { name: 'click at the bottom edge', reply: calls(call({ action: 'click', x: 10, y: 640 })), error: /point \(10, 640\) is outside/ },
    { name: 'click in screen pixels of a 1920 screen', reply: calls(call({ action: 'click', x: 1800, y: 1000 })), error: /point \(1800, 1000\) is outside/ },
    { name: 'click in relative 0..1 units', reply: calls(call({ action: 'click', x: 0.5, y: -0.1 })), error: /point \(0\.5, -0\.1\) is outside/ },
    { name: 'second of three calls broken', reply: calls(call({ action: 'click', x: 1, y: 1 }), call({ action: 'type', text: null }), call({ action: 'keypress', keys: ['enter'] })), error: /tool call 1 \(call_\w+\): invalid type action: text: expected string, received undefined/ },
    { name: 'unicode action name', reply: calls(call({ action: 'сlick', x: 1, y: 1 })), error: /unknown action type "сlick"/ },
    { name: 'zero-width space in action', reply: calls(call({ action: 'click\u200b', x: 1, y: 1 })), error: /unknown action type "click\u200b"/ },
    { name: 'huge argument string', reply: calls(call(`{"action":"type","text":"${'a'.repeat(5000)}`)), error: /not valid JSON.*\(5\d{3} chars\)/ },

    // Odd but valid: each must give exactly these actions.
    { name: 'several tool calls', reply: calls(call({ action: 'click', x: 512, y: 300 }), call({ action: 'type', text: 'hello' }), call({ action: 'keypress', keys: ['enter'] })), actions: [click, { type: 'type', text: 'hello' }, { type: 'keypress', keys: ['enter'] }] },
    { name: 'every schema field, unused ones null', reply: calls(call({ action: 'click', x: 512, y: 300, button: null, keys: null, path: null, scroll_x: null, scroll_y: null, text: null, ms: null, answer: null, reason: null, question: null })), actions: [click] },
    { name: 'arguments sent as an object (Ollama)', reply: completion({ tool_calls: [{ id: 'call_o', type: 'function', function: { name: 'computer', arguments: { action: 'click', x: 512, y: 300 } } }] }), actions: [click] },
    { name: '"type" key instead of "action"', reply: calls(call({ type: 'click', x: 512, y: 300 })), actions: [click] },
    { name: 'action and type agree', reply: calls(call({ action: 'click', type: 'click', x: 512, y: 300 })), actions: [click] },
    { name: 'tool call without type field', reply: completion({ tool_calls: [{ id: 'call_t', function: { name: 'computer', arguments: '{"action":"screenshot"}' } }] }), actions: [{ type: 'screenshot' }] },
    { name: 'pretty-printed arguments', reply: calls(call('{\n  "action": "double_click",\n  "x": 100,\n  "y": 200\n}')), actions: [{ type: 'double_click', x: 100, y: 200 }] },
    { name: 'unicode text to type', reply: calls(call({ action: 'type', text: 'Grüße, 世界 👋\n' })), actions: [{ type: 'type', text: 'Grüße, 世界 👋\n' }] },
    { name: 'fractional pixels', reply: calls(call({ action: 'move', x: 10.5, y: 639.9 })), actions: [{ type: 'move', x: 10.5, y: 639.9 }] },
    { name: 'corner pixels', reply: calls(call({ action: 'click', x: 0, y: 0 }), call({ action: 'click', x: 1023, y: 639 })), actions: [{ type: 'click', x: 0, y: 0, button: 'left' }, { type: 'click', x: 1023, y: 639, button: 'left' }] },
    { name: 'scroll on both axes', reply: calls(call({ action: 'scroll', x: 300, y: 300, scroll_x: -200, scroll_y: 300 })), actions: [{ type: 'scroll', x: 300, y: 300, direction: 'down', amount: 3 }, { type: 'scroll', x: 300, y: 300, direction: 'left', amount: 2 }] },
    { name: 'right click with ctrl', reply: calls(call({ action: 'click', x: 40, y: 50, button: 'right', keys: ['ctrl'] })), actions: [{ type: 'click', x: 40, y: 50, button: 'right', keys: ['ctrl'] }] },
    { name: 'back button', reply: calls(call({ action: 'click', x: 40, y: 50, button: 'back' })), actions: [{ type: 'keypress', keys: ['alt', 'Left'] }] },
    { name: 'wait default', reply: calls(call({ action: 'wait' })), actions: [{ type: 'wait', ms: 1000 }] },
    { name: 'done via the tool', reply: calls(call({ action: 'done', answer: 'Saved as report.odt' })), actions: [{ type: 'done', answer: 'Saved as report.odt' }], answer: 'Saved as report.odt' },
    { name: 'fail via the tool', reply: calls(call({ action: 'fail', reason: 'The file does not exist.' })), actions: [{ type: 'fail', reason: 'The file does not exist.' }] },
    { name: 'ask_user via the tool', reply: calls(call({ action: 'ask_user', question: 'Which folder?' })), actions: [{ type: 'ask_user', question: 'Which folder?' }] },
    { name: 'text only is the answer', reply: text('The invoice total is 1,234.50 EUR.'), actions: [{ type: 'done', answer: 'The invoice total is 1,234.50 EUR.' }], answer: 'The invoice total is 1,234.50 EUR.' },
    { name: 'text in content parts (some servers)', reply: completion({ content: [{ type: 'text', text: 'All ' }, { type: 'text', text: 'done.' }] }, 'stop'), actions: [{ type: 'done', answer: 'All done.' }], answer: 'All done.' },
    { name: 'refusal', reply: completion({ content: null, refusal: "I can't help with that." }, 'stop'), actions: [{ type: 'fail', reason: "the model refused: I can't help with that." }] },
    { name: 'thought with calls, finish stop (vLLM)', reply: completion({ content: 'I will open the menu.', tool_calls: [call({ action: 'click', x: 512, y: 300 })] }, 'stop'), actions: [click] },
    { name: 'reasoning_content plus a call', reply: completion({ reasoning_content: 'The button is top left.', tool_calls: [call({ action: 'click', x: 512, y: 300 })] }), actions: [click] },
    { name: 'finish_reason null (some servers)', reply: completion({ tool_calls: [call({ action: 'screenshot' })] }, null), actions: [{ type: 'screenshot' }] },
    { name: 'no usage', reply: { id: 'x', choices: [{ message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }, actions: [{ type: 'done', answer: 'ok' }], answer: 'ok' },
    { name: 'click then done in one reply', reply: calls(call({ action: 'click', x: 512, y: 300 }), call({ action: 'done', answer: 'Clicked.' })), actions: [click, { type: 'done', answer: 'Clicked.' }], answer: 'Clicked.' },
  ];
}

/** Argument JSON of valid actions, the seeds of the generated entries. */
const SEEDS: { name: string; args: Record<string, unknown> }[] = [
  { name: 'click', args: { action: 'click', x: 512, y: 300 } },
  { name: 'double_click', args: { action: 'double_click', x: 100, y: 200 } },
  { name: 'move', args: { action: 'move', x: 700, y: 100 } },
  { name: 'scroll', args: { action: 'scroll', x: 400, y: 400, scroll_x: 0, scroll_y: 300 } },
  { name: 'type', args: { action: 'type', text: 'quarterly report 2024' } },
  { name: 'keypress', args: { action: 'keypress', keys: ['ctrl', 's'] } },
  { name: 'drag', args: { action: 'drag', path: [{ x: 10, y: 20 }, { x: 300, y: 400 }] } },
];

function generated(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  // Arguments cut off at many points: a strict prefix of a JSON object is never valid JSON.
  for (const seed of SEEDS) {
    const json = JSON.stringify(seed.args);
    for (const cut of new Set([1, 2, 5, 10, 0.3, 0.5, 0.7, 0.9].map((f) => (f < 1 ? Math.floor(json.length * f) : f)))) {
      for (const finish of ['length', 'tool_calls']) {
        out.push({
          name: `${seed.name} arguments cut at ${cut} (${finish})`, generated: true,
          reply: completion({ tool_calls: [call(json.slice(0, cut))] }, finish),
          error: finish === 'length' ? /not valid JSON \(the reply was cut off at the token limit\)/ : /not valid JSON/,
        });
      }
    }
  }
  // Every bad number in every coordinate field of the pointing actions.
  for (const seed of SEEDS.filter((s) => 'x' in s.args)) {
    for (const field of ['x', 'y']) {
      for (const bad of BAD_NUMBERS_JSON) {
        const json = JSON.stringify(seed.args).replace(`"${field}":${String(seed.args[field])}`, `"${field}":${bad.json}`);
        out.push({ name: `${seed.name} ${field}=${bad.json}`, generated: true, reply: calls(call(json)), error: new RegExp(`${bad.error.source}`) });
      }
    }
  }
  // Drag points.
  for (const bad of BAD_NUMBERS_JSON) {
    const json = `{"action":"drag","path":[{"x":10,"y":20},{"x":${bad.json},"y":400}]}`;
    out.push({ name: `drag end x=${bad.json}`, generated: true, reply: calls(call(json)), error: bad.error });
  }
  // Unknown action names, as models invent them.
  for (const name of ['teleport', 'left_click', 'right_click', 'mouse_move', 'key', 'hotkey', 'press', 'type_text', 'Click', 'CLICK', 'click ', ' type', 'scroll_down', 'finish', 'finished', 'terminate', 'answer', 'navigate', 'open_app', 'zoom', 'triple_click', 'mouse_down', '']) {
    out.push({ name: `unknown action "${name}"`, generated: true, reply: calls(call({ action: name, x: 10, y: 10 })), error: new RegExp(`unknown action type ${escape(JSON.stringify(name))}`) });
  }
  // A required field missing from each seed.
  for (const seed of SEEDS) {
    for (const field of Object.keys(seed.args).filter((k) => k !== 'action')) {
      const { [field]: _dropped, ...rest } = seed.args;
      out.push({ name: `${seed.name} without ${field}`, generated: true, reply: calls(call(rest)), error: new RegExp(`${field}: expected \\w+, received undefined`) });
    }
  }
  // A broken call among good ones: the whole reply is refused, no partial batch.
  for (let at = 0; at < 3; at++) {
    const list = [call({ action: 'click', x: 1, y: 1 }), call({ action: 'type', text: 'a' }), call({ action: 'wait' })];
    list[at] = call({ action: 'click', x: 5000, y: 1 });
    out.push({ name: `batch of 3 with call ${at} off-screen`, generated: true, reply: calls(...list), error: new RegExp(`tool call ${at} \\(call_\\w+\\): click: point \\(5000, 1\\) is outside`) });
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function chatCorpus(): CorpusEntry[] {
  return [...handWritten(), ...generated(), ...functionCalls(), ...streamed()];
}

/** Calls of the run's tools (shell, read_file: CORPUS_TOOL_NAMES) beside `computer`, broken and odd. */
function functionCalls(): CorpusEntry[] {
  const ls: AgentAction = { type: 'tool', name: 'shell', input: { command: 'ls -la ~' } };
  const out: CorpusEntry[] = [
    { name: 'fn: bad JSON arguments', reply: calls(call('{"command": "ls', 'shell')), error: /tool call 0 \(call_\w+\): the arguments are not valid JSON/ },
    { name: 'fn: arguments cut at the token limit', reply: completion({ tool_calls: [call('{"command": "find / -name', 'shell')] }, 'length'), error: /not valid JSON \(the reply was cut off at the token limit\)/ },
    { name: 'fn: empty arguments', reply: calls(call('', 'shell')), error: /the arguments are empty/ },
    { name: 'fn: arguments an array', reply: calls(call('["ls"]', 'shell')), error: /must be a JSON object, got an array/ },
    { name: 'fn: arguments a string', reply: calls(call('"ls"', 'read_file')), error: /must be a JSON object, got string/ },
    { name: 'fn: arguments a number', reply: calls(call('3', 'shell')), error: /must be a JSON object, got number/ },
    { name: 'fn: arguments null', reply: calls(call('null', 'shell')), error: /must be a JSON object, got null/ },
    { name: 'fn: missing name', reply: completion({ tool_calls: [{ id: 'call_1', type: 'function', function: { arguments: '{"command":"ls"}' } }] }), error: /function\.name/ },
    { name: 'fn: empty name', reply: calls(call({ command: 'ls' }, '')), error: /the function has no name/ },
    { name: 'fn: unknown tool', reply: calls(call({ command: 'ls' }, 'bash')), error: /calls an unknown function "bash"; the tools are "computer", "shell", "read_file"/ },
    { name: 'fn: tool named like a file action', reply: calls(call({ path: 'a' }, 'write_file')), error: /unknown function "write_file"/ },
    { name: 'fn: broken computer call after a good tool call', reply: calls(call({ command: 'ls' }, 'shell'), call({ action: 'teleport' })), error: /tool call 1 \(call_\w+\): unknown action type "teleport"/ },
    { name: 'fn: broken tool call after a good computer call', reply: calls(call({ action: 'screenshot' }), call('[1]', 'shell')), error: /tool call 1 \(call_\w+\): the arguments must be a JSON object, got an array/ },

    // Odd but valid.
    { name: 'fn: one shell call', reply: calls(call({ command: 'ls -la ~' }, 'shell')), actions: [ls] },
    { name: 'fn: arguments as an object (Ollama)', reply: completion({ tool_calls: [{ id: 'call_o2', type: 'function', function: { name: 'shell', arguments: { command: 'ls -la ~' } } }] }), actions: [ls] },
    { name: 'fn: several calls in order', reply: calls(call({ command: 'a' }, 'shell'), call({ path: 'b' }, 'read_file'), call({ command: 'c' }, 'shell')), actions: [{ type: 'tool', name: 'shell', input: { command: 'a' } }, { type: 'tool', name: 'read_file', input: { path: 'b' } }, { type: 'tool', name: 'shell', input: { command: 'c' } }] },
    { name: 'fn: mixed with computer calls, in order', reply: calls(call({ action: 'click', x: 5, y: 6 }), call({ command: 'ls -la ~' }, 'shell'), call({ action: 'type', text: 'ok' })), actions: [{ type: 'click', x: 5, y: 6, button: 'left' }, ls, { type: 'type', text: 'ok' }] },
    { name: 'fn: text beside a tool call is a thought', reply: completion({ content: 'Listing the folder first.', tool_calls: [call({ command: 'ls -la ~' }, 'shell')] }, 'stop'), actions: [ls] },
  ];
  for (const [value, what] of [['[]', 'an array'], ['"x"', 'string'], ['1e3', 'number'], ['true', 'boolean']] as const) {
    out.push({ name: `fn: read_file arguments ${value}`, generated: true, reply: calls(call(value, 'read_file')), error: new RegExp(`must be a JSON object, got ${what}`) });
  }
  for (const name of ['Shell', 'functions.shell', 'run_shell', 'terminal', 'readFile', 'list_dir', 'shell ']) {
    out.push({ name: `fn: unknown tool ${JSON.stringify(name)}`, generated: true, reply: calls(call({ command: 'ls' }, name)), error: /calls an unknown function/ });
  }
  return out;
}

/** A streamed reply assembled as the transport does: each call's arguments split into `size`-character deltas. */
function stream(toolCalls: { id: string; name: string; args: string }[], size: number, finish = 'tool_calls'): unknown {
  const acc = new ChunkAssembler();
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => acc.add({ id: 'chatcmpl-s', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] });
  chunk({ role: 'assistant', content: '' });
  toolCalls.forEach((c, index) => {
    chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] });
    for (let i = 0; i < c.args.length; i += size) chunk({ tool_calls: [{ index, function: { arguments: c.args.slice(i, i + size) } }] });
  });
  chunk({}, finish);
  return acc.result();
}

/** Streamed tool calls split mid-arguments at every size, whole and cut off. */
function streamed(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  const shellArgs = JSON.stringify({ command: 'grep -r "total" ~/Invoices | head -n 5' });
  const clickArgs = JSON.stringify({ action: 'click', x: 512, y: 300 });
  for (const size of [1, 2, 3, 7, 16, 1000]) {
    out.push({
      name: `stream: shell then computer, ${size}-char deltas`, generated: true,
      reply: stream([{ id: 'call_s1', name: 'shell', args: shellArgs }, { id: 'call_s2', name: 'computer', args: clickArgs }], size),
      actions: [{ type: 'tool', name: 'shell', input: { command: 'grep -r "total" ~/Invoices | head -n 5' } }, { type: 'click', x: 512, y: 300, button: 'left' }],
    });
  }
  // The stream ended mid-arguments (the token limit, or a dropped connection before finish_reason).
  for (const cut of [1, 5, 12, shellArgs.length - 1]) {
    for (const finish of ['length', 'tool_calls']) {
      out.push({
        name: `stream: shell arguments cut at ${cut} (${finish})`, generated: true,
        reply: stream([{ id: 'call_sc', name: 'shell', args: shellArgs.slice(0, cut) }], 4, finish),
        error: finish === 'length' ? /not valid JSON \(the reply was cut off at the token limit\)/ : /tool call 0 \(call_sc\): the arguments are not valid JSON/,
      });
    }
  }
  out.push({ name: 'stream: second call cut short', generated: true, reply: stream([{ id: 'call_a1', name: 'shell', args: shellArgs }, { id: 'call_a2', name: 'read_file', args: '{"path": "/ho' }], 3), error: /tool call 1 \(call_a2\): the arguments are not valid JSON/ });
  out.push({ name: 'stream: unknown tool', generated: true, reply: stream([{ id: 'call_u', name: 'python', args: '{"code":"1"}' }], 2), error: /calls an unknown function "python"/ });
  out.push({ name: 'stream: arguments an array', generated: true, reply: stream([{ id: 'call_r', name: 'shell', args: '["ls"]' }], 2), error: /must be a JSON object, got an array/ });
  return out;
}
