// The automation commands of the contract: the Automations view's list, step editor (every save is
// a new version), "Save as automation" from a run, run now, history, schedules and the inbox.
import { Cron } from 'croner';
import type { z } from 'zod';
import { AUTOMATION_FORMAT, assertName, AutomationError } from '../automations/automation.ts';
import { compileRun } from '../automations/compile.ts';
import { REPLAY_PROVIDER } from '../automations/replay.ts';
import type { InboxItem, Schedule } from '../automations/schedule-store.ts';
import type { AppEvent, commands, CommandName, CommandOutput, ScheduleView, Settings } from '../contract.ts';
import type { Store } from '../store/store.ts';
import type { AutomationRunner } from './automation-runner.ts';
import { CommandError } from './command-error.ts';
import type { RowBatches } from './row-batches.ts';

type AutomationCommand = Extract<CommandName, `automations.${string}` | `inbox.${string}`>;
type Input<C extends CommandName> = z.output<(typeof commands)[C]['input']>;
export type AutomationHandlers = { [C in AutomationCommand]: (input: Input<C>) => Promise<CommandOutput<C>> | CommandOutput<C> };

export interface AutomationCommandDeps {
  store: Store;
  runner: AutomationRunner;
  settings: () => Settings;
  emit: (e: AppEvent) => void;
  /** The screen this app drives, for an agent task run there. */
  ownDisplay?: () => string | undefined;
  /** Runs over rows sent from the page; without it, automations.runRows is refused. */
  rowBatches?: RowBatches;
}

/** How many inbox items are read to find each automation's latest result. */
const LAST_RESULT_SCAN = 1000;

export function scheduleView(s: Schedule | undefined): ScheduleView | null {
  if (!s) return null;
  let next: Date | null = null;
  try {
    next = new Cron(s.cron, { paused: true }).nextRun();
  } catch {
    // A schedule written by hand into the database: shown, but it never fires.
  }
  return { cron: s.cron, runMissed: s.runMissed, target: s.target === 'display' ? 'current' : 'sandbox', ...(next ? { nextRun: next.getTime() } : {}) };
}

/** Mistakes in an automation (a bad name, an undeclared {{param}}, a bad cron) are the caller's to fix. */
async function guard<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AutomationError) throw new CommandError('bad_input', err.message);
    throw err;
  }
}

