import { describe, expect, it } from 'vitest';
import { applyEvent, foldEvents } from './fold.ts';
import { STARTED, logOf, plainStep } from './fixtures.ts';

describe('skill events in the timeline', () => {
  it('skills_offered and a skill loaded by the task before step 1 are run-level notes; the run is still running', () => {
    const s = foldEvents(undefined, logOf('r', [
      STARTED,
      { type: 'skills_offered', names: ['organize-files', 'libreoffice-cli'], listedOnly: ['read-screen-text'] },
      { type: 'skill_loaded', name: 'libreoffice-cli', source: 'builtin', by: 'task', dir: '/skills/libreoffice-cli' },
    ]));
    expect(s.notes).toEqual([
      expect.objectContaining({ kind: 'skills_offered', text: 'organize-files, libreoffice-cli, read-screen-text', seq: 2 }),
      expect.objectContaining({ kind: 'skill_loaded', text: 'libreoffice-cli', seq: 3 }),
    ]);
    expect(s.status).toBe('running');
  });

  it('a skill loaded by the model lands on the current step, keeping the identity of the steps it did not touch', () => {
    const before = foldEvents(undefined, logOf('r', [STARTED, ...plainStep(1), ...plainStep(2)]));
    const after = applyEvent(before, logOf('r', [{ type: 'skill_loaded', name: 'organize-files', source: 'user', by: 'model', dir: '/d/organize-files' }], { seq: before.lastSeq + 1, at: 1_800_000_000_000 })[0]!);
    expect(after.steps[0]).toBe(before.steps[0]);
    expect(after.steps[1]).not.toBe(before.steps[1]);
    expect(after.steps[1]!.notes.at(-1)).toMatchObject({ kind: 'skill_loaded', text: 'organize-files' });
    expect(before.steps[1]!.notes.some((n) => n.kind === 'skill_loaded')).toBe(false);
    expect(after.notes).toBe(before.notes);
  });
});
