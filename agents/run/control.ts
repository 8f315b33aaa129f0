// Run control from outside the loop: pause, resume, abort, steer, approvals and answers.
// Every call is a fact appended to the log at once; the loop honours it at its next checkpoint.
import type { ApprovalDecision, RunEvent } from './events.ts';

export class ControlError extends Error {
  override name = 'ControlError';
}

export class RunControl {
  private readonly aborter = new AbortController();
  private paused = false;
  private closed = false;
  private resumeWaiters = new Set<() => void>();
  private messages: string[] = [];
  private approvals = new Map<string, (d: ApprovalDecision) => void>();
  private questions = new Map<string, (answer: string) => void>();

  constructor(private readonly log: (event: RunEvent) => void) {}

  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** The run has ended: nothing more may be logged for it. */
  get isClosed(): boolean {
    return this.closed;
  }

  pause(): void {
    if (this.paused || this.signal.aborted || this.closed) return;
    this.paused = true;
    this.log({ type: 'run_paused' });
  }

  resume(): void {
    if (!this.paused || this.closed) return;
    this.paused = false;
    this.log({ type: 'run_resumed' });
    for (const wake of this.resumeWaiters) wake();
    this.resumeWaiters.clear();
  }

  /** Cancels the in-flight model request and action; the run ends `aborted`. */
  abort(reason = 'aborted by the operator'): void {
    if (!this.signal.aborted) this.aborter.abort(new AbortReason(reason));
  }

  /** A message for the model at its next step. */
  steer(text: string): void {
    const trimmed = text.trim();
    if (!trimmed) throw new ControlError('a steering message cannot be empty');
    if (this.closed) throw new ControlError('the run has ended');
    this.messages.push(trimmed);
    this.log({ type: 'user_message', text: trimmed });
  }

  decide(actionId: string, decision: ApprovalDecision): void {
    const resolve = this.approvals.get(actionId);
    if (!resolve) throw new ControlError(`no action ${actionId} is waiting for approval`);
    this.approvals.delete(actionId);
    resolve(decision);
  }

  answer(actionId: string, answer: string): void {
    const resolve = this.questions.get(actionId);
    if (!resolve) throw new ControlError(`no question ${actionId} is waiting for an answer`);
    this.questions.delete(actionId);
    resolve(answer);
  }

  pendingApprovals(): string[] {
    return [...this.approvals.keys()];
  }

  pendingQuestions(): string[] {
    return [...this.questions.keys()];
  }

  // --- used by the loop ---

  /** The run has ended: pause and resume do nothing, steering is refused, nothing more is logged. */
  close(): void {
    this.closed = true;
  }

  takeMessages(): string[] {
    return this.messages.splice(0);
  }

  async whilePaused(signal: AbortSignal): Promise<void> {
    while (this.paused) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        this.resumeWaiters.add(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }

  waitForDecision(actionId: string, signal: AbortSignal): Promise<ApprovalDecision> {
    return this.waitFor(this.approvals, actionId, signal);
  }

  waitForAnswer(actionId: string, signal: AbortSignal): Promise<string> {
    return this.waitFor(this.questions, actionId, signal);
  }

  private waitFor<T>(map: Map<string, (v: T) => void>, id: string, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        map.delete(id);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      map.set(id, (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      });
    });
  }
}

/** Why a run's signal fired: the operator, or a limit. */
export class AbortReason extends Error {
  override name = 'AbortError';
  constructor(message: string, readonly limit = false) {
    super(message);
  }
}
