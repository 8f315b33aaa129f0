// Starting a replay: an AgentRun whose planner is the automation, with provider 'automation' and
// model `<name>@v<version>`, so the run list and timeline show what was replayed.
import type { DesktopDriver } from '../desktop/driver.ts';
import type { AgentRun } from '../run/agent-run.ts';
import { launchRun, type ToolChoice } from '../run/start-run.ts';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from '../run/events.ts';
import type { Store } from '../store/store.ts';
import type { Automation } from './automation.ts';
import { ReplayPlanner, type ReplayPlannerOptions } from './replay-planner.ts';

export const REPLAY_PROVIDER = 'automation';
/** Room for "not found yet" re-looks on top of one loop step per step. */
const RETRY_STEPS = 40;

export interface PreparedReplay {
  planner: ReplayPlanner;
  task: string;
  provider: string;
  model: string;
  options: Partial<RunOptions>;
  /** Only the tools its steps call (none for a screen-only automation); calls still go through policy and approvals. */
  tools: ToolChoice;
}

/** The tools an automation's steps call, as a run's tool choice. */
export function replayTools(automation: Automation): ToolChoice {
  const names = [...new Set(automation.steps.flatMap((s) => (s.action.type === 'tool' ? [s.action.name] : [])))];
  return names.length ? { names } : 'none';
}

/** Builds the planner (checking params: a missing one throws now) and the run's task and options. */
export async function prepareReplay(store: Store, automation: Automation, opts: Omit<ReplayPlannerOptions, 'readBlob'> & { options?: Partial<RunOptions> } = {}): Promise<PreparedReplay> {
  const { options, ...plannerOpts } = opts;
  const planner = new ReplayPlanner(automation, { readBlob: (ref) => store.readBlob(ref), ...plannerOpts });
  await planner.load();
  const given = Object.entries(opts.params ?? {});
  const task = `replay automation "${automation.name}" v${automation.version}${given.length ? ` with ${given.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}` : ''}`;
  return {
    planner,
    task,
    provider: REPLAY_PROVIDER,
    model: planner.model,
    options: { ...options, maxSteps: options?.maxSteps ?? Math.max(DEFAULT_RUN_OPTIONS.maxSteps, planner.loopSteps + RETRY_STEPS) },
    tools: replayTools(automation),
  };
}

export interface StartReplayDeps {
  store: Store;
  driver: DesktopDriver;
  /** The sandbox's environment (HOME, DISPLAY...) its tool steps run in; absent: the user's own, scrubbed. */
  env?: Record<string, string>;
}

export async function startReplay(deps: StartReplayDeps, automation: Automation, opts: Parameters<typeof prepareReplay>[2] & { threadId?: string } = {}): Promise<{ run: AgentRun; planner: ReplayPlanner }> {
  const { threadId, ...rest } = opts;
  const p = await prepareReplay(deps.store, automation, rest);
  // The caller owns the driver: the run only borrows it (close is a no-op).
  const opened = { display: deps.env?.['DISPLAY'] ?? '', driver: deps.driver, ...(deps.env ? { env: deps.env } : {}), sandboxed: deps.env !== undefined, close: async () => undefined };
  const run = launchRun(opened, { store: deps.store, planner: p.planner, task: p.task, provider: p.provider, model: p.model, options: p.options, threadId, tools: p.tools });
  return { run, planner: p.planner };
}
