// A prompt automation's run: the agent does the automation's task with a model (a provider of the
// settings, or the preset, address and key variable the CLI wrote), on a sandbox by default, with
// its time limit and budget; the answer goes to the inbox, archived when there is nothing to report.
import type { Automation, PromptSpec } from '../automations/automation.ts';
import type { FireResult } from '../automations/scheduler.ts';
import type { Settings } from '../contract.ts';
import { createPlanner, ProviderError } from '../models/create-planner.ts';
import type { AgentRun, RunResult } from '../run/agent-run.ts';
import type { RunOptions } from '../run/events.ts';
import type { RunSpec } from '../run/start-run.ts';
import type { Store } from '../store/store.ts';
import { CommandError } from './command-error.ts';
import { toolSettingsFrom, type RunHost, type RunTarget } from './run-host.ts';

/** The answer that means nothing to report when the prompt does not say. */
export const NOTHING = 'NOTHING';

export interface PromptRunDeps {
  store: Store;
  host: RunHost;
  settings: () => Settings;
  /** The environment a key variable is read from; this process's by default. */
  env?: Record<string, string | undefined>;
  /** The skills offered when the prompt turns them on. */
  skills?: () => Promise<RunSpec['skills']> | RunSpec['skills'];
}

/** The planner for the prompt's provider: one of the settings by id (its key from there), else made from the file's fields. */
async function plannerFor(deps: PromptRunDeps, p: PromptSpec, settings: Settings) {
  const configured = settings.providers.find((c) => c.id === p.provider.id);
  if (configured && !p.provider.baseURL && !p.provider.apiKeyEnv) {
    const choice = await deps.host.planner({ ...configured, model: p.provider.model ?? configured.model }, settings);
    return { planner: choice.planner, provider: configured.id, model: choice.model };
  }
  const env = deps.env ?? process.env;
  const keyVar = p.provider.apiKeyEnv;
  const apiKey = keyVar ? env[keyVar] : undefined;
  if (keyVar && !apiKey) throw new CommandError('bad_input', `the prompt's key is read from $${keyVar}, which is not set here: set it where the app or deskpilot runs`);
  deps.store.redactor.addSecret(apiKey);
  try {
    const choice = await createPlanner({
      provider: p.provider.id, ...(p.provider.adapter ? { adapter: p.provider.adapter } : {}), ...(p.provider.baseURL ? { baseURL: p.provider.baseURL } : {}),
      ...(p.provider.model ? { model: p.provider.model } : {}), ...(apiKey ? { apiKey } : {}),
      // A key from the environment only goes to the preset's own address, never to a URL in the file.
      env: p.provider.baseURL ? {} : env,
    });
    return { planner: choice.planner, provider: choice.provider, model: choice.model };
  } catch (err) {
    if (err instanceof ProviderError) throw new CommandError('bad_input', `automation's provider "${p.provider.id}": ${err.message}`);
    throw err;
  }
}

/** The task as the model gets it: the prompt, and how to say there is nothing to report. */
export function promptTask(p: PromptSpec): string {
  const nothing = p.nothingToReport ?? NOTHING;
  return `${p.task}\n\nIf there is nothing to report, answer exactly "${nothing}".`;
}

/** Starts the agent on the prompt; `outcome` is what the inbox records once it has ended. */
export async function startPromptRun(deps: PromptRunDeps, automation: Automation): Promise<{ run: AgentRun; outcome: Promise<FireResult> }> {
  const p = automation.prompt;
  if (!p) throw new CommandError('bad_input', `automation "${automation.name}" is not a prompt`);
  const settings = deps.settings();
  const choice = await plannerFor(deps, p, settings);
  const target: RunTarget = p.target === 'sandbox' ? { kind: 'sandbox' } : { kind: 'display', display: p.target };
  const options: Partial<RunOptions> = {
    ...settings.run, ...(p.maxSeconds ? { maxSeconds: p.maxSeconds } : {}),
    // No one may be watching a scheduled run: at the budget it stops rather than asks.
    ...(p.budgetUsd ? { budgets: { runCostUsd: p.budgetUsd, atLimit: 'stop' as const } } : {}),
  };
  const skills = p.skills ? await deps.skills?.() : undefined;
  // Titled by the prompt alone: the nothing-to-report line appended for the model is not what the user wrote.
  const threadId = deps.store.createThread(p.task.slice(0, 80)).id;
  const run = await deps.host
    .startPlanned({
      threadId, task: promptTask(p), planner: choice.planner, provider: choice.provider, model: choice.model, options, target,
      tools: p.tools ? { names: ['shell', 'files'] } : 'none', toolSettings: toolSettingsFrom(settings), skills,
    })
    .catch((err: unknown) => {
      deps.store.deleteThread(threadId); // a run that never started leaves no empty thread behind
      throw err;
    });
  return { run, outcome: run.finished.then((r) => promptOutcome(run.id, r, p)) };
}

/** The inbox's record of a prompt run: its answer, archived when it is the nothing-to-report one. */
export function promptOutcome(runId: string, result: RunResult, p: Pick<PromptSpec, 'nothingToReport'>): FireResult {
  if (result.status !== 'done') return { runId, status: 'failed', summary: result.reason ?? result.status };
  const answer = result.answer?.trim() ?? '';
  const nothing = answer.toLowerCase() === (p.nothingToReport ?? NOTHING).toLowerCase();
  const summary = nothing ? 'nothing to report' : answer ? firstLine(answer) : `done in ${result.steps} steps, without an answer`;
  return { runId, status: 'succeeded', summary, ...(answer ? { answer } : {}), ...(nothing ? { archived: true } : {}) };
}

const firstLine = (s: string, max = 200) => {
  const line = s.split('\n')[0]!;
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
};
