// The runs the app has in flight: each gets a planner from the settings, a driver on its display
// (the user's own, a fixed one, or a fresh sandbox), and is cleaned up when it ends.
import type { VirtualDisplay } from '../desktop/display.ts';
import type { DesktopDriver } from '../desktop/driver.ts';
import { COMPACT_TARGETS, SCALE_TARGETS } from '../desktop/geometry.ts';
import { TargetError, type RunTarget } from '../desktop/targets.ts';
import { createPlanner, ProviderError, type PlannerChoice } from '../models/create-planner.ts';
import type { Planner } from '../models/planner.ts';
import { findPreset } from '../models/providers.ts';
import type { AgentRun } from '../run/agent-run.ts';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from '../run/events.ts';
import { startRun, type RunSpec, type ToolChoice, type ToolSettings } from '../run/start-run.ts';
import type { Store } from '../store/store.ts';
import type { ProviderConfig, Settings } from '../contract.ts';
import { CommandError } from './command-error.ts';
import type { SecretStore } from './secrets.ts';
import { keysFor } from './key-binding.ts';

export interface RunHostOptions {
  store: Store;
  secrets: SecretStore;
  /** The screen runs drive unless the settings ask for a sandbox; default $DISPLAY. */
  display?: string;
  env: Record<string, string | undefined>;
  wrapDriver?: (driver: DesktopDriver) => DesktopDriver;
  /** Told when an active run has ended and its driver is closed. */
  onEnded: (runId: string) => void;
  /** Why a display cannot take a run now (a demonstration is being recorded on it), if it cannot. */
  busy?: (display: string) => string | undefined;
  /** Runs at once (active and starting); runs.start beyond it queues. Unlimited when absent. */
  maxParallel?: () => number;
}

export type { RunTarget };

/** The display a run got: a sandbox's own env and handle, so a replay can probe its windows and verify on it. */
export interface RunDisplay {
  display: string;
  env?: Record<string, string>;
  virtual?: VirtualDisplay;
}

interface Active {
  run: AgentRun;
  display: string;
  sandbox: boolean;
}

export interface StartRequest {
  task: string;
  threadId?: string;
  provider: ProviderConfig;
  settings: Settings;
  options?: Partial<RunOptions>;
  /** Skills offered to the model (the data folder's); none when absent. */
  skills?: RunSpec['skills'];
  /** This run's place, over the settings' runOn. */
  runOn?: Settings['runOn'];
}

type PlannedRun = Parameters<RunHost['startPlanned']>[0];

/** A run recorded as queued, waiting for a free slot (and, on a display, for that display). */
interface Queued {
  runId: string;
  plan: PlannedRun & { runId: string };
}

export class RunHost {
  private readonly active = new Map<string, Active>();
  /** Drivers and sandboxes of ended runs, still being closed. */
  private readonly closing = new Set<Promise<void>>();
  /** Displays whose run is being set up (its driver starting), so nothing else claims them meanwhile. */
  private readonly starting = new Map<string, number>();
  /** Runs waiting for a slot, oldest first. */
  private readonly queue: Queued[] = [];
  /** Runs being set up (their target opening): they hold a slot already. */
  private setups = 0;
  /** Queued runs taken from the queue and still starting, with an abort asked for meanwhile. */
  private readonly startingQueued = new Map<string, { abort?: string }>();

  constructor(private readonly opts: RunHostOptions) {}

  get(runId: string): AgentRun | undefined {
    return this.active.get(runId)?.run;
  }

  /** The display an active run drives, and whether it is the run's own sandbox (the live view shows only those). */
  displayOf(runId: string): { display: string; sandbox: boolean } | undefined {
    const a = this.active.get(runId);
    return a && { display: a.display, sandbox: a.sandbox };
  }

  threadBusy(threadId: string): boolean {
    return [...this.active.values()].some((a) => a.run.threadId === threadId) || this.queue.some((q) => q.plan.threadId === threadId);
  }

  /** Whether the run is waiting for a slot (queued, or taken from the queue and still starting). */
  isQueued(runId: string): boolean {
    return this.queue.some((q) => q.runId === runId) || this.startingQueued.has(runId);
  }

