// Replays of automations in the app. Scheduled firings and "run now" go through one start (window
// probe and evaluator on the run's own display) and through the Scheduler, so two runs of one
// automation never overlap and every outcome becomes an inbox item.
import { join } from 'node:path';
import { resolveParams, type Automation } from '../automations/automation.ts';
import { AutomationStore } from '../automations/automation-store.ts';
import { prepareReplay } from '../automations/replay.ts';
import { ScheduleStore, type InboxItem, type Schedule, type Trigger } from '../automations/schedule-store.ts';
import { OverlapError, Scheduler, type FireResult } from '../automations/scheduler.ts';
import { evaluatorVerifier } from '../automations/verify.ts';
import { xdotoolProbe } from '../automations/window-probe.ts';
import { atspiProbe } from '../automations/a11y.ts';
import type { Settings } from '../contract.ts';
import type { AgentRun, RunResult } from '../run/agent-run.ts';
import type { Store } from '../store/store.ts';
import { CommandError } from './command-error.ts';
import { startPromptRun, type PromptRunDeps } from './prompt-automation.ts';
import { toolSettingsFrom, type RunDisplay, type RunHost, type RunTarget } from './run-host.ts';

export type ReplayTarget = 'current' | 'sandbox';

export interface ReplayRequest {
  params?: Record<string, string>;
  target: ReplayTarget;
  /** Someone started it and is watching: a target not found is asked about, not failed. */
  askOperator?: boolean;
}

export interface AutomationRunnerDeps {
  store: Store;
  /** automations/ (the JSON files) lives here. */
  dataDir: string;
  host: RunHost;
  settings: () => Settings;
  /** Told of each new inbox item. */
  onInbox?: (item: InboxItem) => void;
  /** Where a prompt automation's key variable is read; this process's environment by default. */
  env?: PromptRunDeps['env'];
  /** Skills offered to prompt automations that turn them on. */
  skills?: PromptRunDeps['skills'];
}

/** The automations of a data folder: in its database, and as JSON files in <dataDir>/automations. */
export function automationStore(store: Store, dataDir: string): AutomationStore {
  return new AutomationStore(store.db, join(dataDir, 'automations'));
}

/** Starts a replay of the automation; `outcome` says what the inbox should record once it has ended. */
export async function startReplayRun(deps: AutomationRunnerDeps, automation: Automation, req: ReplayRequest): Promise<{ run: AgentRun; outcome: Promise<FireResult> }> {
  const settings = deps.settings();
  // Known once the host has the display (a sandbox is made inside startPlanned); the probe and the
  // evaluator are only called later, while the run is going.
  const desktop: RunDisplay = { display: '' };
  const envOf = () => ({ DISPLAY: desktop.display, ...desktop.env });
  const prepared = await prepareReplay(deps.store, automation, {
    params: req.params ?? {},
    ...(req.askOperator ? { askOperator: true } : {}),
    probe: (signal) => (desktop.display ? xdotoolProbe(envOf())(signal) : Promise.resolve(undefined)),
    a11y: { find: (q, signal) => (desktop.display ? atspiProbe(envOf()).find(q, signal) : Promise.resolve({ components: [] })) },
    verify: (evaluator, signal) =>
      evaluatorVerifier({ ...(desktop.virtual ? { display: desktop.virtual } : {}), env: envOf(), baseDir: join(deps.dataDir, 'automations') })(evaluator, signal),
    options: { approve: settings.run.approve },
  });
  const target: RunTarget = req.target === 'sandbox' ? { kind: 'sandbox' } : deps.host.target({ ...settings, runOn: 'current' });
  const run = await deps.host.startPlanned({
    task: prepared.task, planner: prepared.planner, provider: prepared.provider, model: prepared.model, options: prepared.options, target,
    tools: prepared.tools, toolSettings: toolSettingsFrom(settings),
    onDisplay: (d) => Object.assign(desktop, d),
  });
  return { run, outcome: run.finished.then((result) => outcomeOf(run.id, result)) };
}

