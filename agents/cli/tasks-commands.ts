// deskpilot tasks run PATH...: OSWorld-format tasks, each on a fresh sandbox display, scored by their
// evaluators and printed as a table (or JSON lines). Each agent run is saved like any other run.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createPlanner, ProviderError, type PlannerChoice } from '../models/create-planner.ts';
import type { AdapterName } from '../models/providers.ts';
import type { ApprovalMode, RunOptions } from '../run/events.ts';
import { findTaskFiles, loadTask, runTask, scriptPathFor, summarize, unattended, type PlannerSetup, type TaskOperator, type TaskResult } from '../tasks/run-task.ts';
import { CliError, optionReader, type Command, type OptionValues } from './command.ts';
import { describeProposed } from '../run/run-format.ts';
import { openCliStore } from './store-access.ts';
import { OperatorConsole } from './terminal-prompts.ts';
import { Redactor } from '../store/redact.ts';
import { tasksCheckCommands } from './tasks-check-commands.ts';
import { writeResultsFile } from '../tasks/results-file.ts';
import { defaultCacheDir } from '../tasks/file-cache.ts';

const APPROVE_MODES: readonly ApprovalMode[] = ['never', 'risky', 'always'];
const USAGE = 'tasks run PATH... [--provider PROVIDER (default scripted)] [--adapter NAME] [--base-url URL] [--model NAME] [--api-key KEY] [--approve never|risky|always] [--max-steps N] [--max-seconds N] [--json] [--db PATH] [--out results.json] [--cache-dir DIR] [--offline] [--parallel N]';

type Values = OptionValues;

const { usageError, str, positive } = optionReader(USAGE);


/** A planner factory per provider (a fresh planner per task: it holds one run's conversation). */
async function plannersFrom(values: Values): Promise<{ make: (file: string) => Promise<PlannerSetup>; secret?: string }> {
  const provider = str(values, 'provider') ?? 'scripted';
  const request = {
    provider,
    ...(str(values, 'adapter') ? { adapter: str(values, 'adapter') as AdapterName } : {}),
    ...(str(values, 'base-url') ? { baseURL: str(values, 'base-url')! } : {}),
    ...(str(values, 'model') ? { model: str(values, 'model')! } : {}),
    ...(str(values, 'api-key') ? { apiKey: str(values, 'api-key')! } : {}),
  };
  const make = async (file: string): Promise<PlannerChoice> => {
    let script: string | undefined;
    if (provider === 'scripted') {
      script = scriptPathFor(file);
      if (!existsSync(script)) throw new Error(`no scripted trajectory for this task: ${script} does not exist`);
    }
    return createPlanner({ ...request, ...(script ? { script } : {}) });
  };
  // Settings mistakes are usage errors, found before any display starts.
  let secret: string | undefined;
  if (provider !== 'scripted') {
    try {
      secret = (await createPlanner(request)).secret;
    } catch (err) {
      if (err instanceof ProviderError) throw usageError(err.message);
      throw err;
    }
  }
  return {
    ...(secret ? { secret } : {}),
    async make(file) {
      const choice = await make(file);
      return { planner: choice.planner, provider: choice.provider, ...(choice.model ? { model: choice.model } : {}) };
    },
  };
}

function runOptionsFrom(values: Values): Partial<RunOptions> {
  const approve = str(values, 'approve');
  if (approve !== undefined && !(APPROVE_MODES as readonly string[]).includes(approve)) throw usageError(`--approve must be ${APPROVE_MODES.join(', ')}, not "${approve}"`);
  const maxSteps = positive(values, 'max-steps', true);
  const maxSeconds = positive(values, 'max-seconds', false);
  return { ...(approve ? { approve: approve as ApprovalMode } : {}), ...(maxSteps ? { maxSteps } : {}), ...(maxSeconds ? { maxSeconds } : {}) };
}

const fmtScore = (s: number) => (Number.isInteger(s) ? String(s) : s.toFixed(2));

