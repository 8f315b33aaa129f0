// Key combos that close, quit, delete, submit, lock or switch away: each is hard to undo.
// Keys held during a click are pressed too (a click with ["alt","F4"] is Alt+F4), so they are judged alike.
import { parseKeys } from '../desktop/keys.ts';

// Exact combos (Right* modifiers count as Left*).
const EXACT: [string[], string][] = [
  [['LeftAlt', 'F4'], 'closes the window'],
  [['LeftControl', 'W'], 'closes a tab or window'],
  [['LeftControl', 'Q'], 'quits the application'],
  [['LeftControl', 'LeftShift', 'W'], 'closes the window'],
  [['LeftControl', 'LeftShift', 'Q'], 'quits the application'],
  [['LeftControl', 'LeftAlt', 'Delete'], 'system key combination'],
  [['LeftControl', 'LeftAlt', 'Backspace'], 'kills the X session'],
  [['LeftShift', 'Delete'], 'deletes permanently'],
  [['Delete'], 'deletes'],
  [['LeftControl', 'Return'], 'submits'],
  [['LeftControl', 'D'], 'may delete, bookmark or end input'],
  [['LeftSuper', 'L'], 'locks the screen'],
];

// Shapes, for combos with extra modifiers (Alt+Shift+F4 still closes): first match wins.
type Keys = { set: Set<string>; ctrl: boolean; alt: boolean; shift: boolean; superKey: boolean; has: (k: string) => boolean };
const SHAPES: [(k: Keys) => boolean, string][] = [
  [(k) => k.ctrl && k.alt && [...k.set].some((x) => /^F(?:[1-9]|1[0-2])$/.test(x)), 'switches to a text console'],
  [(k) => k.alt && k.has('Print'), 'sends a kernel SysRq command'],
  [(k) => k.has('F4') && k.alt, 'closes the window'],
  [(k) => k.has('F4') && (k.ctrl || k.superKey), 'closes a tab, document or window'],
  [(k) => k.ctrl && k.has('W'), 'closes a tab or window'],
  [(k) => (k.ctrl || k.superKey) && k.has('Q'), 'quits the application'],
  [(k) => k.superKey && k.shift && k.has('E'), 'may log out of the session'],
  [(k) => k.superKey && ['W', 'C', 'X', 'K', 'Escape', 'Delete', 'Backspace'].some((x) => k.has(x)), 'may close or kill the window'],
  [(k) => k.superKey && k.has('L'), 'locks the screen'],
  [(k) => k.ctrl && k.alt && (k.has('Delete') || k.has('Backspace') || k.has('End')), 'system key combination'],
];

const MODIFIERS = new Set(['LeftControl', 'LeftShift', 'LeftAlt', 'LeftSuper']);

function shape(combo: string[]): Keys {
  const set = new Set(combo.map((k) => k.replace(/^Right(?=Control|Shift|Alt|Super)/, 'Left')));
  return { set, ctrl: set.has('LeftControl'), alt: set.has('LeftAlt'), shift: set.has('LeftShift'), superKey: set.has('LeftSuper'), has: (k) => set.has(k) };
}

/** Reasons one combo (canonical key names, as parseKeys gives them) is risky. */
export function comboRisks(combo: string[]): string[] {
  const k = shape(combo);
  for (const [risky, why] of EXACT) if (risky.length === k.set.size && risky.every((x) => k.set.has(x))) return [`${combo.join('+')} ${why}`];
  for (const [test, why] of SHAPES) if (test(k)) return [`${combo.join('+')} ${why}`];
  return [];
}

/** Reasons the keys held during a mouse action are risky: they are all down at once, as one combo. */
export function heldKeyRisks(keys: string | string[], during: string): string[] {
  let combo: string[];
  try {
    combo = [...new Set(parseKeys(keys).flat())];
  } catch {
    return []; // an unknown key is refused later, before any input
  }
  const what = during.replace('_', '-');
  const risks = comboRisks(combo).map((r) => `${r} (held during a ${what})`);
  if (risks.length) return risks;
  // Modifiers change what a click selects; any other key is pressed for real.
  const pressed = combo.filter((k) => !MODIFIERS.has(k.replace(/^Right/, 'Left')));
  return pressed.length ? [`presses ${combo.join('+')} during a ${what}`] : [];
}
