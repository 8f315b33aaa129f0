// Runs an automation's OSWorld-style evaluator after a replay, in the replay display's HOME, with
// the same getters and metrics as `deskpilot tasks`.
import { execFile } from 'node:child_process';
import type { VirtualDisplay } from '../desktop/display.ts';
import { evaluate } from '../tasks/evaluator.ts';
import type { TaskSandbox } from '../tasks/sandbox.ts';
import { parseTask } from '../tasks/task-schema.ts';
import type { Verification } from './replay-planner.ts';

export interface VerifyTarget {
  /** A Deskpilot display (a sandbox): its HOME and session; else `env` describes the display. */
  display?: VirtualDisplay;
  /** DISPLAY and HOME (at least) of the desktop the replay drove. */
  env?: Record<string, string>;
  /** Where relative `cloud_file` paths of the evaluator are read from. */
  baseDir: string;
}

export function evaluatorVerifier(target: VerifyTarget): (evaluator: Record<string, unknown>, signal: AbortSignal) => Promise<Verification> {
  return async (evaluator, signal) => {
    const task = parseTask({ id: 'automation', instruction: 'automation', evaluator }, 'evaluator');
    const sandbox: TaskSandbox = { display: target.display ?? shimDisplay(target.env ?? {}), taskDir: target.baseDir, warnings: [] };
    const result = await evaluate(task, sandbox, { status: 'done' }, signal);
    return { verified: result.score >= 1, detail: result.score >= 1 ? 'the evaluator scored 1' : `scored ${result.score.toFixed(2)}: ${result.details.join('; ')}` };
  };
}

// Getters and postconfig need only env and run (and launch for postconfig apps) of a display.
function shimDisplay(env: Record<string, string>): VirtualDisplay {
  const merged = { ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)), ...env };
  const run = (command: string, args: string[], opts: { timeoutMs?: number; input?: string } = {}) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile(command, args, { env: merged, timeout: opts.timeoutMs ?? 10_000, encoding: 'utf8' }, (err, stdout, stderr) => (err ? reject(new Error(`${command} failed: ${stderr.trim() || err.message}`)) : resolve(stdout)));
      if (opts.input !== undefined) child.stdin!.end(opts.input);
    });
  const launch = () => Promise.reject(new Error('an evaluator postconfig cannot start apps outside a Deskpilot display; replay with --sandbox'));
  return { env: merged, display: merged['DISPLAY'] ?? '', alive: true, run, launch } as unknown as VirtualDisplay;
}
