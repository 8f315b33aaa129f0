// Parallel runs: 1, 2 and 4 sandboxed runs at once, each `steps` steps against its own mock OpenAI
// server replying after `latencyMs`. Wall time, tasks per hour (and the ratio to serial), the loop's
// own time per step (step time minus the model's), and the memory each sandbox costs while it runs.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlanner } from '../../agents/models/create-planner.ts';
import type { RunEvent } from '../../agents/run/events.ts';
import { startRun } from '../../agents/run/start-run.ts';
import { Store } from '../../agents/store/store.ts';
import type { StoredEvent } from '../../agents/store/types.ts';
import { startMockOpenAI, type MockOpenAI, type MockTurn } from '../mock-openai/server.ts';
import { percentile, printRows, type Row } from './stats.ts';

const KEY = 'sk-bench-parallel-0123456789';

export interface ParallelFigures {
  runs: number;
  wallMs: number;
  tasksPerHour: number;
  /** Tasks per hour over the serial (1 run) figure; the target at 4 is 3 or more. */
  speedup: number;
  /** The loop's own time per step (capture, policy, perform, settle, log): step time minus the model's reply time. */
  overheadMedianMs: number;
  overheadP95Ms: number;
  /** RSS of every process of one sandbox (Xvfb, openbox, xterm, the input worker, the display host), MB, averaged over the sandboxes. */
  memoryPerSandboxMb: number;
  /** The same counted as RSS (shared pages in full in every process). */
  rssPerSandboxMb: number;
  /** The same, by process name (the first sandbox's): where the memory goes. */
  memoryByProcess: Record<string, number>;
  statuses: string[];
}

/** Busy steps: pointer moves to new spots (no loop detection), then done. */
function trajectory(steps: number): MockTurn[] {
  return [...Array.from({ length: steps - 1 }, (_, k) => ({ actions: [{ type: 'move' as const, x: 40 + 7 * k, y: 600 }] })), { text: 'done' }];
}

/**
 * Processes whose environment says DISPLAY=display, and the X server for it: their summed memory in MB.
 * PSS (proportional set size) splits pages shared between processes (the node binary, libraries) among
 * them, so it is what each more sandbox costs; RSS counts those pages again in every process.
 */
function sandboxMemoryMb(display: string, by: Record<string, number> = {}): { pss: number; rss: number } {
  let pss = 0;
  let rss = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const isServer = cmd[0]?.endsWith('Xvfb') && cmd[1] === display;
      if (!isServer && !env.includes(`DISPLAY=${display}`)) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
      pss += kb('Pss');
      rss += kb('Rss');
      const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      by[name] = (by[name] ?? 0) + kb('Pss') / 1024;
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return { pss: pss / 1024, rss: rss / 1024 };
}

async function batch(n: number, steps: number, latencyMs: number, store: Store, mocks: MockOpenAI[]): Promise<Omit<ParallelFigures, 'speedup'>> {
  const memory: number[] = [];
  const rssMemory: number[] = [];
  const byProcess: Record<string, number> = {};
  const t0 = performance.now();
  const started = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const mock = mocks[i]!;
      mock.setTrajectory(trajectory(steps));
      mock.setLatency(latencyMs);
      const { planner } = await createPlanner({ provider: 'openai-responses', baseURL: mock.url, apiKey: KEY, model: 'computer-use-preview' });
      return startRun({ kind: 'sandbox' }, { store, planner, provider: 'openai-responses', task: `bench ${i}`, options: { approve: 'never', maxSteps: steps + 2 } });
    }),
  );
  // Memory mid-way, with every sandbox up and busy.
  const sampler = setTimeout(() => {
    started.forEach((s, i) => {
      const m = sandboxMemoryMb(s.target.display, i === 0 ? byProcess : {});
      memory.push(m.pss);
      rssMemory.push(m.rss);
    });
  }, (steps / 2) * latencyMs);
  const results = await Promise.all(started.map((s) => s.run.finished));
  const wallMs = performance.now() - t0;
  clearTimeout(sampler);
  await Promise.all(started.map((s) => s.closed));

  const overhead: number[] = [];
  for (const s of started) {
    const events = store.readEvents(s.run.id) as (StoredEvent & RunEvent)[];
    const starts = events.filter((e) => e.type === 'step_started');
    const replies = new Map(events.flatMap((e) => (e.type === 'model_responded' ? [[e.step, e.ms] as const] : [])));
    for (let k = 0; k + 1 < starts.length; k++) {
      const step = (starts[k] as { step: number }).step;
      overhead.push(starts[k + 1]!.at - starts[k]!.at - (replies.get(step) ?? 0));
    }
  }
  return {
    runs: n, wallMs, tasksPerHour: (n / wallMs) * 3_600_000,
    overheadMedianMs: percentile(overhead, 50), overheadP95Ms: percentile(overhead, 95),
    memoryPerSandboxMb: memory.length ? memory.reduce((a, b) => a + b, 0) / memory.length : Number.NaN,
    rssPerSandboxMb: rssMemory.length ? rssMemory.reduce((a, b) => a + b, 0) / rssMemory.length : Number.NaN,
    memoryByProcess: byProcess,
    statuses: results.map((r) => r.status),
  };
}

/** Runs the batches one after another (1, 2, 4 runs by default) and returns their figures. */
export async function benchParallel(opts: { counts?: number[]; steps?: number; latencyMs?: number } = {}): Promise<ParallelFigures[]> {
  const { counts = [1, 2, 4], steps = 20, latencyMs = 1500 } = opts;
  const dir = mkdtempSync(join(tmpdir(), 'deskpilot-bench-parallel-'));
  const store = Store.open(join(dir, 'bench.db'));
  const mocks = await Promise.all(Array.from({ length: Math.max(...counts) }, () => startMockOpenAI({ apiKey: KEY })));
  try {
    const out: ParallelFigures[] = [];
    for (const n of counts) {
      const figures = await batch(n, steps, latencyMs, store, mocks);
      const serial = out.find((f) => f.runs === 1)?.tasksPerHour ?? figures.tasksPerHour / n;
      out.push({ ...figures, speedup: figures.tasksPerHour / serial });
    }
    return out;
  } finally {
    await Promise.all(mocks.map((m) => m.close()));
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures as rows for `npm run bench`. */
export function parallelRows(figures: ParallelFigures[]): Row[] {
  return figures.flatMap((f) => [
    { name: `${f.runs} at once: wall time, tasks/hour`, value: `${(f.wallMs / 1000).toFixed(1)} s, ${f.tasksPerHour.toFixed(0)}/h (${f.speedup.toFixed(2)}x serial)${f.runs === 4 ? ' (target >= 3x)' : ''} [${f.statuses.join(' ')}]` },
    { name: `${f.runs} at once: loop overhead per step`, median: f.overheadMedianMs, p95: f.overheadP95Ms },
    {
      name: `${f.runs} at once: memory per sandbox with xterm`,
      value: `PSS ${f.memoryPerSandboxMb.toFixed(0)} MB (target <= 150 MB; RSS ${f.rssPerSandboxMb.toFixed(0)} MB): ${Object.entries(f.memoryByProcess).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`,
    },
  ]);
}

// tsx e2e/bench/parallel.ts prints the figures on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  printRows('Parallel runs (each 20 steps, mock replying in 1.5 s)', parallelRows(await benchParallel()));
}