  /** The screen this process drives (--display or DISPLAY), if it has one. */
  ownDisplay(): string | undefined {
    return this.opts.display ?? (this.opts.env['DISPLAY'] || undefined);
  }

  /** What is using the display now: an active run's id, "a starting run", or undefined when it is free. */
  usingDisplay(display: string): string | undefined {
    const active = [...this.active.values()].find((a) => a.display === display);
    if (active) return this.describe(active.run.id);
    return this.starting.get(display) ? 'a run that is starting' : undefined;
  }

  /** A run as an operator knows it, by its task and start time (not its id): `the run “tidy up” started at 14:05`. */
  private describe(runId: string): string {
    const row = this.opts.store.getRun(runId);
    return row ? `the run “${clip(row.task)}” started at ${new Date(row.createdAt).toTimeString().slice(0, 5)}` : 'another run';
  }

  /** Where a run would happen now: the screen this process drives (--display or DISPLAY), or a fresh sandbox. */
  target(settings: Settings, runOn: Settings['runOn'] = settings.runOn): RunTarget {
    if (runOn === 'sandbox') return { kind: 'sandbox' };
    const own = this.ownDisplay();
    if (!own) throw new CommandError('bad_input', 'there is no screen to drive here (DISPLAY is not set): choose "run on a sandbox display" in Settings');
    // Refused here too, so a run now is turned down before anything is recorded for it.
    const other = this.opts.busy?.(own);
    if (other) throw new CommandError('conflict', `${other}: wait for it to end, or run on a sandbox display`);
    return { kind: 'display', display: own };
  }

  /** Starts a run now when a slot is free, else records it as queued to start when one frees; its id either way. */
  async start(req: StartRequest): Promise<string> {
    const choice = await this.planner(req.provider, req.settings);
    const plan: PlannedRun = {
      task: req.task, planner: choice.planner, provider: req.provider.id, ...(choice.model ? { model: choice.model } : {}), ...(req.threadId ? { threadId: req.threadId } : {}),
      options: { ...req.settings.run, ...req.options }, target: this.target(req.settings, req.runOn),
      toolSettings: toolSettingsFrom(req.settings), skills: req.skills, mcpServers: req.settings.mcpServers, language: req.settings.language,
    };
    const { target } = plan;
    if (target.kind === 'display') {
      // Never two runs on one screen: refused now rather than queued behind a run that may take an hour.
      const queued = this.queue.find((q) => q.plan.target.kind === 'display' && q.plan.target.display === target.display);
      const holder = this.usingDisplay(target.display) ?? (queued ? `queued: ${this.describe(queued.runId)}` : undefined);
      if (holder) throw new CommandError('conflict', `display ${target.display} is taken (${holder}): wait for it, abort it, or run on a sandbox display`);
    }
    if (this.queue.length === 0 && this.freeSlots() > 0) return (await this.startPlanned(plan)).id;
    return this.enqueue(plan);
  }

  /** Records the run as queued (so every list shows it at once) and keeps its plan until a slot frees. */
  private enqueue(plan: PlannedRun): string {
    const { store } = this.opts;
    const threadId = plan.threadId ?? store.createThread(plan.task.slice(0, 80)).id;
    const options = { ...DEFAULT_RUN_OPTIONS, ...plan.options };
    const row = store.createRun({ threadId, task: plan.task, provider: plan.provider, model: plan.model ?? null, options, status: 'queued' });
    store.append(row.id, { type: 'run_status', status: 'queued' });
    this.queue.push({ runId: row.id, plan: { ...plan, threadId, runId: row.id } });
    this.pump();
    return row.id;
  }

  private freeSlots(): number {
    const limit = this.opts.maxParallel?.() ?? Number.POSITIVE_INFINITY;
    return limit - this.active.size - this.setups;
  }

