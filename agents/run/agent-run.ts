// The agent loop: capture -> plan -> policy -> (approval) -> perform -> record, until the model
// says done or fail, a limit is hit, or the operator aborts. Each fact is appended before it is
// acted on, and no action is ever retried blindly.
import { ulid } from 'ulid';
import type { DesktopAction } from '../desktop/actions.ts';
import { DisplayLostError, type DesktopDriver, type GuardQuestion, type PerformApproval, type Screenshot } from '../desktop/driver.ts';
import type { Scaling } from '../desktop/geometry.ts';
import { ModelError, type ActionOutcome, type AgentAction, type Planner, type PlannerStep, type ProposedAction } from '../models/planner.ts';
import type { ToolSpec } from '../tools/tool.ts';
import { DiskFullError, isDiskFull } from '../store/disk-full.ts';
import type { Store } from '../store/store.ts';
import type { RunStatus } from '../store/types.ts';
import { AbortReason, RunControl } from './control.ts';
import { approverOf, DEFAULT_RUN_OPTIONS, type ApprovalDecision, type RunEvent, type RunOptions } from './events.ts';
import { BudgetTracker, budgetEvent, budgetQuestion, describeHit, readBudgetAnswer } from './budget.ts';
import { assessRisk, needsApproval, PolicySession } from './policy.ts';
import { waitForSettle } from './settle.ts';
import { RunTools, ToolCallError } from './run-tools.ts';
import { toScreenAction } from './to-screen.ts';

export interface AgentRunInput {
  task: string;
  threadId?: string;
  provider: string;
  model?: string;
  options?: Partial<RunOptions>;
  /** Extra instructions the model gets at every step (the skills on offer, skills loaded for the task). */
  instructions?: string;
  /** Facts about the run's set-up appended right after run_started (skills offered and loaded before step 1). */
  startEvents?: readonly RunEvent[];
  /** A run recorded earlier as queued (waiting for a free slot): adopted and started, not created again. */
  runId?: string;
}

export interface RunResult {
  runId: string;
  status: Extract<RunStatus, 'done' | 'failed' | 'aborted'>;
  answer?: string;
  reason?: string;
  steps: number;
}

export interface AgentRunDeps {
  store: Store;
  driver: DesktopDriver;
  planner: Planner;
  /** The tools the model may call beside the screen (a shell, files...); none when absent. */
  tools?: RunTools;
}

type Outcome = 'continue' | { end: RunResult };

export class AgentRun {
  readonly id: string;
  readonly threadId: string;
  readonly control: RunControl;
  readonly options: RunOptions;
  /** Settles when the run has ended; never rejects. */
  readonly finished: Promise<RunResult>;
  private step = 0;
  private outcomes: ActionOutcome[] = [];
  private correction: string | undefined;
  private recent: { key: string; screen: string; step: number }[] = [];
  /** Steering messages taken for a model request whose reply could not be used: sent again. */
  private unsentMessages: string[] = [];
  private loopNoted = false;
  /** The policy remembers what was typed since the last Enter: a command split across actions is judged whole. */
  private readonly policy = new PolicySession();
  /** An approval or a question is open: resuming from a pause goes back to waiting. */
  private waiting = false;
  private toolSpecs: ToolSpec[] | undefined;
  /** Tokens and cost this run's replies reported, for its budgets. */
  private readonly used = { tokens: 0, costUsd: 0 };
  private budget: BudgetTracker | undefined;

