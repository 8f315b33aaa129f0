import { describe, expect, it } from 'vitest';
import { inStartupTurn, loadScaled, startupLoad } from './startup-queue.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('start-up turns', () => {
  it('runs at most `limit` start-ups at once, every one of them, and a failure frees its turn', async () => {
    const { limit } = startupLoad();
    let running = 0;
    let most = 0;
    const results = await Promise.allSettled(Array.from({ length: limit * 4 }, (_, i) => inStartupTurn(async () => {
      running++;
      most = Math.max(most, running);
      await sleep(10);
      running--;
      if (i % 3 === 0) throw new Error(`start-up ${i} failed`);
      return i;
    })));
    expect(most).toBe(limit);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(limit * 4 - Math.ceil((limit * 4) / 3));
    expect(startupLoad()).toMatchObject({ running: 0, waiting: 0 });
  });

  it('never shortens a timeout, and says why it grew', () => {
    const t = loadScaled(1000);
    expect(t.ms).toBeGreaterThanOrEqual(1000);
    expect(t.ms).toBeLessThanOrEqual(8000);
    if (t.ms > 1000) expect(t.why).toMatch(/stretched for a load of/);
  });
});

describe('start-up order', () => {
  it('lets a start-up that finishes something begun go before new ones', async () => {
    const { limit } = startupLoad();
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(name);
      await sleep(5);
    };
    const all = [
      ...Array.from({ length: limit }, (_, i) => inStartupTurn(job(`busy${i}`))),
      inStartupTurn(job('new')),
      inStartupTurn(job('worker'), true),
    ];
    await Promise.all(all);
    expect(order.indexOf('worker')).toBeLessThan(order.indexOf('new'));
  });
});
