// Event logs for tests and benchmarks: a builder that numbers events like the store does.
import type { LoggedRunEvent } from '../../../../agents/contract.ts';

type Event = LoggedRunEvent extends infer E ? (E extends LoggedRunEvent ? Omit<E, 'runId' | 'seq' | 'at'> : never) : never;

/** Appends events with seq 1, 2, 3... and `at` 1 s apart, as a run's log would hold them. */
export function logOf(runId: string, events: Event[], start = { seq: 1, at: 1_700_000_000_000 }): LoggedRunEvent[] {
  return events.map((e, i) => ({ ...e, runId, seq: start.seq + i, at: start.at + i * 1000 }) as LoggedRunEvent);
}

export const STARTED: Event = {
  type: 'run_started', task: 'open the editor', provider: 'mock', model: 'mock-model', display: ':99',
  screen: { width: 2560, height: 1600 }, options: { approve: 'risky', maxSteps: 50, maxSeconds: 1800, maxModelRetries: 2, loopThreshold: 3 },
};

/** One plain step: screenshot, reply, a click performed. 7 events. */
export function plainStep(step: number, actionId = `a${step}`): Event[] {
  return [
    { type: 'step_started', step },
    { type: 'screenshot_captured', step, ref: `shot-${step}`, image: { width: 1280, height: 800 }, screen: { width: 2560, height: 1600 }, ms: 40 },
    { type: 'model_requested', step, attempt: 1 },
    { type: 'model_responded', step, thought: `thinking about step ${step}`, actions: 1, usage: { inputTokens: 1000, outputTokens: 50, costUsd: 0.01 }, ms: 900 },
    { type: 'action_proposed', step, actionId, action: { type: 'click', x: 100, y: 200, button: 'left' }, screenAction: { type: 'click', x: 200, y: 400, button: 'left' }, risks: [] },
    { type: 'action_performed', actionId, ms: 30 },
    { type: 'user_message', text: `note ${step}` },
  ];
}

/** A run of n plain steps (7n + 2 events), finished. */
export function longRun(runId: string, steps: number): LoggedRunEvent[] {
  const events: Event[] = [STARTED];
  for (let i = 1; i <= steps; i++) events.push(...plainStep(i));
  events.push({ type: 'run_finished', answer: 'all done', steps });
  return logOf(runId, events);
}
