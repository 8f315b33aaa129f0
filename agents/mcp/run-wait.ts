// Waiting for a run in the store to end, with its steps as progress, and a summary of a run for
// get_run: what an MCP client needs from our event log.
import type { Store } from '../store/store.ts';
import type { Run } from '../store/types.ts';

const ENDS = new Set(['run_finished', 'run_failed', 'run_aborted', 'run_interrupted']);
const ENDED = new Set(['done', 'failed', 'aborted', 'interrupted']);

/** Resolves with the run's row once it has ended; `onStep` hears each step as it starts. */
export function waitForRun(store: Store, runId: string, onStep: (step: number, note: string) => void, signal?: AbortSignal): Promise<Run> {
  return new Promise((resolve, reject) => {
    const finish = () => {
      off();
      signal?.removeEventListener('abort', aborted);
      resolve(store.getRun(runId)!);
    };
    const aborted = () => {
      off();
      reject(signal?.reason);
    };
    const off = store.subscribe<{ type: string; step?: number; action?: { type: string; name?: string } }>((e) => {
      if (e.runId !== runId) return;
      if (e.type === 'step_started') onStep(e.step ?? 0, `step ${e.step}`);
      else if (e.type === 'action_proposed' && e.action) onStep(e.step ?? 0, `step ${e.step}: ${e.action.type === 'tool' ? `tool ${e.action.name}` : e.action.type}`);
      else if (e.type === 'approval_requested') onStep(0, 'waiting for the operator to approve an action');
      if (ENDS.has(e.type)) queueMicrotask(finish);
    });
    signal?.addEventListener('abort', aborted, { once: true });
    const row = store.getRun(runId);
    if (!row) return reject(new Error(`no run ${runId}`));
    if (ENDED.has(row.status)) finish();
  });
}

/** A run as an MCP client reads it: its row and one line per step's action and outcome. */
export function runSummary(store: Store, runId: string): { run: Run; steps: string[] } | undefined {
  const run = store.getRun(runId);
  if (!run) return undefined;
  const steps: string[] = [];
  const byAction = new Map<string, number>();
  for (const e of store.readEvents<Record<string, unknown> & { type: string }>(runId, 0)) {
    const id = typeof e['actionId'] === 'string' ? e['actionId'] : undefined;
    const add = (line: string) => (id !== undefined && byAction.has(id) ? (steps[byAction.get(id)!] += `; ${line}`) : steps.push(line));
    switch (e.type) {
      case 'action_proposed': {
        const a = e['action'] as { type: string; name?: string };
        const risks = (e['risks'] as string[]).length ? ` (risky: ${(e['risks'] as string[]).join('; ')})` : '';
        if (id) byAction.set(id, steps.length);
        steps.push(`step ${e['step']}: ${a.type === 'tool' ? `tool ${a.name} ${JSON.stringify((a as { input?: unknown }).input)}` : JSON.stringify(a)}${risks}`);
        break;
      }
      case 'approval_decided':
        add(`${e['decision']}${e['reason'] ? `: ${e['reason']}` : ''}`);
        break;
      case 'action_performed':
        add('performed');
        break;
      case 'action_failed':
        add(`failed: ${e['error']}`);
        break;
      case 'tool_finished':
        add(`${e['isError'] ? 'tool error' : 'tool done'}${e['exitCode'] !== undefined ? ` (exit ${e['exitCode']})` : ''}`);
        break;
      case 'model_error':
        steps.push(`model error: ${e['message']}`);
        break;
    }
  }
  return { run, steps };
}
