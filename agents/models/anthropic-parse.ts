// Turns a Claude Messages API reply into a PlannerStep. The reply is untrusted JSON: every field that
// decides an action is checked, and anything that cannot be used is a ModelError('malformed').
// Computer calls come as the single `computer` tool ({action, ...}) or as computer-toolset members
// (name = the action, toolset_name 'computer'); both are read into one shape.
import { z } from 'zod';
import type { Size } from '../desktop/geometry.ts';
import type { Point } from '../desktop/actions.ts';
import { parseKeys } from '../desktop/keys.ts';
import { agentActionSchema, ModelError } from './planner.ts';
import type { AgentAction, PlannerStep, ProposedAction, Usage } from './planner.ts';
import { issuesText } from './openai-actions.ts';
import { companionCall, type CompanionTools } from './anthropic-tools.ts';

/** What the adapter answers itself (no desktop action): told back in the tool_result. */
export type LocalAnswer =
  | { kind: 'text'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'zoom'; region: [number, number, number, number] };

export interface ToolUseInfo {
  id: string;
  /** The computer tool (screenshot goes back with the last one) or another tool (its output goes back). */
  kind: 'computer' | 'tool';
  local?: LocalAnswer;
  /** Appended to a performed call's result (e.g. how hold_key was done). */
  note?: string;
}

export interface ParsedMessage {
  step: PlannerStep;
  toolUses: ToolUseInfo[];
  /** The pointer after the reply's actions, in image pixels, when known. */
  cursor?: Point;
}

export interface AnthropicPrice {
  /** USD per million tokens; cache reads cost 0.1x input, cache writes 1.25x (5-minute cache). */
  input: number;
  output: number;
}

export interface AnthropicParseOptions {
  /** The screenshot the model was shown (display_width_px x display_height_px). */
  image: Size;
  /** Where the pointer is, in image pixels, when the adapter knows (clicks without a coordinate use it). */
  cursor?: Point;
  /** The run's tools on offer: custom tools by name and the companions they back. */
  tools?: CompanionTools;
  price?: AnthropicPrice;
}

const messageSchema = z.object({
  id: z.string().min(1),
  type: z.literal('message').optional(),
  role: z.literal('assistant').optional(),
  content: z.array(z.unknown()),
  stop_reason: z.string().nullish(),
  usage: z.object({
    input_tokens: z.number().nonnegative(),
    output_tokens: z.number().nonnegative(),
    cache_read_input_tokens: z.number().nonnegative().nullish(),
    cache_creation_input_tokens: z.number().nonnegative().nullish(),
  }).nullish(),
});
const blockHead = z.object({ type: z.string() });
const textBlock = z.object({ text: z.string() });
const thinkingBlock = z.object({ thinking: z.string() });
const toolUseBlock = z.object({ id: z.string().min(1), name: z.string().min(1), input: z.record(z.string(), z.unknown()), toolset_name: z.string().nullish() });

export const COMPUTER_ACTIONS = [
  'screenshot', 'left_click', 'right_click', 'middle_click', 'double_click', 'triple_click', 'left_click_drag',
  'left_mouse_down', 'left_mouse_up', 'mouse_move', 'scroll', 'key', 'hold_key', 'type', 'wait', 'cursor_position', 'zoom',
] as const;

