// The one place a run is assembled: target -> driver, planner, tools, options. The app, the CLI, the
// tasks runner and automations all start runs through here, so a new target, tool or option is
// wired once.
import { openTarget, type OpenedTarget, type OpenTargetOptions, type RunTarget } from '../desktop/targets.ts';
import type { Planner } from '../models/planner.ts';
import type { Store } from '../store/store.ts';
import { toolContextFor } from '../tools/environment.ts';
import { resolveTools } from '../tools/registry.ts';
import type { Tool } from '../tools/tool.ts';
import { AgentRun } from './agent-run.ts';
import type { RunOptions } from './events.ts';
import { RunTools } from './run-tools.ts';

/** Which tools a run gets: tool set or tool names, none, or the default for its target. */
export type ToolChoice = { names: readonly string[] } | 'none' | 'default';

export interface ToolSettings {
  /** Folders beside the run's HOME the file tools may use. */
  extraRoots?: readonly string[];
  /** The longest a command may run, whatever the model asks. */
  maxTimeoutMs?: number;
  /** Tools on for runs on the user's own screen (they are always on in a sandbox by default). */
  onOwnScreen?: boolean;
  /** Tools from elsewhere (skills' loaders, MCP servers) added to the built-ins for this run. */
  extra?: readonly Tool[];
}

export interface RunSpec {
  store: Store;
  planner: Planner;
  provider: string;
  model?: string | undefined;
  task: string;
  threadId?: string | undefined;
  options?: Partial<RunOptions> | undefined;
  tools?: ToolChoice | undefined;
  toolSettings?: ToolSettings | undefined;
  /** The environment tools on the user's own screen start from (scrubbed); this process's by default. */
  env?: Record<string, string | undefined> | undefined;
}

export interface StartedRun {
  run: AgentRun;
  target: OpenedTarget;
  /** Settles once the run has ended and its target is closed. */
  closed: Promise<void>;
}

/** Opens the target and starts the run on it; the target is closed when the run ends. */
export async function startRun(target: RunTarget, spec: RunSpec, opts: OpenTargetOptions = {}): Promise<StartedRun> {
  const opened = await openTarget(target, opts);
  try {
    const run = launchRun(opened, spec);
    const closed = run.finished.then(() => opened.close()).catch(() => undefined);
    return { run, target: opened, closed };
  } catch (err) {
    await opened.close().catch(() => undefined);
    throw err;
  }
}

/** Starts a run on a target that is already open (the tasks runner sets it up first); the caller closes it. */
export function launchRun(opened: OpenedTarget, spec: RunSpec): AgentRun {
  const tools = runTools(opened, spec);
  return AgentRun.start({ store: spec.store, driver: opened.driver, planner: spec.planner, ...(tools ? { tools } : {}) }, {
    task: spec.task, provider: spec.provider, model: spec.model, threadId: spec.threadId, options: spec.options,
  });
}

/** The tools of a run and the context they work in: the sandbox's own environment, or the user's scrubbed. */
function runTools(opened: OpenedTarget, spec: RunSpec): RunTools | undefined {
  const choice = spec.tools ?? 'default';
  const settings = spec.toolSettings ?? {};
  if (choice === 'none') return undefined;
  // Least privilege: on the user's own screen tools are off unless asked for.
  if (choice === 'default' && !opened.sandboxed && !settings.onOwnScreen) return undefined;
  const tools = [...resolveTools(choice === 'default' ? undefined : choice.names), ...(settings.extra ?? [])];
  if (tools.length === 0) return undefined;
  const { runId: _r, onOutput: _o, ...context } = toolContextFor({
    runId: '', sandbox: opened.env ? { env: opened.env } : undefined, extraRoots: settings.extraRoots, maxTimeoutMs: settings.maxTimeoutMs, baseEnv: spec.env,
  });
  return new RunTools(tools, context);
}
