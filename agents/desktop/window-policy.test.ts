// The window rules' decision, without a display: the deny and allow lists, and on the user's own
// screen a window not open at the start (or not a dialog of one) asked about, once.
import { describe, expect, it } from 'vitest';
import { judge, KnownWindows, newWindowReason } from './window-policy.ts';
import type { XWindow } from './x-windows.ts';

const win = (id: string, cls: string, title: string, transientFor?: string): XWindow => ({ id, classes: [cls.toLowerCase(), cls], title, transientFor, x: 0, y: 0, width: 100, height: 100 });

const term = win('10', 'XTerm', 'bash');
const pad = win('20', 'Mousepad', 'notes.txt - Mousepad');
const saveAs = win('21', 'Mousepad', 'Save As', '20');

describe('window rules', () => {
  it('allow everything when there are no lists and no start windows', () => {
    expect(judge([term, pad, undefined], {})).toEqual({ kind: 'ok' });
  });

  it('refuse a denied window before asking about a new one', () => {
    const known = new KnownWindows(['10']);
    const verdict = judge([pad], { deny: { classes: ['mousepad'] } }, known);
    expect(verdict).toEqual({ kind: 'refused', why: `the window "notes.txt - Mousepad" (mousepad, Mousepad) is on this run's deny list` });
    expect(judge([term], { allow: { titles: ['notes'] } }, known)).toMatchObject({ kind: 'refused', why: expect.stringContaining('not on this run\'s allow list') });
  });

  it('ask about a window not open at the start, naming it in plain words', () => {
    const known = new KnownWindows(['10']);
    expect(judge([term], {}, known)).toEqual({ kind: 'ok' });
    expect(judge([pad], {}, known)).toEqual({ kind: 'ask', window: pad, reason: 'acting in a window that was not open when the run started: "notes.txt - Mousepad" (Mousepad)' });
    expect(newWindowReason(win('30', '', ''))).toBe('acting in a window that was not open when the run started: "untitled" (no class)');
  });

  it('never ask about the desktop itself (no window under the point or focused)', () => {
    expect(judge([undefined], {}, new KnownWindows([]))).toEqual({ kind: 'ok' });
  });

  it('ask once: an approved window is known for the rest of the run, and its dialogs with it', () => {
    const known = new KnownWindows(['10']);
    const first = judge([pad], {}, known);
    expect(first.kind).toBe('ask');
    expect(judge([saveAs], {}, known).kind).toBe('ask'); // a dialog of an unknown window is unknown too
    if (first.kind === 'ask') known.add(first.window);
    expect(judge([pad], {}, known)).toEqual({ kind: 'ok' });
    expect(judge([saveAs], {}, known)).toEqual({ kind: 'ok' });
    expect(judge([win('22', 'Mousepad', 'other - Mousepad')], {}, known).kind).toBe('ask');
  });

  it('ask about each new window a drag reaches, the known end passing', () => {
    const known = new KnownWindows(['10']);
    expect(judge([term, pad], {}, known)).toMatchObject({ kind: 'ask', window: pad });
    expect(judge([term, term], {}, known)).toEqual({ kind: 'ok' });
  });

  it('without start windows nothing is asked, whatever opened', () => {
    expect(judge([pad, saveAs], { deny: { classes: ['keepassxc'] } })).toEqual({ kind: 'ok' });
  });
});
