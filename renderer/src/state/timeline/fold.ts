// The timeline is a pure fold over a run's event log: foldEvents(state, events) -> a new state.
// Inside one fold the new state is built by copy-on-write into fresh objects, so a bulk load of
// 10,000 events is linear, and objects the fold did not touch (unchanged step rows) keep their
// identity, which is what lets memoized rows skip re-rendering.
import type { LoggedRunEvent } from '../../../../agents/contract.ts';
import { actionPoints, screenToImage } from './geometry.ts';
import { TOOL_OUTPUT_CAP, type ActionView, type ClickPoint, type FoldedStatus, type Note, type Shot, type StepView, type TimelineState, type ToolView } from './types.ts';
import { describeOperatorAction } from './operator-action.ts';

export function emptyTimeline(): TimelineState {
  return {
    lastSeq: 0, gap: false, started: undefined, status: 'running', loggedStatus: undefined, paused: false, phase: { kind: 'starting' },
    steps: [], notes: [], pendingApprovals: [], pendingQuestion: undefined, latestShot: undefined, clickPoint: undefined,
    totals: { steps: 0, actions: 0, inputTokens: 0, outputTokens: 0, costUsd: undefined, modelMs: 0, actionMs: 0 },
    outcome: undefined, firstAt: undefined, lastAt: undefined,
  };
}

/** Folds events in seq order: duplicates (seq <= lastSeq) are skipped; a hole in seq stops the fold with gap: true. */
export function foldEvents(state: TimelineState | undefined, events: readonly LoggedRunEvent[]): TimelineState {
  const base = state ?? emptyTimeline();
  const draft = new Draft(base);
  for (const e of events) {
    if (e.seq <= draft.s.lastSeq) continue;
    if (e.seq !== draft.s.lastSeq + 1) {
      draft.s.gap = true;
      break;
    }
    draft.apply(e);
  }
  return draft.finish(base);
}

/** One live event; the same rules as foldEvents. */
export function applyEvent(state: TimelineState | undefined, e: LoggedRunEvent): TimelineState {
  return foldEvents(state, [e]);
}

export function isEnded(status: FoldedStatus): boolean {
  return status === 'done' || status === 'failed' || status === 'aborted' || status === 'interrupted';
}

const OPEN_STATES = new Set<ActionView['state']>(['proposed', 'awaiting_approval', 'approved', 'edited', 'asking', 'running']);

class Draft {
  readonly s: TimelineState;
  private changed = false;
  /** Objects created by this fold: safe to mutate in place. */
  private readonly owned = new WeakSet<object>();

  constructor(base: TimelineState) {
    this.s = { ...base, gap: false };
  }

  finish(base: TimelineState): TimelineState {
    if (!this.changed && this.s.gap === base.gap) return base;
    const s = this.s;
    // The loop states the status in the log (run_status); logs written before it did are derived.
    s.status = s.outcome ? s.outcome.status : s.loggedStatus ?? (s.paused ? 'paused' : s.pendingApprovals.length > 0 || s.pendingQuestion ? 'waiting' : 'running');
    return s;
  }

  private own<T extends object>(value: T, copy: (v: T) => T): T {
    if (this.owned.has(value)) return value;
    const fresh = copy(value);
    this.owned.add(fresh);
    return fresh;
  }

  private stepsW(): StepView[] {
    return (this.s.steps = this.own(this.s.steps, (a) => a.slice()));
  }

  private stepAt(index: number, seq: number, at: number): StepView {
    const steps = this.stepsW();
    const step = this.own(steps[index]!, (st) => ({ ...st, actions: st.actions.slice(), modelErrors: st.modelErrors.slice(), notes: st.notes.slice() }));
    steps[index] = step;
    step.seq = seq;
    step.lastAt = at;
    return step;
  }

  /** The step numbered n (searched from the end: events almost always concern the latest). */
  private step(n: number, seq: number, at: number): StepView | undefined {
    const steps = this.s.steps;
    for (let i = steps.length - 1; i >= 0; i--) if (steps[i]!.step === n) return this.stepAt(i, seq, at);
    return undefined;
  }

  private lastStep(seq: number, at: number): StepView | undefined {
    return this.s.steps.length > 0 ? this.stepAt(this.s.steps.length - 1, seq, at) : undefined;
  }

  private action(actionId: string, seq: number, at: number): ActionView | undefined {
    const steps = this.s.steps;
    for (let i = steps.length - 1; i >= 0; i--) {
      const j = steps[i]!.actions.findIndex((a) => a.actionId === actionId);
      if (j < 0) continue;
      const step = this.stepAt(i, seq, at);
      const a = this.own(step.actions[j]!, (v) => ({ ...v }));
      step.actions[j] = a;
      a.seq = seq;
      return a;
    }
    // An action the log never proposed (e.g. a loop question): the event still belongs to the latest step.
    this.lastStep(seq, at);
    return undefined;
  }

