import { describe, expect, it } from 'vitest';
import { desktopActionSchema } from '../desktop/actions.ts';
import { charOf, dropStopKey, mergeDemo, type Modifiers, type RawInput } from './demo-merge.ts';

const none: Modifiers = { shift: false, ctrl: false, alt: false, meta: false };
let t = 0;
const key = (k: string, mods: Partial<Modifiers> = {}): RawInput => ({ kind: 'keydown', at: (t += 50), key: k, mods: { ...none, ...mods } });
const down = (x: number, y: number, button: 'left' | 'right' | 'middle' = 'left', mods: Partial<Modifiers> = {}): RawInput => ({ kind: 'down', at: (t += 50), x, y, button, mods: { ...none, ...mods } });
const up = (x: number, y: number, button: 'left' | 'right' | 'middle' = 'left'): RawInput => ({ kind: 'up', at: (t += 30), x, y, button, mods: none });
const move = (x: number, y: number): RawInput => ({ kind: 'move', at: (t += 10), x, y });
const pause = (ms: number): RawInput[] => ((t += ms), []);
const typed = (s: string): RawInput[] => [...s].map((c) => (/[A-Z!?]/.test(c) ? key(c === '!' ? '1' : c === '?' ? 'Slash' : c, { shift: true }) : key(c === ' ' ? 'Space' : c.toUpperCase())));

describe('mergeDemo', () => {
  it('merges a burst of keys into one type step, shifted characters included, and drops moves', () => {
    const steps = mergeDemo([move(5, 5), move(100, 100), down(100, 100), up(100, 100), ...typed('Hi there!'), key('Enter'), ...typed('ok?')]);
    expect(steps.map((s) => s.action)).toEqual([
      { type: 'click', x: 100, y: 100, button: 'left' },
      { type: 'type', text: 'Hi there!\n' },
      { type: 'type', text: 'ok?' },
    ]);
    expect(steps[0]!.point).toEqual({ x: 100, y: 100 });
    for (const s of steps) expect(desktopActionSchema.safeParse(s.action).success).toBe(true);
  });

  it('keeps a typo fixed with Backspace as the fixed text, and presses Backspace when there is nothing to fix', () => {
    const steps = mergeDemo([...typed('helo'), key('Backspace'), ...typed('lo'), down(10, 10), up(10, 10), key('Backspace')]);
    expect(steps.map((s) => s.action)).toEqual([
      { type: 'type', text: 'hello' },
      { type: 'click', x: 10, y: 10, button: 'left' },
      { type: 'keypress', keys: ['backspace'] },
    ]);
  });

  it('turns held modifiers into key combos, and ignores lone modifier presses', () => {
    const steps = mergeDemo([...typed('ab'), key('Ctrl', { ctrl: true }), key('S', { ctrl: true }), key('Shift', { shift: true }), key('T', { ctrl: true, shift: true }), key('F5'), key('ArrowLeft')]);
    expect(steps.map((s) => s.action)).toEqual([
      { type: 'type', text: 'ab' },
      { type: 'keypress', keys: ['ctrl', 's'] },
      { type: 'keypress', keys: ['ctrl', 'shift', 't'] },
      { type: 'keypress', keys: ['F5'] },
      { type: 'keypress', keys: ['left'] },
    ]);
  });

  it('makes press-move-release a drag with a thinned path, and a small wobble still a click', () => {
    const path = Array.from({ length: 40 }, (_, i) => move(50 + i * 5, 60 + i));
    const steps = mergeDemo([down(50, 60), ...path, up(250, 100), down(300, 300), move(302, 301), up(303, 302, 'left')]);
    const drag = steps[0]!.action;
    expect(drag.type).toBe('drag');
    if (drag.type !== 'drag') return;
    expect(drag.path[0]).toEqual({ x: 50, y: 60 });
    expect(drag.path.at(-1)).toEqual({ x: 250, y: 100 });
    expect(drag.path.length).toBeLessThanOrEqual(8);
    expect(steps[1]!.action).toEqual({ type: 'click', x: 300, y: 300, button: 'left' });
  });

  it('joins quick presses at one spot into double and triple clicks, but not slow or distant ones', () => {
    const steps = mergeDemo([
      down(10, 10), up(10, 10), down(10, 10), up(10, 10),
      ...pause(1000), down(50, 50), up(50, 50), down(51, 50), up(51, 50), down(50, 51), up(50, 51),
      ...pause(1000), down(90, 90), up(90, 90), ...pause(600), down(90, 90), up(90, 90),
      down(200, 200), up(200, 200), down(260, 200), up(260, 200),
    ]);
    expect(steps.map((s) => s.action.type)).toEqual(['double_click', 'triple_click', 'click', 'click', 'click', 'click']);
  });

  it('keeps right-clicks, ctrl-clicks and merges wheel notches at one place', () => {
    const steps = mergeDemo([down(5, 5, 'right'), up(5, 5, 'right'), down(7, 7, 'left', { ctrl: true }), up(7, 7),
      { kind: 'wheel', at: (t += 10), x: 400, y: 300, direction: 'down', mods: none },
      { kind: 'wheel', at: (t += 10), x: 401, y: 300, direction: 'down', mods: none },
      { kind: 'wheel', at: (t += 10), x: 401, y: 300, direction: 'up', mods: none }]);
    expect(steps.map((s) => s.action)).toEqual([
      { type: 'click', x: 5, y: 5, button: 'right' },
      { type: 'click', x: 7, y: 7, button: 'left', keys: ['ctrl'] },
      { type: 'scroll', direction: 'down', amount: 2, x: 400, y: 300 },
      { type: 'scroll', direction: 'up', amount: 1, x: 401, y: 300 },
    ]);
  });

  it('drops the Ctrl+C that stopped the recorder', () => {
    const steps = mergeDemo([...typed('x'), key('C', { ctrl: true })]);
    expect(dropStopKey(steps).map((s) => s.action)).toEqual([{ type: 'type', text: 'x' }]);
    expect(dropStopKey(mergeDemo(typed('x')))).toHaveLength(1);
  });

  it('maps the US layout', () => {
    expect([charOf('Quote', true), charOf('Quote', false), charOf('Numpad7', true), charOf('A', false), charOf('F1', false)]).toEqual(['"', "'", '7', 'a', undefined]);
  });
});
