// Scheduled automations in the app: each firing replays the automation (no model) on the
// schedule's target, and its outcome becomes an inbox item.
import { join } from 'node:path';
import { AutomationStore } from '../automations/automation-store.ts';
import { prepareReplay } from '../automations/replay.ts';
import type { Schedule } from '../automations/schedule-store.ts';
import type { FireResult } from '../automations/scheduler.ts';
import type { Settings } from '../contract.ts';
import type { Store } from '../store/store.ts';
import type { RunHost } from './run-host.ts';

export function automationFirer(deps: { store: Store; dataDir: string; host: RunHost; settings: () => Settings }) {
  return async (schedule: Schedule): Promise<FireResult> => {
    const automations = new AutomationStore(deps.store.db, join(deps.dataDir, 'automations'));
    const automation = automations.get(schedule.name);
    if (!automation) return { status: 'failed', summary: `the automation "${schedule.name}" no longer exists` };
    const settings = deps.settings();
    const prepared = await prepareReplay(deps.store, automation, { options: { approve: settings.run.approve } });
    const target = schedule.target === 'sandbox' ? { sandbox: true as const } : deps.host.target({ ...settings, runOn: 'current' });
    const run = await deps.host.startPlanned({ task: prepared.task, planner: prepared.planner, provider: prepared.provider, model: prepared.model, options: prepared.options, target });
    const result = await run.finished;
    if (result.status === 'done') return { runId: run.id, status: 'succeeded', summary: result.answer ?? `replayed ${result.steps} steps` };
    // A target the replay could not find again needs a person to look, not just a retry.
    const attention = /not found|could not find/i.test(result.reason ?? '');
    return { runId: run.id, status: attention ? 'needs_attention' : 'failed', summary: result.reason ?? result.status };
  };
}
