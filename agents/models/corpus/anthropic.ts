// Claude Messages API replies, broken or odd: hand-written from what the API sends (the single computer
// tool and the computer-toolset members, bash, the text editor, custom tools), plus generated variations.
// Values such as 1e999 go through JSON.parse, as from the wire. Screenshot: CHAT_IMAGE (1024x640).
import type { AgentAction } from '../planner.ts';
import type { CorpusEntry } from './types.ts';

let seq = 0;
const id = () => `toolu_${(++seq).toString(36).padStart(8, '0')}`;

export function message(content: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'msg_corpus', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content, stop_reason: 'tool_use', stop_sequence: null,
    usage: { input_tokens: 1500, output_tokens: 60, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }, ...extra,
  };
}
export const computer = (input: unknown, extra: Record<string, unknown> = {}) => ({ type: 'tool_use', id: id(), name: 'computer', input, ...extra });
const member = (name: string, input: unknown) => ({ type: 'tool_use', id: id(), name, toolset_name: 'computer', input });
const tool = (name: string, input: unknown) => ({ type: 'tool_use', id: id(), name, input });
const text = (t: string) => ({ type: 'text', text: t });
const one = (input: unknown) => message([computer(input)]);
const fromJson = (inputJson: string) => one(JSON.parse(inputJson));
const end = (content: unknown[], reason = 'end_turn') => message(content, { stop_reason: reason });

