import { describe, expect, it } from 'vitest';
import { MAX_COPIES, planStarts } from './start-many.ts';

describe('planStarts', () => {
  it('one task stays in the thread and keeps the chosen place', () => {
    expect(planStarts('do it', { copies: 1, perLine: false, runOn: 'current' })).toEqual([{ task: 'do it', newThread: false, runOn: 'current' }]);
  });
  it('N copies each get a new thread and a sandbox', () => {
    const plan = planStarts('do it', { copies: 3, perLine: false, runOn: 'current' });
    expect(plan).toHaveLength(3);
    expect(plan.every((p) => p.newThread && p.runOn === 'sandbox' && p.task === 'do it')).toBe(true);
  });
  it('one task per line, blank lines skipped, copies multiply, at most MAX_COPIES each', () => {
    expect(planStarts('a\n\n b \n', { copies: 2, perLine: true, runOn: undefined }).map((p) => p.task)).toEqual(['a', 'a', 'b', 'b']);
    expect(planStarts('a', { copies: 999, perLine: false, runOn: undefined })).toHaveLength(MAX_COPIES);
    expect(planStarts('a\nb', { copies: 1, perLine: false, runOn: undefined })).toEqual([{ task: 'a\nb', newThread: false, runOn: undefined }]);
  });
});