  /** Starts queued runs, oldest first, while slots are free; a display run waits for its display too. */
  private pump(): void {
    while (this.freeSlots() > 0) {
      const i = this.queue.findIndex((q) => q.plan.target.kind !== 'display' || (!this.usingDisplay(q.plan.target.display) && !this.opts.busy?.(q.plan.target.display)));
      if (i < 0) return;
      const [next] = this.queue.splice(i, 1) as [Queued];
      const mark: { abort?: string } = {};
      this.startingQueued.set(next.runId, mark);
      void this.startPlanned(next.plan)
        .then((run) => {
          if (mark.abort) run.control.abort(mark.abort);
        })
        .catch((err: unknown) => this.endQueued(next.runId, 'failed', `it could not start: ${(err as Error).message}`))
        .finally(() => this.startingQueued.delete(next.runId));
    }
  }

  /** Ends a run that never started, as the loop would have: its row, then the final event. */
  private endQueued(runId: string, status: 'failed' | 'aborted', reason: string): void {
    const { store } = this.opts;
    const row = store.getRun(runId);
    if (row?.status !== 'queued') return;
    store.setRunStatus(runId, status, { error: reason, summary: `${row.task} -> ${status} (${reason})` });
    store.append(runId, status === 'aborted' ? { type: 'run_aborted', reason, steps: 0 } : { type: 'run_failed', reason, steps: 0 });
    this.opts.onEnded(runId);
  }

  /** Aborts a queued run: it never starts. False when the run is not queued. */
  abortQueued(runId: string, reason: string): boolean {
    const i = this.queue.findIndex((q) => q.runId === runId);
    if (i >= 0) {
      this.queue.splice(i, 1);
      this.endQueued(runId, 'aborted', reason);
      return true;
    }
    const starting = this.startingQueued.get(runId);
    if (!starting) return false;
    starting.abort = reason; // its target is opening: the run is aborted as soon as it exists
    return true;
  }

  /** Pause, resume or abort every run this host has, queued ones included (they can only be aborted). */
  controlAll(action: 'pause' | 'resume' | 'abort', reason = 'aborted by the operator'): number {
    let count = 0;
    if (action === 'abort') {
      for (const runId of [...this.queue.map((q) => q.runId), ...this.startingQueued.keys()]) count += this.abortQueued(runId, reason) ? 1 : 0;
    }
    for (const a of this.active.values()) {
      if (action === 'pause') a.run.control.pause();
      else if (action === 'resume') a.run.control.resume();
      else a.run.control.abort(reason);
      count += 1;
    }
    return count;
  }

  /** Starts a run with a planner already made (an automation's replay) on a display or a sandbox. */
  async startPlanned(req: {
    task: string; planner: Planner; provider: string; model?: string | undefined; threadId?: string | undefined; options: Partial<RunOptions>; target: RunTarget;
    tools?: ToolChoice;
    toolSettings?: ToolSettings | undefined;
    skills?: RunSpec['skills'];
    mcpServers?: RunSpec['mcpServers'];
    language?: RunSpec['language'];
    /** A queued run's id: its row exists and the run adopts it. */
    runId?: string | undefined;
    /** Told the display before the run starts. */
    onDisplay?: (d: RunDisplay) => void;
  }): Promise<AgentRun> {
    this.setups += 1; // first, before any await: the slot is taken while the target opens
    try {
      return await this.open(req);
    } finally {
      this.setups -= 1;
      this.pump(); // a start that failed freed its slot
    }
  }