export function parseClaudeMessage(raw: unknown, opts: AnthropicParseOptions): ParsedMessage {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw malformed(`the reply is not a message object, got ${describe(raw)}`, raw);
  const envelope = raw as Record<string, unknown>;
  if (envelope.type === 'error') {
    const err = envelope.error as { message?: unknown } | undefined;
    throw new ModelError(`the API replied with an error: ${typeof err?.message === 'string' ? err.message : 'no message'}`, 'api', raw);
  }
  const res = messageSchema.safeParse(raw);
  if (!res.success) throw malformed(`the reply is not a message with a content array: ${issuesText(res.error)}`, raw);
  const m = res.data;
  const usage = toUsage(m.usage, opts.price);
  const common = { responseId: m.id, ...(usage ? { usage } : {}) };
  if (m.stop_reason === 'max_tokens') throw malformed('the reply was cut off at max_tokens: ask for fewer actions at once', raw);

  const texts: string[] = [];
  const thinking: string[] = [];
  const actions: ProposedAction[] = [];
  const toolUses: ToolUseInfo[] = [];
  const seen = new Set<string>();
  let cursor = opts.cursor;
  m.content.forEach((block, i) => {
    const head = blockHead.safeParse(block);
    if (!head.success) throw malformed(`content[${i}] has no type`, raw);
    const type = head.data.type;
    if (type === 'text') {
      const t = textBlock.safeParse(block);
      if (!t.success) throw malformed(`content[${i}] is a text block without text`, raw);
      if (t.data.text.trim()) texts.push(t.data.text);
    } else if (type === 'thinking') {
      const t = thinkingBlock.safeParse(block);
      if (t.success && t.data.thinking.trim()) thinking.push(t.data.thinking);
    } else if (type === 'tool_use') {
      const t = toolUseBlock.safeParse(block);
      if (!t.success) throw malformed(`content[${i}] is a tool_use that is not valid: ${issuesText(t.error)}`, raw);
      const use = t.data;
      if (seen.has(use.id)) throw malformed(`tool_use id ${use.id} appears twice`, raw);
      seen.add(use.id);
      const isComputer = use.toolset_name === 'computer' || (use.name === 'computer' && !use.toolset_name);
      if (use.toolset_name && use.toolset_name !== 'computer') throw malformed(`tool_use ${use.id} belongs to the unknown toolset "${use.toolset_name}"`, raw);
      if (isComputer) {
        const input = use.toolset_name === 'computer' ? { ...use.input, action: use.name } : use.input;
        let out: ComputerOut;
        try {
          out = computerActions(input, opts.image, cursor);
        } catch (err) {
          if (err instanceof ModelError) throw malformed(`tool_use ${use.id}: ${err.message}`, raw);
          throw err;
        }
        cursor = out.cursor;
        const info: ToolUseInfo = { id: use.id, kind: 'computer', ...(out.local ? { local: out.local } : {}), ...(out.note ? { note: out.note } : {}) };
        toolUses.push(info);
        // A call answered here still needs an action for the loop: a screenshot performs nothing.
        const list = out.local ? [{ type: 'screenshot' } as AgentAction] : out.actions;
        for (const action of list) actions.push({ action, callId: use.id, raw: use.input });
      } else {
        const call = companionCall(use.name, use.input, opts.tools);
        if (call.kind === 'unknown') throw malformed(`tool_use ${use.id} calls the unknown tool "${use.name}"; the tools are ${call.known.join(', ') || 'computer only'}`, raw);
        if (call.kind === 'local') {
          toolUses.push({ id: use.id, kind: 'tool', local: { kind: 'error', text: call.error } });
          actions.push({ action: { type: 'screenshot' }, callId: use.id, raw: use.input });
        } else {
          toolUses.push({ id: use.id, kind: 'tool' });
          actions.push({ action: { type: 'tool', name: call.name, input: call.input }, callId: use.id, raw: { name: use.name, input: use.input } });
        }
      }
    }
    // Other blocks (redacted_thinking, server tool results) carry no action and are kept in history as they are.
  });

  const thought = [...thinking, ...texts].join('\n\n');
  if (actions.length > 0) return { step: { ...common, ...(thought ? { thought } : {}), actions }, toolUses, ...(cursor ? { cursor } : {}) };
  if (m.stop_reason === 'refusal') {
    const reason = `the model refused${texts.length ? `: ${texts.join(' ')}` : ''}`;
    return { step: { ...common, actions: [{ action: { type: 'fail', reason }, raw: m.content }] }, toolUses };
  }
  if (texts.length === 0) throw malformed(`the reply has neither a tool_use nor text (stop_reason ${m.stop_reason ?? 'none'})`, raw);
  const answer = texts.join('\n\n');
  const withThought = thinking.length ? { thought: thinking.join('\n\n') } : {};
  return { step: { ...common, ...withThought, answer, actions: [{ action: { type: 'done', answer }, raw: texts }] }, toolUses, ...(cursor ? { cursor } : {}) };
}

interface ComputerOut { actions: AgentAction[]; local?: LocalAnswer; note?: string; cursor?: Point }

const coordinate = z.tuple([z.number(), z.number()]);
const computerInput = z.object({
  action: z.string(),
  coordinate: z.unknown().optional(),
  start_coordinate: z.unknown().optional(),
  text: z.string().nullish(),
  key: z.string().nullish(),
  scroll_direction: z.unknown().optional(),
  scroll_amount: z.unknown().optional(),
  duration: z.unknown().optional(),
  repeat: z.unknown().optional(),
  region: z.unknown().optional(),
});

