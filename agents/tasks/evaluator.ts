// Scores a task after the agent's run, as OSWorld's DesktopEnv.evaluate does: postconfig, then each
// func on its getters' values, combined by `conj` ('and': 0 if any is 0, else the mean; 'or': 1 if
// any is 1, else the best). A feasible task whose agent gave up scores 0 without evaluating.
import { runConfig } from './config.ts';
import { UnsupportedError } from './errors.ts';
import { getValue, isMissing } from './getters.ts';
import { declaredInfeasible, METRICS, type RunEnding } from './metrics.ts';
import type { Task } from './task-schema.ts';
import type { TaskSandbox } from './sandbox.ts';

export interface Evaluation {
  score: number;
  /** One line per metric that did not score 1 (and why). */
  details: string[];
}

/** Everything in a task that Deskpilot cannot run, found before anything starts (shared with `tasks check`). */
export { unsupportedParts } from './task-support.ts';

/** Whether the whole evaluation is `infeasible` (the agent's answer alone decides). */
export const isInfeasibleTask = (task: Task): boolean => task.evaluator.metrics.length === 1 && task.evaluator.metrics[0]!.func === 'infeasible';

export async function evaluate(task: Task, sandbox: TaskSandbox, run: RunEnding, signal: AbortSignal): Promise<Evaluation> {
  const ctx = { run, signal };
  if (isInfeasibleTask(task)) {
    const outcome = await METRICS['infeasible']!(undefined, undefined, {}, ctx);
    return { score: outcome.score, details: outcome.detail ? [`infeasible: ${outcome.detail}`] : [] };
  }
  if (declaredInfeasible(run)) return { score: 0, details: [`the agent gave up or called the task infeasible (${run.reason ?? run.answer ?? run.status})`] };

  await runConfig(task.evaluator.postconfig, sandbox, signal, 'postconfig');
  const { metrics, conj } = task.evaluator;
  const scores: number[] = [];
  const details: string[] = [];
  for (const spec of metrics) {
    const metric = METRICS[spec.func];
    if (!metric) throw new UnsupportedError(`func "${spec.func}"`);
    let score: number;
    const result = spec.result ? await getValue(spec.result, sandbox, signal) : undefined;
    if (isMissing(result)) {
      score = 0;
      details.push(`${spec.func}: the result file ${result.missing} does not exist`);
    } else {
      const expected = spec.expected ? await getValue(spec.expected, sandbox, signal) : undefined;
      const outcome = await metric(result, expected, spec.options, ctx);
      score = Math.min(1, Math.max(0, Number.isFinite(outcome.score) ? outcome.score : 0));
      if (score < 1) details.push(`${spec.func}: ${outcome.detail ?? `scored ${score}`}`);
    }
    scores.push(score);
    if (conj === 'and' && score === 0 && metrics.length > 1) return { score: 0, details };
    if (conj === 'or' && score === 1 && metrics.length > 1) return { score: 1, details: [] };
  }
  const score = conj === 'and' ? scores.reduce((a, b) => a + b, 0) / scores.length : Math.max(...scores);
  return { score, details: conj === 'or' && score === 1 ? [] : details };
}