function handWritten(): CorpusEntry[] {
  const click: AgentAction = { type: 'click', x: 512, y: 300, button: 'left' };
  return [
    // Envelopes
    { name: 'not an object', reply: 'overloaded', error: /not a message object, got "overloaded"/ },
    { name: 'null', reply: null, error: /not a message object, got null/ },
    { name: 'array of blocks', reply: [computer({ action: 'screenshot' })], error: /not a message object, got an array/ },
    { name: 'error body', reply: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, error: /the API replied with an error: Overloaded/, kind: 'api' },
    { name: 'error body without message', reply: { type: 'error', error: {} }, error: /the API replied with an error: no message/, kind: 'api' },
    { name: 'no id', reply: { type: 'message', content: [] }, error: /id: expected string/ },
    { name: 'content missing', reply: { id: 'msg_1', type: 'message' }, error: /content: expected array/ },
    { name: 'content a string', reply: message([], { content: 'click the button' }), error: /content: expected array/ },
    { name: 'role user', reply: message([text('hi')], { role: 'user' }), error: /role/ },
    { name: 'usage with strings', reply: message([text('ok')], { usage: { input_tokens: '10', output_tokens: 1 } }), error: /usage\.input_tokens/ },
    { name: 'cut off at max_tokens', reply: message([computer({ action: 'type', text: 'Dear' })], { stop_reason: 'max_tokens' }), error: /cut off at max_tokens/ },
    { name: 'text cut off at max_tokens', reply: message([text('I will now')], { stop_reason: 'max_tokens' }), error: /cut off at max_tokens/ },
    { name: 'empty content', reply: end([]), error: /neither a tool_use nor text \(stop_reason end_turn\)/ },
    { name: 'only whitespace text', reply: end([text('  \n')]), error: /neither a tool_use nor text/ },
    { name: 'only thinking', reply: end([{ type: 'thinking', thinking: 'Let me look.', signature: 'sig' }]), error: /neither a tool_use nor text/ },
    { name: 'block without type', reply: message([{ text: 'hi' }]), error: /content\[0\] has no type/ },
    { name: 'block a string', reply: message(['tool_use']), error: /content\[0\] has no type/ },
    { name: 'text block without text', reply: message([{ type: 'text' }]), error: /content\[0\] is a text block without text/ },
    // tool_use shapes
    { name: 'tool_use without id', reply: message([{ type: 'tool_use', name: 'computer', input: { action: 'screenshot' } }]), error: /tool_use that is not valid: id/ },
    { name: 'tool_use with empty id', reply: message([computer({ action: 'screenshot' }, { id: '' })]), error: /id: Too small/ },
    { name: 'tool_use without name', reply: message([{ type: 'tool_use', id: 'toolu_x', input: {} }]), error: /tool_use that is not valid: name/ },
    { name: 'tool_use input a string', reply: message([computer('{"action":"screenshot"}')]), error: /input: expected record/ },
    { name: 'tool_use input null', reply: message([computer(null)]), error: /input: expected record/ },
    { name: 'tool_use input an array', reply: message([computer([{ action: 'screenshot' }])]), error: /input: expected record/ },
    { name: 'duplicate tool_use id', reply: message([computer({ action: 'screenshot' }, { id: 'toolu_dup' }), computer({ action: 'screenshot' }, { id: 'toolu_dup' })]), error: /tool_use id toolu_dup appears twice/ },
    { name: 'unknown tool', reply: message([tool('browser', { url: 'x' })]), error: /calls the unknown tool "browser"/ },
    { name: 'capitalised Computer', reply: message([tool('Computer', { action: 'screenshot' })]), error: /unknown tool "Computer"/ },
    { name: 'unknown toolset', reply: message([{ type: 'tool_use', id: 'toolu_b', name: 'navigate', toolset_name: 'browser', input: { url: 'x' } }]), error: /unknown toolset "browser"/ },
    { name: 'toolset member unknown', reply: message([member('teleport', { coordinate: [1, 1] })]), error: /unknown computer action "teleport"/ },
    // computer actions
    { name: 'no action', reply: one({ coordinate: [10, 10] }), error: /the computer call has no action/ },
    { name: 'action a number', reply: one({ action: 3 }), error: /the computer call has no action/ },
    { name: 'OpenAI click', reply: one({ action: 'click', x: 1, y: 1 }), error: /unknown computer action "click"/ },
    { name: 'left_click with x/y', reply: one({ action: 'left_click', x: 10, y: 20 }), error: /give the point as coordinate \[x, y\], not x\/y/ },
    { name: 'coordinate a string', reply: one({ action: 'left_click', coordinate: '10,20' }), error: /coordinate must be \[x, y\] numbers, got "10,20"/ },
    { name: 'coordinate one number', reply: one({ action: 'left_click', coordinate: [10] }), error: /coordinate must be \[x, y\] numbers/ },
    { name: 'coordinate three numbers', reply: one({ action: 'left_click', coordinate: [10, 20, 30] }), error: /coordinate must be \[x, y\] numbers/ },
    { name: 'coordinate an object', reply: one({ action: 'left_click', coordinate: { x: 1, y: 2 } }), error: /coordinate must be \[x, y\] numbers/ },
    { name: 'click at right edge', reply: one({ action: 'left_click', coordinate: [1024, 10] }), error: /point \(1024, 10\) is outside the 1024x640 screenshot/ },
    { name: 'click at bottom edge', reply: one({ action: 'left_click', coordinate: [10, 640] }), error: /point \(10, 640\) is outside/ },
    { name: 'click in 1920 screen pixels', reply: one({ action: 'double_click', coordinate: [1800, 1000] }), error: /point \(1800, 1000\) is outside/ },
    { name: 'click negative', reply: one({ action: 'right_click', coordinate: [-1, 5] }), error: /point \(-1, 5\) is outside/ },
    { name: 'mouse_move without coordinate (hand-written)', reply: one({ action: 'mouse_move' }), error: /mouse_move needs coordinate/ },
    { name: 'mouse_move with text', reply: one({ action: 'mouse_move', coordinate: [1, 1], text: 'hello' }), error: /mouse_move takes no text/ },
    { name: 'drag without end', reply: one({ action: 'left_click_drag', start_coordinate: [1, 1] }), error: /left_click_drag needs coordinate/ },
    { name: 'drag start off-screen', reply: one({ action: 'left_click_drag', start_coordinate: [5000, 1], coordinate: [1, 1] }), error: /point \(5000, 1\) is outside/ },
    { name: 'modifiers in text and key disagree', reply: one({ action: 'left_click', coordinate: [1, 1], text: 'shift', key: 'ctrl' }), error: /text "shift" and key "ctrl" name different modifiers/ },
    { name: 'unknown modifier', reply: one({ action: 'left_click', coordinate: [1, 1], text: 'hyper' }), error: /unknown key "hyper"/ },
    { name: 'key without text (hand-written)', reply: one({ action: 'key' }), error: /key needs text/ },
    { name: 'key empty text', reply: one({ action: 'key', text: '' }), error: /key needs text/ },
    { name: 'key unknown name', reply: one({ action: 'key', text: 'ctrl+flux' }), error: /unknown key "flux"/ },
    { name: 'key repeat zero', reply: one({ action: 'key', text: 'Down', repeat: 0 }), error: /repeat must be a whole number from 1 to 100/ },
    { name: 'key repeat 1000', reply: one({ action: 'key', text: 'Down', repeat: 1000 }), error: /repeat must be a whole number/ },
    { name: 'type without text (hand-written)', reply: one({ action: 'type' }), error: /type needs text/ },
    { name: 'type text a number', reply: one({ action: 'type', text: 42 }), error: /invalid type: text/ },
    { name: 'scroll without direction', reply: one({ action: 'scroll', coordinate: [1, 1], scroll_amount: 3 }), error: /scroll_direction must be up, down, left or right, got undefined/ },
    { name: 'scroll direction sideways', reply: one({ action: 'scroll', coordinate: [1, 1], scroll_direction: 'sideways', scroll_amount: 3 }), error: /scroll_direction must be/ },
    { name: 'scroll amount missing', reply: one({ action: 'scroll', coordinate: [1, 1], scroll_direction: 'down' }), error: /scroll_amount must be a whole number from 1 to 100, got undefined/ },
    { name: 'scroll amount fractional', reply: one({ action: 'scroll', coordinate: [1, 1], scroll_direction: 'down', scroll_amount: 2.5 }), error: /scroll_amount must be a whole number/ },
    { name: 'scroll amount in pixels', reply: one({ action: 'scroll', coordinate: [1, 1], scroll_direction: 'down', scroll_amount: 500 }), error: /scroll_amount must be a whole number from 1 to 100, got number 500/ },
    { name: 'wait negative', reply: one({ action: 'wait', duration: -1 }), error: /duration must be seconds from 0 to 600/ },
    { name: 'wait an hour', reply: one({ action: 'wait', duration: 3600 }), error: /duration must be seconds/ },
    { name: 'wait as string', reply: one({ action: 'wait', duration: '2s' }), error: /duration must be seconds from 0 to 600, got "2s"/ },
    { name: 'hold_key without duration', reply: one({ action: 'hold_key', text: 'shift' }), error: /hold_key: duration must be seconds/ },
    { name: 'zoom without region (hand-written)', reply: one({ action: 'zoom' }), error: /zoom: region must be \[x1, y1, x2, y2\] numbers, got undefined/ },
    { name: 'zoom region inverted', reply: one({ action: 'zoom', region: [100, 100, 50, 50] }), error: /region \[100, 100, 50, 50\] is not a box inside/ },
    { name: 'zoom region off-screen', reply: one({ action: 'zoom', region: [0, 0, 2000, 100] }), error: /is not a box inside the 1024x640 screenshot/ },
    { name: 'second tool_use broken', reply: message([computer({ action: 'screenshot' }), computer({ action: 'type' }, { id: 'toolu_b2' })]), error: /tool_use toolu_b2: type needs text/ },
    { name: 'unicode action name', reply: one({ action: 'lеft_click', coordinate: [1, 1] }), error: /unknown computer action "lеft_click"/ },

    // Odd but valid: exactly these actions.
    { name: 'click with a thought', reply: message([text('I will click Save.'), computer({ action: 'left_click', coordinate: [512, 300] })]), actions: [click] },
    { name: 'toolset member click', reply: message([member('left_click', { coordinate: [512, 300] })]), actions: [click] },
    { name: 'toolset key with repeat', reply: message([member('key', { text: 'Down', repeat: 3 })]), actions: [1, 2, 3].map(() => ({ type: 'keypress', keys: 'Down' })) },
    { name: 'modifiers in text', reply: one({ action: 'left_click', coordinate: [512, 300], text: 'ctrl+shift' }), actions: [{ ...click, keys: ['ctrl', 'shift'] }] },
    { name: 'modifiers in key', reply: one({ action: 'double_click', coordinate: [10, 20], key: 'shift' }), actions: [{ type: 'double_click', x: 10, y: 20, keys: ['shift'] }] },
    { name: 'middle and triple click', reply: message([computer({ action: 'middle_click', coordinate: [1, 2] }), computer({ action: 'triple_click', coordinate: [3, 4] })]), actions: [{ type: 'click', x: 1, y: 2, button: 'middle' }, { type: 'triple_click', x: 3, y: 4 }] },
    { name: 'click without coordinate after a move', reply: message([computer({ action: 'mouse_move', coordinate: [40, 50] }), computer({ action: 'left_click' })]), actions: [{ type: 'move', x: 40, y: 50 }, { type: 'click', x: 40, y: 50, button: 'left' }] },
    { name: 'click without a known pointer answers itself', reply: one({ action: 'left_click' }), actions: [{ type: 'screenshot' }] },
    { name: 'drag', reply: one({ action: 'left_click_drag', start_coordinate: [1, 2], coordinate: [300, 400] }), actions: [{ type: 'drag', path: [{ x: 1, y: 2 }, { x: 300, y: 400 }], button: 'left' }] },
    { name: 'mouse down and up', reply: message([computer({ action: 'left_mouse_down' }), computer({ action: 'left_mouse_up', coordinate: [9, 9] })]), actions: [{ type: 'mouse_down', button: 'left' }, { type: 'mouse_up', x: 9, y: 9, button: 'left' }] },
    { name: 'scroll with coordinate', reply: one({ action: 'scroll', coordinate: [500, 300], scroll_direction: 'down', scroll_amount: 5 }), actions: [{ type: 'scroll', x: 500, y: 300, direction: 'down', amount: 5 }] },
    { name: 'scroll with modifiers answers an error', reply: one({ action: 'scroll', coordinate: [500, 300], scroll_direction: 'up', scroll_amount: 2, text: 'ctrl' }), actions: [{ type: 'screenshot' }] },
    { name: 'xdotool key sequence', reply: one({ action: 'key', text: 'ctrl+a BackSpace' }), actions: [{ type: 'keypress', keys: 'ctrl+a BackSpace' }] },
    { name: 'hold_key', reply: one({ action: 'hold_key', text: 'shift', duration: 1.5 }), actions: [{ type: 'keypress', keys: 'shift' }, { type: 'wait', ms: 1500 }] },
    { name: 'wait seconds', reply: one({ action: 'wait', duration: 2 }), actions: [{ type: 'wait', ms: 2000 }] },
    { name: 'type unicode', reply: one({ action: 'type', text: 'Grüße, 世界 👋\n' }), actions: [{ type: 'type', text: 'Grüße, 世界 👋\n' }] },
    { name: 'cursor_position and zoom answer themselves', reply: message([computer({ action: 'cursor_position' }), computer({ action: 'zoom', region: [0, 0, 100, 50] })]), actions: [{ type: 'screenshot' }, { type: 'screenshot' }] },
    { name: 'screenshot', reply: one({ action: 'screenshot' }), actions: [{ type: 'screenshot' }] },
    { name: 'bash is the shell tool', reply: message([tool('bash', { command: 'ls ~' })]), actions: [{ type: 'tool', name: 'shell', input: { command: 'ls ~' } }] },
    { name: 'bash restart answers itself', reply: message([tool('bash', { restart: true })]), actions: [{ type: 'screenshot' }] },
    { name: 'editor view', reply: message([tool('str_replace_based_edit_tool', { command: 'view', path: '/home/u/a.txt' })]), actions: [{ type: 'tool', name: 'read_file', input: { path: '/home/u/a.txt' } }] },
    { name: 'editor view of a folder', reply: message([tool('str_replace_based_edit_tool', { command: 'view', path: '/home/u/' })]), actions: [{ type: 'tool', name: 'list_dir', input: { path: '/home/u/' } }] },
    { name: 'editor create', reply: message([tool('str_replace_based_edit_tool', { command: 'create', path: '/tmp/n.txt', file_text: 'x' })]), actions: [{ type: 'tool', name: 'write_file', input: { path: '/tmp/n.txt', content: 'x' } }] },
    { name: 'editor str_replace', reply: message([tool('str_replace_based_edit_tool', { command: 'str_replace', path: '/tmp/n.txt', old_str: 'a', new_str: 'b' })]), actions: [{ type: 'tool', name: 'edit_file', input: { path: '/tmp/n.txt', old_str: 'a', new_str: 'b' } }] },
    { name: 'editor undo answers itself', reply: message([tool('str_replace_based_edit_tool', { command: 'undo_edit', path: '/tmp/n.txt' })]), actions: [{ type: 'screenshot' }] },
    { name: 'custom tool', reply: message([tool('load_skill', { name: 'pdf' })]), actions: [{ type: 'tool', name: 'load_skill', input: { name: 'pdf' } }] },
    { name: 'thinking then a call', reply: message([{ type: 'thinking', thinking: 'The button is top left.', signature: 's' }, computer({ action: 'left_click', coordinate: [512, 300] })]), actions: [click] },
    { name: 'redacted thinking is kept out', reply: message([{ type: 'redacted_thinking', data: 'xyz' }, computer({ action: 'screenshot' })]), actions: [{ type: 'screenshot' }] },
    { name: 'text only is the answer', reply: end([text('The invoice total is 1,234.50 EUR.')]), actions: [{ type: 'done', answer: 'The invoice total is 1,234.50 EUR.' }], answer: 'The invoice total is 1,234.50 EUR.' },
    { name: 'refusal', reply: end([text('I cannot help with that.')], 'refusal'), actions: [{ type: 'fail', reason: 'the model refused: I cannot help with that.' }] },
    { name: 'refusal without text', reply: end([], 'refusal'), actions: [{ type: 'fail', reason: 'the model refused' }] },
    { name: 'no usage', reply: message([computer({ action: 'screenshot' })], { usage: undefined }), actions: [{ type: 'screenshot' }] },
    { name: 'fractional pixels', reply: one({ action: 'mouse_move', coordinate: [10.5, 639.9] }), actions: [{ type: 'move', x: 10.5, y: 639.9 }] },
    { name: 'corner pixels', reply: message([computer({ action: 'left_click', coordinate: [0, 0] }), computer({ action: 'left_click', coordinate: [1023, 639] })]), actions: [{ type: 'click', x: 0, y: 0, button: 'left' }, { type: 'click', x: 1023, y: 639, button: 'left' }] },
    { name: 'stop_reason pause_turn with a call', reply: message([computer({ action: 'screenshot' })], { stop_reason: 'pause_turn' }), actions: [{ type: 'screenshot' }] },
  ];
}

