// The policy's corpus as a test: every evasion in issue 16 flagged, ordinary work left alone.
import { describe, expect, it } from 'vitest';
import { type CorpusInput, FLAGGED, HARMLESS, judgeCorpus } from './policy-corpus.ts';

const label = (input: CorpusInput) => JSON.stringify(input).slice(0, 90);

describe('policy corpus', () => {
  it('holds at least 150 cases, roughly half of each kind', () => {
    expect(FLAGGED.length + HARMLESS.length).toBeGreaterThanOrEqual(150);
    expect(Math.min(FLAGGED.length, HARMLESS.length) / Math.max(FLAGGED.length, HARMLESS.length)).toBeGreaterThan(0.5);
  });

  it.each(FLAGGED.map((row) => [label(row[0]), ...row] as const))('flags %s', (_, input, reason) => {
    const reasons = judgeCorpus(input);
    expect(reasons.some((r) => r.includes(reason!)), `reasons: ${JSON.stringify(reasons)}`).toBe(true);
  });

  it.each(HARMLESS.map((row) => [label(row[0]), row[0]] as const))('leaves %s unflagged', (_, input) => {
    expect(judgeCorpus(input)).toEqual([]);
  });
});