/** The results table: one row per task, then the totals; failing metrics' reasons below. */
export function tasksTable(results: TaskResult[]): string[] {
  const header = ['TASK', 'SCORE', 'STEPS', 'TIME', 'TOKENS', 'STATUS', 'RUN'];
  const status = (r: TaskResult) => (r.status === 'scored' ? (r.runStatus ?? 'scored') : r.status);
  const rows = results.map((r) => [r.task, fmtScore(r.score), String(r.steps), `${r.seconds.toFixed(1)} s`, String(r.tokens), status(r), r.runId ?? '-']);
  const s = summarize(results);
  const total = ['TOTAL', `${fmtScore(s.scoreSum)}/${s.tasks}`, String(s.steps), `${s.seconds.toFixed(1)} s`, String(s.tokens), `average ${s.average.toFixed(3)}`, ''];
  const all = [header, ...rows, total];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const right = new Set([1, 2, 3, 4]);
  const line = (r: string[]) => r.map((v, i) => (right.has(i) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  const notes = results.flatMap((r) => [
    ...(r.error ? [`${r.task}: ${r.error}`] : []),
    ...r.details.map((d) => `${r.task}: ${d}`),
    ...r.warnings.map((w) => `${r.task}: warning: ${w}`),
  ]);
  return [line(header), ...rows.map(line), line(total), ...(notes.length ? ['', ...notes] : [])];
}

export const tasksCommands: Command[] = [
  {
    path: ['tasks', 'run'],
    usage: 'tasks run PATH... [--provider PROVIDER] [options]',
    summary: 'run OSWorld-format task files (or folders of them), each on a fresh sandbox display; prints score, steps, time and tokens per task',
    options: {
      provider: { type: 'string' }, adapter: { type: 'string' }, 'base-url': { type: 'string' }, model: { type: 'string' }, 'api-key': { type: 'string' },
      approve: { type: 'string' }, 'max-steps': { type: 'string' }, 'max-seconds': { type: 'string' }, json: { type: 'boolean' }, db: { type: 'string' },
      out: { type: 'string' }, 'cache-dir': { type: 'string' }, offline: { type: 'boolean' }, parallel: { type: 'string' },
    },
    async run({ values, positionals }) {
      if (positionals.length === 0) throw usageError('give one or more task files or folders, e.g. deskpilot tasks run e2e/tasks');
      const planners = await plannersFrom(values);
      const runOptions = runOptionsFrom(values);
      const json = values['json'] === true;
      let files: string[];
      try {
        files = await findTaskFiles(positionals);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      if (files.length === 0) throw new CliError(`no task files (*.json) in ${positionals.join(' ')}`);
      return runTasks({ files, planners, runOptions, json, values });
    },
  },
  ...tasksCheckCommands,
];

interface TasksArgs {
  files: string[];
  planners: Awaited<ReturnType<typeof plannersFrom>>;
  runOptions: Partial<RunOptions>;
  json: boolean;
  values: Values;
}

async function runTasks({ files, planners, runOptions, json, values }: TasksArgs): Promise<number> {
  const { secret } = planners;
  const keys = new Redactor([secret]); // whole occurrences of a real key only: never a placeholder, --json stays exact
  const mask = (s: string) => keys.redactKeys(s);
  const out = (line: string) => process.stdout.write(`${mask(line)}\n`);
  const note = (line: string) => process.stderr.write(`${mask(line)}\n`);
  process.stdout.on('error', () => undefined);

  const stop = new AbortController();
  let signalled: NodeJS.Signals | undefined;
  const interrupt = (sig: NodeJS.Signals) => {
    if (signalled) process.exit(sig === 'SIGINT' ? 130 : 143);
    signalled = sig;
    note(`${sig === 'SIGINT' ? 'Ctrl+C' : sig}: stopping the current task; the rest are skipped (again to quit at once)`);
    stop.abort();
  };
  const onSigint = () => interrupt('SIGINT');
  const onSigterm = () => interrupt('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);

  // Approvals only when asked for: at the terminal, or read from piped stdin like `deskpilot run`.
  let operatorConsole: OperatorConsole | undefined;
  let operator: TaskOperator = unattended;
  if (runOptions.approve && runOptions.approve !== 'never') {
    const c = new OperatorConsole({ input: process.stdin, output: process.stderr, interactive: !json && process.stdin.isTTY === true, onInterrupt: onSigint });
    operatorConsole = c;
    operator = {
      approve: (req, signal) => c.approve(req.action ? describeProposed(req.action, req.screenAction) : 'this action', signal),
      answer: (question, signal) => c.answer(question, signal),
    };
  }

  const cli = openCliStore(values, { runsAgents: true });
  cli.store.redactor.addSecret(secret); // an endpoint that echoes the key cannot get it stored
  // Tasks in file order whatever order they end in: the table reads the same at any --parallel.
  const slots: (TaskResult | undefined)[] = [];
  const parallel = Math.min(positive(values, 'parallel', true) ?? 1, files.length);
  let done = 0;
  try {
    if (cli.recovered.length > 0) note(`marked ${cli.recovered.length} run(s) left active by a stopped process as interrupted: ${cli.recovered.join(', ')}`);
    let next = 0;
    // N workers take the next file in turn; each task already gets a sandbox display of its own.
    const worker = async () => {
      for (let i = next++; i < files.length && !stop.signal.aborted; i = next++) await one(i, files[i]!);
    };
    const one = async (i: number, file: string) => {
      const loaded = await loadTask(file);
      if (!json) note(`[${i + 1}/${files.length}] ${loaded.id} ...`);
      const result = await runTask(loaded, {
        store: cli.store, runOptions, operator, signal: stop.signal,
        planner: () => planners.make(file),
        files: { cacheDir: resolve(str(values, 'cache-dir') ?? defaultCacheDir()), offline: values['offline'] === true, onProgress: note },
      });
      slots[i] = result;
      done += 1;
      if (json) out(JSON.stringify({ type: 'task_result', ...result }));
      else note(`[${parallel > 1 ? `${done} done, ` : ''}${i + 1}/${files.length}] ${result.task}: ${result.status === 'scored' ? `score ${fmtScore(result.score)}` : result.status} (${result.steps} step${result.steps === 1 ? '' : 's'}, ${result.seconds.toFixed(1)} s)${result.error ? `: ${result.error}` : ''}`);
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    const results = slots.filter((r): r is TaskResult => r !== undefined);
    const summary = summarize(results);
    const outFile = str(values, 'out');
    if (outFile) {
      await writeResultsFile(outFile, results);
      note(`results saved in ${outFile}; compare two with: deskpilot tasks compare A.json B.json`);
    }
    if (json) out(JSON.stringify({ type: 'summary', ...summary, skipped: files.length - results.length, db: cli.path }));
    else {
      for (const line of tasksTable(results)) out(line);
      if (results.length < files.length) note(`${files.length - results.length} task(s) skipped after the stop`);
      note(`runs saved in ${cli.path}; see one with: deskpilot runs show RUN${values['db'] ? ` --db ${cli.path}` : ''}`);
    }
    if (signalled) return signalled === 'SIGINT' ? 130 : 143;
    // A task that scored 0 is a result; one that could not be run or scored is a failure of the batch.
    return summary.unsupported + summary.errors > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    operatorConsole?.close();
    cli.close();
  }
}
