// Run -> automation: the actions the run performed (not the rejected, failed or skipped ones), in
// screen pixels as performed (an operator's edit included), each pointer action with its evidence.
import { actionPoints, type DesktopAction } from '../desktop/actions.ts';
import type { AgentAction } from '../models/planner.ts';
import type { RunEvent } from '../run/events.ts';
import type { Store } from '../store/store.ts';
import { ACTIVE_STATUSES } from '../store/types.ts';
import { AutomationError, AUTOMATION_FORMAT, parameterize, toolIntent, type Automation, type Step, type StepAction, type ToolCall } from './automation.ts';
import { captureScale, gatherEvidence, screenGray, type StepShot } from './evidence.ts';
import type { Gray } from './gray.ts';
import { OcrUnavailableError } from './ocr.ts';
import type { WindowInfo } from './window-probe.ts';

export interface CompileOptions {
  name: string;
  description?: string;
  /** name -> the text the run typed: its occurrences in typed texts become {{name}}. */
  params?: Record<string, string>;
  allowHealing?: boolean;
  /** An OSWorld evaluator object, to report a replay verified. */
  evaluator?: Record<string, unknown>;
  /** Read the word under each target with tesseract (default true). */
  ocr?: boolean;
  /** The active window now: only right if the run's window has not moved since. */
  window?: WindowInfo;
}

export interface Compiled {
  automation: Omit<Automation, 'version'>;
  /** Things the user should know (the run did not finish done, a screenshot is missing...). */
  warnings: string[];
}


interface Performed {
  step: number;
  action: StepAction;
}

/** Compiles a run's log into an automation (not saved: see AutomationStore.save). */
export async function compileRun(store: Store, runId: string, opts: CompileOptions): Promise<Compiled> {
  const run = store.getRun(runId);
  if (!run) throw new AutomationError(`no run ${runId} in the database (deskpilot runs list shows the recent ones)`);
  if ((ACTIVE_STATUSES as readonly string[]).includes(run.status)) throw new AutomationError(`run ${runId} is still ${run.status}: save it as an automation once it has ended`);
  const warnings: string[] = [];
  if (run.status !== 'done') warnings.push(`run ${runId} ended ${run.status}${run.error ? ` (${run.error})` : ''}: only the actions it performed were kept`);

  const events = store.readEvents<RunEvent>(runId);
  const shots = new Map<number, StepShot>();
  const proposed = new Map<string, { step: number; action: AgentAction; screenAction?: DesktopAction }>();
  const edits = new Map<string, DesktopAction>();
  const performed: Performed[] = [];
  // A tool call is kept with the input it ran with (an operator's edit included) once it finished without error.
  const called = new Map<string, ToolCall>();
  let screen: { width: number; height: number } | undefined;
  for (const e of events) {
    if (e.type === 'run_started') screen = e.screen;
    else if (e.type === 'screenshot_captured') shots.set(e.step, { ref: e.ref, image: e.image, screen: e.screen });
    else if (e.type === 'action_proposed') proposed.set(e.actionId, { step: e.step, action: e.action, ...(e.screenAction ? { screenAction: e.screenAction } : {}) });
    else if (e.type === 'approval_decided' && e.decision === 'edit') edits.set(e.actionId, e.action);
    else if (e.type === 'action_performed') {
      const p = proposed.get(e.actionId);
      const action = edits.get(e.actionId) ?? p?.screenAction;
      if (p && action) performed.push({ step: p.step, action });
    } else if (e.type === 'tool_called') called.set(e.actionId, { type: 'tool', name: e.name, input: e.input });
    else if (e.type === 'tool_finished') {
      const p = proposed.get(e.actionId);
      const call = called.get(e.actionId);
      if (p && call && !e.isError) performed.push({ step: p.step, action: call });
      else if (p && call) warnings.push(`${toolIntent(call)} reported an error in the run, so it was left out`);
    }
  }
  if (performed.length === 0) throw new AutomationError(`run ${runId} performed no actions: there is nothing to replay`);

  const grays = new Map<number, Gray | null>();
  const grayFor = async (step: number): Promise<Gray | null> => {
    if (!grays.has(step)) {
      const shot = shots.get(step);
      grays.set(step, shot && store.blobs.has(shot.ref) ? await screenGray(store, shot) : null);
    }
    return grays.get(step)!;
  };

  let ocr = opts.ocr ?? true;
  let steps: Step[] = [];
  for (const [i, p] of performed.entries()) {
    const step: Step = { id: `s${i + 1}`, intent: '', action: p.action };
    if (i > 0 && performed[i - 1]!.step === p.step) step.chained = true;
    const at = p.action.type === 'tool' ? undefined : actionPoints(p.action)[0];
    if (at) {
      const gray = await grayFor(p.step);
      const shot = shots.get(p.step);
      const scale = shot && captureScale(shot);
      const gather = () => gatherEvidence(store, gray!, at, { ...(scale ? { scale } : {}), ocr, ...(opts.window ? { window: opts.window } : {}) });
      if (gray) {
        step.evidence = await gather().catch((err: unknown) => {
          if (!(err instanceof OcrUnavailableError)) throw err;
          // Without tesseract the steps still get their crops; only the text fallback is lost.
          ocr = false;
          warnings.push(`${err.message}; the steps have no text evidence`);
          return gather();
        });
      }
      else warnings.push(`step ${i + 1}: the run's screenshot of step ${p.step} is gone, so this target has no evidence and replays at its recorded point`);
    }
    step.intent = p.action.type === 'tool' ? toolIntent(p.action) : intentOf(p.action, step.evidence?.text);
    steps.push(step);
  }
  if (opts.params && Object.keys(opts.params).length > 0) steps = parameterize(steps, opts.params);

  return {
    automation: {
      format: AUTOMATION_FORMAT,
      name: opts.name,
      ...(opts.description ? { description: opts.description } : {}),
      params: Object.keys(opts.params ?? {}).map((name) => ({ name })),
      allowHealing: opts.allowHealing ?? false,
      ...(opts.evaluator ? { evaluator: opts.evaluator } : {}),
      source: { runId, task: run.task },
      ...(screen ? { screen } : {}),
      steps,
    },
    warnings,
  };
}

