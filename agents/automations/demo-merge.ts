// A demonstration's raw input (global hook events) merged into steps an automation replays: a burst
// of keys becomes one `type`, press-move-release a drag, presses at one spot a double/triple click;
// pointer moves between them are dropped, since replay moves the pointer to each target itself.
import type { DesktopAction, MouseButton, Point } from '../desktop/actions.ts';

export interface Modifiers {
  shift: boolean;
  ctrl: boolean;
  alt: boolean;
  meta: boolean;
}

/** One hook event, stamped with the wall clock when it arrived (ms). */
export type RawInput =
  | { kind: 'down' | 'up'; at: number; x: number; y: number; button: MouseButton; mods: Modifiers }
  | { kind: 'move'; at: number; x: number; y: number }
  | { kind: 'wheel'; at: number; x: number; y: number; direction: 'up' | 'down' | 'left' | 'right'; mods: Modifiers }
  /** `key` is the hook library's key name (UiohookKey): "A", "1", "Enter", "ArrowLeft", "Semicolon"... */
  | { kind: 'keydown'; at: number; key: string; mods: Modifiers };

export interface DemoStep {
  action: DesktopAction;
  /** When the step began: its evidence is the screen just before this. */
  at: number;
  /** The target, for pointer steps. */
  point?: Point;
}

/** Presses this close, in px and ms, are one double or triple click (GTK's double-click time is 400 ms). */
const MULTI_CLICK_PX = 4;
const MULTI_CLICK_MS = 400;
/** A press that moves further than this before its release is a drag, not a click. */
const DRAG_PX = 6;
/** Points kept along a drag, so a replay follows roughly the same path. */
const DRAG_POINTS = 8;

// Hook key name -> [unshifted, shifted] character on a US layout (the layout our typing uses).
const CHARS: Record<string, [string, string]> = {
  Backquote: ['`', '~'], Minus: ['-', '_'], Equal: ['=', '+'], BracketLeft: ['[', '{'], BracketRight: [']', '}'],
  Backslash: ['\\', '|'], Semicolon: [';', ':'], Quote: ["'", '"'], Comma: [',', '<'], Period: ['.', '>'], Slash: ['/', '?'],
  Space: [' ', ' '], Tab: ['\t', '\t'], Enter: ['\n', '\n'], NumpadEnter: ['\n', '\n'],
  1: ['1', '!'], 2: ['2', '@'], 3: ['3', '#'], 4: ['4', '$'], 5: ['5', '%'], 6: ['6', '^'], 7: ['7', '&'], 8: ['8', '*'], 9: ['9', '('], 0: ['0', ')'],
  NumpadMultiply: ['*', '*'], NumpadAdd: ['+', '+'], NumpadSubtract: ['-', '-'], NumpadDecimal: ['.', '.'], NumpadDivide: ['/', '/'],
};
for (let d = 0; d <= 9; d++) CHARS[`Numpad${d}`] = [String(d), String(d)];

// Hook key name -> our key name, for keys that are pressed rather than typed.
const KEY_NAMES: Record<string, string> = {
  Backspace: 'backspace', Escape: 'esc', Delete: 'delete', Insert: 'insert', Home: 'home', End: 'end', PageUp: 'pageup', PageDown: 'pagedown',
  ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down', CapsLock: 'capslock', PrintScreen: 'print',
  NumpadHome: 'home', NumpadEnd: 'end', NumpadPageUp: 'pageup', NumpadPageDown: 'pagedown', NumpadInsert: 'insert', NumpadDelete: 'delete',
  NumpadArrowLeft: 'left', NumpadArrowRight: 'right', NumpadArrowUp: 'up', NumpadArrowDown: 'down',
};
const MODIFIER_KEYS = new Set(['Ctrl', 'CtrlRight', 'Alt', 'AltRight', 'Shift', 'ShiftRight', 'Meta', 'MetaRight', 'NumLock', 'ScrollLock']);

/** The character a key types (US layout), or undefined for keys that type none. */
export function charOf(key: string, shift: boolean): string | undefined {
  if (/^[A-Z]$/.test(key)) return shift ? key : key.toLowerCase();
  const pair = CHARS[key];
  return pair && (shift ? pair[1] : pair[0]);
}

function keyName(key: string): string | undefined {
  if (/^[A-Z0-9]$/.test(key)) return key.toLowerCase();
  if (/^F\d{1,2}$/.test(key)) return key;
  if (KEY_NAMES[key]) return KEY_NAMES[key];
  const c = charOf(key, false);
  return c === '\n' ? 'enter' : c === '\t' ? 'tab' : c === ' ' ? 'space' : c;
}

