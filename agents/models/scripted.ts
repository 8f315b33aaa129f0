// A Planner that replays a script of steps: for tests and demos. It never pretends to be a model:
// when the script runs out it fails the run.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { agentActionSchema, type Planner, type PlannerContext, type PlannerStep, type ProposedAction } from './planner.ts';
import type { Size } from '../desktop/geometry.ts';
import { issuesText, toAgentActions } from './openai-actions.ts';

/** One scripted step; actions use the OpenAI computer-use shapes plus done/fail/ask_user and tool calls. */
export const scriptStepSchema = z.object({
  thought: z.string().optional(),
  actions: z.array(z.unknown()).min(1, 'a step needs at least one action'),
}).strict();
export type ScriptStep = z.infer<typeof scriptStepSchema>;

export const SCRIPT_EXHAUSTED = 'the script has no more steps';

/** Validates a whole script up front; the error names the step (0-based) and action at fault. */
export function parseScript(value: unknown, source = 'script'): PlannerStep[] {
  if (!Array.isArray(value)) throw new ScriptError(`${source}: a script is a JSON array of steps {"thought"?, "actions": [...]}`);
  return value.map((raw, i) => {
    const parsed = scriptStepSchema.safeParse(raw);
    if (!parsed.success) throw new ScriptError(`${source}: step ${i}: ${issuesText(parsed.error)}`);
    const actions: ProposedAction[] = parsed.data.actions.flatMap((a, j) => {
      try {
        // A tool call, {"type":"tool","name":"shell","input":{...}}, passes as it is; the run's tools check it.
        if ((a as { type?: unknown } | null)?.type === 'tool') {
          const call = agentActionSchema.safeParse(a);
          if (!call.success) throw new Error(`invalid tool call: ${issuesText(call.error)}`);
          return [{ action: call.data, raw: a }];
        }
        return toAgentActions(a, { extras: true }).map((action) => ({ action, raw: a }));
      } catch (err) {
        throw new ScriptError(`${source}: step ${i}, action ${j}: ${(err as Error).message}`);
      }
    });
    const answer = actions.find((p) => p.action.type === 'done')?.action;
    return {
      ...(parsed.data.thought !== undefined ? { thought: parsed.data.thought } : {}),
      actions,
      ...(answer?.type === 'done' && answer.answer !== undefined ? { answer: answer.answer } : {}),
    };
  });
}

export interface ScriptedPlannerOptions {
  name?: string;
}

export class ScriptedPlanner implements Planner {
  readonly name: string;
  private readonly steps: PlannerStep[];
  private cursor = 0;

  /** `script` is an in-memory array of steps, validated here. */
  constructor(script: unknown, opts: ScriptedPlannerOptions = {}) {
    this.name = opts.name ?? 'scripted';
    this.steps = parseScript(script);
  }

  /** Loads and validates a JSON script file. */
  static async fromFile(path: string, opts: ScriptedPlannerOptions = {}): Promise<ScriptedPlanner> {
    const text = await readFile(path, 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new ScriptError(`${path}: not valid JSON: ${(err as Error).message}`);
    }
    try {
      return new ScriptedPlanner(value, { name: opts.name ?? `scripted:${path}` });
    } catch (err) {
      // Re-label with the file name so the message says where to look.
      throw new ScriptError((err as Error).message.replace(/^script:/, `${path}:`));
    }
  }

  /** Steps not yet replayed. */
  get remaining(): number {
    return this.steps.length - this.cursor;
  }

  /** Scripts are written in screen pixels, so the planner sees the screen unscaled. */
  imageSizeFor(screen: Size): Size {
    return { width: screen.width, height: screen.height };
  }

  async next(_ctx: PlannerContext, signal: AbortSignal): Promise<PlannerStep> {
    if (signal.aborted) {
      const err = new Error('the scripted step was aborted', { cause: signal.reason });
      err.name = 'AbortError';
      throw err;
    }
    const step = this.steps[this.cursor];
    if (!step) return { actions: [{ action: { type: 'fail', reason: SCRIPT_EXHAUSTED } }] };
    this.cursor++;
    return structuredClone(step);
  }
}

/** A script that cannot be replayed; thrown on load, never mid-run. */
export class ScriptError extends Error {
  override name = 'ScriptError';
}
