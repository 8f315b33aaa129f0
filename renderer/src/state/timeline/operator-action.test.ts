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
});
