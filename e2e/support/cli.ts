// `node bin/deskpilot.js ARGS` as a user runs it: a real process from the project folder, stdin
// closed, the test runner's DISPLAY dropped (a test names its display), its output and exit collected.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliExit {
  code: number | null;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Written to stdin, which then ends (piped approvals and answers). */
  input?: string;
  /** stdin stays an open pipe that the test writes to through `child.stdin`. */
  openStdin?: boolean;
  /** The process is sent SIGTERM if it runs longer than this. */
  timeoutMs?: number;
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Settles once the process has exited and its output has closed. */
  exit: Promise<CliExit>;
}

/** Starts the CLI with `env` over the runner's own (a variable set to undefined is left out). */
export function startDeskpilot(args: string[], env: NodeJS.ProcessEnv = {}, opts: CliOptions = {}): RunningCli {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base['DISPLAY'];
  const piped = opts.input !== undefined || opts.openStdin === true;
  const child = spawn(process.execPath, ['bin/deskpilot.js', ...args], {
    cwd: root, env: { ...base, ...env }, stdio: [piped ? 'pipe' : 'ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // The CLI may exit before it has read all its input.
  child.stdin?.on('error', () => undefined);
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  const exit = new Promise<CliExit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Runs the CLI to its end. */
export function runDeskpilot(args: string[], env: NodeJS.ProcessEnv = {}, opts: CliOptions = {}): Promise<CliExit> {
  return startDeskpilot(args, env, opts).exit;
}
