// Gemini generateContent replies, broken or odd: hand-written from what the API sends (the 3.x computer-use
// actions with intents, the legacy 2.5 set, the run's own functions, safety decisions, finish reasons),
// plus generated variations. Coordinates are on the 0-999 grid of CHAT_IMAGE (1024x640): x -> round((x+0.5)*1024/1000 - 0.5).
import type { AgentAction } from '../planner.ts';
import type { CorpusEntry } from './types.ts';

/** The run's own functions the corpus is parsed with. */
export const GEMINI_TOOLS: ReadonlySet<string> = new Set(['shell', 'read_file', 'load_skill']);

let seq = 0;
export function response(parts: unknown[], extra: Record<string, unknown> = {}, finishReason: string | null = 'STOP'): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason, index: 0 }],
    usageMetadata: { promptTokenCount: 1800, candidatesTokenCount: 40, totalTokenCount: 1840 },
    modelVersion: 'gemini-3.5-flash', responseId: 'resp-corpus', ...extra,
  };
}
export const call = (name: string, args: unknown, withId = true) => ({ functionCall: { ...(withId ? { id: `fc_${(++seq).toString(36)}` } : {}), name, args } });
const text = (t: string, thought = false) => ({ text: t, ...(thought ? { thought: true } : {}) });
const one = (name: string, args: unknown) => response([call(name, args)]);
const fromJson = (name: string, argsJson: string) => one(name, JSON.parse(argsJson));

