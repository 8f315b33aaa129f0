// Responses API outputs, broken or odd, for the existing openai-responses parser: hand-written from
// what the API and compatible servers send, plus generated variations. Values such as 1e999 go through
// JSON.parse, as from the wire (they arrive as Infinity). Screenshot: CHAT_IMAGE (1024x640).
import type { AgentAction } from '../planner.ts';
import type { CorpusEntry } from './types.ts';

let seq = 0;
const callId = () => `call_${(++seq).toString(36).padStart(6, '0')}`;

export function response(output: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'resp_corpus', object: 'response', created_at: 1735689600, status: 'completed', model: 'computer-use-preview',
    output, usage: { input_tokens: 1500, output_tokens: 60, total_tokens: 1560 }, ...extra,
  };
}
export const computerCall = (action: unknown, extra: Record<string, unknown> = {}) => ({ type: 'computer_call', id: 'cu_1', call_id: callId(), action, pending_safety_checks: [], status: 'completed', ...extra });
const message = (text: string) => ({ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] });
const one = (action: unknown) => response([computerCall(action)]);
/** A reply whose action is given as JSON text, parsed as the SDK would. */
const fromJson = (actionJson: string) => one(JSON.parse(actionJson));

function handWritten(): CorpusEntry[] {
  const click: AgentAction = { type: 'click', x: 512, y: 300, button: 'left' };
  return [
    { name: 'not an object', reply: 'rate limited', error: /not a response with an output array/ },
    { name: 'null', reply: null, error: /not a response with an output array/ },
    { name: 'array', reply: [computerCall({ type: 'screenshot' })], error: /not a response with an output array/ },
    { name: 'no id', reply: { object: 'response', output: [] }, error: /id: expected string/ },
    { name: 'empty id', reply: response([], { id: '' }), error: /id: Too small/ },
    { name: 'output not array', reply: response([], { output: { type: 'computer_call' } }), error: /output: expected array/ },
    { name: 'output missing', reply: { id: 'resp_1', status: 'completed' }, error: /output: expected array/ },
    { name: 'usage with strings', reply: response([message('ok')], { usage: { input_tokens: '5', output_tokens: 1 } }), error: /usage\.input_tokens/ },
    { name: 'failed response', reply: response([], { status: 'failed', error: { code: 'server_error', message: 'The model crashed.' } }), error: /the model failed the response: The model crashed\./, kind: 'api' },
    { name: 'failed without reason', reply: response([], { status: 'failed' }), error: /no reason given/, kind: 'api' },
    { name: 'incomplete with no action', reply: response([{ type: 'reasoning', id: 'rs', summary: [] }], { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }), error: /incomplete \(max_output_tokens\) and has no action/ },
    { name: 'empty output', reply: response([]), error: /neither a computer_call, a function_call nor a message/ },
    { name: 'only reasoning', reply: response([{ type: 'reasoning', id: 'rs', summary: [{ type: 'summary_text', text: 'Thinking about it.' }] }]), error: /neither a computer_call, a function_call nor a message/ },
    { name: 'only a web search call', reply: response([{ type: 'web_search_call', id: 'ws', status: 'completed' }]), error: /neither a computer_call, a function_call nor a message/ },
    { name: 'item without type', reply: response([{ call_id: 'c', action: { type: 'screenshot' } }]), error: /output\[0\] has no type/ },
    { name: 'item a string', reply: response(['computer_call']), error: /output\[0\] has no type/ },
    { name: 'message without content', reply: response([{ type: 'message', role: 'assistant' }]), error: /output\[0\] is a message without a content array/ },
    { name: 'message content a string', reply: response([{ type: 'message', content: 'hello' }]), error: /without a content array/ },
    { name: 'empty message text', reply: response([message('')]), error: /neither a computer_call, a function_call nor a message/ },
    { name: 'computer_call without call_id', reply: response([{ type: 'computer_call', id: 'cu', action: { type: 'screenshot' } }]), error: /computer_call that is not valid: call_id/ },
    { name: 'computer_call with empty call_id', reply: response([computerCall({ type: 'screenshot' }, { call_id: '' })]), error: /call_id: Too small/ },
    { name: 'computer_call without action', reply: response([{ type: 'computer_call', id: 'cu', call_id: 'call_x', pending_safety_checks: [] }]), error: /computer_call call_x has no action/ },
    { name: 'computer_call with empty actions', reply: response([{ type: 'computer_call', id: 'cu', call_id: 'call_y', actions: [] }]), error: /computer_call call_y has no action/ },
    { name: 'safety checks not an array', reply: response([computerCall({ type: 'screenshot' }, { pending_safety_checks: 'none' })]), error: /pending_safety_checks: expected array/ },
    { name: 'safety check without id', reply: response([computerCall({ type: 'screenshot' }, { pending_safety_checks: [{ code: 'x' }] })]), error: /pending_safety_checks\.0\.id/ },
    { name: 'actions not an array', reply: response([computerCall(undefined, { actions: { type: 'click' } })]), error: /actions: expected array/ },
    { name: 'done as a computer action', reply: one({ type: 'done', answer: 'ok' }), error: /unknown action type "done"/ },
    { name: 'ask_user as a computer action', reply: one({ type: 'ask_user', question: 'which?' }), error: /unknown action type "ask_user"/ },
    { name: 'action a string', reply: one('click(10, 20)'), error: /an action must be an object, got "click\(10, 20\)"/ },
    { name: 'action null', reply: one(null), error: /an action must be an object, got null/ },
    { name: 'action an array', reply: one([{ type: 'click', x: 1, y: 1 }]), error: /an action must be an object, got an array/ },
    { name: 'action without type', reply: one({ x: 10, y: 20 }), error: /unknown action type undefined/ },
    { name: 'keypress keys as a string', reply: one({ type: 'keypress', keys: 'CTRL+S' }), error: /keys: expected array, received string/ },
    { name: 'keypress no keys', reply: one({ type: 'keypress', keys: [] }), error: /keypress needs at least one key/ },
    { name: 'button middle', reply: one({ type: 'click', button: 'middle', x: 1, y: 1 }), error: /button: Invalid option/ },
    { name: 'drag one point', reply: one({ type: 'drag', path: [{ x: 1, y: 1 }] }), error: /a drag needs at least a start and an end point/ },
    { name: 'drag with held keys', reply: one({ type: 'drag', path: [{ x: 1, y: 1 }, { x: 5, y: 5 }], keys: ['SHIFT'] }), error: /a drag with held keys \[SHIFT\] cannot be performed/ },
    { name: 'scroll with held keys', reply: one({ type: 'scroll', x: 1, y: 1, scroll_x: 0, scroll_y: 100, keys: ['CTRL'] }), error: /a scroll with held keys \[CTRL\]/ },
    { name: 'scroll of nothing', reply: one({ type: 'scroll', x: 1, y: 1, scroll_x: 0, scroll_y: 0 }), error: /moves nothing/ },
    { name: 'scroll of a million px', reply: one({ type: 'scroll', x: 1, y: 1, scroll_x: 0, scroll_y: 1e6 }), error: /more than the 100 allowed/ },
    { name: 'back click with keys', reply: one({ type: 'click', button: 'back', x: 1, y: 1, keys: ['SHIFT'] }), error: /back click with held keys/ },
    { name: 'wait negative', reply: one({ type: 'wait', ms: -1 }), error: /invalid wait action: ms/ },
    { name: 'second action of a batch broken', reply: response([computerCall(undefined, { call_id: 'call_b', actions: [{ type: 'click', x: 1, y: 1 }, { type: 'type' }] })]), error: /computer_call call_b action 1: invalid type action: text/ },
    { name: 'second computer_call broken', reply: response([computerCall({ type: 'screenshot' }), computerCall({ type: 'teleport' }, { call_id: 'call_t' })]), error: /computer_call call_t: unknown action type "teleport"/ },

    // Odd but valid.
    { name: 'batch in one call', reply: response([computerCall(undefined, { actions: [{ type: 'click', x: 512, y: 300 }, { type: 'type', text: 'hi' }] })]), actions: [click, { type: 'type', text: 'hi' }] },
    { name: 'action and empty actions', reply: response([computerCall({ type: 'click', x: 512, y: 300 }, { actions: [] })]), actions: [click] },
    { name: 'two computer calls', reply: response([computerCall({ type: 'click', x: 512, y: 300 }), computerCall({ type: 'wait' })]), actions: [click, { type: 'wait', ms: 1000 }] },
    { name: 'scroll both axes', reply: one({ type: 'scroll', x: 10, y: 20, scroll_x: 250, scroll_y: -120 }), actions: [{ type: 'scroll', x: 10, y: 20, direction: 'up', amount: 1 }, { type: 'scroll', x: 10, y: 20, direction: 'right', amount: 3 }] },
    { name: 'keys null on click', reply: one({ type: 'click', button: 'left', x: 512, y: 300, keys: null }), actions: [click] },
    { name: 'unicode typing', reply: one({ type: 'type', text: 'Ünïcödé ✓ 日本語' }), actions: [{ type: 'type', text: 'Ünïcödé ✓ 日本語' }] },
    { name: 'text reply is the answer', reply: response([message('The total is 42.')]), actions: [{ type: 'done', answer: 'The total is 42.' }], answer: 'The total is 42.' },
    { name: 'refusal', reply: response([{ type: 'message', content: [{ type: 'refusal', refusal: 'I cannot do that.' }] }]), actions: [{ type: 'fail', reason: 'the model refused: I cannot do that.' }] },
    { name: 'unknown item beside a call', reply: response([{ type: 'web_search_call', id: 'ws' }, computerCall({ type: 'screenshot' })]), actions: [{ type: 'screenshot' }] },
    { name: 'incomplete but with an action', reply: response([computerCall({ type: 'screenshot' })], { status: 'incomplete' }), actions: [{ type: 'screenshot' }] },
    { name: 'fractional coordinates', reply: one({ type: 'move', x: 10.25, y: 20.75 }), actions: [{ type: 'move', x: 10.25, y: 20.75 }] },
    // Parsed, then refused by the loop's geometry (it checks image bounds; this parser does not know them).
    { name: 'click off the right edge', reply: one({ type: 'click', button: 'left', x: 1024, y: 10 }), actions: [{ type: 'click', x: 1024, y: 10, button: 'left' }], offscreen: true },
    { name: 'click at negative x', reply: one({ type: 'click', button: 'left', x: -4, y: 10 }), actions: [{ type: 'click', x: -4, y: 10, button: 'left' }], offscreen: true },
    { name: 'move in 1920 screen pixels', reply: one({ type: 'move', x: 1800, y: 1000 }), actions: [{ type: 'move', x: 1800, y: 1000 }], offscreen: true },
    { name: 'drag end off-screen', reply: one({ type: 'drag', path: [{ x: 1, y: 1 }, { x: 1, y: 5000 }] }), actions: [{ type: 'drag', path: [{ x: 1, y: 1 }, { x: 1, y: 5000 }], button: 'left' }], offscreen: true },
    { name: 'huge but finite', reply: fromJson('{"type":"double_click","x":1e300,"y":5}'), actions: [{ type: 'double_click', x: 1e300, y: 5 }], offscreen: true },
  ];
}

