// Starting a sandbox (Xvfb, bus, openbox) or an input worker (a Node process that loads nut-js) is
// CPU-bound for a second or two. Eleven at once on 2 cores made every one miss its timeout, so
// start-ups in this process take turns: at most one per core in flight (at least 2), the rest wait,
// and each start-up's timeout counts from its turn, not from when it was asked for. Other work on
// the machine (other runs, other programs) is beyond this queue: the timeouts grow with the load.
import { availableParallelism, loadavg } from 'node:os';

/** DESKPILOT_STARTUPS overrides the number of start-ups in flight. */
function limitFromEnv(): number {
  const wanted = Number(process.env.DESKPILOT_STARTUPS);
  return Number.isInteger(wanted) && wanted > 0 ? wanted : Math.max(2, availableParallelism());
}

const limit = limitFromEnv();
let active = 0;
const waiting: (() => void)[] = [];
/** Waiting start-ups that finish something already begun (a sandbox's input worker): they go first. */
const finishing: (() => void)[] = [];

/**
 * Runs `start` when a start-up slot is free; the slot is held until it settles. `finishes`: this
 * completes a sandbox already started, so it goes before new ones and each sandbox is ready sooner.
 */
export async function inStartupTurn<T>(start: () => Promise<T>, finishes = false): Promise<T> {
  if (active < limit) active++;
  // The slot is handed over by the one that ends, so `active` stays counted.
  else await new Promise<void>((r) => (finishes ? finishing : waiting).push(r));
  try {
    return await start();
  } finally {
    const next = finishing.shift() ?? waiting.shift();
    if (next) next();
    else active--;
  }
}

/** Start-ups running and waiting now (for tests and diagnostics). */
export function startupLoad(): { running: number; waiting: number; limit: number } {
  return { running: active, waiting: waiting.length + finishing.length, limit };
}

/**
 * A start-up timeout stretched by the machine's load (1-minute average per core, up to 8 times):
 * it is there to catch a start-up that hangs, not one that waits for a busy CPU.
 */
export function loadScaled(ms: number): { ms: number; why: string } {
  const cores = availableParallelism();
  const load = loadavg()[0] ?? 0;
  const factor = Math.min(8, Math.max(1, load / cores));
  if (factor === 1) return { ms, why: '' };
  return { ms: Math.round(ms * factor), why: ` (${ms} ms stretched for a load of ${load.toFixed(1)} on ${cores} cores)` };
}