  /** The action's tool view, owned by this fold (a new object the first time it changes). */
  private toolOf(a: ActionView): ToolView | undefined {
    if (!a.tool) return undefined;
    return (a.tool = this.own(a.tool, (v) => ({ ...v, chunks: v.chunks.slice() })));
  }

  private totals() {
    return (this.s.totals = this.own(this.s.totals, (t) => ({ ...t })));
  }

  private note(kind: Note['kind'], text: string, seq: number, at: number, server?: string): void {
    const note: Note = { kind, text, seq, at, server };
    const step = this.lastStep(seq, at);
    if (step) step.notes.push(note);
    else this.s.notes = [...this.s.notes, note];
  }

  /** The screen after a burst of operator actions goes beside the latest of them that has none yet. */
  private operatorShot(shot: Shot, seq: number, at: number): void {
    const step = this.lastStep(seq, at);
    const notes = step ? step.notes : this.s.notes.slice();
    for (let i = notes.length - 1; i >= 0; i--) {
      const n = notes[i]!;
      if (n.kind !== 'operator_action') continue;
      if (n.shot) break; // the actions since then were already shown with one
      notes[i] = { ...n, shot };
      break;
    }
    if (!step) this.s.notes = notes;
  }

  private clearClick(actionId: string): void {
    if (this.s.clickPoint?.actionId === actionId) this.s.clickPoint = undefined;
  }

  private removePending(actionId: string): void {
    if (this.s.pendingApprovals.includes(actionId)) this.s.pendingApprovals = this.s.pendingApprovals.filter((id) => id !== actionId);
  }