  private constructor(private readonly deps: AgentRunDeps, private readonly input: AgentRunInput) {
    const { store } = deps;
    this.options = { ...DEFAULT_RUN_OPTIONS, ...input.options };
    const queued = input.runId === undefined ? undefined : store.getRun(input.runId);
    if (input.runId !== undefined && queued?.status !== 'queued') throw new Error(`run ${input.runId} is not queued (it is ${queued?.status ?? 'missing'}): it cannot be started`);
    this.threadId = queued?.threadId ?? input.threadId ?? store.createThread(input.task.slice(0, 80)).id;
    this.id = queued?.id ?? store.createRun({ threadId: this.threadId, task: input.task, provider: input.provider, ...(input.model ? { model: input.model } : {}), options: this.options }).id;
    this.control = new RunControl((e) => {
      this.append(e);
      if (e.type === 'run_paused') this.setStatus('paused');
      if (e.type === 'run_resumed') this.setStatus(this.waiting ? 'waiting' : 'running');
    });
    this.finished = this.main();
  }

  /** The names of the tools the run has (empty: the screen only). */
  get tools(): string[] {
    return this.deps.tools?.names ?? [];
  }

  /**
   * Records the screen after an operator's actions (a takeover): captured through the run's own driver, so
   * private regions are masked as in the steps' screenshots, at the size the model is sent. Nothing is
   * appended once the run has ended. The stored ref, or undefined when the run ended first.
   */
  async recordOperatorScreen(): Promise<string | undefined> {
    const { driver, planner, store } = this.deps;
    const signal = this.control.signal;
    const t0 = performance.now();
    const screen = await driver.screenSize(signal);
    const image = planner.imageSizeFor(screen);
    const shot = await driver.capture({ format: 'png', ...(image.width !== screen.width ? { width: image.width } : {}) }, signal);
    if (this.control.isClosed) return undefined;
    const ref = store.putBlob(shot.data, shot.format);
    this.append({ type: 'operator_screenshot', ref, image: shot.image, screen: shot.screen, ms: Math.round(performance.now() - t0) });
    return ref;
  }

  static start(deps: AgentRunDeps, input: AgentRunInput): AgentRun {
    return new AgentRun(deps, input);
  }

  private append(event: RunEvent): void {
    this.deps.store.append(this.id, event);
  }

  // The loop alone decides a run's status: it sets the row, then states it in the log for every reader.
  private setStatus(status: RunStatus): void {
    const run = this.deps.store.getRun(this.id);
    if (run?.status === status) return;
    this.deps.store.setRunStatus(this.id, status);
    this.append({ type: 'run_status', status });
  }

  private setWaiting(waiting: boolean): void {
    this.waiting = waiting;
    if (this.control.signal.aborted) return; // the run is ending; record() sets the final status
    this.setStatus(waiting ? 'waiting' : this.control.isPaused ? 'paused' : 'running');
  }

  private async main(): Promise<RunResult> {
    const timeLimit = AbortSignal.timeout(this.options.maxSeconds * 1000);
    const signal = AbortSignal.any([this.control.signal, timeLimit]);
    let result: RunResult;
    try {
      this.setStatus('running'); // a queued run's slot has come: stated before anything else happens
      const screen = await this.deps.driver.screenSize(signal);
      this.append({
        type: 'run_started', task: this.input.task, provider: this.input.provider, model: this.input.model, display: this.deps.driver.display, screen, options: this.options,
        tools: this.deps.tools?.names ?? [],
      });
      for (const e of this.input.startEvents ?? []) this.append(e);
      result = await this.loop(signal);
    } catch (err) {
      result = this.endFromError(err, timeLimit);
    }
    // A late pause or steer must not log after the final event, nor make an ended run look active.
    this.control.close();
    try {
      this.record(result);
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      // The end did not fit: the space kept aside is freed to record it; failing that, the next start marks the run interrupted.
      result = { runId: this.id, status: 'failed', reason: this.diskFullReason(err), steps: result.steps };
      this.deps.store.releaseDiskReserve();
      try {
        this.record(result);
      } catch {
        // Nothing more can be written now.
      }
    }
    return result;
  }