export function automationHandlers({ store, runner, settings, emit, ownDisplay, rowBatches }: AutomationCommandDeps): AutomationHandlers {
  const changed = () => emit({ kind: 'automations_changed' });
  const mustExist = (name: string) => {
    if (!runner.automations.get(name)) throw new CommandError('not_found', `no automation "${name}"`);
  };

  return {
    'automations.list': () => {
      const schedules = new Map(runner.schedules.list().map((s) => [s.name, s]));
      const last = new Map<string, InboxItem>();
      for (const item of runner.schedules.inbox({ limit: LAST_RESULT_SCAN })) if (!last.has(item.automation)) last.set(item.automation, item);
      return runner.automations.list().map((a) => {
        const l = last.get(a.name);
        return { ...a, schedule: scheduleView(schedules.get(a.name)), ...(l ? { last: { status: l.status, runId: l.runId, summary: l.summary, createdAt: l.createdAt } } : {}) };
      });
    },

    'automations.get': ({ name, version }) => guard(() => {
      const automations = runner.automations;
      const automation = automations.get(name, version);
      if (!automation) {
        const versions = automations.versions(name);
        if (version !== undefined && versions.length) throw new CommandError('not_found', `automation "${name}" has no version ${version} (it has ${versions.map((v) => v.version).join(', ')})`);
        throw new CommandError('not_found', `no automation "${name}"`);
      }
      return { automation, versions: automations.versions(name), schedule: scheduleView(runner.schedules.get(name)) };
    }),

    'automations.save': ({ automation }) => guard(() => {
      // A key read from a variable named in the file goes to the URL in the file: only someone at this
      // machine (the CLI) may write that, never a caller holding just the serve token.
      const p = automation.prompt?.provider;
      if (p?.apiKeyEnv || p?.baseURL) throw new CommandError('bad_input', 'a prompt automation saved from the app uses a provider of the Settings by its id (its key and address come from there); --api-key-env and --base-url are for deskpilot automations create');
      const saved = runner.automations.save(automation);
      changed();
      return saved;
    }),

    'automations.createPrompt': ({ name, task, tools, skills, target, maxSeconds, budgetUsd }) => guard(() => {
      assertName(name);
      if (runner.automations.get(name)) throw new CommandError('conflict', `an automation named "${name}" exists already: choose another name`);
      // The provider a run started from the app would use: the Settings' active one, its key kept there.
      const s = settings();
      if (!s.providers.some((p) => p.id === s.activeProvider)) throw new CommandError('bad_input', 'no model provider is set up: add one in Settings');
      let where = 'sandbox';
      if (target === 'current') {
        const display = ownDisplay?.();
        if (!display) throw new CommandError('bad_input', 'this app has no screen of its own to run on: choose a sandbox');
        where = display;
      }
      const saved = runner.automations.save({
        format: AUTOMATION_FORMAT, name, params: [], allowHealing: false, steps: [],
        prompt: { task, provider: { id: s.activeProvider }, tools, skills, target: where, ...(maxSeconds ? { maxSeconds } : {}), ...(budgetUsd ? { budgetUsd } : {}) },
      });
      changed();
      return saved;
    }),

    'automations.runRows': ({ name, fileName, csv, target }) => {
      if (!rowBatches) throw new CommandError('failed', 'runs over rows are not available here');
      const automation = runner.automations.get(name);
      if (!automation) throw new CommandError('not_found', `no automation "${name}"`);
      return rowBatches.start({ automation, fileName, csv, target: target ?? (settings().runOn === 'sandbox' ? 'sandbox' : 'current') });
    },

    'automations.rowBatch': ({ batchId }) => {
      if (!rowBatches) throw new CommandError('not_found', `no run over rows ${batchId}`);
      return rowBatches.get(batchId);
    },

    'automations.cancelRows': ({ batchId }) => {
      if (!rowBatches) throw new CommandError('not_found', `no run over rows ${batchId}`);
      return rowBatches.cancel(batchId);
    },

    'automations.fromRun': ({ runId, name, params, description, overwrite }) => guard(async () => {
      assertName(name);
      if (!store.getRun(runId)) throw new CommandError('not_found', `no run ${runId}`);
      const automations = runner.automations;
      if (automations.get(name) && !overwrite) throw new CommandError('conflict', `an automation named "${name}" exists already: choose another name, or save this run as its next version`);
      const { automation, warnings } = await compileRun(store, runId, { name, ...(params ? { params } : {}), ...(description ? { description } : {}) });
      const saved = automations.save(automation);
      changed();
      return { automation: saved, warnings };
    }),

    'automations.delete': ({ name }) => guard(() => {
      if (!runner.automations.delete(name)) throw new CommandError('not_found', `no automation "${name}"`);
      changed();
      return { ok: true as const };
    }),

    'automations.run': ({ name, params, target }) => guard(async () => {
      const run = await runner.runNow(name, { params: params ?? {}, target: target ?? (settings().runOn === 'sandbox' ? 'sandbox' : 'current'), askOperator: true });
      // A replay starts its own thread.
      emit({ kind: 'threads_changed' });
      return store.getRun(run.id)!;
    }),

    'automations.history': ({ name, limit }) => {
      const replays = store.listRunsByModel({ provider: REPLAY_PROVIDER, modelPrefix: `${name}@v`, ...(limit ? { limit } : {}) });
      // A prompt automation's runs carry its provider's name and model, not the automation's: the inbox
      // items that record them find them, and the runner the one going now (in the inbox once it ends).
      const seen = new Set(replays.map((r) => r.id));
      const agentRuns = [runner.lastPromptRun(name), ...runner.schedules.runIds(name, limit)].flatMap((id) => {
        if (!id || seen.has(id)) return [];
        seen.add(id);
        const run = store.getRun(id); // gone when its run was deleted
        return run ? [run] : [];
      });
      const runs = [...replays, ...agentRuns].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
      return limit ? runs.slice(0, limit) : runs;
    },

    'automations.schedule': ({ name, cron, runMissed, target }) => guard(() => {
      mustExist(name);
      const s = runner.schedules.set(name, cron, { runMissed: runMissed ?? false, target: target === 'current' ? 'display' : 'sandbox' });
      changed();
      return scheduleView(s)!;
    }),

    'automations.unschedule': ({ name }) => {
      if (!runner.schedules.remove(name)) throw new CommandError('not_found', `"${name}" has no schedule`);
      changed();
      return { ok: true as const };
    },

    'inbox.list': ({ limit, filter }) => runner.schedules.inbox({ ...(limit ? { limit } : {}), ...(filter ? { filter } : {}) }),

    'inbox.mark': ({ id, read, archived }) => {
      const s = runner.schedules;
      const found = (read === undefined || s.markRead(id, read)) && (archived === undefined || s.archive(id, archived));
      if (!found) throw new CommandError('not_found', `no inbox item ${id}`);
      changed();
      return { ok: true as const };
    },
  };
}