const SEEDS: Record<string, unknown>[] = [
  { action: 'left_click', coordinate: [512, 300] },
  { action: 'right_click', coordinate: [100, 200] },
  { action: 'double_click', coordinate: [100, 200] },
  { action: 'mouse_move', coordinate: [700, 100] },
  { action: 'left_click_drag', start_coordinate: [10, 20], coordinate: [300, 400] },
  { action: 'scroll', coordinate: [400, 400], scroll_direction: 'down', scroll_amount: 3 },
  { action: 'type', text: 'quarterly report' },
  { action: 'key', text: 'ctrl+s' },
  { action: 'wait', duration: 1 },
  { action: 'zoom', region: [10, 10, 200, 100] },
];

const BAD_COORD: { json: string; error: RegExp }[] = [
  { json: '"12"', error: /must be \[x, y\] numbers/ },
  { json: 'null', error: /must be \[x, y\] numbers|needs/ },
  { json: 'true', error: /must be \[x, y\] numbers/ },
  { json: '{}', error: /must be \[x, y\] numbers/ },
  { json: '1e999', error: /must be \[x, y\] numbers/ },
  { json: '-1', error: /is outside the 1024x640 screenshot/ },
  { json: '-0.5', error: /is outside the 1024x640 screenshot/ },
  { json: '99999', error: /is outside the 1024x640 screenshot/ },
  { json: '1e15', error: /is outside the 1024x640 screenshot/ },
];