  private endFromError(err: unknown, timeLimit: AbortSignal): RunResult {
    if (this.control.signal.aborted) {
      const reason = this.control.signal.reason instanceof Error ? this.control.signal.reason.message : 'aborted';
      return { runId: this.id, status: 'aborted', reason, steps: this.step };
    }
    if (isDiskFull(err)) {
      this.deps.store.releaseDiskReserve(); // room to record the end
      return { runId: this.id, status: 'failed', reason: this.diskFullReason(err), steps: this.step };
    }
    if (timeLimit.aborted) return { runId: this.id, status: 'failed', reason: `time limit of ${this.options.maxSeconds} s reached`, steps: this.step };
    // The reason is read by people: the message says what happened, the class name adds nothing.
    return { runId: this.id, status: 'failed', reason: err instanceof Error ? err.message : String(err), steps: this.step };
  }

  /** Which folder's disk is full, in words a person can act on. */
  private diskFullReason(err: unknown): string {
    return (err instanceof DiskFullError ? err : new DiskFullError(this.deps.store.dbFolder)).message;
  }

  private record(result: RunResult): void {
    const { store } = this.deps;
    const summary = `${this.input.task} -> ${result.status}${result.answer ? `: ${result.answer}` : result.reason ? ` (${result.reason})` : ''}`;
    // The row first, so a reader woken by the final event finds the run ended.
    store.setRunStatus(this.id, result.status, { summary, answer: result.answer ?? null, error: result.reason && result.status !== 'done' ? result.reason : null });
    if (result.status === 'done') this.append({ type: 'run_finished', answer: result.answer, steps: result.steps });
    else if (result.status === 'aborted') this.append({ type: 'run_aborted', reason: result.reason ?? 'aborted', steps: result.steps });
    else this.append({ type: 'run_failed', reason: result.reason ?? 'failed', steps: result.steps });
    // Later runs in the thread see what earlier ones did.
    const previous = store.getThread(this.threadId)?.summary;
    store.setThreadSummary(this.threadId, [previous, summary].filter(Boolean).join('\n').split('\n').slice(-10).join('\n'));
  }

  private async loop(signal: AbortSignal): Promise<RunResult> {
    const { driver, planner, store } = this.deps;
    const threadSummary = store.getThread(this.threadId)?.summary ?? undefined;
    for (;;) {
      if (this.step >= this.options.maxSteps) return { runId: this.id, status: 'failed', reason: `step limit of ${this.options.maxSteps} reached`, steps: this.step };
      await this.control.whilePaused(signal);
      this.step += 1;
      const step = this.step;
      this.append({ type: 'step_started', step });

      const screen = await driver.screenSize(signal);
      const image = planner.imageSizeFor(screen);
      const t0 = performance.now();
      const shot = await driver.capture({ format: 'png', ...(image.width !== screen.width ? { width: image.width } : {}) }, signal);
      const ref = store.putBlob(shot.data, shot.format);
      this.append({ type: 'screenshot_captured', step, ref, image: shot.image, screen: shot.screen, ms: Math.round(performance.now() - t0) });

      const planned = await this.plan(step, shot, signal, threadSummary);
      if ('end' in planned) return planned.end;

      const outcome = await this.act(step, planned.step, shot, ref, signal);
      if (outcome !== 'continue') return outcome.end;
      await waitForSettle(driver, signal);
    }
  }