/** One computer call -> the actions that perform it, or an answer given without touching the screen. */
export function computerActions(input: Record<string, unknown>, image: Size, cursor: Point | undefined): ComputerOut {
  const parsed = computerInput.safeParse(input);
  if (!parsed.success) {
    if (typeof input.action !== 'string') throw malformed(`the computer call has no action (expected one of ${COMPUTER_ACTIONS.join(', ')})`, input);
    throw malformed(`invalid ${input.action}: ${issuesText(parsed.error)}`, input);
  }
  const a = parsed.data;
  const act = a.action;
  if (!(COMPUTER_ACTIONS as readonly string[]).includes(act)) throw malformed(`unknown computer action "${act}"; expected one of ${COMPUTER_ACTIONS.join(', ')}`, input);
  // A point given as x/y would otherwise be ignored and the click land where the pointer happens to be.
  if ('x' in input || 'y' in input) throw malformed(`${act}: give the point as coordinate [x, y], not x/y`, input);
  const point = (field: 'coordinate' | 'start_coordinate', required: boolean): Point | undefined => {
    const v = a[field];
    if (v === undefined || v === null) {
      if (required) throw malformed(`${act} needs ${field} [x, y]`, input);
      return undefined;
    }
    const c = coordinate.safeParse(v);
    if (!c.success || !c.data.every(Number.isFinite)) throw malformed(`${act}: ${field} must be [x, y] numbers, got ${describe(v)}`, input);
    const [x, y] = c.data;
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) throw malformed(`${act}: point (${x}, ${y}) is outside the ${image.width}x${image.height} screenshot`, input);
    return { x, y };
  };
  // Modifiers on clicks come in `text` (the documented field) or `key` (what models also send).
  const held = (): string[] | undefined => {
    if (a.text && a.key && a.text !== a.key) throw malformed(`${act}: text "${a.text}" and key "${a.key}" name different modifiers`, input);
    const m = (a.text ?? a.key ?? '').trim();
    if (!m) return undefined;
    checkKeys(m, act, input);
    return m.split('+').map((k) => k.trim()).filter(Boolean);
  };
  const noText = () => {
    if (a.text !== undefined && a.text !== null && a.text !== '') throw malformed(`${act} takes no text, got ${describe(a.text)}`, input);
  };
  const finishAll = (actions: unknown[], next: Point | undefined, extra: Partial<ComputerOut> = {}): ComputerOut => ({
    actions: actions.map((x) => finish(x, input)), ...(next ? { cursor: next } : {}), ...extra,
  });
  const unknownPointer = (): ComputerOut => ({ actions: [], local: { kind: 'error', text: `${act} without a coordinate clicks where the pointer is, and Deskpilot does not know that yet: give coordinate [x, y]` }, ...(cursor ? { cursor } : {}) });

  switch (act) {
    case 'screenshot':
      return finishAll([{ type: 'screenshot' }], cursor);
    case 'left_click':
    case 'right_click':
    case 'middle_click':
    case 'double_click':
    case 'triple_click': {
      const keys = held();
      const at = point('coordinate', false) ?? cursor;
      if (!at) return unknownPointer();
      const k = keys ? { keys } : {};
      if (act === 'double_click' || act === 'triple_click') return finishAll([{ type: act, ...at, ...k }], at);
      const button = act === 'left_click' ? 'left' : act === 'right_click' ? 'right' : 'middle';
      return finishAll([{ type: 'click', ...at, button, ...k }], at);
    }
    case 'left_click_drag': {
      const start = point('start_coordinate', false) ?? cursor;
      const end = point('coordinate', true)!;
      if (!start) return unknownPointer();
      if (held()) return { actions: [], local: { kind: 'error', text: 'left_click_drag with held keys cannot be performed: Deskpilot cannot hold keys during a drag' }, cursor: cursor ?? start };
      return finishAll([{ type: 'drag', path: [start, end] }], end);
    }
    case 'left_mouse_down':
    case 'left_mouse_up': {
      noText();
      const at = point('coordinate', false);
      return finishAll([{ type: act === 'left_mouse_down' ? 'mouse_down' : 'mouse_up', ...(at ?? {}) }], at ?? cursor);
    }
    case 'mouse_move': {
      noText();
      const at = point('coordinate', true)!;
      return finishAll([{ type: 'move', ...at }], at);
    }
    case 'scroll': {
      const dir = z.enum(['up', 'down', 'left', 'right']).safeParse(a.scroll_direction);
      if (!dir.success) throw malformed(`scroll: scroll_direction must be up, down, left or right, got ${describe(a.scroll_direction)}`, input);
      const amount = wholeNumber(a.scroll_amount, 'scroll_amount', act, input, 1, 100);
      const at = point('coordinate', false);
      if (held()) return { actions: [], local: { kind: 'error', text: `scroll with held keys (${a.text ?? a.key}) cannot be performed: Deskpilot cannot hold keys while scrolling; scroll without them, or use key for shortcuts such as ctrl+plus` }, ...(cursor ? { cursor } : {}) };
      return finishAll([{ type: 'scroll', ...(at ?? {}), direction: dir.data, amount }], at ?? cursor);
    }
    case 'key': {
      const text = required(a.text ?? a.key, act, input);
      checkKeys(text, act, input);
      const repeat = a.repeat === undefined || a.repeat === null ? 1 : wholeNumber(a.repeat, 'repeat', act, input, 1, 100);
      return finishAll(Array.from({ length: repeat }, () => ({ type: 'keypress', keys: text })), cursor);
    }
    case 'hold_key': {
      // Keys cannot be held in our vocabulary: pressed and released, then the duration waited; the model is told.
      const text = required(a.text ?? a.key, act, input);
      checkKeys(text, act, input);
      const seconds = duration(a.duration, act, input);
      return finishAll([{ type: 'keypress', keys: text }, { type: 'wait', ms: Math.round(seconds * 1000) }], cursor, {
        note: `Deskpilot cannot hold keys: ${text} was pressed and released once, then it waited ${seconds} s.`,
      });
    }
    case 'type': {
      const text = a.text;
      if (typeof text !== 'string') throw malformed('type needs text', input);
      return finishAll([{ type: 'type', text }], cursor);
    }
    case 'wait':
      return finishAll([{ type: 'wait', ms: Math.round(duration(a.duration === undefined ? 1 : a.duration, act, input) * 1000) }], cursor);
    case 'cursor_position':
      return cursor
        ? { actions: [], local: { kind: 'text', text: `X=${Math.round(cursor.x)},Y=${Math.round(cursor.y)}` }, cursor }
        : { actions: [], local: { kind: 'error', text: 'the pointer position is not known yet: Deskpilot tracks it from the actions it performed, and none placed the pointer' } };
    case 'zoom': {
      const r = z.tuple([z.number(), z.number(), z.number(), z.number()]).safeParse(a.region);
      if (!r.success || !r.data.every(Number.isFinite)) throw malformed(`zoom: region must be [x1, y1, x2, y2] numbers, got ${describe(a.region)}`, input);
      const [x1, y1, x2, y2] = r.data;
      if (x1 < 0 || y1 < 0 || x2 > image.width || y2 > image.height || x2 - x1 < 1 || y2 - y1 < 1) {
        throw malformed(`zoom: region [${x1}, ${y1}, ${x2}, ${y2}] is not a box inside the ${image.width}x${image.height} screenshot`, input);
      }
      return { actions: [], local: { kind: 'zoom', region: [x1, y1, x2, y2] }, ...(cursor ? { cursor } : {}) };
    }
  }
  throw malformed(`unknown computer action "${act}"`, input);
}

