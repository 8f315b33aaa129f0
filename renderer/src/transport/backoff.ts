// Reconnect delays: 250 ms doubling up to 5 s, so a restarted server is found quickly without hammering it.
export const BACKOFF_START_MS = 250;
export const BACKOFF_MAX_MS = 5000;

/** The delay before reconnect attempt n (0-based). */
export function backoffDelay(attempt: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** Math.max(0, attempt));
}