function generated(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  // Every bad value in each coordinate slot of the pointing seeds.
  for (const seed of SEEDS) {
    for (const field of ['coordinate', 'start_coordinate'] as const) {
      const c = seed[field] as number[] | undefined;
      if (!c) continue;
      for (const slot of [0, 1]) {
        for (const bad of BAD_COORD) {
          const json = `[${slot === 0 ? `${bad.json}, ${c[1]}` : `${c[0]}, ${bad.json}`}]`;
          const input = `{"action":"${String(seed.action)}",${Object.entries(seed).filter(([k]) => k !== 'action').map(([k, v]) => `"${k}":${k === field ? json : JSON.stringify(v)}`).join(',')}}`;
          out.push({ name: `${String(seed.action)} ${field}[${slot}]=${bad.json}`, generated: true, reply: fromJson(input), error: bad.error });
        }
      }
    }
  }
  // A required field missing from each seed.
  const required: Record<string, string[]> = {
    mouse_move: ['coordinate'], left_click_drag: ['coordinate'], scroll: ['scroll_direction', 'scroll_amount'], type: ['text'], key: ['text'], zoom: ['region'],
  };
  for (const seed of SEEDS) {
    for (const field of required[String(seed.action)] ?? []) {
      const { [field]: _dropped, ...rest } = seed;
      out.push({ name: `${String(seed.action)} without ${field}`, generated: true, reply: one(rest), error: new RegExp(`${field}|needs`) });
    }
  }
  // Unknown action names, as models invent them (OpenAI's, UI-TARS's, Gemini's).
  for (const name of ['click', 'move', 'drag', 'keypress', 'hotkey', 'press', 'scroll_down', 'type_text', 'click_at', 'finished', 'done', 'answer', 'navigate', 'LEFT_CLICK', 'left_click ', 'Left_Click', 'doubleclick', 'rightclick', 'hover', 'open_app', 'take_screenshot', 'key_combination', '']) {
    out.push({ name: `unknown action "${name}"`, generated: true, reply: one({ action: name, coordinate: [10, 10] }), error: new RegExp(`unknown computer action ${escape(JSON.stringify(name))}`) });
  }
  // The same unknown names as toolset members.
  for (const name of ['click', 'keypress', 'hotkey', 'finished', 'navigate', 'hover', 'Screenshot']) {
    out.push({ name: `unknown toolset member "${name}"`, generated: true, reply: message([member(name, { coordinate: [1, 1] })]), error: new RegExp(`unknown computer action ${escape(JSON.stringify(name))}`) });
  }
  // A broken call among good ones: the whole reply is refused, no partial batch.
  for (let at = 0; at < 3; at++) {
    const list = [computer({ action: 'left_click', coordinate: [1, 1] }), computer({ action: 'type', text: 'a' }), computer({ action: 'wait', duration: 1 })];
    list[at] = computer({ action: 'left_click', coordinate: [5000, 1] }, { id: `toolu_bad${at}` });
    out.push({ name: `batch of 3 with call ${at} off-screen`, generated: true, reply: message(list), error: new RegExp(`tool_use toolu_bad${at}: left_click: point \\(5000, 1\\) is outside`) });
  }
  // Scroll amounts and durations out of range.
  for (const amount of [0, -3, 101, 1.5, '3', null]) {
    out.push({ name: `scroll_amount ${JSON.stringify(amount)}`, generated: true, reply: one({ action: 'scroll', coordinate: [1, 1], scroll_direction: 'up', scroll_amount: amount }), error: /scroll_amount must be a whole number/ });
  }
  for (const d of [-0.1, 601, '1', null, true]) {
    out.push({ name: `wait duration ${JSON.stringify(d)}`, generated: true, reply: one({ action: 'wait', duration: d }), error: /duration must be seconds/ });
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function anthropicCorpus(): CorpusEntry[] {
  return [...handWritten(), ...generated()];
}
