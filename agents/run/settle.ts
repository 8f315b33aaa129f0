// Waits until the screen stops changing after an action (with a cap), instead of a fixed sleep.
import type { DesktopDriver } from '../desktop/driver.ts';

export interface SettleOptions {
  /** Width of the thumbnails compared; small is fast and still sees a caret blink. */
  width?: number;
  intervalMs?: number;
  capMs?: number;
  /** How long the screen must stay unchanged before it counts as settled. */
  quietMs?: number;
}

/** Resolves with the time taken once the screen has not changed for quietMs, or at the cap. */
export async function waitForSettle(driver: DesktopDriver, signal: AbortSignal, opts: SettleOptions = {}): Promise<{ ms: number; settled: boolean }> {
  if (driver.settle) return driver.settle({ ...(opts.intervalMs ? { intervalMs: opts.intervalMs } : {}), ...(opts.capMs ? { capMs: opts.capMs } : {}), ...(opts.quietMs !== undefined ? { quietMs: opts.quietMs } : {}) }, signal);
  const start = performance.now();
  const { width = 320, intervalMs = 15, capMs = 1500, quietMs = 30 } = opts;
  let previous: Buffer | undefined;
  let unchangedSince = start;
  while (performance.now() - start < capMs) {
    const frame = (await driver.capture({ format: 'png', width }, signal)).data;
    const now = performance.now();
    if (!previous?.equals(frame)) {
      previous = frame;
      unchangedSince = now;
    } else if (now - unchangedSince >= quietMs) return { ms: now - start, settled: true };
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return { ms: performance.now() - start, settled: false };
}
