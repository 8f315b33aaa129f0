// `deskpilot automations create --prompt` and `automations run` of a prompt automation: the agent
// does the task with the provider the file names (the key from the variable it names, never the key
// itself), and the answer lands in the inbox like a scheduled run's.
import { AUTOMATION_FORMAT, type Automation, type PromptSpec } from '../automations/automation.ts';
import type { AutomationStore } from '../automations/automation-store.ts';
import { ScheduleStore } from '../automations/schedule-store.ts';
import { promptOutcome, promptTask } from '../app/prompt-automation.ts';
import { createPlanner, ProviderError } from '../models/create-planner.ts';
import type { RunResult } from '../run/agent-run.ts';
import { CliError, optionReader, type OptionValues } from './command.ts';
import { runAgent } from './run-commands.ts';
import { openCliStore } from './store-access.ts';

export const PROMPT_CREATE_USAGE = 'automations create --name NAME --prompt "TASK" [--provider P] [--base-url URL] [--model M] [--adapter A] [--api-key-env VAR] ' +
  '[--sandbox | --display :N] [--no-tools] [--skills] [--max-seconds N] [--budget-usd N] [--nothing TEXT] [--json] [--db PATH]';

export const PROMPT_CREATE_OPTIONS = {
  prompt: { type: 'string' }, provider: { type: 'string' }, 'base-url': { type: 'string' }, model: { type: 'string' }, adapter: { type: 'string' }, 'api-key-env': { type: 'string' },
  sandbox: { type: 'boolean' }, 'no-tools': { type: 'boolean' }, skills: { type: 'boolean' }, 'budget-usd': { type: 'string' }, nothing: { type: 'string' }, 'max-seconds': { type: 'string' },
} as const;

/** The prompt automation `--prompt` and its options describe (checked by the automation schema when saved). */
export function promptFrom(values: OptionValues, name: string): Omit<Automation, 'version'> {
  const { str, positive, usageError } = optionReader(PROMPT_CREATE_USAGE);
  if (values['api-key'] !== undefined) throw usageError('an automation never holds the key itself: put it in a variable and give --api-key-env VAR');
  const display = str(values, 'display');
  if (display && values['sandbox'] === true) throw usageError('give --display :N or --sandbox, not both');
  const maxSeconds = positive(values, 'max-seconds', false);
  const budget = str(values, 'budget-usd');
  const budgetUsd = budget === undefined ? undefined : Number(budget);
  if (budgetUsd !== undefined && !(budgetUsd > 0)) throw usageError(`--budget-usd must be a positive number of dollars, not "${budget}"`);
  const opt = (k: string) => str(values, k);
  const prompt: PromptSpec = {
    task: str(values, 'prompt') ?? '',
    provider: {
      id: opt('provider') ?? 'openai',
      ...(opt('base-url') ? { baseURL: opt('base-url')! } : {}), ...(opt('model') ? { model: opt('model')! } : {}),
      ...(opt('adapter') ? { adapter: opt('adapter') as PromptSpec['provider']['adapter'] } : {}), ...(opt('api-key-env') ? { apiKeyEnv: opt('api-key-env')! } : {}),
    },
    tools: values['no-tools'] !== true, skills: values['skills'] === true, target: display ?? 'sandbox',
    ...(maxSeconds ? { maxSeconds } : {}), ...(budgetUsd ? { budgetUsd } : {}), ...(opt('nothing') ? { nothingToReport: opt('nothing')! } : {}),
  };
  const description = str(values, 'description');
  return { format: AUTOMATION_FORMAT, name, ...(description ? { description } : {}), params: [], allowHealing: false, prompt, steps: [] };
}

/** Runs a prompt automation at the terminal like `deskpilot run`, then files its result in the inbox. */
export async function runPrompt(automation: Automation, values: OptionValues, a: AutomationStore): Promise<number> {
  const p = automation.prompt!;
  const keyVar = p.provider.apiKeyEnv;
  const apiKey = keyVar ? process.env[keyVar] : undefined;
  if (keyVar && !apiKey) throw new CliError(`automation "${automation.name}" reads its key from $${keyVar}, which is not set`, 2);
  let choice: Awaited<ReturnType<typeof createPlanner>>;
  try {
    choice = await createPlanner({
      provider: p.provider.id, ...(p.provider.adapter ? { adapter: p.provider.adapter } : {}), ...(p.provider.baseURL ? { baseURL: p.provider.baseURL } : {}),
      ...(p.provider.model ? { model: p.provider.model } : {}), ...(apiKey ? { apiKey } : {}),
      // A key from the environment only goes to the preset's own address, never to a URL in the file.
      env: p.provider.baseURL ? {} : process.env,
    });
  } catch (err) {
    if (err instanceof ProviderError) throw new CliError(`automation "${automation.name}": ${err.message}`, 2);
    throw err;
  }
  // A thread of its own, so the run is found afterwards for the inbox.
  const cli = openCliStore(values);
  const threadId = cli.store.createThread(`${automation.name} (prompt automation)`).id;
  cli.close();
  const code = await runAgent({
    task: promptTask(p), choice, target: p.target === 'sandbox' ? { kind: 'sandbox' } : { kind: 'display', display: p.target },
    options: { ...(p.maxSeconds ? { maxSeconds: p.maxSeconds } : {}), ...(p.budgetUsd ? { budgets: { runCostUsd: p.budgetUsd, atLimit: 'stop' as const } } : {}) },
    tools: p.tools ? { names: ['shell', 'files'] } : 'none', json: values['json'] === true, values, threadId,
  });
  const after = openCliStore(values);
  try {
    const run = after.store.listRuns({ threadId, limit: 1 })[0];
    if (run) {
      const result: RunResult = { runId: run.id, status: run.status as RunResult['status'], steps: 0, ...(run.error ? { reason: run.error } : {}), ...(answerOf(after.store, run.id) ?? {}) };
      const outcome = promptOutcome(run.id, result, p);
      new ScheduleStore(after.store.db).addItem({ automation: a.get(automation.name)?.name ?? automation.name, runId: run.id, status: outcome.status, trigger: 'manual', summary: outcome.summary, answer: outcome.answer ?? null, archived: outcome.archived === true });
    }
  } finally {
    after.close();
  }
  return code;
}

/** The run's answer from its final event. */
function answerOf(store: ReturnType<typeof openCliStore>['store'], runId: string): { answer: string } | undefined {
  const end = store.readEvents(runId).findLast((e) => e.type === 'run_finished') as { answer?: string } | undefined;
  return end?.answer !== undefined ? { answer: end.answer } : undefined;
}
