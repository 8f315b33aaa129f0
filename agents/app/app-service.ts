// The engine behind the contract: every command's handler, for whichever transport carries it
// (Electron IPC or `deskpilot serve`). Inputs are parsed here, once, with the contract's schemas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DesktopDriver } from '../desktop/driver.ts';
import { checkEndpoint } from '../models/endpoint-check.ts';
import { PROVIDER_PRESETS } from '../models/providers.ts';
import { isBlobRef } from '../store/blobs.ts';
import { DB_FILE_NAME } from '../store/paths.ts';
import { openSharedStore, type SharedStore } from '../store/shared-open.ts';
import { commands, isCommandName, type AppEvent, type CommandName, type CommandOutput, type ProviderConfig, type Run, type RunEvent, type SettingsView } from '../contract.ts';
import type { z } from 'zod';
import { automationHandlers } from './automation-commands.ts';
import { AutomationRunner } from './automation-runner.ts';
import { CommandError, toCommandError } from './command-error.ts';
import { recordingCommands, type Recordings } from './recording-commands.ts';
import { pruneScreenshots } from './retention.ts';
import type { Approver } from '../run/events.ts';
import { exportRun } from './run-export.ts';
import { RowBatches } from './row-batches.ts';
import { RunHost } from './run-host.ts';
import { KeyRing } from './key-binding.ts';
import { LiveSessions, type LiveEndpoint, type LiveStream } from './live-sessions.ts';
import type { SecretStore } from './secrets.ts';
import { defaultParallelRuns, SettingsFile } from './settings-file.ts';
import { mcpHandlers, type McpHandlers } from './mcp-commands.ts';
import { skillHandlers, skillSources, type SkillHandlers } from './skill-commands.ts';
import { discoverSkills } from '../skills/discovery.ts';

export { CommandError } from './command-error.ts';

export interface AppServiceOptions {
  /** settings.json, deskpilot.db and blobs/ live here. */
  dataDir: string;
  transport: 'ipc' | 'http';
  secrets: SecretStore;
  /** Runs happen on this display unless the settings ask for a sandbox. */
  display?: string;
  wrapDriver?: (driver: DesktopDriver) => DesktopDriver;
  /** A better_sqlite3.node built for Electron's ABI. */
  sqliteBinding?: string;
  env?: Record<string, string | undefined>;
  /** Run scheduled automations (default); `deskpilot mcp` opens the data folder without, so the app's schedule fires once. */
  schedule?: boolean;
  /** The desktop app's door to the live view (runs.liveView); closed with the service. */
  liveEndpoint?: LiveEndpoint;
}

type Input<C extends CommandName> = z.output<(typeof commands)[C]['input']>;
type Handlers = { [C in CommandName]: (input: Input<C>) => Promise<CommandOutput<C>> | CommandOutput<C> };
type AutomationCommand = keyof ReturnType<typeof automationHandlers>;
type RecordingCommand = keyof Recordings['handlers'];

/** Events the loop appends right after it has changed the run's row: its status or its outcome. */
const ROW_CHANGES = new Set<RunEvent['type']>(['run_started', 'run_status', 'run_finished', 'run_failed', 'run_aborted', 'run_interrupted']);

export class AppService {
  private readonly listeners = new Set<(e: AppEvent) => void>();
  private readonly host: RunHost;
  private readonly automations: AutomationRunner;
  private readonly recordings: Recordings;
  /** Runs over rows sent from the page, each in a CLI child process. */
  private readonly rowBatches: RowBatches;
  /** Live views of sandboxed runs and operators' takeovers. */
  private readonly live: LiveSessions;
  /** Keys bound to the address each was given for. */
  private readonly keys: KeyRing;
  private readonly unsubscribe: () => void;
  private closed = false;

