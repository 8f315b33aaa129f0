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
import type { RunOptions } from '../run/events.ts';
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
}

export class RunHost {
  private readonly active = new Map<string, Active>();
  /** Drivers and sandboxes of ended runs, still being closed. */
  private readonly closing = new Set<Promise<void>>();
  /** Displays whose run is being set up (its driver starting), so nothing else claims them meanwhile. */
  private readonly starting = new Map<string, number>();

  constructor(private readonly opts: RunHostOptions) {}

  get(runId: string): AgentRun | undefined {
    return this.active.get(runId)?.run;
  }

  threadBusy(threadId: string): boolean {
    return [...this.active.values()].some((a) => a.run.threadId === threadId);
  }

  /** The screen this process drives (--display or DISPLAY), if it has one. */
  ownDisplay(): string | undefined {
    return this.opts.display ?? (this.opts.env['DISPLAY'] || undefined);
  }

  /** What is using the display now: an active run's id, "a starting run", or undefined when it is free. */
  usingDisplay(display: string): string | undefined {
    const active = [...this.active.values()].find((a) => a.display === display);
    if (active) return `run ${active.run.id}`;
    return this.starting.get(display) ? 'a run that is starting' : undefined;
  }

  /** Where a run would happen now: the screen this process drives (--display or DISPLAY), or a fresh sandbox. */
  target(settings: Settings): RunTarget {
    if (settings.runOn === 'sandbox') return { kind: 'sandbox' };
    const own = this.ownDisplay();
    if (!own) throw new CommandError('bad_input', 'there is no screen to drive here (DISPLAY is not set): choose "run on a sandbox display" in Settings');
    // Refused here too, so a run now is turned down before anything is recorded for it.
    const other = this.opts.busy?.(own);
    if (other) throw new CommandError('conflict', `${other}: wait for it to end, or run on a sandbox display`);
    return { kind: 'display', display: own };
  }

  async start(req: StartRequest): Promise<AgentRun> {
    const choice = await this.planner(req.provider, req.settings);
    return this.startPlanned({
      task: req.task, planner: choice.planner, provider: req.provider.id, ...(choice.model ? { model: choice.model } : {}), ...(req.threadId ? { threadId: req.threadId } : {}),
      options: { ...req.settings.run, ...req.options }, target: this.target(req.settings),
      toolSettings: toolSettingsFrom(req.settings), skills: req.skills,
    });
  }

  /** Starts a run with a planner already made (an automation's replay) on a display or a sandbox. */
  async startPlanned(req: {
    task: string; planner: Planner; provider: string; model?: string | undefined; threadId?: string | undefined; options: Partial<RunOptions>; target: RunTarget;
    tools?: ToolChoice;
    toolSettings?: ToolSettings | undefined;
    skills?: RunSpec['skills'];
    /** Told the display before the run starts. */
    onDisplay?: (d: RunDisplay) => void;
  }): Promise<AgentRun> {
    const { target } = req;
    const claimed = target.kind === 'display' ? target.display : undefined;
    if (claimed !== undefined) {
      const busy = [...this.active.values()].find((a) => a.display === claimed);
      if (busy) throw new CommandError('conflict', `run ${busy.run.id} is already using display ${claimed}: wait for it, abort it, or run on a sandbox display`);
      const other = this.opts.busy?.(claimed);
      if (other) throw new CommandError('conflict', `${other}: wait for it to end, or run on a sandbox display`);
      this.starting.set(claimed, (this.starting.get(claimed) ?? 0) + 1);
    }
    try {
      const { run, target: opened, closed } = await startRun(
        target,
        { store: this.opts.store, planner: req.planner, provider: req.provider, model: req.model, task: req.task, threadId: req.threadId, options: req.options, tools: req.tools, toolSettings: req.toolSettings, skills: req.skills, env: this.opts.env },
        { wrapDriver: this.opts.wrapDriver, onDisplay: (d) => req.onDisplay?.(d) },
      ).catch((err: unknown) => {
        throw err instanceof TargetError ? new CommandError('failed', err.message) : err;
      });
      this.active.set(run.id, { run, display: opened.display, sandbox: opened.sandboxed });
      void run.finished.finally(() => {
        // The display is free as soon as the run has ended; closing its driver needs no exclusivity.
        this.active.delete(run.id);
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
