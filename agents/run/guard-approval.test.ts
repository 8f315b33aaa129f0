// A guard of the driver (a window not open at the start) asks through the run's approvals: the
// reason is the guard's, mode "never" asks nobody and refuses, a rejection is reported to the model,
// an approval or an edit lets the action (as edited) through. The driver here is a fake that asks
// as the window guard does; the guard itself is tested in agents/desktop and on a display in e2e.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DesktopActionInput } from '../desktop/actions.ts';
import type { DesktopDriver, PerformContext, Screenshot } from '../desktop/driver.ts';
import type { Size } from '../desktop/geometry.ts';
import { WindowDeniedError } from '../desktop/window-policy.ts';
import type { PlannerContext } from '../models/planner.ts';
import { ScriptedPlanner } from '../models/scripted.ts';
import { useTempStore } from '../store/testdata/temp-store.ts';
import type { Store } from '../store/store.ts';
import { AgentRun } from './agent-run.ts';
import type { ApprovalDecision, ApprovalMode, RunEvent } from './events.ts';

const SIZE: Size = { width: 320, height: 200 };
const REASON = 'acting in a window that was not open when the run started: "notes.txt - Mousepad" (Mousepad)';
let frame: Buffer;
beforeAll(async () => {
  frame = await sharp({ create: { ...SIZE, channels: 3, background: '#204060' } }).png().toBuffer();
});

/** Typing goes to a new window: asked about once, then known; clicks go to a window open at the start. */
class NewWindowDriver implements DesktopDriver {
  readonly display = ':fake';
  readonly performed: DesktopActionInput[] = [];
  private approved = false;

  async screenSize(): Promise<Size> {
    return SIZE;
  }

  async capture(): Promise<Screenshot> {
    return { data: frame, format: 'png', screen: SIZE, image: SIZE, scaleX: 1, scaleY: 1, capturedAt: Date.now(), method: 'nut' };
  }

  async perform(action: DesktopActionInput, signal?: AbortSignal, ctx?: PerformContext): Promise<void> {
    if (action.type === 'type' && !this.approved) {
      const answer = ctx?.approve ? await ctx.approve(REASON, signal) : { approved: false as const, reason: 'nobody could be asked' };
      if (!answer.approved) throw new WindowDeniedError(`refused before acting: ${REASON}; ${answer.reason}`);
      this.approved = true;
      action = answer.action ?? action;
    }
    this.performed.push(action);
  }

  async close(): Promise<void> {}
}

class Recording extends ScriptedPlanner {
  readonly seen: PlannerContext[] = [];
  override next(ctx: PlannerContext, signal: AbortSignal) {
    this.seen.push(structuredClone({ ...ctx, screenshot: { dataUrl: '', image: ctx.screenshot.image } }));
    return super.next(ctx, signal);
  }
}

const tmp = useTempStore();
const ofType = <T extends RunEvent['type']>(store: Store, run: AgentRun, type: T) =>
  store.readEvents<RunEvent>(run.id).filter((e): e is typeof e & Extract<RunEvent, { type: T }> => e.type === type);

function start(approve: ApprovalMode, decide?: (actionId: string, reasons: string[]) => ApprovalDecision) {
  const store = tmp.open();
  const driver = new NewWindowDriver();
  const planner = new Recording([
    { actions: [{ type: 'click', x: 10, y: 10 }, { type: 'type', text: 'hello' }] },
    { actions: [{ type: 'type', text: 'again' }] },
    { actions: [{ type: 'done' }] },
  ]);
  let run: AgentRun | undefined;
  store.subscribe<RunEvent>((e) => {
    if (e.type === 'approval_requested' && decide && run && e.runId === run.id) queueMicrotask(() => run!.control.decide(e.actionId, decide(e.actionId, e.reasons)));
  });
  run = AgentRun.start({ store, driver, planner }, { task: 'write notes', provider: 'test', options: { approve } });
  return { store, driver, planner, run };
}

describe('approvals asked by a guard of the driver', () => {
  it('mode "never": nothing is asked, the typing is refused with the reason, and the model is told', async () => {
    const { store, driver, planner, run } = start('never');
    expect((await run.finished).status).toBe('done');
    expect(driver.performed).toEqual([{ type: 'click', x: 10, y: 10, button: 'left' }]);
    expect(ofType(store, run, 'approval_requested')).toEqual([]);
    const failed = ofType(store, run, 'action_failed');
    expect(failed).toHaveLength(2);
    expect(failed[0]!.error).toContain(REASON);
    expect(failed[0]!.error).toContain('approval mode "never"');
    expect(JSON.stringify(planner.seen[1]!.outcomes)).toContain('not open when the run started');
  });

  it('mode "risky": asked with the guard\'s reason although the typing is not risky; approved once, known after', async () => {
    const asked: string[][] = [];
    const { store, driver, run } = start('risky', (_id, reasons) => (asked.push(reasons), { decision: 'approve' }));
    expect((await run.finished).status).toBe('done');
    expect(asked).toEqual([[REASON]]);
    expect(driver.performed.map((a) => a.type === 'type' && a.text)).toEqual([false, 'hello', 'again']);
    expect(ofType(store, run, 'approval_decided').map((e) => e.decision)).toEqual(['approve']);
    expect(ofType(store, run, 'action_performed')).toHaveLength(3);
  });

  it('a rejection is not performed and reaches the model with the operator\'s words', async () => {
    const { driver, planner, run } = start('risky', () => ({ decision: 'reject', reason: 'not that window' }));
    expect((await run.finished).status).toBe('done');
    expect(driver.performed.filter((a) => a.type === 'type')).toEqual([]);
    expect(JSON.stringify(planner.seen[1]!.outcomes)).toContain('the operator refused (not that window)');
  });

  it('an edit is what is typed', async () => {
    const { driver, run } = start('risky', () => ({ decision: 'edit', action: { type: 'type', text: 'edited' } }));
    expect((await run.finished).status).toBe('done');
    expect(driver.performed.filter((a) => a.type === 'type').map((a) => a.type === 'type' && a.text)).toEqual(['edited', 'again']);
  });
});