  private constructor(
    private readonly opts: AppServiceOptions,
    private readonly shared: SharedStore,
    private readonly settings: SettingsFile,
    /** Said once at start-up: corrupt settings set aside, runs recovered, screenshots pruned. */
    readonly warnings: string[],
  ) {
    const env = opts.env ?? process.env;
    this.keys = new KeyRing(opts.secrets, env, settings.get());
    this.host = new RunHost({
      store: shared.store, secrets: this.keys, env, ...(opts.display ? { display: opts.display } : {}), ...(opts.wrapDriver ? { wrapDriver: opts.wrapDriver } : {}),
      onEnded: (runId) => this.emitRun(runId),
      busy: (display) => this.recordings.busy(display),
      maxParallel: () => this.settings.get().maxParallelRuns ?? defaultParallelRuns(),
    });
    this.live = new LiveSessions({ store: shared.store, host: this.host });
    this.rowBatches = new RowBatches({
      dataDir: opts.dataDir, dbPath: shared.path, settings: () => this.settings.get(), ownDisplay: () => this.host.ownDisplay(),
      onEnded: () => this.emit({ kind: 'automations_changed' }),
    });
    this.automations = new AutomationRunner({
      store: shared.store, dataDir: opts.dataDir, host: this.host, settings: () => this.settings.get(),
      onInbox: () => this.emit({ kind: 'automations_changed' }),
    });
    this.recordings = recordingCommands({
      store: shared.store, automations: () => this.automations.automations, display: () => this.host.ownDisplay(), usingDisplay: (d) => this.host.usingDisplay(d),
      emit: (e) => this.emit(e), env,
    });
    this.handlers = {
      ...this.coreHandlers,
      ...automationHandlers({
        store: shared.store, runner: this.automations, settings: () => this.settings.get(), emit: (e) => this.emit(e), ownDisplay: () => this.host.ownDisplay(),
        rowBatches: this.rowBatches,
      }),
      ...this.recordings.handlers,
      ...skillHandlers({ dataDir: opts.dataDir, store: shared.store, settings: () => this.settings.get(), updateSettings: (patch) => this.settings.update(patch) }),
      ...mcpHandlers({ settings: () => this.settings.get(), env }),
    };
    this.unsubscribe = shared.store.subscribe<RunEvent>((event) => {
      this.emit({ kind: 'run_event', event });
      if (ROW_CHANGES.has(event.type)) this.emitRun(event.runId);
    });
  }

  static async open(opts: AppServiceOptions): Promise<AppService> {
    const settings = new SettingsFile(join(opts.dataDir, 'settings.json'));
    const shared = openSharedStore(join(opts.dataDir, DB_FILE_NAME), { runsAgents: true, ...(opts.sqliteBinding ? { nativeBinding: opts.sqliteBinding } : {}) });
    const warnings = [...settings.warnings];
    if (shared.recovered.length) warnings.push(`${shared.recovered.length} run(s) left active by a stopped process were marked interrupted`);
    const pruned = await pruneScreenshots(shared.store, settings.get().keepScreenshotsDays).catch(() => 0);
    if (pruned) warnings.push(`deleted ${pruned} screenshot(s) older than ${settings.get().keepScreenshotsDays} days`);
    const service = new AppService(opts, shared, settings, warnings);
    if (opts.schedule !== false) service.automations.scheduler.start();
    return service;
  }

  get store() {
    return this.shared.store;
  }

  /** The runs in flight: the MCP server starts its sessions here, so approvals and controls reach them. */
  get runHost(): RunHost {
    return this.host;
  }

  onEvent(listener: (e: AppEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Parses the input with the command's schema and runs it; every failure is a CommandError. */
  // `caller`: who sent it, from the transport (serve passes the client's address); IPC and the CLI are the local user.
  async call(command: string, input: unknown, caller: Approver = { kind: 'local' }): Promise<unknown> {
    if (!isCommandName(command)) throw new CommandError('unknown_command', `unknown command "${command}"`);
    if (this.closed) throw new CommandError('failed', 'Deskpilot is shutting down');
    try {
      const parsed = commands[command].input.parse(input ?? {});
      // The approver comes from the transport, never from the input (the schema drops any `by` a client sends).
      if (command === 'approvals.decide') (parsed as { decision: object }).decision = { ...(parsed as { decision: object }).decision, by: caller };
      return await (this.handlers[command] as (i: unknown) => unknown)(parsed);
    } catch (err) {
      throw toCommandError(err);
    }
  }

  /** The file behind a screenshot ref, or undefined for anything that is not one. */
  blobPath(ref: string): string | undefined {
    if (!isBlobRef(ref) || !this.store.blobs.has(ref)) return undefined;
    return this.store.blobPath(ref);
  }

  pauseAll(): void {
    this.host.pauseAll();
  }

  /** A viewer's stream of a sandboxed run's screen (serve's /api/vnc/<runId>); throws a CommandError when there is none. */
  openLiveView(runId: string, viewer: string): Promise<LiveStream> {
    if (this.closed) return Promise.reject(new CommandError('failed', 'Deskpilot is shutting down'));
    return this.live.open(runId, viewer);
  }

  /** Whether a run of the automation is going now (scheduled or run now). */
  automationRunning(name: string): boolean {
    return this.automations.scheduler.isRunning(name);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Scheduled runs end when the host aborts them; only then has the scheduler written their results.
    const stopping = this.automations.scheduler.stop();
    // No input hook may outlive the app.
    await this.recordings.close();
    await this.rowBatches.close();
    await this.host.close();
    await this.live.close();
    await this.opts.liveEndpoint?.close();
    await stopping;
    this.unsubscribe();
    this.listeners.clear();
    this.shared.close();
  }

  private emit(e: AppEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // One broken subscriber (a closed socket) must not stop the others or the engine.
      }
    }
  }

