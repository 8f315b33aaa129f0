// An operator's pointer and key messages (from the live view, while taking over) turned into the
// desktop action vocabulary, so the log and the model read what they did as they read the agent's actions.
import type { DesktopAction, MouseButton } from './actions.ts';
import type { RfbClientMessage } from './rfb-input.ts';

const MODIFIERS: Record<number, string> = {
  0xffe1: 'LeftShift', 0xffe2: 'RightShift', 0xffe3: 'LeftControl', 0xffe4: 'RightControl', 0xffe7: 'LeftSuper', 0xffe8: 'RightSuper',
  0xffe9: 'LeftAlt', 0xffea: 'RightAlt', 0xffeb: 'LeftSuper', 0xffec: 'RightSuper', 0xfe03: 'RightAlt',
};
const NAMED: Record<number, string> = {
  0xff08: 'Backspace', 0xff09: 'Tab', 0xff0d: 'Return', 0xff1b: 'Escape', 0xffff: 'Delete', 0xff63: 'Insert', 0xff50: 'Home', 0xff57: 'End',
  0xff55: 'PageUp', 0xff56: 'PageDown', 0xff51: 'Left', 0xff52: 'Up', 0xff53: 'Right', 0xff54: 'Down', 0xff8d: 'Return', 0x20: 'Space',
};
for (let i = 1; i <= 12; i++) NAMED[0xffbd + i] = `F${i}`;

const BUTTONS: [number, MouseButton][] = [[1, 'left'], [2, 'middle'], [4, 'right']];
const WHEEL: [number, 'up' | 'down' | 'left' | 'right'][] = [[8, 'up'], [16, 'down'], [32, 'left'], [64, 'right']];
/** A second click this soon and this near is a double click. */
const DOUBLE_MS = 400;
const NEAR = 4;
/** Input this long ago is complete: what is pending is written out. */
const IDLE_MS = 600;

/** The character a keysym types, for keysyms that type one (Latin-1 and the Unicode range). */
function keysymChar(keysym: number): string | undefined {
  if ((keysym >= 0x20 && keysym <= 0x7e) || (keysym >= 0xa0 && keysym <= 0xff)) return String.fromCharCode(keysym);
  if (keysym >= 0x01000100 && keysym <= 0x0110ffff) return String.fromCodePoint(keysym - 0x01000000);
  return undefined;
}

/** Key names in the vocabulary of agents/desktop/keys.ts: letters upper-case, digits NumN. */
function keyName(keysym: number): string | undefined {
  const named = NAMED[keysym];
  if (named) return named;
  const ch = keysymChar(keysym);
  if (!ch) return undefined;
  if (/^[a-z]$/i.test(ch)) return ch.toUpperCase();
  if (/^[0-9]$/.test(ch)) return `Num${ch}`;
  return ch;
}

export class OperatorInput {
  private buttons = 0;
  private x = 0;
  private y = 0;
  private down = new Map<MouseButton, { x: number; y: number }>();
  private held = new Set<string>();
  private text = '';
  /** A click kept back a moment: a second one makes it a double click. */
  private lastClick: { x: number; y: number; at: number; button: MouseButton } | undefined;
  private scroll: Extract<DesktopAction, { type: 'scroll' }> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (action: DesktopAction) => void,
    /** Called when the input has paused (IDLE_MS) and what was held back is written out: the end of a burst. */
    private readonly onIdle?: () => void,
  ) {}

  feed(msg: RfbClientMessage, now = Date.now()): void {
    if (msg.kind === 'pointer') this.pointer(msg.buttons, msg.x, msg.y, now);
    else if (msg.kind === 'key') this.key(msg.down, msg.keysym);
    else return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.flush();
      this.onIdle?.();
    }, IDLE_MS);
    this.timer.unref();
  }

  /** Writes out what is held back (typed text, a click that might have become a double click). */
  flush(): void {
    clearTimeout(this.timer);
    this.flushText();
    this.flushPointer();
  }

  private flushText(): void {
    if (this.text) this.emit({ type: 'type', text: this.text });
    this.text = '';
  }

  private flushPointer(): void {
    if (this.lastClick) {
      const { x, y, button } = this.lastClick;
      this.emit({ type: 'click', x, y, button });
    }
    if (this.scroll) this.emit(this.scroll);
    this.lastClick = undefined;
    this.scroll = undefined;
  }

  private pointer(buttons: number, x: number, y: number, now: number): void {
    const changed = buttons ^ this.buttons;
    this.buttons = buttons;
    this.x = x;
    this.y = y;
    if (!changed) return;
    this.flushText();
    for (const [bit, direction] of WHEEL) {
      if (!(changed & bit && buttons & bit)) continue;
      const s = this.scroll;
      if (s && s.direction === direction && s.x === x && s.y === y) s.amount = Math.min(100, s.amount + 1);
      else {
        this.flushPointer();
        this.scroll = { type: 'scroll', x, y, direction, amount: 1 };
      }
    }
    for (const [bit, button] of BUTTONS) {
      if (!(changed & bit)) continue;
      if (buttons & bit) {
        this.down.set(button, { x, y });
        continue;
      }
      const from = this.down.get(button) ?? { x, y };
      this.down.delete(button);
      this.release(button, from, now);
    }
  }

  private release(button: MouseButton, from: { x: number; y: number }, now: number): void {
    const { x, y } = this;
    const near = (a: { x: number; y: number }) => Math.abs(a.x - x) <= NEAR && Math.abs(a.y - y) <= NEAR;
    if (this.scroll) this.flushPointer();
    if (!near(from)) {
      this.flushPointer();
      this.emit({ type: 'drag', path: [from, { x, y }], button });
      return;
    }
    const last = this.lastClick;
    if (last && button === 'left' && last.button === 'left' && now - last.at <= DOUBLE_MS && near(last)) {
      this.lastClick = undefined;
      this.emit({ type: 'double_click', x: last.x, y: last.y });
      return;
    }
    this.flushPointer();
    this.lastClick = { x: from.x, y: from.y, at: now, button };
  }

  private key(down: boolean, keysym: number): void {
    const modifier = MODIFIERS[keysym];
    if (modifier) {
      if (down) this.held.add(modifier);
      else this.held.delete(modifier);
      return;
    }
    if (!down) return;
    this.flushPointer();
    const combo = [...this.held].filter((k) => !k.endsWith('Shift'));
    const ch = keysym === 0xff0d || keysym === 0xff8d ? '\n' : keysym === 0xff09 ? '\t' : keysymChar(keysym);
    // Shift is already in the keysym ('A', '!'): only Ctrl, Alt or Super make a key a shortcut.
    if (ch !== undefined && combo.length === 0) {
      this.text += ch;
      return;
    }
    if (keysym === 0xff08 && combo.length === 0 && this.text) {
      this.text = [...this.text].slice(0, -1).join(''); // a typo fixed while typing: keep what they meant
      return;
    }
    const name = keyName(keysym);
    if (!name) return;
    this.flushText();
    const keys = [...this.held, name];
    this.emit({ type: 'keypress', keys: keys.length === 1 ? name : keys });
  }
}