const SEEDS: Record<string, unknown>[] = [
  { type: 'click', button: 'left', x: 512, y: 300 },
  { type: 'double_click', x: 100, y: 200 },
  { type: 'move', x: 700, y: 100 },
  { type: 'scroll', x: 400, y: 400, scroll_x: 0, scroll_y: 300 },
  { type: 'drag', path: [{ x: 10, y: 20 }, { x: 300, y: 400 }] },
  { type: 'type', text: 'hello' },
  { type: 'keypress', keys: ['CTRL', 'S'] },
  { type: 'wait', ms: 500 },
];

const BAD: { json: string; error: RegExp }[] = [
  { json: '"12"', error: /expected number, received string/ },
  { json: '"NaN"', error: /expected number, received string/ },
  { json: 'null', error: /expected number, received null/ },
  { json: 'true', error: /expected number, received boolean/ },
  { json: '[]', error: /expected number, received array/ },
  { json: '{}', error: /expected number, received object/ },
  { json: '1e999', error: /expected number, received Infinity/ },
  { json: '-1e999', error: /expected number, received -Infinity/ },
];

function generated(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  for (const seed of SEEDS) {
    const fields = Object.keys(seed).filter((k) => k !== 'type' && k !== 'button' && k !== 'ms');
    // A field missing: a reply cut short or half-remembered.
    for (const field of fields) {
      const { [field]: _dropped, ...rest } = seed;
      out.push({ name: `${String(seed.type)} without ${field}`, generated: true, reply: one(rest), error: new RegExp(`invalid ${String(seed.type)} action: ${field}: expected \\w+, received undefined`) });
    }
    // Wrong values in the number fields.
    for (const field of fields.filter((f) => typeof seed[f] === 'number')) {
      for (const bad of BAD) {
        const json = JSON.stringify(seed).replace(`"${field}":${String(seed[field])}`, `"${field}":${bad.json}`);
        out.push({ name: `${String(seed.type)} ${field}=${bad.json}`, generated: true, reply: fromJson(json), error: new RegExp(`${field}: ${bad.error.source}`) });
      }
    }
    // Wrong types in the other fields.
    for (const field of fields.filter((f) => typeof seed[f] !== 'number')) {
      for (const bad of ['42', 'null', '{}', 'true']) {
        const json = JSON.stringify({ ...seed, [field]: JSON.parse(bad) });
        out.push({ name: `${String(seed.type)} ${field}=${bad}`, generated: true, reply: fromJson(json), error: new RegExp(`invalid ${String(seed.type)} action: ${field}: expected`) });
      }
    }
  }
  // Drag path points.
  for (const bad of BAD) {
    out.push({ name: `drag path end x=${bad.json}`, generated: true, reply: fromJson(`{"type":"drag","path":[{"x":1,"y":1},{"x":${bad.json},"y":2}]}`), error: new RegExp(`path\\.1\\.x: ${bad.error.source}`) });
  }
  // Unknown action types, as models invent them.
  for (const type of ['teleport', 'left_click', 'right_click', 'triple_click', 'hotkey', 'key', 'press', 'type_text', 'mouse_move', 'Click', 'CLICK', 'click ', 'scroll_down', 'zoom', 'navigate', 'done', 'fail', 'ask_user', 'terminate', 'finished', '']) {
    out.push({ name: `unknown type "${type}"`, generated: true, reply: one({ type, x: 10, y: 10 }), error: new RegExp(`unknown action type ${JSON.stringify(type).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
  }
  // The envelope's fields with the wrong type.
  for (const [field, value, error] of [['id', 42, /id: expected string/], ['output', 'none', /output: expected array/], ['output', null, /output: expected array/], ['usage', 'lots', /usage: expected object/], ['status', 7, /status: expected string/], ['error', 'oops', /error: expected object/]] as const) {
    out.push({ name: `envelope ${field}=${JSON.stringify(value)}`, generated: true, reply: response([message('x')], { [field]: value }), error });
  }
  // Buttons, waits, keys and held keys the schema does not allow.
  for (const button of ['middle', 'LEFT', 'primary', '1', '']) {
    out.push({ name: `click button ${JSON.stringify(button)}`, generated: true, reply: one({ type: 'click', button, x: 5, y: 5 }), error: /invalid click action: button: Invalid option/ });
  }
  for (const [ms, error] of [[-1, /ms: Too small/], [1.5, /ms: expected int/], ['1000', /ms: expected number, received string/], [600_001, /ms: Too big/], [null, /ms: expected number, received null/], [true, /ms: expected number, received boolean/]] as const) {
    out.push({ name: `wait ms=${JSON.stringify(ms)}`, generated: true, reply: one({ type: 'wait', ms }), error });
  }
  for (const keys of [[''], [1], [null], ['CTRL', 2], 'CTRL']) {
    out.push({ name: `keypress keys=${JSON.stringify(keys)}`, generated: true, reply: one({ type: 'keypress', keys }), error: /invalid keypress action: keys/ });
  }
  for (const held of [['SHIFT'], ['CTRL', 'ALT']]) {
    out.push({ name: `drag holding ${held.join('+')}`, generated: true, reply: one({ type: 'drag', path: [{ x: 1, y: 1 }, { x: 2, y: 2 }], keys: held }), error: /a drag with held keys .* held keys are supported on click and double_click only/ });
    out.push({ name: `move holding ${held.join('+')}`, generated: true, reply: one({ type: 'move', x: 1, y: 1, keys: held }), error: /a move with held keys/ });
    out.push({ name: `scroll holding ${held.join('+')}`, generated: true, reply: one({ type: 'scroll', x: 1, y: 1, scroll_x: 0, scroll_y: 100, keys: held }), error: /a scroll with held keys/ });
  }
  for (const id of [42, null, {}]) {
    out.push({ name: `call_id ${JSON.stringify(id)}`, generated: true, reply: response([computerCall({ type: 'screenshot' }, { call_id: id })]), error: /computer_call that is not valid: call_id: expected string/ });
  }
  // Off-screen points parse (the loop refuses them): each seed with a point moved out.
  for (const seed of SEEDS.filter((s) => 'x' in s)) {
    for (const [x, y] of [[-1, 5], [5, -1], [1024, 5], [5, 640], [99999, 99999]] as const) {
      const action = { ...seed, x, y };
      const expected = seed.type === 'click' ? [{ type: 'click', x, y, button: 'left' }]
        : seed.type === 'scroll' ? [{ type: 'scroll', x, y, direction: 'down', amount: 3 }]
        : [{ type: seed.type, x, y }];
      out.push({ name: `${String(seed.type)} at (${x}, ${y})`, generated: true, reply: one(action), actions: expected as AgentAction[], offscreen: true });
    }
  }
  return out;
}

export function responsesCorpus(): CorpusEntry[] {
  return [...handWritten(), ...generated(), ...functionCalls()];
}

const fnCall = (name: unknown, args: unknown, extra: Record<string, unknown> = {}) => ({ type: 'function_call', id: 'fc_1', call_id: callId(), name, arguments: args, status: 'completed', ...extra });

/** Function calls of the run's tools (shell, read_file: CORPUS_TOOL_NAMES), broken and odd. */
function functionCalls(): CorpusEntry[] {
  const ls: AgentAction = { type: 'tool', name: 'shell', input: { command: 'ls -la ~' } };
  const out: CorpusEntry[] = [
    { name: 'fn: arguments cut short', reply: response([fnCall('shell', '{"command": "ls -la')]), error: /function_call call_\w+: the arguments are not valid JSON/ },
    { name: 'fn: python dict arguments', reply: response([fnCall('shell', "{'command': 'ls'}")]), error: /not valid JSON/ },
    { name: 'fn: markdown fenced arguments', reply: response([fnCall('shell', '```json\n{"command":"ls"}\n```')]), error: /not valid JSON/ },
    { name: 'fn: empty arguments', reply: response([fnCall('shell', '')]), error: /the arguments are empty/ },
    { name: 'fn: arguments missing', reply: response([fnCall('shell', undefined)]), error: /must be a JSON object, got undefined/ },
    { name: 'fn: arguments an array', reply: response([fnCall('shell', '["ls"]')]), error: /must be a JSON object, got an array/ },
    { name: 'fn: arguments a string', reply: response([fnCall('shell', '"ls -la"')]), error: /must be a JSON object, got string/ },
    { name: 'fn: arguments a number', reply: response([fnCall('shell', '42')]), error: /must be a JSON object, got number/ },
    { name: 'fn: arguments null', reply: response([fnCall('shell', 'null')]), error: /must be a JSON object, got null/ },
    { name: 'fn: arguments a bare array value', reply: response([fnCall('shell', ['ls'])]), error: /must be a JSON object, got an array/ },
    { name: 'fn: missing name', reply: response([{ type: 'function_call', id: 'fc', call_id: 'call_n', arguments: '{}' }]), error: /function_call that is not valid: name: the function call has no name/ },
    { name: 'fn: empty name', reply: response([fnCall('', '{}', { call_id: 'call_e' })]), error: /function_call call_e: the function call has an empty name/ },
    { name: 'fn: blank name', reply: response([fnCall('  ', '{}')]), error: /the function call has an empty name/ },
    { name: 'fn: name a number', reply: response([fnCall(7, '{}')]), error: /name: expected string, received number/ },
    { name: 'fn: unknown tool', reply: response([fnCall('browser', '{"url":"x"}')]), error: /calls an unknown tool "browser"; the tools are "shell", "read_file"/ },
    { name: 'fn: capitalised tool', reply: response([fnCall('Shell', '{"command":"ls"}')]), error: /unknown tool "Shell"/ },
    { name: 'fn: prefixed tool', reply: response([fnCall('functions.shell', '{"command":"ls"}')]), error: /unknown tool "functions\.shell"/ },
    { name: 'fn: the computer as a function', reply: response([fnCall('computer', '{"action":"click"}')]), error: /unknown tool "computer"/ },
    { name: 'fn: no call_id', reply: response([{ type: 'function_call', id: 'fc', name: 'shell', arguments: '{}' }]), error: /function_call that is not valid: call_id/ },
    { name: 'fn: empty call_id', reply: response([fnCall('shell', '{}', { call_id: '' })]), error: /function_call that is not valid: call_id: Too small/ },
    { name: 'fn: good call then a broken computer call', reply: response([fnCall('shell', '{"command":"ls"}'), computerCall({ type: 'teleport' }, { call_id: 'call_tp' })]), error: /computer_call call_tp: unknown action type "teleport"/ },
    { name: 'fn: computer call then a broken function call', reply: response([computerCall({ type: 'screenshot' }), fnCall('shell', '[1]', { call_id: 'call_arr' })]), error: /function_call call_arr: the arguments must be a JSON object, got an array/ },
    { name: 'fn: second of three calls unknown', reply: response([fnCall('shell', '{"command":"a"}'), fnCall('python', '{}', { call_id: 'call_py' }), fnCall('shell', '{"command":"b"}')]), error: /function_call call_py: calls an unknown tool "python"/ },

    // Odd but valid.
    { name: 'fn: one shell call', reply: response([fnCall('shell', '{"command":"ls -la ~"}')]), actions: [ls] },
    { name: 'fn: arguments sent as an object', reply: response([fnCall('shell', { command: 'ls -la ~' })]), actions: [ls] },
    { name: 'fn: pretty-printed arguments', reply: response([fnCall('read_file', '{\n  "path": "/home/u/a.txt"\n}')]), actions: [{ type: 'tool', name: 'read_file', input: { path: '/home/u/a.txt' } }] },
    { name: 'fn: empty object input', reply: response([fnCall('shell', '{}')]), actions: [{ type: 'tool', name: 'shell', input: {} }] },
    { name: 'fn: unicode input', reply: response([fnCall('shell', JSON.stringify({ command: 'echo "Grüße 世界"' }))]), actions: [{ type: 'tool', name: 'shell', input: { command: 'echo "Grüße 世界"' } }] },
    { name: 'fn: several calls in order', reply: response([fnCall('shell', '{"command":"a"}'), fnCall('read_file', '{"path":"b"}'), fnCall('shell', '{"command":"c"}')]), actions: [{ type: 'tool', name: 'shell', input: { command: 'a' } }, { type: 'tool', name: 'read_file', input: { path: 'b' } }, { type: 'tool', name: 'shell', input: { command: 'c' } }] },
    { name: 'fn: mixed with computer calls, in order', reply: response([computerCall({ type: 'click', button: 'left', x: 5, y: 6 }), fnCall('shell', '{"command":"ls -la ~"}'), computerCall({ type: 'type', text: 'ok' })]), actions: [{ type: 'click', x: 5, y: 6, button: 'left' }, ls, { type: 'type', text: 'ok' }] },
    { name: 'fn: with a message, the text is a thought not an answer', reply: response([message('Let me look at the folder first.'), fnCall('shell', '{"command":"ls -la ~"}')]), actions: [ls] },
    { name: 'fn: extra null fields kept for the tool schema to judge', reply: response([fnCall('shell', '{"command":"ls -la ~","cwd":null}')]), actions: [{ type: 'tool', name: 'shell', input: { command: 'ls -la ~', cwd: null } }] },
  ];
  // Arguments cut at many points: a strict prefix of a JSON object is never valid JSON.
  const json = JSON.stringify({ command: 'find ~/Invoices -name "*.pdf" | sort', timeout_ms: 30000 });
  for (const cut of [1, 2, 5, 10, 20, 30, 40, 50, json.length - 1]) {
    out.push({ name: `fn: arguments cut at ${cut}`, generated: true, reply: response([fnCall('shell', json.slice(0, cut))]), error: /function_call call_\w+: the arguments are not valid JSON/ });
  }
  // Every JSON value that is not an object.
  for (const [value, what] of [['[]', 'an array'], ['[{"command":"ls"}]', 'an array'], ['"{\\"command\\":\\"ls\\"}"', 'string'], ['0', 'number'], ['-1.5', 'number'], ['true', 'boolean'], ['false', 'boolean'], ['null', 'null']] as const) {
    out.push({ name: `fn: arguments value ${value}`, generated: true, reply: response([fnCall('read_file', value)]), error: new RegExp(`must be a JSON object, got ${what}`) });
  }
  // Names a model may invent for the tools it was offered.
  for (const name of ['bash', 'run_shell', 'shell_exec', 'terminal', 'exec', 'readFile', 'read-file', 'file_read', 'write_file', 'list_dir', 'load_skill', 'SHELL', 'shell ', ' shell', 'shell\u200b']) {
    out.push({ name: `fn: unknown tool ${JSON.stringify(name)}`, generated: true, reply: response([fnCall(name, '{"command":"ls"}')]), error: /calls an unknown tool/ });
  }
  return out;
}