  private emitRun(runId: string): void {
    if (this.closed) return;
    const run = this.store.getRun(runId);
    if (run) this.emit({ kind: 'run_updated', run });
  }

  private run(runId: string): Run {
    const run = this.store.getRun(runId);
    if (!run) throw new CommandError('not_found', `no run ${runId}`);
    return run;
  }

  private active(runId: string) {
    const run = this.host.get(runId);
    if (!run && this.host.isQueued(runId)) throw new CommandError('conflict', 'this run is queued and has not started yet: it waits for a free slot (abort it to drop it)');
    if (!run) throw new CommandError('conflict', `this run is not active any more (it is ${this.run(runId).status})`);
    return run;
  }

  private settingsView(): SettingsView {
    const s = this.settings.get();
    return {
      ...s,
      providers: s.providers.map((p) => {
        const fromEnv = this.keys.envKeyName(p);
        return { ...p, hasKey: this.keys.hasBoundKey(p) || fromEnv !== undefined, ...(fromEnv ? { keyFromEnv: fromEnv } : {}) };
      }),
    };
  }

  private provider(id: string | undefined) {
    const s = this.settings.get();
    const wanted = id ?? s.activeProvider;
    const p = s.providers.find((x) => x.id === wanted);
    if (!p) throw new CommandError('bad_input', s.providers.length ? `no provider "${wanted}" in Settings` : 'no model provider is set up: add one in Settings');
    return p;
  }

  private readonly handlers: Handlers;

