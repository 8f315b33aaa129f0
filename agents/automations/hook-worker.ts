// The global input hook (uiohook-napi, XRecord on X11) in a child process bound to one display: it
// aborts the whole process when the display cannot be opened, so it never runs in the caller's.
import { spawnSync } from 'node:child_process';
import type { UiohookMouseEvent } from 'uiohook-napi';
import type { Modifiers, RawInput } from './demo-merge.ts';

export type HookMessage = { type: 'ready' } | { type: 'input'; input: RawInput } | { type: 'fatal'; message: string };

const send = (msg: HookMessage) => {
  if (process.connected) process.send!(msg);
};

const display = process.env.DISPLAY;
if (process.platform === 'linux' && (!display || spawnSync('xdpyinfo', ['-display', display], { stdio: 'ignore', timeout: 5000 }).status !== 0)) {
  send({ type: 'fatal', message: display ? `cannot open X display ${display}: is it running?` : 'DISPLAY is not set' });
  process.exit(3);
}
// Ctrl+C in the recorder's terminal reaches its whole process group; the parent decides when to stop.
process.on('SIGINT', () => {});

const { uIOhook, UiohookKey, WheelDirection } = await import('uiohook-napi');
const KEY_NAMES = new Map<number, string>(Object.entries(UiohookKey).map(([name, code]) => [code as number, name]));
// libuiohook numbers buttons 1 left, 2 right, 3 middle.
const BUTTONS = { 1: 'left', 2: 'right', 3: 'middle' } as const;
const mods = (e: { shiftKey: boolean; ctrlKey: boolean; altKey: boolean; metaKey: boolean }): Modifiers => ({ shift: e.shiftKey, ctrl: e.ctrlKey, alt: e.altKey, meta: e.metaKey });
const input = (i: RawInput) => send({ type: 'input', input: i });

uIOhook.on('keydown', (e) => {
  const key = KEY_NAMES.get(e.keycode);
  if (key) input({ kind: 'keydown', at: Date.now(), key, mods: mods(e) });
});
const press = (kind: 'down' | 'up') => (e: UiohookMouseEvent) => {
  const button = BUTTONS[e.button as 1 | 2 | 3];
  if (button) input({ kind, at: Date.now(), x: e.x, y: e.y, button, mods: mods(e) });
};
uIOhook.on('mousedown', press('down'));
uIOhook.on('mouseup', press('up'));
uIOhook.on('mousemove', (e) => input({ kind: 'move', at: Date.now(), x: e.x, y: e.y }));
uIOhook.on('wheel', (e) => {
  const vertical = e.direction === WheelDirection.VERTICAL;
  const direction = vertical ? (e.rotation < 0 ? 'up' : 'down') : e.rotation < 0 ? 'left' : 'right';
  input({ kind: 'wheel', at: Date.now(), x: e.x, y: e.y, direction, mods: mods(e) });
});

process.on('message', (msg: { type: string }) => {
  if (msg.type !== 'stop') return;
  uIOhook.stop();
  process.disconnect();
  process.exit(0);
});
process.on('disconnect', () => process.exit(0));

uIOhook.start();
send({ type: 'ready' });
