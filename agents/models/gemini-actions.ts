// Gemini computer-use function calls -> AgentActions. Coordinates are on Gemini's normalised 0-999 grid
// of the screenshot, mapped to image pixels by agents/desktop/geometry (relativeToImage). Two sets:
// the 3.x actions (click, type, press_key, hotkey, scroll... each with an `intent`) and the legacy 2.5 set
// (click_at, type_text_at, key_combination, scroll_at...). Where Google's docs and its reference client
// name arguments differently (x/start_x, magnitude/magnitude_in_pixels), both are accepted.
import { z } from 'zod';
import { gridToImage } from '../desktop/geometry.ts';
import type { Size } from '../desktop/geometry.ts';
import { parseKeys } from '../desktop/keys.ts';
import { agentActionSchema, ModelError } from './planner.ts';
import type { AgentAction } from './planner.ts';
import { issuesText, PIXELS_PER_NOTCH } from './openai-actions.ts';
import { describe } from './anthropic-parse.ts';

export const GRID = 1000;

export const GEMINI_3_ACTIONS = [
  'click', 'double_click', 'triple_click', 'middle_click', 'right_click', 'mouse_down', 'mouse_up', 'move', 'type',
  'drag_and_drop', 'wait', 'press_key', 'key_down', 'key_up', 'hotkey', 'take_screenshot', 'scroll',
] as const;
export const GEMINI_LEGACY_ACTIONS = [
  'open_web_browser', 'click_at', 'hover_at', 'type_text_at', 'scroll_document', 'scroll_at', 'wait_5_seconds',
  'go_back', 'go_forward', 'search', 'navigate', 'key_combination', 'drag_and_drop',
] as const;
/** What a desktop cannot do (browser navigation) or our vocabulary cannot (holding keys): excluded in the request. */
export const EXCLUDED_3 = ['key_down', 'key_up'] as const;
export const EXCLUDED_LEGACY = ['open_web_browser', 'navigate', 'search', 'go_back', 'go_forward'] as const;
export const PREDEFINED = new Set<string>([...GEMINI_3_ACTIONS, ...GEMINI_LEGACY_ACTIONS]);

/** Default scroll for scroll_at without a magnitude (the reference client's 800 of 1000) and scroll_document. */
const DEFAULT_MAGNITUDE = 800;
const DOCUMENT_NOTCHES = 5;

type Args = Record<string, unknown>;

/** One predefined call -> the actions that perform it (type_text_at is several), all for one function response. */
export function geminiActions(name: string, args: Args, image: Size): AgentAction[] {
  const at = (xKey: string[], yKey: string[], required = true) => gridPoint(name, args, xKey, yKey, image, required);
  const out: unknown[] = [];
  switch (name) {
    case 'click':
    case 'click_at': {
      const p = at(['x'], ['y'])!;
      const button = z.enum(['left', 'right', 'middle']).safeParse(args.button ?? 'left');
      if (!button.success) throw malformed(`${name}: button must be left, right or middle, got ${describe(args.button)}`, args);
      out.push({ type: 'click', ...p, button: button.data });
      break;
    }
    case 'double_click':
    case 'triple_click':
      out.push({ type: name, ...at(['x'], ['y'])! });
      break;
    case 'middle_click':
    case 'right_click':
      out.push({ type: 'click', ...at(['x'], ['y'])!, button: name === 'right_click' ? 'right' : 'middle' });
      break;
    case 'mouse_down':
    case 'mouse_up': {
      const p = at(['x'], ['y'], false);
      const button = z.enum(['left', 'right', 'middle']).safeParse(args.button ?? 'left');
      if (!button.success) throw malformed(`${name}: button must be left, right or middle, got ${describe(args.button)}`, args);
      out.push({ type: name, ...(p ?? {}), button: button.data });
      break;
    }
    case 'move':
    case 'hover_at':
      out.push({ type: 'move', ...at(['x'], ['y'])! });
      break;
    case 'type':
    case 'type_text_at': {
      const text = args.text;
      if (typeof text !== 'string') throw malformed(`${name} needs text, got ${describe(text)}`, args);
      const p = at(['x'], ['y'], name === 'type_text_at');
      // Defaults as Google's reference client: clear first, no Enter (the docs' Enter default could submit a form unasked).
      const clear = flag(name, args, 'clear_before_typing', name === 'type_text_at');
      const enter = flag(name, args, 'press_enter', false);
      if (p) out.push({ type: 'click', ...p, button: 'left' });
      if (clear) out.push({ type: 'keypress', keys: ['ctrl', 'a'] }, { type: 'keypress', keys: ['Delete'] });
      out.push({ type: 'type', text });
      if (enter) out.push({ type: 'keypress', keys: ['Return'] });
      break;
    }
    case 'drag_and_drop': {
      const from = at(['x', 'start_x'], ['y', 'start_y'])!;
      const to = at(['destination_x', 'end_x'], ['destination_y', 'end_y'])!;
      out.push({ type: 'drag', path: [from, to] });
      break;
    }
    case 'wait':
    case 'wait_5_seconds': {
      const s = name === 'wait_5_seconds' ? 5 : args.seconds ?? args.duration ?? 5;
      if (typeof s !== 'number' || !Number.isFinite(s) || s < 0 || s > 600) throw malformed(`wait: seconds must be from 0 to 600, got ${describe(s)}`, args);
      out.push({ type: 'wait', ms: Math.round(s * 1000) });
      break;
    }
    case 'press_key':
    case 'hotkey':
    case 'key_combination': {
      const keys = keyList(name, args);
      out.push({ type: 'keypress', keys });
      break;
    }
    case 'take_screenshot':
      out.push({ type: 'screenshot' });
      break;
    case 'scroll':
    case 'scroll_at':
    case 'scroll_document': {
      const dir = z.enum(['up', 'down', 'left', 'right']).safeParse(args.direction);
      if (!dir.success) throw malformed(`${name}: direction must be up, down, left or right, got ${describe(args.direction)}`, args);
      const p = name === 'scroll_document' ? undefined : at(['x'], ['y'], name === 'scroll_at');
      const amount = name === 'scroll_document' ? DOCUMENT_NOTCHES : scrollNotches(name, args, dir.data, image);
      out.push({ type: 'scroll', ...(p ?? {}), direction: dir.data, amount });
      break;
    }
    case 'key_down':
    case 'key_up':
      throw malformed(`${name} is not available: Deskpilot cannot hold keys (it was excluded); use hotkey for combinations`, args);
    case 'open_web_browser':
    case 'navigate':
    case 'search':
    case 'go_back':
    case 'go_forward':
      throw malformed(`${name} is not available on a desktop (it was excluded): use the screen, e.g. click the browser's address bar and type`, args);
    default:
      throw malformed(`unknown computer-use function "${name}"`, args);
  }
  return out.map((a) => finish(a, args));
}

