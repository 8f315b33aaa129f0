// An MCP client's direct actions as a run: this Planner hands the agent loop one action per step,
// taken from what the client asked, so each action goes through the loop's own policy, approvals,
// pause, abort and event log. Nothing reaches the driver except by the loop.
import type { Size } from '../desktop/geometry.ts';
import type { ActionOutcome, AgentAction, Planner, PlannerContext, PlannerScreenshot, PlannerStep } from '../models/planner.ts';

/** What an action came to: the loop's outcome, and the screen as the next step saw it. */
export interface SessionResult {
  outcome: ActionOutcome | undefined;
  /** The full-size screenshot the loop took right after the action (and its settling). */
  screenshot: PlannerScreenshot;
}

/** The session's run has ended: its sandbox is gone, and nothing more can be done in it. */
export class SessionEndedError extends Error {
  override name = 'SessionEndedError';
}

interface Request {
  action: AgentAction;
  note: string | undefined;
  resolve: (r: SessionResult) => void;
  reject: (e: Error) => void;
}

export class SessionPlanner implements Planner {
  readonly name = 'mcp';
  readonly failWording = 'the MCP session ended';
  readonly supportsTools = true;
  private readonly queue: Request[] = [];
  private current: Request | undefined;
  private wake: (() => void) | undefined;
  private ending: string | undefined;
  private ended: Error | undefined;

  /** Full-size frames: the client's coordinates are screen pixels, so the loop's mapping stays the identity. */
  imageSizeFor(screen: Size): Size {
    return screen;
  }

  /** Queues an action; resolves once the loop has handled it (performed, failed or rejected) and looked at the screen again. */
  submit(action: AgentAction, note?: string): Promise<SessionResult> {
    if (this.ended) return Promise.reject(this.ended);
    if (this.ending !== undefined) return Promise.reject(new SessionEndedError('the sandbox is being stopped'));
    return new Promise((resolve, reject) => {
      this.queue.push({ action, note, resolve, reject });
      this.wake?.();
    });
  }

  /** Ends the run as done at its next step (after actions already queued). */
  finish(answer: string): void {
    this.ending ??= answer;
    this.wake?.();
  }

  /** The run has ended: every waiting call is told why. */
  close(reason: string): void {
    this.ended = new SessionEndedError(reason);
    for (const r of [...(this.current ? [this.current] : []), ...this.queue.splice(0)]) r.reject(this.ended);
    this.current = undefined;
    this.wake?.();
  }

  async next(ctx: PlannerContext, signal: AbortSignal): Promise<PlannerStep> {
    if (this.current) {
      this.current.resolve({ outcome: ctx.outcomes[0], screenshot: ctx.screenshot });
      this.current = undefined;
    }
    for (;;) {
      signal.throwIfAborted();
      if (this.ended) throw this.ended;
      const req = this.queue.shift();
      if (req) {
        this.current = req;
        return { actions: [{ action: req.action }], ...(req.note ? { thought: req.note } : {}) };
      }
      if (this.ending !== undefined) return { actions: [{ action: { type: 'done', answer: this.ending } }] };
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          this.wake = undefined;
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
}
