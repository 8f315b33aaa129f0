import { describe, expect, it } from 'vitest';
import { foldEvents } from './fold.ts';
import { describeOperatorAction } from './operator-action.ts';

describe('operator actions in the timeline', () => {
  it('says what the operator did in a few words', () => {
    expect(describeOperatorAction({ type: 'click', x: 3, y: 4, button: 'left' })).toBe('click at (3, 4)');
    expect(describeOperatorAction({ type: 'keypress', keys: ['LeftControl', 'C'] })).toBe('pressed LeftControl+C');
    expect(describeOperatorAction({ type: 'type', text: 'ls\n' })).toBe('typed "ls\\n"');
  });

  it('folds operator_action events into notes', () => {
    const tl = foldEvents(undefined, [
      { runId: 'r', seq: 1, at: 1, type: 'run_paused' },
      { runId: 'r', seq: 2, at: 2, type: 'operator_action', action: { type: 'type', text: 'hello' } },
    ]);
    expect(tl.notes.map((n) => [n.kind, n.text])).toEqual([['paused', ''], ['operator_action', 'typed "hello"']]);
  });

  it('puts the screen after a burst beside its last action only, and keeps untouched steps as they were', () => {
    const size = { width: 1280, height: 800 };
    const shot = (seq: number, ref: string) => ({ runId: 'r', seq, at: seq, type: 'operator_screenshot' as const, ref, image: size, screen: size, ms: 30 });
    const base = foldEvents(undefined, [
      { runId: 'r', seq: 1, at: 1, type: 'step_started', step: 1 },
      { runId: 'r', seq: 2, at: 2, type: 'step_started', step: 2 },
      { runId: 'r', seq: 3, at: 3, type: 'run_paused' },
      { runId: 'r', seq: 4, at: 4, type: 'operator_action', action: { type: 'click', x: 5, y: 6, button: 'left' } },
      { runId: 'r', seq: 5, at: 5, type: 'operator_action', action: { type: 'type', text: 'ls\n' } },
    ]);
    const tl = foldEvents(base, [
      shot(6, 'first.png'),
      { runId: 'r', seq: 7, at: 7, type: 'operator_action', action: { type: 'keypress', keys: 'Escape' } },
      shot(8, 'second.png'),
      shot(9, 'stray.png'), // nothing new since the last one: no action gets it
    ]);
    const notes = tl.steps[1]!.notes.filter((n) => n.kind === 'operator_action');
    expect(notes.map((n) => [n.text, n.shot?.ref])).toEqual([['click at (5, 6)', undefined], ['typed "ls\\n"', 'first.png'], ['pressed Escape', 'second.png']]);
    expect(tl.steps[0]).toBe(base.steps[0]);
    expect(base.steps[1]!.notes.some((n) => n.shot)).toBe(false); // the earlier state is not changed
  });
});