/** A 0-999 grid point -> image pixels; a point off the grid is refused, never clamped. */
function gridPoint(name: string, args: Args, xKeys: string[], yKeys: string[], image: Size, required: boolean): { x: number; y: number } | undefined {
  const pick = (keys: string[]) => {
    const present = keys.filter((k) => args[k] !== undefined && args[k] !== null);
    if (present.length > 1 && args[present[0]!] !== args[present[1]!]) throw malformed(`${name}: ${present.join(' and ')} disagree`, args);
    return present.length ? { key: present[0]!, v: args[present[0]!] } : undefined;
  };
  const x = pick(xKeys);
  const y = pick(yKeys);
  if (!x && !y && !required) return undefined;
  if (!x || !y) throw malformed(`${name} needs ${xKeys[0]} and ${yKeys[0]} (0-999)`, args);
  for (const c of [x, y]) {
    if (typeof c.v !== 'number' || !Number.isFinite(c.v)) throw malformed(`${name}: ${c.key} must be a number on the 0-999 grid, got ${describe(c.v)}`, args);
    if (c.v < 0 || c.v > GRID - 1) throw malformed(`${name}: ${c.key}=${c.v} is off the 0-999 grid`, args);
  }
  return gridToImage({ x: x.v as number, y: y.v as number }, image, GRID);
}

function flag(name: string, args: Args, key: string, fallback: boolean): boolean {
  const v = args[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw malformed(`${name}: ${key} must be true or false, got ${describe(v)}`, args);
  return v;
}

function keyList(name: string, args: Args): string[] {
  const raw = args.keys ?? args.key;
  let keys: string[];
  if (typeof raw === 'string') keys = raw.split('+').map((k) => k.trim());
  else if (Array.isArray(raw) && raw.every((k) => typeof k === 'string')) keys = (raw as string[]).flatMap((k) => (k.length > 1 && k.includes('+') ? k.split('+') : [k])).map((k) => k.trim());
  else throw malformed(`${name} needs keys, e.g. "Control+C" or ["ctrl", "c"], got ${describe(raw)}`, args);
  if (keys.length === 0 || keys.some((k) => !k)) throw malformed(`${name}: keys ${describe(raw)} has an empty key`, args);
  try {
    parseKeys(keys);
  } catch (err) {
    throw malformed(`${name}: ${(err as Error).message}`, args);
  }
  return keys;
}

// magnitude is on the 0-999 grid along the scroll's axis (reference client); magnitude_in_pixels is pixels.
function scrollNotches(name: string, args: Args, dir: 'up' | 'down' | 'left' | 'right', image: Size): number {
  const grid = args.magnitude;
  const px = args.magnitude_in_pixels;
  let pixels: number;
  if (px !== undefined && px !== null) {
    if (typeof px !== 'number' || !Number.isFinite(px) || px <= 0) throw malformed(`${name}: magnitude_in_pixels must be a positive number, got ${describe(px)}`, args);
    pixels = px;
  } else {
    const g = grid ?? DEFAULT_MAGNITUDE;
    if (typeof g !== 'number' || !Number.isFinite(g) || g <= 0 || g > GRID - 1) throw malformed(`${name}: magnitude must be from 1 to 999 (of the screen), got ${describe(g)}`, args);
    pixels = (g * (dir === 'up' || dir === 'down' ? image.height : image.width)) / GRID;
  }
  const n = Math.max(1, Math.round(pixels / PIXELS_PER_NOTCH));
  if (n > 100) throw malformed(`${name}: a scroll of ${Math.round(pixels)} px is ${n} wheel notches, more than the 100 allowed in one action`, args);
  return n;
}

function finish(action: unknown, raw: unknown): AgentAction {
  const checked = agentActionSchema.safeParse(action);
  if (!checked.success) throw malformed(`action ${JSON.stringify(action)} is out of range: ${issuesText(checked.error)}`, raw);
  return checked.data;
}

function malformed(message: string, raw: unknown): ModelError {
  return new ModelError(message, 'malformed', raw);
}
