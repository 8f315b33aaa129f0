// Run events shaped exactly as the loop writes them, for the UI benchmark: ten per step.
import type { RunEvent } from '../../agents/run/events.ts';

export function runStart(task: string): RunEvent {
  return { type: 'run_started', task, provider: 'bench', model: 'bench-model', display: ':99', screen: { width: 1280, height: 800 }, options: { approve: 'risky', maxSteps: 5000, maxSeconds: 86_400, maxModelRetries: 2, loopThreshold: 3 } };
}

export function stepRunEvents(step: number, shot: string): RunEvent[] {
  const x = 100 + ((step * 37) % 900);
  const y = 80 + ((step * 53) % 500);
  const actionId = `a${step}`;
  return [
    { type: 'step_started', step },
    { type: 'screenshot_captured', step, ref: shot, image: { width: 1024, height: 640 }, screen: { width: 1280, height: 800 }, ms: 14 },
    { type: 'model_requested', step, attempt: 1 },
    { type: 'model_responded', step, thought: `The Save button is in the toolbar; I will click it to keep step ${step}'s changes.`, actions: 1, usage: { inputTokens: 2817, outputTokens: 96, costUsd: 0.0093 }, ms: 1834 },
    { type: 'action_proposed', step, actionId, action: { type: 'click', x, y, button: 'left' }, screenAction: { type: 'click', x: Math.round(x * 1.25), y: Math.round(y * 1.25), button: 'left' }, risks: ['clicks inside a file dialog'] },
    { type: 'approval_requested', actionId, reasons: ['clicks inside a file dialog'] },
    { type: 'approval_decided', actionId, decision: 'approve' },
    { type: 'action_performed', actionId, ms: 42 },
    { type: 'run_paused' },
    { type: 'run_resumed' },
  ];
}
