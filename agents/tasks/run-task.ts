// One OSWorld-format task, start to score: a fresh sandbox display, the config steps, an AgentRun on
// the instruction (saved in the store like any run), then the evaluator. Never throws for a task's
// own problems: they come back as a result with status `unsupported` or `error` and score 0.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import type { DesktopAction } from '../desktop/actions.ts';
import { openTarget, type OpenedTarget } from '../desktop/targets.ts';
import type { AgentAction, Planner } from '../models/planner.ts';
import type { AgentRun, RunResult } from '../run/agent-run.ts';
import { launchRun, type ToolChoice } from '../run/start-run.ts';
import type { ApprovalDecision, RunEvent, RunOptions } from '../run/events.ts';
import type { Store } from '../store/store.ts';
import { runConfig } from './config.ts';
import { UnsupportedError } from './errors.ts';
import { evaluate, unsupportedParts } from './evaluator.ts';
import type { TaskSandbox } from './sandbox.ts';
import { parseTask, type Task } from './task-schema.ts';
import { defaultCacheDir, DownloadError, fetchToCache, isCached, MissingFileError, type FileSource } from './file-cache.ts';
import { machineEnv } from './machine.ts';
import { taskSupport } from './task-support.ts';
import { prepareTerminalCapture, readsTerminal } from './terminal-output.ts';
import { createServer, type AddressInfo } from 'node:net';

export interface LoadedTask {
  file: string;
  /** The task's id, or the file name when it could not be read. */
  id: string;
  task?: Task;
  loadError?: string;
}

export type TaskStatus = 'scored' | 'unsupported' | 'error';

export interface TaskResult {
  task: string;
  file: string;
  /** 0..1; 0 unless the task was scored. */
  score: number;
  steps: number;
  /** The whole task: display, config, run and evaluation. */
  seconds: number;
  /** The agent's run alone. */
  runSeconds: number;
  /** Model tokens, input + output. */
  tokens: number;
  status: TaskStatus;
  runId?: string;
  runStatus?: RunResult['status'];
  error?: string;
  /** Why a metric scored below 1. */
  details: string[];
  warnings: string[];
}

export interface PlannerSetup {
  planner: Planner;
  provider: string;
  model?: string;
}

/** Answers approvals and questions during a task run. */
export interface TaskOperator {
  approve(request: { action?: AgentAction; screenAction?: DesktopAction; reasons: string[] }, signal: AbortSignal): Promise<ApprovalDecision>;
  answer(question: string, signal: AbortSignal): Promise<string>;
}

export const UNATTENDED = 'no operator: tasks run unattended';

/** Rejects every approval and answers every question with UNATTENDED, so a task never hangs. */
export const unattended: TaskOperator = {
  approve: async () => ({ decision: 'reject', reason: UNATTENDED }),
  answer: async () => UNATTENDED,
};

/** OSWorld's usual budget: 15 steps; approvals off (a benchmark has no operator). */
export const TASK_RUN_DEFAULTS: Partial<RunOptions> = { approve: 'never', maxSteps: 15, maxSeconds: 600 };

export interface RunTaskOptions {
  store: Store;
  /** The planner for this task (a fresh one each time: planners keep conversation state). */
  planner(task: LoadedTask & { task: Task }): Promise<PlannerSetup>;
  runOptions?: Partial<RunOptions>;
  operator?: TaskOperator;
  signal?: AbortSignal;
  onRunStarted?(run: AgentRun, task: Task): void;
  /** The tools the agent may call; by default those of any sandboxed run (a shell and files). */
  tools?: ToolChoice;
  /** Where http(s) task files come from; by default the data folder's task-cache, fetching what is missing. */
  files?: FileSource;
}

/** Task files from files and folders (recursively): `*.json`, except trajectories (`*.script.json`, `*.mock.json`). */
export async function findTaskFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string, named: boolean): Promise<void> => {
    const info = await stat(p).catch(() => undefined);
    if (!info) throw new Error(`no such file or folder: ${p}`);
    if (info.isDirectory()) {
      const entries = (await readdir(p)).sort();
      for (const e of entries) {
        const full = join(p, e);
        const isDir = (await stat(full)).isDirectory();
        if (isDir || isTaskFileName(e)) await walk(full, false);
      }
    } else if (isTaskFileName(basename(p)) || (named && !isTrajectory(basename(p)))) {
      out.push(resolve(p));
    }
  };
  for (const p of paths) await walk(p, true);
  return [...new Set(out)];
}