  apply(e: LoggedRunEvent): void {
    const s = this.s;
    this.changed = true;
    s.lastSeq = e.seq;
    s.lastAt = e.at;
    s.firstAt ??= e.at;
    const { seq, at } = e;
    switch (e.type) {
      case 'run_started': {
        const { runId: _r, seq: _s, ...rest } = e;
        s.started = rest;
        break;
      }
      case 'step_started': {
        const step: StepView = {
          step: e.step, startedAt: at, lastAt: at, seq, shot: undefined, attempts: 0, thought: undefined, proposedCount: undefined, modelMs: undefined,
          inputTokens: 0, outputTokens: 0, costUsd: undefined, actions: [], modelErrors: [], notes: [], end: undefined,
        };
        this.owned.add(step);
        this.stepsW().push(step);
        const t = this.totals();
        t.steps = Math.max(t.steps, e.step);
        s.phase = { kind: 'capturing', step: e.step };
        break;
      }
      case 'screenshot_captured': {
        const step = this.step(e.step, seq, at);
        const shot = { ref: e.ref, image: e.image, screen: e.screen, ms: e.ms };
        if (step) step.shot = shot;
        s.latestShot = { ...shot, step: e.step };
        s.phase = { kind: 'thinking', step: e.step, attempt: 1 };
        break;
      }
      case 'model_requested': {
        const step = this.step(e.step, seq, at);
        if (step) step.attempts = Math.max(step.attempts, e.attempt);
        s.phase = { kind: 'thinking', step: e.step, attempt: e.attempt };
        break;
      }
      case 'model_responded': {
        const step = this.step(e.step, seq, at);
        const t = this.totals();
        if (step) {
          if (e.thought !== undefined) step.thought = e.thought;
          step.proposedCount = e.actions;
          step.modelMs = (step.modelMs ?? 0) + e.ms;
          if (e.usage) {
            step.inputTokens += e.usage.inputTokens;
            step.outputTokens += e.usage.outputTokens;
            if (e.usage.costUsd !== undefined) step.costUsd = (step.costUsd ?? 0) + e.usage.costUsd;
          }
        }
        t.modelMs += e.ms;
        if (e.usage) {
          t.inputTokens += e.usage.inputTokens;
          t.outputTokens += e.usage.outputTokens;
          if (e.usage.costUsd !== undefined) t.costUsd = (t.costUsd ?? 0) + e.usage.costUsd;
        }
        s.phase = { kind: 'responded', step: e.step };
        break;
      }
      case 'model_error': {
        const step = this.step(e.step, seq, at);
        step?.modelErrors.push({ kind: e.kind, message: e.message, attempt: e.attempt, willRetry: e.willRetry, seq });
        if (e.willRetry) s.phase = { kind: 'retrying', step: e.step, message: e.message };
        break;
      }
      case 'action_proposed': {
        const step = this.step(e.step, seq, at);
        const a: ActionView = {
          actionId: e.actionId, step: e.step, action: e.action, screenAction: e.screenAction,
          state: e.action.type === 'screenshot' ? 'performed' : 'proposed',
          risks: e.risks, approvalReasons: undefined, rejectReason: undefined, edited: false, error: undefined, skipReason: undefined,
          question: undefined, answer: undefined, loopRepeats: undefined, ms: undefined, tool: undefined, seq,
        };
        if (e.action.type === 'tool') a.tool = newTool(e.action.name, e.action.input);
        this.owned.add(a);
        step?.actions.push(a);
        this.totals().actions += 1;
        const p = actionPoints(e.action)[0];
        const image = step?.shot?.image ?? s.latestShot?.image;
        s.clickPoint = p && image && a.state === 'proposed' ? { actionId: e.actionId, step: e.step, x: p.x, y: p.y, image } : undefined;
        s.phase = { kind: 'acting', step: e.step, actionId: e.actionId };
        break;
      }
      case 'approval_requested': {
        const a = this.action(e.actionId, seq, at);
        if (a) {
          a.state = 'awaiting_approval';
          a.approvalReasons = e.reasons;
        }
        if (!s.pendingApprovals.includes(e.actionId)) s.pendingApprovals = [...s.pendingApprovals, e.actionId];
        break;
      }
      case 'approval_decided': {
        const a = this.action(e.actionId, seq, at);
        this.removePending(e.actionId);
        if (e.decision === 'approve') {
          if (a) a.state = 'approved';
        } else if (e.decision === 'reject') {
          if (a) {
            a.state = 'rejected';
            a.rejectReason = e.reason;
          }
          this.clearClick(e.actionId);
        } else if (e.decision === 'edit_tool') {
          if (a) {
            a.state = 'edited';
            a.edited = true;
            if (a.action.type === 'tool') a.action = { ...a.action, input: e.input };
            const tool = this.toolOf(a);
            if (tool) tool.input = e.input;
          }
        } else {
          if (a) {
            a.state = 'edited';
            a.edited = true;
            a.screenAction = e.action;
          }
          this.moveClickToEdit(e.actionId, a);
        }
        break;
      }
      case 'action_performed': {
        const a = this.action(e.actionId, seq, at);
        if (a) {
          a.state = 'performed';
          a.ms = e.ms;
        }
        this.totals().actionMs += e.ms;
        this.clearClick(e.actionId);
        s.phase = { kind: 'settling', step: a?.step ?? this.currentStep() };
        break;
      }
      case 'action_failed': {
        const a = this.action(e.actionId, seq, at);
        if (a) {
          a.state = 'failed';
          a.error = e.error;
        }
        this.clearClick(e.actionId);
        s.phase = { kind: 'settling', step: a?.step ?? this.currentStep() };
        break;
      }
      case 'action_skipped': {
        const a = this.action(e.actionId, seq, at);
        if (a) {
          a.state = 'skipped';
          a.skipReason = e.reason;
        }
        this.clearClick(e.actionId);
        break;
      }
      case 'tool_called': {
        const a = this.action(e.actionId, seq, at);
        if (a) {
          a.state = 'running';
          if (a.action.type === 'tool') a.action = { ...a.action, input: e.input };
          a.tool ??= newTool(e.name, e.input);
          const tool = this.toolOf(a)!;
          tool.input = e.input;
          tool.running = true;
        }
        s.phase = { kind: 'acting', step: a?.step ?? this.currentStep(), actionId: e.actionId };
        break;
      }
      case 'tool_output': {
        const a = this.action(e.actionId, seq, at);
        const tool = a && this.toolOf(a);
        if (tool) appendOutput(tool, e.stream, e.text);
        break;
      }
      case 'tool_finished': {
        const a = this.action(e.actionId, seq, at);
        const tool = a && this.toolOf(a);
        if (a && tool) {
          a.state = e.isError ? 'failed' : 'performed';
          a.ms = e.ms;
          tool.running = false;
          tool.ms = e.ms;
          tool.exitCode = e.exitCode;
          tool.truncated = e.truncated;
          tool.timedOut = e.timedOut === true;
          tool.isError = e.isError;
          tool.result = e.output.length > TOOL_OUTPUT_CAP ? e.output.slice(-TOOL_OUTPUT_CAP) : e.output;
          tool.images = e.images ?? [];
        }
        this.totals().actionMs += e.ms;
        s.phase = { kind: 'tool_finished', step: a?.step ?? this.currentStep(), actionId: e.actionId };
        break;
      }
      case 'loop_detected': {
        const a = this.action(e.actionId, seq, at);
        if (a) a.loopRepeats = e.repeats;
        break;
      }
      case 'question_asked': {
        const a = this.action(e.actionId, seq, at);
        if (a) {
          a.state = 'asking';
          a.question = e.question;
        }
        this.clearClick(e.actionId);
        s.pendingQuestion = { actionId: e.actionId, question: e.question, step: a?.step ?? this.currentStep() };
        break;
      }
      case 'question_answered': {
        const a = this.action(e.actionId, seq, at);
        if (a) {
          a.state = 'answered';
          a.answer = e.answer;
        }
        if (s.pendingQuestion?.actionId === e.actionId) s.pendingQuestion = undefined;
        break;
      }
      case 'run_status':
        if (!isEnded(e.status)) s.loggedStatus = e.status;
        break;
      case 'user_message':
        this.note('user_message', e.text, seq, at);
        break;
      case 'operator_action':
        this.note('operator_action', describeOperatorAction(e.action), seq, at);
        break;
      case 'operator_screenshot':
        this.operatorShot({ ref: e.ref, image: e.image, screen: e.screen, ms: e.ms }, seq, at);
        break;
      case 'run_paused':
        s.paused = true;
        this.note('paused', '', seq, at);
        break;
      case 'run_resumed':
        s.paused = false;
        this.note('resumed', '', seq, at);
        break;
      case 'mcp_server_failed':
        // A warning, not an end: the run goes on without that server's tools.
        this.note('mcp_server_failed', e.message, seq, at, e.server);
        break;
      // Skills: what the run offered (before step 1, a run-level note) and each one given to the model.
      case 'skills_offered':
        this.note('skills_offered', [...e.names, ...e.listedOnly].join(', '), seq, at);
        break;
      case 'skill_loaded':
        this.note('skill_loaded', e.name, seq, at);
        break;
      case 'run_finished':
        this.end({ status: 'done', answer: e.answer, reason: undefined, steps: e.steps, at }, seq);
        break;
      case 'run_failed':
        this.end({ status: 'failed', answer: undefined, reason: e.reason, steps: e.steps, at }, seq);
        break;
      case 'run_aborted':
        this.end({ status: 'aborted', answer: undefined, reason: e.reason, steps: e.steps, at }, seq);
        break;
      case 'run_interrupted':
        this.end({ status: 'interrupted', answer: undefined, reason: e.reason, steps: undefined, at }, seq);
        break;
      default:
        // An event type this renderer does not know yet (a newer engine): it still counts as seen.
        break;
    }
  }

