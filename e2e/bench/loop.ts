// The agent loop's own overhead per step (capture, store, policy, perform, settle; not the
// model) with the scripted planner on a static 1280x800 screen, plus the store's figures. Measured
// twice: with the driver every run gets (openTarget: private regions and window rules around each
// capture and action) and with the bare driver, so the guards' own cost shows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesktopDriver } from '../../agents/desktop/driver.ts';
import { startDisplay } from '../../agents/desktop/display.ts';
import { NutDriver } from '../../agents/desktop/nut-driver.ts';
import { openTarget } from '../../agents/desktop/targets.ts';
import { ScriptedPlanner } from '../../agents/models/scripted.ts';
import { AgentRun } from '../../agents/run/agent-run.ts';
import type { RunEvent } from '../../agents/run/events.ts';
import { benchStore } from '../../agents/store/bench.ts';
import { Store } from '../../agents/store/store.ts';
import { printRows, timingRow } from './stats.ts';

export async function benchLoop(steps = 40): Promise<void> {
  const target = await openTarget({ kind: 'sandbox', size: { width: 1280, height: 800 }, launch: [] }, { windows: { deny: { classes: ['KeePassXC'] } } });
  const guarded = await overheadPerStep(target.driver, steps).finally(() => target.close());
  const display = await startDisplay({ size: { width: 1280, height: 800 } });
  const driver = await NutDriver.start({ display: display.display, env: display.env });
  const bare = await overheadPerStep(driver, steps).finally(async () => {
    await driver.close();
    await display.stop();
  });
  printRows('Agent loop, scripted planner, static 1280x800 screen', [
    timingRow(`overhead per step, the driver runs get (${guarded.length} steps)`, guarded, '<= 60 ms median'),
    timingRow(`overhead per step, bare driver (${bare.length} steps)`, bare),
  ]);
  const storeRows = Object.entries(await benchStore()).map(([name, value]) => ({ name, value }));
  printRows('Event log (SQLite)', storeRows);
}

/** Step start to step start, less the planner's time, after two warm-up steps. */
async function overheadPerStep(driver: DesktopDriver, steps: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'deskpilot-bench-'));
  const store = Store.open(join(dir, 'bench.db'));
  try {
    // A pointer move changes nothing on screen (Xvfb draws no cursor into captures): static.
    const script = Array.from({ length: steps }, (_, i) => ({ actions: [{ type: 'move', x: 100 + (i % 2), y: 100 }] }));
    script.push({ actions: [{ type: 'done' }] } as never);
    const run = AgentRun.start({ store, driver, planner: new ScriptedPlanner(script) }, { task: 'bench', provider: 'scripted', options: { approve: 'never', maxSteps: steps + 5 } });
    const result = await run.finished;
    if (result.status !== 'done') throw new Error(`bench run ended ${result.status}: ${result.reason}`);
    const events = store.readEvents<RunEvent>(run.id);
    const starts = events.filter((e) => e.type === 'step_started');
    const modelMs = new Map(events.flatMap((e) => (e.type === 'model_responded' ? [[e.step, e.ms] as const] : [])));
    const perStep: number[] = [];
    for (let i = 1; i < starts.length; i++) perStep.push(starts[i]!.at - starts[i - 1]!.at - (modelMs.get(starts[i - 1]!.step) ?? 0));
    return perStep.slice(2);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