function outcomeOf(runId: string, result: RunResult): FireResult {
  if (result.status === 'done') return { runId, status: 'succeeded', summary: result.answer ?? `replayed ${result.steps} steps` };
  // A target the replay could not find again needs a person to look, not just a retry.
  const attention = /not found|could not find/i.test(result.reason ?? '');
  return { runId, status: attention ? 'needs_attention' : 'failed', summary: result.reason ?? result.status };
}

interface Pending {
  req: ReplayRequest;
  started: (run: AgentRun) => void;
  failed: (err: unknown) => void;
}

export class AutomationRunner {
  readonly scheduler: Scheduler;
  readonly schedules: ScheduleStore;
  /** Run-now requests handed to the scheduler, by automation name, until its fire() takes them. */
  private readonly pending = new Map<string, Pending>();
  /** The prompt run this process started last, by automation: the inbox records a run only once it has ended. */
  private readonly promptRuns = new Map<string, string>();

  constructor(private readonly deps: AutomationRunnerDeps) {
    this.schedules = new ScheduleStore(deps.store.db);
    this.scheduler = new Scheduler({ schedules: this.schedules, fire: this.fire, ...(deps.onInbox ? { onInbox: deps.onInbox } : {}) });
  }

  /** The id of the last prompt run of the automation started here, which may still be going. */
  lastPromptRun(name: string): string | undefined {
    return this.promptRuns.get(name);
  }

  get automations(): AutomationStore {
    return automationStore(this.deps.store, this.deps.dataDir);
  }

  /**
   * Run now: resolves with the started run. Refused (conflict) while a run of the automation is going,
   * scheduled or not; a missing automation or parameter is refused before anything is recorded.
   */
  runNow(name: string, req: ReplayRequest): Promise<AgentRun> {
    const automation = this.automations.get(name);
    if (!automation) return Promise.reject(new CommandError('not_found', `no automation "${name}"`));
    try {
      resolveParams(automation, req.params ?? {});
      // No screen to drive is the caller's mistake to fix, not a failed replay for the inbox.
      if (req.target === 'current' && !automation.prompt) this.deps.host.target({ ...this.deps.settings(), runOn: 'current' });
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.scheduler.isRunning(name)) return Promise.reject(new CommandError('conflict', `automation "${name}" is already running: wait for that run to end, or abort it`));
    return new Promise<AgentRun>((resolve, reject) => {
      this.pending.set(name, { req, started: resolve, failed: reject });
      // The scheduler calls fire() at once; its promise ends with the inbox item, after the run.
      this.scheduler.runNow(name).catch((err: unknown) => {
        if (!this.pending.delete(name)) return;
        reject(err instanceof OverlapError ? new CommandError('conflict', err.message) : err);
      });
    });
  }

  /** The scheduler's fire: a scheduled or missed firing, or a run now handed over by runNow. */
  private readonly fire = async (schedule: Schedule, trigger: Trigger): Promise<FireResult> => {
    const manual = trigger === 'manual' ? this.pending.get(schedule.name) : undefined;
    if (manual) this.pending.delete(schedule.name);
    const automation = this.automations.get(schedule.name);
    if (!automation) {
      manual?.failed(new CommandError('not_found', `no automation "${schedule.name}"`));
      return { status: 'failed', summary: `the automation "${schedule.name}" no longer exists` };
    }
    const req: ReplayRequest = manual?.req ?? { target: schedule.target === 'sandbox' ? 'sandbox' : 'current' };
    let started: Awaited<ReturnType<typeof startReplayRun>>;
    try {
      // A prompt runs the agent where the prompt says (a sandbox by default); a replay where it was asked.
      started = automation.prompt ? await startPromptRun(this.deps, automation) : await startReplayRun(this.deps, automation, req);
    } catch (err) {
      // The scheduler records the failure in the inbox; run now also tells the caller.
      manual?.failed(err);
      throw err;
    }
    if (automation.prompt) this.promptRuns.set(schedule.name, started.run.id);
    manual?.started(started.run);
    return started.outcome;
  };
}