  /** Asks the planner, re-asking a bounded number of times when the reply is unusable. */
  private async plan(step: number, shot: Screenshot, signal: AbortSignal, threadSummary: string | undefined): Promise<{ step: PlannerStep } | { end: RunResult }> {
    const dataUrl = `data:image/${shot.format};base64,${shot.data.toString('base64')}`;
    for (let attempt = 1; ; attempt++) {
      this.append({ type: 'model_requested', step, attempt });
      const started = performance.now();
      try {
        const userMessages = [...this.unsentMessages, ...this.control.takeMessages()];
        this.unsentMessages = userMessages;
        const reply = await this.deps.planner.next(
          {
            task: this.input.task, step, screenshot: { dataUrl, image: shot.image }, outcomes: this.outcomes, userMessages,
            ...(threadSummary ? { threadSummary } : {}), ...(this.correction ? { correction: this.correction } : {}),
            ...(this.offeredTools() ? { tools: this.offeredTools() } : {}),
            instructions: this.input.instructions,
          },
          signal,
        );
        this.correction = undefined;
        this.outcomes = [];
        this.unsentMessages = [];
        this.append({
          type: 'model_responded', step, actions: reply.actions.length, ms: Math.round(performance.now() - started),
          ...(reply.thought ? { thought: reply.thought } : {}), ...(reply.usage ? { usage: reply.usage } : {}), ...(reply.responseId ? { responseId: reply.responseId } : {}),
        });
        const overBudget = await this.checkBudget(step, reply, signal);
        if (overBudget) return { end: overBudget };
        if (reply.actions.length === 0) throw new ModelError('the reply proposed no action', 'malformed');
        this.checkToolCalls(reply);
        return { step: reply };
      } catch (err) {
        if (signal.aborted) throw err;
        const e = err as Error;
        const kind = err instanceof ModelError ? err.kind : 'api';
        const willRetry = (kind === 'malformed' || kind === 'timeout') && attempt <= this.options.maxModelRetries;
        this.append({ type: 'model_error', step, kind, message: e.message, attempt, willRetry });
        if (!willRetry) return { end: { runId: this.id, status: 'failed', reason: `model error: ${e.message}`, steps: step } };
        this.correction = `Your previous reply could not be used: ${e.message}. Reply again with valid actions.`;
      }
    }
  }

