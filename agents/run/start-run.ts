// The one place a run is assembled: target -> driver, planner, tools, options. The app, the CLI, the
// tasks runner and automations all start runs through here, so a new target, tool or option is
// wired once.
import { DEFAULT_PRIVATE_CLASSES } from '../desktop/private-regions.ts';
import { openTarget, type OpenedTarget, type OpenTargetOptions, type RunTarget } from '../desktop/targets.ts';
import type { McpServerConfig } from '../mcp/client-tools.ts';
import { connectRunServers } from '../mcp/run-servers.ts';
import type { Planner } from '../models/planner.ts';
import type { Store } from '../store/store.ts';
import { toolContextFor } from '../tools/environment.ts';
import { stopToolProcesses } from '../tools/process-group.ts';
import { resolveTools } from '../tools/registry.ts';
import type { Tool } from '../tools/tool.ts';
import type { SkillCatalog } from '../skills/discovery.ts';
import { prepareRunSkills, type RunSkills } from '../skills/run-skills.ts';
import { LOAD_SKILL } from '../skills/session.ts';
import { AgentRun } from './agent-run.ts';
import type { RunEvent, RunOptions } from './events.ts';
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
  /** Skills on offer: listed in the instructions, loaded with load_skill or by `$name` in the task; none when absent. */
  skills?: { catalog: SkillCatalog; /** The model's context in tokens: the listing gets about 2% of it (8,000 characters when unknown). */ contextTokens?: number } | undefined;
  /** MCP servers whose tools join the run's (the enabled ones; connected when the run starts). */
  mcpServers?: readonly McpServerConfig[] | undefined;
  /** Facts about the run's set-up, logged right after run_started. */
  startEvents?: readonly RunEvent[] | undefined;
  /** The environment tools on the user's own screen start from (scrubbed); this process's by default. */
  env?: Record<string, string | undefined> | undefined;
  /** A run recorded earlier as queued: started under its id (see AgentRunInput.runId). */
  runId?: string | undefined;
  /** The operator's language (a BCP 47 code, as the settings hold it): the model is asked to write in it when it is not English. */
  language?: string | undefined;
}

export interface StartedRun {
  run: AgentRun;
  target: OpenedTarget;
  /** Settles once the run has ended and its target is closed. */
  closed: Promise<void>;
}

/** Opens the target and starts the run on it; the target is closed when the run ends. */
export async function startRun(target: RunTarget, spec: RunSpec, opts: OpenTargetOptions = {}): Promise<StartedRun> {
  // The run's private regions (added to the password managers always masked) and window rules reach its driver.
  const { privacy, windows } = spec.options ?? {};
  const opened = await openTarget(target, {
    ...opts,
    privacy: opts.privacy ?? (privacy && { ...privacy, windowClasses: [...DEFAULT_PRIVATE_CLASSES, ...(privacy.windowClasses ?? [])] }),
    // On the user's own screen a window opened after the start needs approval, unless the run's options say not to ask.
    windows: opts.windows ?? { ...windows, askNew: target.kind === 'display' && windows?.askNew !== false },
  });
  // MCP servers start beside the target; one that cannot is reported in the run, which goes on without it.
  const servers = spec.mcpServers?.length ? await connectRunServers(spec.mcpServers, spec.env ?? process.env) : undefined;
  const close = () => Promise.all([opened.close(), servers?.close()]).then(() => undefined);
  try {
    const run = launchRun(opened, {
      ...spec,
      toolSettings: { ...spec.toolSettings, extra: [...(spec.toolSettings?.extra ?? []), ...(servers?.tools ?? [])] },
      startEvents: [...(spec.startEvents ?? []), ...(servers?.failures ?? []).map((f) => ({ type: 'mcp_server_failed' as const, ...f }))],
    });
    const closed = run.finished.then(close).catch(() => undefined);
    return { run, target: opened, closed };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}

/** Starts a run on a target that is already open (the tasks runner sets it up first); the caller closes it. */
export function launchRun(opened: OpenedTarget, spec: RunSpec): AgentRun {
  const skills = spec.skills && prepareRunSkills(spec.skills.catalog, { task: spec.task, contextTokens: spec.skills.contextTokens, record: (runId, e) => spec.store.append(runId, e) });
  const tools = runTools(opened, spec, skills);
  // Skills are listed only to a model that can load them; `$name` ones are given whole either way.
  const skillSetup = skills?.start(tools?.names.includes(LOAD_SKILL) ?? false);
  const run = AgentRun.start({ store: spec.store, driver: opened.driver, planner: spec.planner, ...(tools ? { tools } : {}) }, {
    task: spec.task, provider: spec.provider, model: spec.model, threadId: spec.threadId, options: spec.options,
    instructions: [languageInstruction(spec.language), skillSetup?.instructions].filter(Boolean).join('\n\n') || undefined, startEvents: [...(spec.startEvents ?? []), ...(skillSetup?.events ?? [])], ...(spec.runId ? { runId: spec.runId } : {}),
  });
  // What a command left running in the background (`mousepad f &`) ends with the run.
  if (tools) void run.finished.then(() => stopToolProcesses(run.id)).catch(() => undefined);
  return run;
}

const LANGUAGE_NAMES: Record<string, string> = { 'zh-CN': 'Simplified Chinese (简体中文)' };

/** One line for a model whose operator reads another language than English; nothing for English. */
export function languageInstruction(language: string | undefined): string | undefined {
  if (!language || language === 'en' || language.startsWith('en-')) return undefined;
  const name = LANGUAGE_NAMES[language] ?? language;
  return `The operator reads ${name}: write your thoughts, questions to the operator and final answers in ${name}. Keep commands, file names and text you type into apps as the task needs them.`;
}

/** The tools of a run and the context they work in: the sandbox's own environment, or the user's scrubbed. */
function runTools(opened: OpenedTarget, spec: RunSpec, skills?: RunSkills): RunTools | undefined {
  const choice = spec.tools ?? 'default';
  const settings = spec.toolSettings ?? {};
  if (choice === 'none') return undefined;
  // Least privilege: on the user's own screen tools are off unless asked for.
  const toolsOn = !(choice === 'default' && !opened.sandboxed && !settings.onOwnScreen);
  // Skills' loaders only read skill folders: offered wherever the model can call tools.
  const skillTools = skills && spec.planner.supportsTools !== false ? skills.tools : [];
  const own = toolsOn ? [...resolveTools(choice === 'default' ? undefined : choice.names), ...(settings.extra ?? [])] : [];
  // While a loaded skill declares allowed-tools, calls of other tools are refused (see skills/session.ts).
  const tools = skills ? skills.guard([...own, ...skillTools]) : own;
  if (tools.length === 0) return undefined;
  const { runId: _r, onOutput: _o, ...context } = toolContextFor({
    runId: '', sandbox: opened.env ? { env: opened.env } : undefined, extraRoots: settings.extraRoots, maxTimeoutMs: settings.maxTimeoutMs, baseEnv: spec.env,
  });
  return new RunTools(tools, context);
}