  private async open(req: PlannedRun): Promise<AgentRun> {
    const { target } = req;
    const claimed = target.kind === 'display' ? target.display : undefined;
    if (claimed !== undefined) {
      const busy = [...this.active.values()].find((a) => a.display === claimed);
      // Named by its task and start time, words an operator recognises (not its id).
      if (busy) throw new CommandError('conflict', `${this.describe(busy.run.id)} is already using display ${claimed}: wait for it, abort it, or run on a sandbox`);
      const other = this.opts.busy?.(claimed);
      if (other) throw new CommandError('conflict', `${other}: wait for it to end, or run on a sandbox display`);
      this.starting.set(claimed, (this.starting.get(claimed) ?? 0) + 1);
    }
    try {
      const { run, target: opened, closed } = await startRun(
        target,
        {
          store: this.opts.store, planner: req.planner, provider: req.provider, model: req.model, task: req.task, threadId: req.threadId, options: req.options, tools: req.tools,
          toolSettings: req.toolSettings, skills: req.skills, mcpServers: req.mcpServers, env: this.opts.env, runId: req.runId, language: req.language,
        },
        { wrapDriver: this.opts.wrapDriver, onDisplay: (d) => req.onDisplay?.(d) },
      ).catch((err: unknown) => {
        throw err instanceof TargetError ? new CommandError('failed', err.message) : err;
      });
      this.active.set(run.id, { run, display: opened.display, sandbox: opened.sandboxed });
      void run.finished.finally(() => {
        // The display is free as soon as the run has ended; closing its driver needs no exclusivity.
        this.active.delete(run.id);
        this.pump();
        const closing = closed.then(() => this.opts.onEnded(run.id));
        this.closing.add(closing);
        void closing.finally(() => this.closing.delete(closing));
      });
      return run;
    } finally {
      if (claimed !== undefined) {
        const n = (this.starting.get(claimed) ?? 1) - 1;
        if (n > 0) this.starting.set(claimed, n);
        else this.starting.delete(claimed);
      }
    }
  }

  async planner(provider: ProviderConfig, settings: Settings): Promise<PlannerChoice> {
    const preset = findPreset(provider.preset);
    const { apiKey, envKey } = keysFor(this.opts.secrets, this.opts.env, provider);
    for (const key of [apiKey, envKey]) this.opts.store.redactor.addSecret(key); // never stored, wherever an endpoint echoes it
    if (!apiKey && !envKey && !preset?.placeholderKey) {
      throw new CommandError('bad_input', `${provider.label} needs an API key: set one in Settings${preset?.keyEnv ? ` (or start Deskpilot with ${preset.keyEnv} set)` : ''}`);
    }
    const scaleTargets = settings.screenshotSize === 'compact' ? COMPACT_TARGETS : settings.screenshotSize === 'standard' ? SCALE_TARGETS : undefined;
    try {
      return await createPlanner({
        provider: provider.preset,
        adapter: provider.adapter,
        ...(provider.baseURL ? { baseURL: provider.baseURL } : {}),
        ...(provider.model ? { model: provider.model } : {}),
        ...(apiKey ? { apiKey } : {}),
        ...(scaleTargets ? { scaleTargets } : {}),
        imagesPerRequest: settings.historyImages,
        computerTool: provider.computerTool === 'auto' ? undefined : provider.computerTool,
        env: this.opts.env,
      });
    } catch (err) {
      if (err instanceof ProviderError) throw new CommandError('bad_input', `${provider.label}: ${err.message.replace(/--base-url|--model/g, (m) => FLAG_WORDS[m] ?? m)} (in Settings)`);
      throw err;
    }
  }

  pauseAll(): void {
    for (const a of this.active.values()) a.run.control.pause();
  }

  /** Aborts every run and waits until each has closed its driver. */
  async close(): Promise<void> {
    for (const q of [...this.queue]) this.abortQueued(q.runId, 'the app is closing');
    while (this.setups > 0) await new Promise((r) => setTimeout(r, 10)); // runs being set up join the active ones, then end with them
    const runs = [...this.active.values()].map((a) => a.run);
    for (const run of runs) run.control.abort('the app is closing');
    await Promise.all(runs.map((r) => r.finished));
    while (this.active.size > 0) await new Promise((r) => setTimeout(r, 10));
    await Promise.all(this.closing);
  }
}

/** The Tools section of the settings, as a run takes it. */
export function toolSettingsFrom(settings: Settings): ToolSettings {
  const { onOwnScreen, extraFolders, maxCommandSeconds } = settings.tools;
  return { onOwnScreen, extraRoots: extraFolders, maxTimeoutMs: maxCommandSeconds * 1000 };
}

// The planner factory speaks CLI flags; the app says where in Settings to fix it.
const FLAG_WORDS: Record<string, string> = { '--base-url': 'a base URL', '--model': 'a model' };

/** A task short enough to quote in a message. */
function clip(task: string): string {
  const line = task.split('\n')[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