  private async act(step: number, reply: PlannerStep, shot: Screenshot, screenRef: string, signal: AbortSignal): Promise<Outcome> {
    const scaling: Scaling = { screen: shot.screen, image: shot.image, scaleX: shot.scaleX, scaleY: shot.scaleY };
    const proposals = reply.actions;
    for (let i = 0; i < proposals.length; i++) {
      const proposed = proposals[i]!;
      const { action } = proposed;
      const callId = proposed.callId;
      const actionId = ulid();
      if (action.type === 'done') return { end: { runId: this.id, status: 'done', steps: step, ...((action.answer ?? reply.answer) ? { answer: action.answer ?? reply.answer } : {}) } };
      if (action.type === 'fail') return { end: { runId: this.id, status: 'failed', reason: `${this.deps.planner.failWording ?? 'the model gave up'}: ${action.reason ?? 'no reason given'}`, steps: step } };
      if (action.type === 'tool') {
        const done = await this.callTool(step, proposed, action, actionId, signal);
        this.outcomes.push(done.outcome);
        if (done.stop) return this.skipRest(proposals, i + 1, done.stop);
        continue;
      }

      let screenAction: DesktopAction | undefined;
      let mapError: string | undefined;
      try {
        screenAction = toScreenAction(action, scaling);
      } catch (err) {
        mapError = (err as Error).message;
      }
      const risks = this.policy.assess(proposed);
      this.append({
        type: 'action_proposed', step, actionId, action, risks,
        ...(screenAction ? { screenAction } : {}), ...(proposed.safetyChecks?.length ? { safetyChecks: proposed.safetyChecks } : {}), ...(proposed.raw !== undefined ? { raw: proposed.raw } : {}),
      });

      if (action.type === 'ask_user') {
        const answer = await this.ask(actionId, action.question, signal);
        this.outcomes.push({ status: 'answered', ...(callId ? { callId } : {}), answer });
        continue;
      }
      if (action.type === 'screenshot') {
        this.outcomes.push({ status: 'performed', ...(callId ? { callId } : {}) });
        continue;
      }
      if (mapError || !screenAction) {
        // Never guess: an off-screen point is reported to the model, not clamped.
        const error = mapError ?? `cannot perform ${action.type}`;
        this.append({ type: 'action_failed', actionId, error });
        this.outcomes.push({ status: 'failed', ...(callId ? { callId } : {}), error });
        return this.skipRest(proposals, i + 1, 'an earlier action in the batch failed');
      }

      // Asked anyway: what the driver's guards would ask (a window not open at the start) joins the one request.
      const guards = needsApproval(this.options.approve, risks, proposed) ? await this.guardQuestions(screenAction, signal) : [];
      const decision = await this.approval(actionId, risks, proposed, signal, guards);
      if (decision?.decision === 'reject') {
        this.outcomes.push({ status: 'rejected', callId, reason: rejectReason(decision) });
        return this.skipRest(proposals, i + 1, 'an earlier action in the batch was rejected');
      }
      if (decision?.decision === 'edit') screenAction = decision.action;
      if (decision?.decision === 'edit_tool') {
        const error = 'a screen action can only be edited as a screen action';
        this.append({ type: 'action_failed', actionId, error });
        this.outcomes.push({ status: 'failed', callId, error });
        return this.skipRest(proposals, i + 1, 'an earlier action in the batch failed');
      }

      const loop = this.checkLoop(screenAction, screenRef, step);
      if (loop === 'note') {
        this.append({ type: 'loop_detected', step, actionId, repeats: this.options.loopThreshold });
        const error = `this exact action was repeated ${this.options.loopThreshold} times and the screen did not change; try something else`;
        this.append({ type: 'action_skipped', actionId, reason: error });
        this.outcomes.push({ status: 'failed', ...(callId ? { callId } : {}), error });
        return this.skipRest(proposals, i + 1, 'a loop was detected');
      }
      if (loop === 'ask') {
        this.append({ type: 'loop_detected', step, actionId, repeats: this.options.loopThreshold + 1 });
        const answer = await this.ask(actionId, `The agent keeps repeating ${screenAction.type} and the screen does not change. How should it go on?`, signal);
        this.recent = [];
        this.outcomes.push({ status: 'answered', ...(callId ? { callId } : {}), answer });
        return this.skipRest(proposals, i + 1, 'the operator was asked how to go on');
      }

      await this.control.whilePaused(signal);
      const started = performance.now();
      // A guard of the driver (a window not open at the start) asks through the run's approvals; an edit is what runs.
      let performed = screenAction;
      const approve = (reason: string) => this.approveGuard(actionId, reason, signal, (edited) => (performed = edited));
      // Reached here only approved (or edited): the guards' questions in that request are answered; anything else they find is still asked.
      const answered = decision ? guards.map((g) => g.subject) : [];
      try {
        await this.deps.driver.perform(screenAction, signal, { approve, answered });
      } catch (err) {
        // Part of a failed `type` may have reached the screen: the policy keeps it in the line.
        if (performed.type === 'type') this.policy.performed(performed);
        if (signal.aborted) throw err;
        const error = (err as Error).message;
        this.append({ type: 'action_failed', actionId, error });
        this.outcomes.push({ status: 'failed', ...(callId ? { callId } : {}), error });
        if (err instanceof DisplayLostError) throw err;
        return this.skipRest(proposals, i + 1, 'an earlier action in the batch failed');
      }
      this.append({ type: 'action_performed', actionId, ms: Math.round(performance.now() - started) });
      this.policy.performed(performed);
      this.outcomes.push({ status: 'performed', ...(callId ? { callId } : {}), ...(proposed.safetyChecks?.length ? { acknowledgedSafetyChecks: proposed.safetyChecks } : {}) });
    }
    return 'continue';
  }