const isTrajectory = (name: string) => /\.(script|mock)\.json$/.test(name);
const isTaskFileName = (name: string) => name.endsWith('.json') && !isTrajectory(name);

/** The scripted trajectory that goes with a task file: `<name>.script.json` next to it. */
export const scriptPathFor = (taskFile: string) => taskFile.replace(/\.json$/, '') + '.script.json';

export async function loadTask(path: string): Promise<LoadedTask> {
  const file = resolve(path);
  try {
    const text = await readFile(file, 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: not valid JSON: ${(err as Error).message}`);
    }
    const task = parseTask(value, file);
    return { file, id: task.id, task };
  } catch (err) {
    return { file, id: basename(file, '.json'), loadError: (err as Error).message };
  }
}

export async function runTask(loaded: LoadedTask, opts: RunTaskOptions): Promise<TaskResult> {
  const started = performance.now();
  const base = { task: loaded.id, file: loaded.file, score: 0, steps: 0, runSeconds: 0, tokens: 0, details: [] as string[], warnings: [] as string[] };
  const finish = (r: Omit<TaskResult, 'seconds'> & Partial<Pick<TaskResult, 'seconds'>>): TaskResult => ({ ...r, seconds: round((performance.now() - started) / 1000) });
  if (!loaded.task) return finish({ ...base, status: 'error', error: loaded.loadError ?? 'not loaded' });
  const task = loaded.task;
  const unsupported = unsupportedParts(task);
  if (unsupported.length > 0) return finish({ ...base, status: 'unsupported', error: `unsupported: ${unsupported.join(', ')}` });

  const signal = opts.signal ?? new AbortController().signal;
  const files = opts.files ?? { cacheDir: defaultCacheDir(), offline: false };
  // Every remote file before a display starts: a missing one (offline) or a failed download ends the task at once.
  try {
    await fetchTaskFiles(task, files, signal);
  } catch (err) {
    if (err instanceof MissingFileError || err instanceof DownloadError) return finish({ ...base, status: 'error', error: err.message });
    throw err;
  }
  let setup: PlannerSetup;
  try {
    setup = await opts.planner({ ...loaded, task });
  } catch (err) {
    return finish({ ...base, status: 'error', error: (err as Error).message });
  }

  let opened: OpenedTarget | undefined;
  const result: Omit<TaskResult, 'seconds' | 'status'> = { ...base };
  try {
    // The config steps launch the task's apps: the sandbox starts empty.
    opened = await openTarget({ kind: 'sandbox', launch: [] });
    const { driver } = opened;
    const chromePort = await freePort();
    const sandbox: TaskSandbox = {
      display: opened.virtual!, driver, taskDir: dirname(loaded.file), warnings: result.warnings, files,
      env: machineEnv(opened.virtual!.env, chromePort), chromePort, screen: opened.virtual!.info.size,
      // Deskpilot's own tasks (no snapshot) keep LibreOffice's stock settings, their trajectories answer its dialogs.
      osworldProfile: typeof task.extra['snapshot'] === 'string',
    };
    // Before any app starts: every xterm on the display must know how to print its screen.
    if (readsTerminal(task)) await prepareTerminalCapture(opened.virtual!);
    await runConfig(task.config, sandbox, signal);
    signal.throwIfAborted();

    const runStarted = performance.now();
    const { store } = opts;
    const thread = store.createThread(`${task.id}: ${task.instruction}`.slice(0, 80));
    const run = launchRun(opened, {
      store, planner: setup.planner, task: task.instruction, threadId: thread.id, provider: setup.provider, model: setup.model,
      options: { ...TASK_RUN_DEFAULTS, ...opts.runOptions }, tools: opts.tools,
    });
    result.runId = run.id;
    opts.onRunStarted?.(run, task);
    const stopAnswering = answerFor(run, store, opts.operator ?? unattended);
    const onAbort = () => run.control.abort('the task run was stopped');
    signal.addEventListener('abort', onAbort, { once: true });
    let ended: RunResult;
    try {
      ended = await run.finished;
    } finally {
      signal.removeEventListener('abort', onAbort);
      stopAnswering();
    }
    result.runStatus = ended.status;
    result.steps = ended.steps;
    result.runSeconds = round((performance.now() - runStarted) / 1000);
    result.tokens = tokensOf(store, run.id);
    signal.throwIfAborted();
    // Let the apps finish what the last actions started (a save, a dialog closing) before judging,
    // as OSWorld waits before it evaluates.
    await driver.settle?.({ intervalMs: 500, capMs: 5000 }, signal).catch(() => undefined);
    signal.throwIfAborted();

    const evaluation = await evaluate(task, sandbox, {
      status: ended.status, ...(ended.answer !== undefined ? { answer: ended.answer } : {}), ...(ended.reason !== undefined ? { reason: ended.reason } : {}),
    }, signal);
    return finish({ ...result, status: 'scored', score: evaluation.score, details: evaluation.details });
  } catch (err) {
    if (err instanceof UnsupportedError) return finish({ ...result, status: 'unsupported', score: 0, error: err.message });
    const e = err as Error;
    const message = signal.aborted ? 'stopped before the task finished' : `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}`;
    return finish({ ...result, status: 'error', score: 0, error: message });
  } finally {
    await opened?.close().catch(() => undefined);
  }
}

/** A TCP port free on loopback now, for the sandbox's Chromium DevTools. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/** Fetches a task's http(s) files into the cache (or, offline, says which are missing). */
export async function fetchTaskFiles(task: Task, files: FileSource, signal?: AbortSignal): Promise<string[]> {
  const urls = taskSupport(task, files.cacheDir).files;
  const missing = urls.filter((u) => !isCached(u, files.cacheDir));
  if (files.offline && missing.length) throw new MissingFileError(missing, files.cacheDir);
  const shaOf = new Map([...task.config, ...task.evaluator.postconfig].flatMap((s) => (s.type === 'download' ? s.files.flatMap((f) => (f.sha256 ? [[f.url, f.sha256] as const] : [])) : [])));
  for (const url of missing) {
    const sha256 = shaOf.get(url);
    await fetchToCache(url, files.cacheDir, { ...(sha256 ? { sha256 } : {}), ...(signal ? { signal } : {}), ...(files.onProgress ? { onProgress: files.onProgress } : {}) });
  }
  return missing;
}

/** Forwards this run's approval requests and questions to the operator. Returns the unsubscribe. */
function answerFor(run: AgentRun, store: Store, operator: TaskOperator): () => void {
  const proposed = new Map<string, { action: AgentAction; screenAction?: DesktopAction }>();
  const signal = run.control.signal;
  const settle = async (apply: () => void) => {
    await setImmediate();
    try {
      apply();
    } catch {
      // The run ended (aborted, timed out) while the operator was answering.
    }
  };
  return store.subscribe<RunEvent>((e) => {
    if (e.runId !== run.id) return;
    if (e.type === 'action_proposed') proposed.set(e.actionId, { action: e.action, ...(e.screenAction ? { screenAction: e.screenAction } : {}) });
    if (e.type === 'approval_requested') {
      void operator.approve({ ...proposed.get(e.actionId), reasons: e.reasons }, signal).then((d) => settle(() => run.control.decide(e.actionId, d)), () => undefined);
    }
    if (e.type === 'question_asked') {
      void operator.answer(e.question, signal).then((a) => settle(() => run.control.answer(e.actionId, a)), () => undefined);
    }
  });
}

function tokensOf(store: Store, runId: string): number {
  let total = 0;
  for (const e of store.readEvents<RunEvent>(runId)) {
    if (e.type === 'model_responded' && e.usage) total += e.usage.inputTokens + e.usage.outputTokens;
  }
  return total;
}

const round = (s: number) => Math.round(s * 10) / 10;

/** Sum and mean of a batch, for the table's last line. */
export function summarize(results: TaskResult[]): { tasks: number; scoreSum: number; average: number; steps: number; seconds: number; tokens: number; unsupported: number; errors: number } {
  const sum = (f: (r: TaskResult) => number) => results.reduce((a, r) => a + f(r), 0);
  const scoreSum = sum((r) => r.score);
  return {
    tasks: results.length, scoreSum: Math.round(scoreSum * 100) / 100, average: results.length ? Math.round((scoreSum / results.length) * 1000) / 1000 : 0,
    steps: sum((r) => r.steps), seconds: round(sum((r) => r.seconds)), tokens: sum((r) => r.tokens),
    unsupported: results.filter((r) => r.status === 'unsupported').length, errors: results.filter((r) => r.status === 'error').length,
  };
}