  private currentStep(): number {
    return this.s.steps.at(-1)?.step ?? 0;
  }

  private moveClickToEdit(actionId: string, a: ActionView | undefined): void {
    const s = this.s;
    if (!a?.screenAction) return this.clearClick(actionId);
    const shot = s.steps.find((st) => st.step === a.step)?.shot;
    const p = actionPoints(a.screenAction)[0];
    if (!shot || !p) return this.clearClick(actionId);
    const img = screenToImage(p, shot);
    const point: ClickPoint = { actionId, step: a.step, x: img.x, y: img.y, image: shot.image };
    s.clickPoint = point;
  }

  private end(outcome: NonNullable<TimelineState['outcome']>, seq: number): void {
    const s = this.s;
    s.outcome = outcome;
    s.pendingApprovals = [];
    s.pendingQuestion = undefined;
    s.clickPoint = undefined;
    s.paused = false;
    s.phase = { kind: 'ended' };
    const step = this.lastStep(seq, outcome.at);
    if (!step) return;
    step.end = outcome;
    for (let i = 0; i < step.actions.length; i++) {
      const a = step.actions[i]!;
      if (OPEN_STATES.has(a.state)) step.actions[i] = { ...a, state: 'cancelled', tool: a.tool?.running ? { ...a.tool, running: false } : a.tool, seq };
    }
  }
}

function newTool(name: string, input: Record<string, unknown>): ToolView {
  return {
    name, input, running: false, chunks: [], keptChars: 0, droppedChars: 0, exitCode: undefined, ms: undefined,
    truncated: false, timedOut: false, isError: false, result: undefined, images: [],
  };
}

/** Appends to an owned tool view: joins a chunk to the last one of its stream, then drops the oldest output over the cap. */
function appendOutput(tool: ToolView, stream: ToolView['chunks'][number]['stream'], text: string): void {
  const last = tool.chunks.at(-1);
  if (last?.stream === stream) tool.chunks[tool.chunks.length - 1] = { stream, text: last.text + text };
  else tool.chunks.push({ stream, text });
  tool.keptChars += text.length;
  let over = tool.keptChars - TOOL_OUTPUT_CAP;
  while (over > 0) {
    const first = tool.chunks[0]!;
    if (first.text.length <= over) {
      tool.chunks.shift();
      over -= first.text.length;
      tool.keptChars -= first.text.length;
      tool.droppedChars += first.text.length;
    } else {
      tool.chunks[0] = { stream: first.stream, text: first.text.slice(over) };
      tool.keptChars -= over;
      tool.droppedChars += over;
      over = 0;
    }
  }
}