  /** After each reply: adds its usage, and at a budget's limit asks the operator (raise or stop) or stops, as the options say. */
  private async checkBudget(step: number, reply: PlannerStep, signal: AbortSignal): Promise<RunResult | undefined> {
    this.used.tokens += (reply.usage?.inputTokens ?? 0) + (reply.usage?.outputTokens ?? 0);
    this.used.costUsd += reply.usage?.costUsd ?? 0;
    const budgets = this.options.budgets;
    if (!budgets) return undefined;
    this.budget ??= new BudgetTracker(budgets, this.deps.store, this.threadId);
    for (let hit = this.budget.check(this.used); hit; hit = this.budget.check(this.used)) {
      this.append(budgetEvent(step, hit, budgets.atLimit));
      const stop = { runId: this.id, status: 'failed' as const, reason: `${describeHit(hit)}; the run stopped`, steps: step };
      if (budgets.atLimit === 'stop') return stop;
      const answer = readBudgetAnswer(await this.ask(ulid(), budgetQuestion(hit), signal));
      if (answer.stop) return { ...stop, reason: `${describeHit(hit)}; the operator stopped the run` };
      this.budget.raise(hit, answer.to);
    }
    return undefined;
  }

  /** Asks the operator when the mode or the risks say so, with the guards' questions in the same request; undefined when no approval was needed. */
  private async approval(actionId: string, risks: string[], proposed: ProposedAction, signal: AbortSignal, guards: readonly GuardQuestion[] = []): Promise<ApprovalDecision | undefined> {
    if (!needsApproval(this.options.approve, risks, proposed)) return undefined;
    return this.requestApproval(actionId, [...(risks.length ? risks : ['approval mode is "always"']), ...guards.map((g) => g.reason)], signal);
  }

  /** What the driver's guards would ask before this action; a failed look adds nothing, as perform checks again and asks on its own. */
  private async guardQuestions(action: DesktopAction, signal: AbortSignal): Promise<GuardQuestion[]> {
    if (!this.deps.driver.guardQuestions) return [];
    try {
      return await this.deps.driver.guardQuestions(action, signal);
    } catch (err) {
      if (signal.aborted) throw err;
      return [];
    }
  }

  private async requestApproval(actionId: string, reasons: string[], signal: AbortSignal): Promise<ApprovalDecision> {
    // Waiting before the fact is appended: a subscriber may decide as soon as it sees it.
    const decided = this.control.waitForDecision(actionId, signal);
    this.append({ type: 'approval_requested', actionId, reasons });
    this.setWaiting(true);
    const decision = await decided.finally(() => this.setWaiting(false));
    this.append({ type: 'approval_decided', actionId, ...decision, by: approverOf(decision) });
    return decision;
  }

  /** A guard of the driver needs the operator about what the action's own approval did not name (or there was none): asked like a risky action, whatever the risks; in mode "never" nobody is. */
  private async approveGuard(actionId: string, reason: string, signal: AbortSignal, onEdit: (action: DesktopAction) => void): Promise<PerformApproval> {
    if (this.options.approve === 'never') return { approved: false, reason: 'this run asks nobody (approval mode "never")' };
    const d = await this.requestApproval(actionId, [reason], signal);
    if (d.decision === 'approve') return { approved: true };
    if (d.decision === 'edit') {
      onEdit(d.action);
      return { approved: true, action: d.action };
    }
    return { approved: false, reason: d.decision === 'reject' ? `the operator refused (${rejectReason(d)})` : 'a screen action can only be edited as a screen action' };
  }

  /** The tools offered to the model at this step, if the planner can call any. */
  private offeredTools(): ToolSpec[] | undefined {
    const tools = this.deps.tools;
    if (!tools?.size || this.deps.planner.supportsTools === false) return undefined;
    return (this.toolSpecs ??= tools.specs());
  }

  /** A call of an unknown tool or with arguments its schema refuses is a malformed reply: re-asked, never guessed. */
  private checkToolCalls(reply: PlannerStep): void {
    for (const { action } of reply.actions) {
      if (action.type !== 'tool') continue;
      if (!this.deps.tools?.size) throw new ModelError(`the reply called the tool "${action.name}", but this run has no tools: act on the screen`, 'malformed');
      try {
        this.deps.tools.parse(action.name, action.input);
      } catch (err) {
        if (err instanceof ToolCallError) throw new ModelError(err.message, 'malformed');
        throw err;
      }
    }
  }

