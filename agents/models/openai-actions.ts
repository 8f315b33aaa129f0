// OpenAI computer-use action objects (and our done/fail/ask_user extras), parsed into AgentAction
// at the edge. Anything unknown or malformed is a ModelError: an action is never guessed.
import { z } from 'zod';
import { agentActionSchema, ModelError } from './planner.ts';
import type { AgentAction } from './planner.ts';

const coord = z.number();
const keysHeld = z.array(z.string().min(1)).nullish();

export const OPENAI_ACTION_TYPES = ['click', 'double_click', 'drag', 'keypress', 'move', 'screenshot', 'scroll', 'type', 'wait'] as const;
export const EXTRA_ACTION_TYPES = ['done', 'fail', 'ask_user'] as const;

/** The nine actions the OpenAI computer tool emits, as its docs and the SDK types spell them. */
export const openaiComputerActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('click'), button: z.enum(['left', 'right', 'wheel', 'back', 'forward']).default('left'), x: coord, y: coord, keys: keysHeld }),
  z.object({ type: z.literal('double_click'), x: coord, y: coord, keys: keysHeld }),
  z.object({ type: z.literal('drag'), path: z.array(z.object({ x: coord, y: coord })).min(2, 'a drag needs at least a start and an end point'), keys: keysHeld }),
  z.object({ type: z.literal('keypress'), keys: z.array(z.string().min(1)).min(1, 'keypress needs at least one key') }),
  z.object({ type: z.literal('move'), x: coord, y: coord, keys: keysHeld }),
  z.object({ type: z.literal('screenshot') }),
  z.object({ type: z.literal('scroll'), x: coord, y: coord, scroll_x: coord, scroll_y: coord, keys: keysHeld }),
  z.object({ type: z.literal('type'), text: z.string() }),
  z.object({ type: z.literal('wait'), ms: z.number().int().nonnegative().max(600_000).optional() }),
]);
export type OpenAIComputerAction = z.input<typeof openaiComputerActionSchema>;

/** Our extras, used by scripts (a model ends a run with a text reply instead). */
export const extraActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('done'), answer: z.string().optional() }),
  z.object({ type: z.literal('fail'), reason: z.string().optional() }),
  z.object({ type: z.literal('ask_user'), question: z.string().min(1) }),
]);
export type ExtraAction = z.input<typeof extraActionSchema>;

export const openaiActionSchema = z.union([openaiComputerActionSchema, extraActionSchema]);
export type OpenAIAction = OpenAIComputerAction | ExtraAction;

/** Pixels of scroll per wheel notch. */
export const PIXELS_PER_NOTCH = 100;
const MAX_NOTCHES = 100;

export interface ToAgentOptions {
  /** Accept done/fail/ask_user (true for scripts; false for a real computer_call). */
  extras?: boolean;
}

/**
 * One OpenAI action -> the AgentActions that perform it (two for a scroll on both axes, else one).
 * Throws ModelError('malformed') naming what is wrong.
 */
export function toAgentActions(raw: unknown, opts: ToAgentOptions = {}): AgentAction[] {
  const extras = opts.extras ?? true;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw malformed(`an action must be an object, got ${describe(raw)}`, raw);
  }
  const type = (raw as { type?: unknown }).type;
  const known: readonly string[] = extras ? [...OPENAI_ACTION_TYPES, ...EXTRA_ACTION_TYPES] : OPENAI_ACTION_TYPES;
  if (typeof type !== 'string' || !known.includes(type)) {
    throw malformed(`unknown action type ${describe(type)}; expected one of ${known.join(', ')}`, raw);
  }
  const schema = (EXTRA_ACTION_TYPES as readonly string[]).includes(type) ? extraActionSchema : openaiComputerActionSchema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw malformed(`invalid ${type} action: ${issuesText(parsed.error)}`, raw);
  return convert(parsed.data, raw).map((a) => finish(a, raw));
}

type Parsed = z.output<typeof openaiComputerActionSchema> | z.output<typeof extraActionSchema>;