const heldNames = (m: Modifiers, withShift: boolean) => [...(m.ctrl ? ['ctrl'] : []), ...(m.alt ? ['alt'] : []), ...(m.meta ? ['super'] : []), ...(withShift && m.shift ? ['shift'] : [])];
const near = (a: Point, b: Point, px: number) => Math.abs(a.x - b.x) <= px && Math.abs(a.y - b.y) <= px;

/** Merges raw hook events (in arrival order) into replayable steps. */
export function mergeDemo(raw: RawInput[]): DemoStep[] {
  const steps: DemoStep[] = [];
  let typing: { text: string; at: number } | undefined;
  let press: { at: number; point: Point; button: MouseButton; mods: Modifiers; path: Point[] } | undefined;
  /** When the last click step's last press happened (a double click's second press, not its first). */
  let lastPressAt = -Infinity;
  const flushTyping = () => {
    if (typing?.text) steps.push({ action: { type: 'type', text: typing.text }, at: typing.at });
    typing = undefined;
  };
  const push = (step: DemoStep) => {
    flushTyping();
    steps.push(step);
  };

  for (const e of raw) {
    switch (e.kind) {
      case 'keydown': {
        if (MODIFIER_KEYS.has(e.key)) break;
        const held = heldNames(e.mods, false);
        const ch = charOf(e.key, e.mods.shift);
        if (held.length === 0 && ch !== undefined) {
          typing ??= { text: '', at: e.at };
          typing.text += ch;
          // A new line usually makes the app do something: the next keys are another step, after a settle.
          if (ch === '\n') flushTyping();
          break;
        }
        // A typo fixed within the burst is just the fixed text.
        if (held.length === 0 && e.key === 'Backspace' && typing?.text) {
          typing.text = typing.text.slice(0, -1);
          break;
        }
        const name = keyName(e.key);
        if (!name) break;
        push({ action: { type: 'keypress', keys: [...heldNames(e.mods, true), name] }, at: e.at });
        break;
      }
      case 'down':
        if (press) break; // a second button while one is held: the first press decides
        press = { at: e.at, point: { x: e.x, y: e.y }, button: e.button, mods: e.mods, path: [{ x: e.x, y: e.y }] };
        break;
      case 'move':
        if (press) press.path.push({ x: e.x, y: e.y });
        break;
      case 'up': {
        if (!press || e.button !== press.button) break;
        const start = press;
        press = undefined;
        const end = { x: e.x, y: e.y };
        const keys = heldNames(start.mods, true);
        const withKeys = keys.length ? { keys } : {};
        if (!near(start.point, end, DRAG_PX)) {
          push({ action: { type: 'drag', path: thin([...start.path, end]), button: start.button, ...withKeys }, at: start.at, point: start.point });
          break;
        }
        const prev = steps.at(-1);
        const joins = !typing && prev?.point && start.button === 'left' && start.at - lastPressAt <= MULTI_CLICK_MS && near(prev.point, start.point, MULTI_CLICK_PX);
        lastPressAt = start.at;
        if (joins && prev.action.type === 'click' && prev.action.button === 'left') {
          prev.action = { type: 'double_click', x: prev.point!.x, y: prev.point!.y, ...withKeys };
          break;
        }
        if (joins && prev.action.type === 'double_click') {
          prev.action = { type: 'triple_click', x: prev.point!.x, y: prev.point!.y, ...withKeys };
          break;
        }
        push({ action: { type: 'click', x: start.point.x, y: start.point.y, button: start.button, ...withKeys }, at: start.at, point: start.point });
        break;
      }
      case 'wheel': {
        const prev = steps.at(-1);
        const point = { x: e.x, y: e.y };
        if (!typing && prev?.action.type === 'scroll' && prev.action.direction === e.direction && prev.point && near(prev.point, point, DRAG_PX) && prev.action.amount < 100) {
          prev.action = { ...prev.action, amount: prev.action.amount + 1 };
          break;
        }
        push({ action: { type: 'scroll', direction: e.direction, amount: 1, x: e.x, y: e.y }, at: e.at, point });
        break;
      }
    }
  }
  flushTyping();
  return steps;
}

/** Start, end and a few points between: enough to follow the path, not every motion event. */
function thin(path: Point[]): Point[] {
  if (path.length <= DRAG_POINTS) return path;
  const out: Point[] = [];
  for (let i = 0; i < DRAG_POINTS - 1; i++) out.push(path[Math.round((i * (path.length - 1)) / (DRAG_POINTS - 1))]!);
  out.push(path.at(-1)!);
  return out;
}

/** Drops a trailing Ctrl+C: the key that stopped the recorder in its own terminal. */
export function dropStopKey(steps: DemoStep[]): DemoStep[] {
  const last = steps.at(-1)?.action;
  return last?.type === 'keypress' && Array.isArray(last.keys) && last.keys.join('+') === 'ctrl+c' ? steps.slice(0, -1) : steps;
}