  private readonly coreHandlers: Omit<Handlers, AutomationCommand | RecordingCommand | keyof SkillHandlers | keyof McpHandlers> = {
    'app.info': () => ({
      version: packageVersion(),
      transport: this.opts.transport,
      dataDir: this.opts.dataDir,
      display: this.settings.get().runOn === 'sandbox' ? null : (this.opts.display ?? (this.opts.env ?? process.env)['DISPLAY'] ?? null),
      ownDisplay: this.host.ownDisplay() ?? null,
      presets: PROVIDER_PRESETS.filter((p) => p.adapter !== 'scripted').map(({ id, label, adapter, baseURL, model, notes }) => ({
        id, label, adapter: adapter as ProviderConfig['adapter'], ...(baseURL ? { baseURL } : {}), ...(model ? { model } : {}), ...(notes ? { notes } : {}),
      })),
      warnings: this.warnings,
    }),
    'threads.list': ({ search, limit }) => this.store.listThreads({ ...(search ? { search } : {}), ...(limit ? { limit } : {}) }),
    'threads.create': ({ title }) => {
      const thread = this.store.createThread(title);
      this.emit({ kind: 'threads_changed' });
      return thread;
    },
    'threads.rename': ({ threadId, title }) => {
      this.store.renameThread(threadId, title);
      this.emit({ kind: 'threads_changed' });
      return this.store.getThread(threadId)!;
    },
    'threads.totals': ({ threadId }) => {
      if (!this.store.getThread(threadId)) throw new CommandError('not_found', `no thread ${threadId}`);
      return this.store.threadTotals(threadId);
    },
    'threads.delete': ({ threadId }) => {
      if (this.host.threadBusy(threadId)) throw new CommandError('conflict', 'a run in this thread is still active: abort it first');
      if (!this.store.deleteThread(threadId)) throw new CommandError('not_found', `no thread ${threadId}`);
      this.emit({ kind: 'threads_changed' });
      return { ok: true as const };
    },
    'runs.list': ({ threadId, limit }) => this.store.listRuns({ ...(threadId ? { threadId } : {}), ...(limit ? { limit } : {}) }),
    'runs.get': ({ runId }) => this.run(runId),
    'runs.events': ({ runId, afterSeq, limit }) => {
      this.run(runId);
      const events = this.store.readEvents<RunEvent>(runId, afterSeq, limit);
      return { events, lastSeq: this.store.lastSeq(runId) };
    },
    'runs.start': async ({ task, threadId, providerId, options, runOn }) => {
      if (threadId && !this.store.getThread(threadId)) throw new CommandError('not_found', `no thread ${threadId}`);
      const settings = this.settings.get();
      // Skills are discovered per run, so one installed or turned off a moment ago counts.
      const skills = { catalog: await discoverSkills(skillSources(this.opts.dataDir, settings)) };
      const runId = await this.host.start({ task, ...(threadId ? { threadId } : {}), provider: this.provider(providerId), settings, ...(options ? { options } : {}), skills, runOn });
      if (!threadId) this.emit({ kind: 'threads_changed' });
      return this.run(runId);
    },
    'runs.control': ({ runId, action }) => {
      // A queued run has not started: it can only be dropped.
      if (action === 'abort' && this.host.abortQueued(runId, 'aborted by the operator before it started')) return { ok: true as const };
      const run = this.active(runId);
      if (action === 'pause') run.control.pause();
      else if (action === 'resume') run.control.resume();
      else run.control.abort('aborted by the operator');
      return { ok: true as const };
    },
    'runs.controlAll': ({ action }) => ({ count: this.host.controlAll(action) }),
    'runs.steer': ({ runId, text }) => {
      this.active(runId).control.steer(text);
      return { ok: true as const };
    },
    'runs.takeover': ({ runId, viewer }) => {
      this.live.takeover(runId, viewer);
      return { ok: true as const };
    },
    'runs.liveView': async ({ runId, viewer }) => {
      const endpoint = this.opts.liveEndpoint;
      if (!endpoint) throw new CommandError('conflict', 'pages of this server open the live view on its own socket (/api/vnc/<run id>) with their token');
      this.live.check(runId);
      return { url: await endpoint.offer(() => this.openLiveView(runId, viewer)) };
    },
    'runs.handback': async ({ runId }) => ({ ok: true as const, ...(await this.live.handback(runId)) }),
    'approvals.decide': ({ runId, actionId, decision }) => {
      this.active(runId).control.decide(actionId, decision);
      return { ok: true as const };
    },
    'questions.answer': ({ runId, actionId, answer }) => {
      this.active(runId).control.answer(actionId, answer);
      return { ok: true as const };
    },
    'runs.export': ({ runId, format }) => exportRun(this.store, this.run(runId), format),
    'settings.get': () => this.settingsView(),
    'settings.update': (patch) => {
      const before = this.settings.get();
      // A key goes only where it was given for: a new address needs the key entered again.
      this.keys.dropMoved(before, this.settings.update(patch));
      return this.settingsView();
    },
    'settings.setKey': ({ providerId, apiKey }) => {
      const provider = this.provider(providerId);
      this.keys.setKey(provider, apiKey?.trim() || null);
      return { hasKey: this.keys.hasBoundKey(provider) };
    },
    'settings.testConnection': async ({ providerId }) => {
      const provider = this.provider(providerId);
      const choice = await this.host.planner(provider, this.settings.get());
      const preset = PROVIDER_PRESETS.find((p) => p.id === provider.preset);
      const baseURL = provider.baseURL || preset?.baseURL;
      const model = choice.model ?? provider.model;
      if (!baseURL || !model || !choice.secret) throw new CommandError('bad_input', `${provider.label} needs a base URL, a model and a key to be tested`);
      const results = await checkEndpoint({ baseURL, apiKey: choice.secret, model, adapter: provider.adapter, timeoutMs: 20_000, computerTool: provider.computerTool === 'auto' ? undefined : provider.computerTool });
      return { ok: results.every((r) => r.status !== 'failed'), results };
    },
  };
}

let version: string | undefined;
function packageVersion(): string {
  try {
    version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    version = '0.0.0';
  }
  return version;
}
