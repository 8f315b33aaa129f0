// Real agent runs for the compile and replay tests: AgentRun + a scripted planner whose points are
// in a scaled screenshot (as a model's are) + a driver over rendered screens.
import type { Size } from '../../desktop/geometry.ts';
import type { Planner, PlannerContext, PlannerStep } from '../../models/planner.ts';
import { ScriptedPlanner } from '../../models/scripted.ts';
import { AgentRun } from '../../run/agent-run.ts';
import type { ApprovalDecision, RunOptions } from '../../run/events.ts';
import type { Store } from '../../store/store.ts';
import type { DesktopDriver } from '../../desktop/driver.ts';
import type { Item } from './scene.ts';

/** A script whose points are in a 1024x640 image of the 1280x800 screen, like a model's. */
export class ScaledScript implements Planner {
  readonly name = 'scaled-script';
  private inner: ScriptedPlanner;
  constructor(script: unknown[]) {
    this.inner = new ScriptedPlanner(script);
  }
  imageSizeFor(): Size {
    return { width: 1024, height: 640 };
  }
  next(ctx: PlannerContext, signal: AbortSignal): Promise<PlannerStep> {
    return this.inner.next(ctx, signal);
  }
}

/** Runs to the end; `decide` answers the n-th approval request. */
export async function runOf(store: Store, driver: DesktopDriver, planner: Planner, options: Partial<RunOptions> = { approve: 'never' }, decide?: (n: number) => ApprovalDecision) {
  const run = AgentRun.start({ store, driver, planner }, { task: 'send the invoice', provider: planner.name, options });
  let n = 0;
  const stop = store.subscribe((e) => {
    if (e.runId === run.id && e.type === 'approval_requested' && decide) {
      const decision = decide(++n);
      setTimeout(() => run.control.decide(e['actionId'] as string, decision), 1);
    }
  });
  const result = await run.finished;
  stop();
  return { run, result };
}

export const SAVE: Item = { text: 'Save', x: 500, y: 400, button: true };

/** Save is at (545, 415) on screen, (436, 332) in the 1024x640 image. */
export const INVOICE_SCRIPT = [
  { thought: 'Click Save.', actions: [{ type: 'click', x: 436, y: 332, button: 'left' }] },
  { actions: [{ type: 'type', text: 'INV-001 for ACME' }, { type: 'keypress', keys: ['CTRL', 'S'] }] },
  { actions: [{ type: 'done' }] },
];