function handWritten(): CorpusEntry[] {
  const click: AgentAction = { type: 'click', x: 512, y: 320, button: 'left' };
  return [
    // Envelopes
    { name: 'not an object', reply: 'RESOURCE_EXHAUSTED', error: /not a generateContent response, got "RESOURCE_EXHAUSTED"/ },
    { name: 'null', reply: null, error: /not a generateContent response, got null/ },
    { name: 'array', reply: [call('click', { x: 1, y: 1 })], error: /not a generateContent response, got an array/ },
    { name: 'error body', reply: { error: { code: 400, message: 'Request contains an invalid argument.', status: 'INVALID_ARGUMENT' } }, error: /the API replied with an error: Request contains an invalid argument\./, kind: 'api' },
    { name: 'no candidates', reply: { usageMetadata: { promptTokenCount: 10 } }, error: /the reply has no candidates/ },
    { name: 'empty candidates', reply: { candidates: [] }, error: /the reply has no candidates/ },
    { name: 'candidates not an array', reply: { candidates: { 0: {} } }, error: /candidates: expected array/ },
    { name: 'candidate a string', reply: { candidates: ['click'] }, error: /candidates\[0\] is not a candidate/ },
    { name: 'prompt blocked', reply: { promptFeedback: { blockReason: 'SAFETY' } }, error: /the request was blocked \(SAFETY\)/, kind: 'api' },
    { name: 'prompt blocked with message', reply: { candidates: [], promptFeedback: { blockReason: 'PROHIBITED_CONTENT', blockReasonMessage: 'no' } }, error: /blocked \(PROHIBITED_CONTENT\): no/, kind: 'api' },
    { name: 'usage with strings', reply: response([text('ok')], { usageMetadata: { promptTokenCount: '10' } }), error: /usageMetadata\.promptTokenCount/ },
    { name: 'malformed function call', reply: response([], {}, 'MALFORMED_FUNCTION_CALL'), error: /malformed function call/ },
    { name: 'malformed function call with message', reply: { candidates: [{ finishReason: 'MALFORMED_FUNCTION_CALL', finishMessage: 'Malformed function call: click_at(x=1' }] }, error: /malformed function call: Malformed function call: click_at\(x=1/ },
    { name: 'cut at max tokens', reply: response([call('type_text_at', { x: 1, y: 1, text: 'Dear' })], {}, 'MAX_TOKENS'), error: /cut off at the token limit/ },
    { name: 'unexpected tool call', reply: response([], {}, 'UNEXPECTED_TOOL_CALL'), error: /refused by the API \(UNEXPECTED_TOOL_CALL\)/ },
    { name: 'too many tool calls', reply: response([], {}, 'TOO_MANY_TOOL_CALLS'), error: /TOO_MANY_TOOL_CALLS/ },
    { name: 'empty parts', reply: response([]), error: /neither a function call nor text \(finishReason STOP\)/ },
    { name: 'no content', reply: { candidates: [{ finishReason: 'STOP' }] }, error: /neither a function call nor text/ },
    { name: 'only a thought', reply: response([text('Let me look.', true)]), error: /neither a function call nor text/ },
    { name: 'parts not an array', reply: { candidates: [{ content: { parts: { text: 'x' } } }] }, error: /candidates\[0\] is not a candidate/ },
    { name: 'part a string', reply: response(['click']), error: /part 0 is not a content part/ },
    { name: 'text a number', reply: response([{ text: 5 }]), error: /part 0 is not a content part: text/ },
    // Function call shapes
    { name: 'call without name', reply: response([{ functionCall: { args: { x: 1, y: 1 } } }]), error: /function call that is not valid: name/ },
    { name: 'call with empty name', reply: response([{ functionCall: { name: '', args: {} } }]), error: /name: Too small/ },
    { name: 'call args a string', reply: response([{ functionCall: { name: 'click', args: '{"x":1}' } }]), error: /args: expected record/ },
    { name: 'call args an array', reply: response([{ functionCall: { name: 'click', args: [1, 2] } }]), error: /args: expected record/ },
    { name: 'call a string', reply: response([{ functionCall: 'click(1, 2)' }]), error: /function call that is not valid/ },
    { name: 'duplicate call id', reply: response([{ functionCall: { id: 'd', name: 'take_screenshot', args: {} } }, { functionCall: { id: 'd', name: 'take_screenshot', args: {} } }]), error: /function call id d appears twice/ },
    { name: 'unknown function', reply: one('teleport', { x: 1, y: 1 }), error: /called the unknown function "teleport"/ },
    { name: 'OpenAI keypress', reply: one('keypress', { keys: ['ctrl', 'c'] }), error: /unknown function "keypress"/ },
    { name: 'Claude left_click', reply: one('left_click', { coordinate: [1, 1] }), error: /unknown function "left_click"/ },
    { name: 'navigate excluded', reply: one('navigate', { url: 'https://example.com' }), error: /navigate is not available on a desktop/ },
    { name: 'open_web_browser excluded', reply: one('open_web_browser', {}), error: /open_web_browser is not available on a desktop/ },
    { name: 'go_back excluded', reply: one('go_back', {}), error: /go_back is not available/ },
    { name: 'key_down excluded', reply: one('key_down', { key: 'shift' }), error: /key_down is not available: Deskpilot cannot hold keys/ },
    { name: 'key_up excluded', reply: one('key_up', { key: 'shift' }), error: /key_up is not available/ },
    // Arguments
    { name: 'click given x only', reply: one('click', { x: 100 }), error: /click needs x and y \(0-999\)/ },
    { name: 'click x as string', reply: one('click', { x: '100', y: 100 }), error: /click: x must be a number on the 0-999 grid, got "100"/ },
    { name: 'click x 1000', reply: one('click', { x: 1000, y: 100 }), error: /click: x=1000 is off the 0-999 grid/ },
    { name: 'click in pixels', reply: one('click_at', { x: 1280, y: 700 }), error: /x=1280 is off the 0-999 grid/ },
    { name: 'click in 0..1 negative', reply: one('click', { x: 0.5, y: -0.1 }), error: /y=-0\.1 is off the 0-999 grid/ },
    { name: 'click button sideways', reply: one('click', { x: 1, y: 1, button: 'side' }), error: /button must be left, right or middle/ },
    { name: 'drag x and start_x disagree', reply: one('drag_and_drop', { x: 10, start_x: 20, y: 10, destination_x: 5, destination_y: 5 }), error: /x and start_x disagree/ },
    { name: 'drag without destination', reply: one('drag_and_drop', { x: 10, y: 10 }), error: /drag_and_drop needs destination_x and destination_y/ },
    { name: 'type_text_at without text', reply: one('type_text_at', { x: 1, y: 1 }), error: /type_text_at needs text/ },
    { name: 'type_text_at without point', reply: one('type_text_at', { text: 'hi' }), error: /type_text_at needs x and y/ },
    { name: 'press_enter a string', reply: one('type_text_at', { x: 1, y: 1, text: 'hi', press_enter: 'yes' }), error: /press_enter must be true or false, got "yes"/ },
    { name: 'key_combination without keys', reply: one('key_combination', {}), error: /key_combination needs keys/ },
    { name: 'key_combination unknown key', reply: one('key_combination', { keys: 'Control+Flux' }), error: /unknown key "Flux"/ },
    { name: 'hotkey empty key', reply: one('hotkey', { keys: 'ctrl++' }), error: /has an empty key/ },
    { name: 'hotkey keys a number', reply: one('hotkey', { keys: 5 }), error: /hotkey needs keys/ },
    { name: 'scroll without direction', reply: one('scroll', { x: 1, y: 1 }), error: /scroll: direction must be up, down, left or right, got undefined/ },
    { name: 'scroll_at magnitude 5000', reply: one('scroll_at', { x: 1, y: 1, direction: 'down', magnitude: 5000 }), error: /magnitude must be from 1 to 999/ },
    { name: 'scroll pixels negative', reply: one('scroll', { direction: 'down', magnitude_in_pixels: -100 }), error: /magnitude_in_pixels must be a positive number/ },
    { name: 'scroll a million pixels', reply: one('scroll', { direction: 'down', magnitude_in_pixels: 1e6 }), error: /more than the 100 allowed/ },
    { name: 'scroll_at without point', reply: one('scroll_at', { direction: 'down' }), error: /scroll_at needs x and y/ },
    { name: 'wait an hour', reply: one('wait', { seconds: 3600 }), error: /wait: seconds must be from 0 to 600/ },
    { name: 'safety decision a string', reply: one('click', { x: 1, y: 1, safety_decision: 'require_confirmation' }), error: /safety_decision is not \{decision, explanation\}/ },
    { name: 'safety decision unknown', reply: one('click', { x: 1, y: 1, safety_decision: { decision: 'maybe' } }), error: /unknown safety_decision "maybe"/ },
    { name: 'second call broken', reply: response([call('take_screenshot', {}), call('click', { x: 5000, y: 1 })]), error: /function call 1 \(click\): click: x=5000 is off the 0-999 grid/ },

    // Odd but valid.
    { name: '3.x click with intent', reply: one('click', { x: 500, y: 500, intent: 'Open the File menu.' }), actions: [click] },
    { name: 'legacy click_at', reply: one('click_at', { x: 500, y: 500 }), actions: [click] },
    { name: 'call without id', reply: response([call('click', { x: 500, y: 500 }, false)]), actions: [click] },
    { name: 'no args at all', reply: response([{ functionCall: { id: 's', name: 'take_screenshot' } }]), actions: [{ type: 'screenshot' }] },
    { name: 'right, middle, double and triple', reply: response([call('right_click', { x: 0, y: 0 }), call('middle_click', { x: 999, y: 999 }), call('double_click', { x: 100, y: 100 }), call('triple_click', { x: 100, y: 100 })]), actions: [
      { type: 'click', x: 0, y: 0, button: 'right' }, { type: 'click', x: 1023, y: 639, button: 'middle' }, { type: 'double_click', x: 102, y: 64 }, { type: 'triple_click', x: 102, y: 64 },
    ] },
    { name: 'hover_at and move', reply: response([call('hover_at', { x: 250, y: 250 }), call('move', { x: 250, y: 250 })]), actions: [{ type: 'move', x: 256, y: 160 }, { type: 'move', x: 256, y: 160 }] },
    { name: 'mouse down and up', reply: response([call('mouse_down', {}), call('mouse_up', { x: 10, y: 10, button: 'right' })]), actions: [{ type: 'mouse_down', button: 'left' }, { type: 'mouse_up', x: 10, y: 6, button: 'right' }] },
    { name: 'type_text_at default: clear, no Enter', reply: one('type_text_at', { x: 500, y: 500, text: 'hello' }), actions: [click, { type: 'keypress', keys: ['ctrl', 'a'] }, { type: 'keypress', keys: ['Delete'] }, { type: 'type', text: 'hello' }] },
    { name: 'type_text_at with Enter, no clear', reply: one('type_text_at', { x: 500, y: 500, text: 'ls', press_enter: true, clear_before_typing: false }), actions: [click, { type: 'type', text: 'ls' }, { type: 'keypress', keys: ['Return'] }] },
    { name: '3.x type without a point', reply: one('type', { text: 'Grüße 世界' }), actions: [{ type: 'type', text: 'Grüße 世界' }] },
    { name: 'key_combination', reply: one('key_combination', { keys: 'Control+Shift+T' }), actions: [{ type: 'keypress', keys: ['Control', 'Shift', 'T'] }] },
    { name: 'hotkey as an array', reply: one('hotkey', { keys: ['ctrl', 's'] }), actions: [{ type: 'keypress', keys: ['ctrl', 's'] }] },
    { name: 'press_key', reply: one('press_key', { key: 'Enter' }), actions: [{ type: 'keypress', keys: ['Enter'] }] },
    { name: 'drag with destination names', reply: one('drag_and_drop', { x: 0, y: 0, destination_x: 500, destination_y: 500 }), actions: [{ type: 'drag', path: [{ x: 0, y: 0 }, { x: 512, y: 320 }], button: 'left' }] },
    { name: 'drag with start/end names', reply: one('drag_and_drop', { start_x: 0, start_y: 0, end_x: 500, end_y: 500 }), actions: [{ type: 'drag', path: [{ x: 0, y: 0 }, { x: 512, y: 320 }], button: 'left' }] },
    { name: 'scroll_at default magnitude', reply: one('scroll_at', { x: 500, y: 500, direction: 'down' }), actions: [{ type: 'scroll', x: 512, y: 320, direction: 'down', amount: 5 }] },
    { name: 'scroll_at magnitude 400 sideways', reply: one('scroll_at', { x: 500, y: 500, direction: 'right', magnitude: 400 }), actions: [{ type: 'scroll', x: 512, y: 320, direction: 'right', amount: 4 }] },
    { name: 'scroll in pixels', reply: one('scroll', { x: 500, y: 500, direction: 'up', magnitude_in_pixels: 300 }), actions: [{ type: 'scroll', x: 512, y: 320, direction: 'up', amount: 3 }] },
    { name: 'scroll_document', reply: one('scroll_document', { direction: 'down' }), actions: [{ type: 'scroll', direction: 'down', amount: 5 }] },
    { name: 'wait_5_seconds', reply: one('wait_5_seconds', {}), actions: [{ type: 'wait', ms: 5000 }] },
    { name: 'wait seconds', reply: one('wait', { seconds: 2 }), actions: [{ type: 'wait', ms: 2000 }] },
    { name: 'require_confirmation', reply: one('click', { x: 500, y: 500, safety_decision: { decision: 'require_confirmation', explanation: 'Accepting cookies.' } }), actions: [click] },
    { name: 'regular safety decision', reply: one('click', { x: 500, y: 500, safety_decision: { decision: 'regular' } }), actions: [click] },
    { name: 'own function', reply: one('shell', { command: 'ls' }), actions: [{ type: 'tool', name: 'shell', input: { command: 'ls' } }] },
    { name: 'own function beside a click', reply: response([call('load_skill', { name: 'pdf' }), call('click', { x: 500, y: 500 })]), actions: [{ type: 'tool', name: 'load_skill', input: { name: 'pdf' } }, click] },
    { name: 'thought then a call', reply: response([text('The menu is top left.', true), call('click', { x: 500, y: 500 })]), actions: [click] },
    { name: 'thought signature part', reply: response([{ thoughtSignature: 'c2ln' }, call('click', { x: 500, y: 500 })]), actions: [click] },
    { name: 'text only is the answer', reply: response([text('The total is 1,234.50 EUR.')]), actions: [{ type: 'done', answer: 'The total is 1,234.50 EUR.' }], answer: 'The total is 1,234.50 EUR.' },
    { name: 'thought and answer', reply: response([text('Checked.', true), text('Saved as report.odt.')]), actions: [{ type: 'done', answer: 'Saved as report.odt.' }], answer: 'Saved as report.odt.' },
    { name: 'withheld for safety', reply: response([], {}, 'SAFETY'), actions: [{ type: 'fail', reason: 'the reply was withheld (SAFETY)' }] },
    { name: 'no usage', reply: { candidates: [{ content: { parts: [call('take_screenshot', {})] } }] }, actions: [{ type: 'screenshot' }] },
    { name: 'fractional grid point', reply: one('move', { x: 0.5, y: 998.9 }), actions: [{ type: 'move', x: 1, y: 639 }] },
  ];
}

const SEEDS: { name: string; args: Record<string, unknown> }[] = [
  { name: 'click', args: { x: 500, y: 500 } },
  { name: 'click_at', args: { x: 500, y: 500 } },
  { name: 'double_click', args: { x: 100, y: 200 } },
  { name: 'move', args: { x: 700, y: 100 } },
  { name: 'hover_at', args: { x: 700, y: 100 } },
  { name: 'type_text_at', args: { x: 300, y: 300, text: 'hi' } },
  { name: 'scroll_at', args: { x: 400, y: 400, direction: 'down' } },
  { name: 'drag_and_drop', args: { x: 10, y: 20, destination_x: 300, destination_y: 400 } },
];

const BAD_GRID: { json: string; error: RegExp }[] = [
  { json: '"12"', error: /must be a number on the 0-999 grid, got "12"/ },
  { json: 'true', error: /must be a number on the 0-999 grid/ },
  { json: '[]', error: /must be a number on the 0-999 grid/ },
  { json: '{}', error: /must be a number on the 0-999 grid/ },
  { json: '1e999', error: /must be a number on the 0-999 grid/ },
  { json: '-1e999', error: /must be a number on the 0-999 grid/ },
  { json: '-1', error: /=-1 is off the 0-999 grid/ },
  { json: '1000', error: /=1000 is off the 0-999 grid/ },
  { json: '1280', error: /=1280 is off the 0-999 grid/ },
  { json: '99999', error: /is off the 0-999 grid/ },
];

function generated(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  // Every bad value in every coordinate field.
  for (const seed of SEEDS) {
    for (const field of Object.keys(seed.args).filter((k) => /(^|_)[xy]$/.test(k))) {
      for (const bad of BAD_GRID) {
        const json = `{${Object.entries(seed.args).map(([k, v]) => `"${k}":${k === field ? bad.json : JSON.stringify(v)}`).join(',')}}`;
        out.push({ name: `${seed.name} ${field}=${bad.json}`, generated: true, reply: fromJson(seed.name, json), error: bad.error });
      }
    }
  }
  // A coordinate missing from each pointing seed.
  for (const seed of SEEDS) {
    for (const field of Object.keys(seed.args).filter((k) => /(^|_)[xy]$/.test(k))) {
      const { [field]: _dropped, ...rest } = seed.args;
      out.push({ name: `${seed.name} without ${field}`, generated: true, reply: one(seed.name, rest), error: /needs .* \(0-999\)/ });
    }
  }
  // Unknown function names, as models invent them.
  for (const name of ['teleport', 'left_click', 'mouse_move', 'keypress', 'type_text', 'Click', 'CLICK', 'click ', 'scroll_down', 'finish', 'done', 'answer', 'open_app', 'zoom', 'screenshot', 'computer', 'bash', 'str_replace_based_edit_tool', 'write_file']) {
    out.push({ name: `unknown function "${name}"`, generated: true, reply: one(name, { x: 10, y: 10 }), error: new RegExp(`unknown function ${escape(JSON.stringify(name))}`) });
  }
  // A broken call among good ones: the whole reply is refused.
  for (let at = 0; at < 3; at++) {
    const list = [call('click', { x: 1, y: 1 }), call('type', { text: 'a' }), call('wait_5_seconds', {})];
    list[at] = call('click', { x: 5000, y: 1 });
    out.push({ name: `batch of 3 with call ${at} off-grid`, generated: true, reply: response(list), error: new RegExp(`function call ${at} \\(click\\): click: x=5000 is off the 0-999 grid`) });
  }
  // Directions and magnitudes.
  for (const d of ['sideways', 'UP', 'north', '', 1, null]) {
    out.push({ name: `scroll direction ${JSON.stringify(d)}`, generated: true, reply: one('scroll_at', { x: 1, y: 1, direction: d }), error: /direction must be up, down, left or right/ });
  }
  for (const m of [0, -5, 1000, '800', true]) {
    out.push({ name: `scroll_at magnitude ${JSON.stringify(m)}`, generated: true, reply: one('scroll_at', { x: 1, y: 1, direction: 'down', magnitude: m }), error: /magnitude must be from 1 to 999/ });
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function geminiCorpus(): CorpusEntry[] {
  return [...handWritten(), ...generated()];
}