  /** A tool call, treated like an action: proposed, assessed, approved if needed, run, its output logged. */
  private async callTool(step: number, proposed: ProposedAction, action: Extract<AgentAction, { type: 'tool' }>, actionId: string, signal: AbortSignal): Promise<{ outcome: ActionOutcome; stop?: string }> {
    const tools = this.deps.tools!; // checkToolCalls refused calls of a run without tools
    const { callId } = proposed;
    let { tool, input } = tools.parse(action.name, action.input);
    const risks = [...assessRisk(proposed), ...tools.risk(tool, input)];
    this.append({ type: 'action_proposed', step, actionId, action, risks, safetyChecks: proposed.safetyChecks?.length ? proposed.safetyChecks : undefined, raw: proposed.raw });
    const decision = await this.approval(actionId, risks, proposed, signal);
    if (decision?.decision === 'reject') {
      return { outcome: { status: 'rejected', callId, toolName: tool.name, reason: rejectReason(decision) }, stop: 'an earlier action in the batch was rejected' };
    }
    const refuse = (error: string) => {
      this.append({ type: 'action_failed', actionId, error });
      return { outcome: { status: 'failed' as const, callId, toolName: tool.name, error }, stop: 'an earlier action in the batch failed' };
    };
    if (decision?.decision === 'edit') return refuse('a tool call can only be edited as a tool call');
    if (decision?.decision === 'edit_tool') {
      // An edited call runs as edited, after the same parsing as the model's own.
      try {
        ({ tool, input } = tools.parse(tool.name, decision.input));
      } catch (err) {
        if (err instanceof ToolCallError) return refuse(`the edited call is not valid: ${err.message}`);
        throw err;
      }
    }
    await this.control.whilePaused(signal);
    const { outcome } = await tools.run(tool, input, actionId, { runId: this.id, append: (e) => this.append(e), saveImage: (url) => this.saveImage(url) }, signal);
    return { outcome: { status: 'performed', callId, tool: outcome } };
  }

  private saveImage(dataUrl: string): string {
    const m = /^data:image\/(png|jpeg|webp);base64,(.*)$/s.exec(dataUrl);
    return m ? this.deps.store.putBlob(Buffer.from(m[2]!, 'base64'), m[1] as 'png' | 'jpeg' | 'webp') : '';
  }

  private async ask(actionId: string, question: string, signal: AbortSignal): Promise<string> {
    const answered = this.control.waitForAnswer(actionId, signal);
    this.append({ type: 'question_asked', actionId, question });
    this.setWaiting(true);
    const answer = await answered.finally(() => this.setWaiting(false));
    this.append({ type: 'question_answered', actionId, answer });
    return answer;
  }

  private skipRest(proposals: ProposedAction[], from: number, reason: string): Outcome {
    for (const p of proposals.slice(from)) {
      this.outcomes.push({ status: 'rejected', ...(p.callId ? { callId: p.callId } : {}), reason: `not performed: ${reason}` });
    }
    return 'continue';
  }

  // The same action on the same screen (by content hash) in N steps: note it, then ask. Repeats
  // within one batch (Down, Down, Down) are not evidence: the screen was not looked at in between.
  private checkLoop(action: DesktopAction, screenRef: string, step: number): 'ok' | 'note' | 'ask' {
    const key = JSON.stringify(action);
    const last = this.recent.at(-1);
    if (last && (last.key !== key || last.screen !== screenRef)) this.recent = [];
    else if (last?.step === step) return 'ok';
    this.recent.push({ key, screen: screenRef, step });
    if (this.recent.length < this.options.loopThreshold) return 'ok';
    if (!this.loopNoted) {
      this.loopNoted = true;
      return 'note';
    }
    this.loopNoted = false;
    return 'ask';
  }
}

const rejectReason = (d: { reason?: string | undefined }) => d.reason?.trim() || 'the operator rejected this action';

export { AbortReason };
