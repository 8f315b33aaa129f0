// The sandboxes an MCP client drives: each is one run in our store (provider `mcp`, the client's
// name as model) whose steps are the client's actions, so it shows in the timeline with pause,
// abort and approvals like any run. Runs are started through the app's RunHost, so the app's
// `approvals.decide` and `runs.control` reach them unchanged.
import type { RunHost } from '../app/run-host.ts';
import type { Size } from '../desktop/geometry.ts';
import type { VirtualDisplay } from '../desktop/display.ts';
import type { AgentAction } from '../models/planner.ts';
import type { AgentRun } from '../run/agent-run.ts';
import type { ApprovalMode } from '../run/events.ts';
import type { ToolSettings } from '../run/start-run.ts';
import type { Store } from '../store/store.ts';
import { SessionEndedError, SessionPlanner, type SessionResult } from './session-planner.ts';

/** Something the client asked that cannot be done as asked: told to the client as a tool error. */
export class McpToolError extends Error {
  override name = 'McpToolError';
}

export interface SessionsOptions {
  host: RunHost;
  store: Store;
}

export interface StartSession {
  client: string;
  size?: Size | undefined;
  launch?: string[] | undefined;
  /** The user's own screen, when the settings allow it (opt-in); a sandbox otherwise. */
  ownScreen?: string | undefined;
  /** The approval mode of the session's run (the app's run setting, or --approve). */
  approve: ApprovalMode;
  toolSettings: ToolSettings;
}

export interface Session {
  id: string;
  run: AgentRun;
  planner: SessionPlanner;
  display: string;
  client: string;
  sandboxed: boolean;
  virtual?: VirtualDisplay | undefined;
  size: Size;
}

// A session lasts as long as the client keeps it: the loop's limits are set to their maximum.
const SESSION_LIMITS = { maxSteps: 10_000, maxSeconds: 7 * 24 * 3600, loopThreshold: 100, maxModelRetries: 0 };

export class Sessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly opts: SessionsOptions) {}

  list(): Session[] {
    return [...this.sessions.values()];
  }

  /** The session a call names, or the only one when it names none. */
  get(id: string | undefined): Session {
    if (id === undefined) {
      const all = this.list();
      if (all.length === 1) return all[0]!;
      throw new McpToolError(all.length ? `there are ${all.length} sandboxes: say which one (sandbox_list shows their ids)` : 'no sandbox is running: start one with sandbox_start');
    }
    const s = this.sessions.get(id);
    if (!s) throw new McpToolError(`no sandbox "${id}" is running here: sandbox_list shows the ones that are`);
    return s;
  }

  async start(req: StartSession): Promise<Session> {
    const planner = new SessionPlanner();
    const target: Parameters<RunHost['startPlanned']>[0]['target'] = req.ownScreen
      ? { kind: 'display', display: req.ownScreen }
      : { kind: 'sandbox', ...(req.size ? { size: req.size } : {}), launch: req.launch ?? [] };
    let virtual: VirtualDisplay | undefined;
    const run = await this.opts.host.startPlanned({
      task: `MCP session from ${req.client}`, planner, provider: 'mcp', model: req.client,
      options: { approve: req.approve, ...SESSION_LIMITS }, target, tools: 'default', toolSettings: req.toolSettings,
      onDisplay: (d) => (virtual = d.virtual),
    });
    // The run reads the screen before its first step: wait for that, so the session knows its size.
    const size = await this.firstScreen(run.id, run);
    const session: Session = { id: run.id, run, planner, display: virtual?.display ?? (target.kind === 'display' ? target.display : ''), client: req.client, sandboxed: req.ownScreen === undefined, virtual, size };
    this.sessions.set(run.id, session);
    void run.finished.then((result) => {
      this.sessions.delete(run.id);
      planner.close(`the sandbox's run has ended (${result.status}${result.reason ? `: ${result.reason}` : ''})`);
    });
    return session;
  }

  /** Ends the session's run and waits until its display and everything on it are gone. */
  async stop(id: string | undefined): Promise<Session> {
    const s = this.get(id);
    s.planner.finish('the MCP client stopped the sandbox');
    await s.run.finished;
    await s.virtual?.stop();
    return s;
  }

  /** One action through the run's loop (policy, approval, driver); throws when it was not performed. */
  async act(id: string | undefined, action: AgentAction, note?: string): Promise<SessionResult> {
    const s = this.get(id);
    let result: SessionResult;
    try {
      result = await s.planner.submit(action, note);
    } catch (err) {
      if (err instanceof SessionEndedError) throw new McpToolError(err.message);
      throw err;
    }
    const o = result.outcome;
    if (o?.status === 'rejected') throw new McpToolError(`not done: ${o.reason}`);
    if (o?.status === 'failed') throw new McpToolError(`failed: ${o.error}`);
    return result;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.list().map((s) => this.stop(s.id).catch(() => undefined)));
  }

  private async firstScreen(runId: string, run: AgentRun): Promise<Size> {
    const started = () => this.opts.store.readEvents<{ type: string; screen?: Size }>(runId, 0).find((e) => e.type === 'run_started')?.screen;
    for (;;) {
      const screen = started();
      if (screen) return screen;
      const ended = await Promise.race([run.finished.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 20))]);
      if (ended) {
        const row = this.opts.store.getRun(runId);
        throw new McpToolError(`the sandbox did not start: ${row?.error ?? row?.status ?? 'unknown reason'}`);
      }
    }
  }
}
