// The bench helper runs and measures something sane (the figures themselves are printed by `npm run bench`).
import { describe, expect, it } from 'vitest';
import { benchToolOverhead } from './bench.ts';

describe('benchToolOverhead', () => {
  it('measures first output and abort of a command with children', async () => {
    const r = await benchToolOverhead({ runs: 3 });
    for (const s of [r.spawnToFirstByteMs, r.spawnToFirstByteNoLoginMs, r.spawnBaselineMs, r.abortToGoneMs]) {
      expect(s.median).toBeGreaterThan(0);
      expect(s.p95).toBeGreaterThanOrEqual(s.median);
    }
    expect(r.abortToGoneMs.p95).toBeLessThan(500);
  }, 30_000);
});