function required(v: string | null | undefined, act: string, input: unknown): string {
  if (typeof v !== 'string' || !v.trim()) throw malformed(`${act} needs text (the keys, e.g. "ctrl+s")`, input);
  return v.trim();
}

function checkKeys(keys: string, act: string, input: unknown): void {
  try {
    parseKeys(keys);
  } catch (err) {
    throw malformed(`${act}: ${(err as Error).message}`, input);
  }
}

function wholeNumber(v: unknown, field: string, act: string, input: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw malformed(`${act}: ${field} must be a whole number from ${min} to ${max}, got ${describe(v)}`, input);
  return v;
}

function duration(v: unknown, act: string, input: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 600) throw malformed(`${act}: duration must be seconds from 0 to 600, got ${describe(v)}`, input);
  return v;
}

function finish(action: unknown, raw: unknown): AgentAction {
  const checked = agentActionSchema.safeParse(action);
  if (!checked.success) throw malformed(`action ${JSON.stringify(action)} is out of range: ${issuesText(checked.error)}`, raw);
  return checked.data;
}

function toUsage(u: z.infer<typeof messageSchema>['usage'], price?: AnthropicPrice): Usage | undefined {
  if (!u) return undefined;
  const read = u.cache_read_input_tokens ?? 0;
  const write = u.cache_creation_input_tokens ?? 0;
  // input_tokens counts only what came after the last cache breakpoint: the total is the three together.
  const usage: Usage = { inputTokens: u.input_tokens + read + write, outputTokens: u.output_tokens };
  if (read > 0) usage.cacheReadTokens = read;
  if (price) usage.costUsd = (u.input_tokens * price.input + write * price.input * 1.25 + read * price.input * 0.1 + u.output_tokens * price.output) / 1_000_000;
  return usage;
}

function malformed(message: string, raw: unknown): ModelError {
  return new ModelError(message, 'malformed', raw);
}

export function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array ${JSON.stringify(v).slice(0, 60)}`;
  const text = JSON.stringify(v) ?? String(v);
  return typeof v === 'string' ? text : `${typeof v} ${text.length > 80 ? `${text.slice(0, 80)}...` : text}`;
}