const quoted = (s: string, max = 60) => JSON.stringify(s.length > max ? `${s.slice(0, max - 3)}...` : s);

/** "click 'Save'", "double-click at (120, 40)", "type \"hello\"", "press ctrl+s". */
export function intentOf(a: DesktopAction, label?: string): string {
  const target = (p: { x: number; y: number }) => (label ? `'${label}'` : `at (${p.x}, ${p.y})`);
  switch (a.type) {
    case 'click':
      return `${a.button === 'left' ? 'click' : `${a.button}-click`} ${target(a)}`;
    case 'double_click':
      return `double-click ${target(a)}`;
    case 'triple_click':
      return `triple-click ${target(a)}`;
    case 'move':
      return `move to ${target(a)}`;
    case 'drag':
      return `drag from ${target(a.path[0]!)} to (${a.path.at(-1)!.x}, ${a.path.at(-1)!.y})`;
    case 'scroll':
      return `scroll ${a.direction} ${a.amount}${a.x !== undefined && a.y !== undefined ? ` at ${target({ x: a.x, y: a.y })}` : ''}`;
    case 'mouse_down':
    case 'mouse_up':
      return `${a.type.replace('_', ' ')} ${a.button}${a.x !== undefined && a.y !== undefined ? ` at ${target({ x: a.x, y: a.y })}` : ''}`;
    case 'type':
      return `type ${quoted(a.text)}`;
    case 'keypress':
      return `press ${Array.isArray(a.keys) ? a.keys.join('+') : a.keys}`;
    case 'wait':
      return `wait ${a.ms} ms`;
  }
}