function convert(a: Parsed, raw: unknown): z.input<typeof agentActionSchema>[] {
  switch (a.type) {
    case 'click': {
      const keys = held(a.keys);
      if (a.button === 'back' || a.button === 'forward') {
        // Mouse back/forward buttons are browser navigation; X11 apps know them as Alt+Left/Right.
        if (keys) throw malformed(`a ${a.button} click with held keys [${keys.join(', ')}] has no keyboard equivalent`, raw);
        return [{ type: 'keypress', keys: ['alt', a.button === 'back' ? 'Left' : 'Right'] }];
      }
      const button = a.button === 'wheel' ? 'middle' : a.button;
      return [{ type: 'click', x: a.x, y: a.y, button, ...(keys ? { keys } : {}) }];
    }
    case 'double_click': {
      const keys = held(a.keys);
      return [{ type: 'double_click', x: a.x, y: a.y, ...(keys ? { keys } : {}) }];
    }
    case 'drag':
      noKeys(a.type, a.keys, raw);
      return [{ type: 'drag', path: a.path.map((p) => ({ x: p.x, y: p.y })) }];
    case 'keypress':
      return [{ type: 'keypress', keys: a.keys }];
    case 'move':
      noKeys(a.type, a.keys, raw);
      return [{ type: 'move', x: a.x, y: a.y }];
    case 'screenshot':
      return [{ type: 'screenshot' }];
    case 'scroll': {
      noKeys(a.type, a.keys, raw);
      if (a.scroll_x === 0 && a.scroll_y === 0) throw malformed('a scroll with scroll_x and scroll_y both 0 moves nothing', raw);
      const out: z.input<typeof agentActionSchema>[] = [];
      if (a.scroll_y !== 0) out.push({ type: 'scroll', x: a.x, y: a.y, direction: a.scroll_y > 0 ? 'down' : 'up', amount: notches(a.scroll_y, raw) });
      if (a.scroll_x !== 0) out.push({ type: 'scroll', x: a.x, y: a.y, direction: a.scroll_x > 0 ? 'right' : 'left', amount: notches(a.scroll_x, raw) });
      return out;
    }
    case 'type':
      return [{ type: 'type', text: a.text }];
    case 'wait':
      return [{ type: 'wait', ms: a.ms ?? 1000 }];
    case 'done':
      return [{ type: 'done', ...(a.answer !== undefined ? { answer: a.answer } : {}) }];
    case 'fail':
      return [{ type: 'fail', ...(a.reason !== undefined ? { reason: a.reason } : {}) }];
    case 'ask_user':
      return [{ type: 'ask_user', question: a.question }];
  }
}

function notches(px: number, raw: unknown): number {
  const n = Math.max(1, Math.round(Math.abs(px) / PIXELS_PER_NOTCH));
  if (n > MAX_NOTCHES) throw malformed(`a scroll of ${px} px is ${n} wheel notches, more than the ${MAX_NOTCHES} allowed in one action`, raw);
  return n;
}

function held(keys: string[] | null | undefined): string[] | undefined {
  return keys && keys.length > 0 ? keys : undefined;
}

// Our vocabulary has no held keys for these; dropping them would perform a different action.
function noKeys(type: string, keys: string[] | null | undefined, raw: unknown): void {
  const k = held(keys);
  if (k) throw malformed(`a ${type} with held keys [${k.join(', ')}] cannot be performed: held keys are supported on click and double_click only`, raw);
}

function finish(action: z.input<typeof agentActionSchema>, raw: unknown): AgentAction {
  const checked = agentActionSchema.safeParse(action);
  if (!checked.success) throw malformed(`action ${JSON.stringify(action)} is out of range: ${issuesText(checked.error)}`, raw);
  return checked.data;
}

/** A zod error on one line: "x: expected number, received string; y: ...". */
export function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => {
    const msg = i.message.replace(/^Invalid input: /, '');
    return i.path.length > 0 ? `${i.path.join('.')}: ${msg}` : msg;
  }).join('; ');
}

function malformed(message: string, raw: unknown): ModelError {
  return new ModelError(message, 'malformed', raw);
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  const text = JSON.stringify(v);
  return typeof v === 'string' ? text : `${typeof v} ${text.length > 80 ? `${text.slice(0, 80)}...` : text}`;
}

/**
 * A function call's arguments (a JSON string as the APIs send it, or an object as some servers do) ->
 * the input object of a tool call. Empty, invalid JSON or anything but an object is a ModelError
 * ('malformed'): the model is re-asked, never a call guessed. `note` says why the reply stopped.
 */
export function parseToolArguments(args: unknown, note = ''): Record<string, unknown> {
  let value = args;
  if (typeof args === 'string') {
    if (args.trim() === '') throw malformed(`the arguments are empty${note}`, args);
    try {
      value = JSON.parse(args);
    } catch (err) {
      throw malformed(`the arguments are not valid JSON${note}: ${(err as Error).message}; got ${clipText(args)}`, args);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`the arguments must be a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`, args);
  }
  return value as Record<string, unknown>;
}

/**
 * A call of one of the run's tools -> a tool action. The name must be one the model was offered:
 * an unknown one is refused here so the model is re-asked at once (the loop checks again before
 * running, and validates the input against the tool's schema).
 */
export function toToolAction(name: string, args: unknown, toolNames: readonly string[], note = ''): AgentAction {
  if (name.trim() === '') throw malformed('the function call has an empty name', name);
  if (!toolNames.includes(name)) {
    const offered = toolNames.length > 0 ? `the tools are ${toolNames.map((n) => JSON.stringify(n)).join(', ')}` : 'no tools were offered';
    throw malformed(`calls an unknown tool ${clipText(name)}; ${offered}`, name);
  }
  return finish({ type: 'tool', name, input: parseToolArguments(args, note) }, args);
}

/** A string for an error message, quoted and cut to `max` characters. */
export function clipText(text: string, max = 80): string {
  const s = JSON.stringify(text);
  return s.length > max ? `${s.slice(0, max)}..." (${text.length} chars)` : s;
}
