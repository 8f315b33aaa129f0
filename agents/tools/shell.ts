// The `shell` tool: `bash -lc COMMAND` in the run's environment, output streamed as it comes and
// kept to a cap, stopped with its whole process group on timeout or abort.
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';
import { assessCommand } from '../run/command-risk.ts';
import { OutputCap, DEFAULT_OUTPUT_CAP_BYTES } from './output-cap.ts';
import { absolutePath } from './paths.ts';
import { groupAlive, killGroup, trackGroup, untrackGroup } from './process-group.ts';
import { ToolInputError, type Tool, type ToolContext, type ToolResult } from './tool.ts';
import { jailCommand } from './sandbox-jail.ts';

export const DEFAULT_SHELL_TIMEOUT_MS = 120_000;
// After the command's own process exits, output still in the pipes is read for this long; a
// background child holding the pipes open must not keep the call waiting.
const EXIT_GRACE_MS = 50;

const shellInput = z.strictObject({
  command: z.string().min(1).describe('A bash command line; it runs in a login shell (bash -lc). Stdin is empty.'),
  cwd: z.string().optional().describe('The folder to run in (default: the home folder). `~` and relative paths work.'),
  timeout_seconds: z.number().positive().max(86_400).optional().describe('Stop the command after this many seconds (default 120; the settings set a maximum).'),
});
export type ShellInput = z.infer<typeof shellInput>;

export interface ShellToolOptions {
  outputCapBytes?: number;
  defaultTimeoutMs?: number;
  /** Run a login shell (`bash -lc`, the default: the user's PATH from ~/.profile) or a plain `bash -c` (faster by a few ms). */
  login?: boolean;
}

export function createShellTool(opts: ShellToolOptions = {}): Tool<ShellInput> {
  return {
    name: 'shell',
    description:
      'Run a bash command on the computer and get its output (stdout and stderr) and exit code. ' +
      'Use it for files, text, conversions and checks that take many clicks in the GUI. ' +
      'Stdin is empty, so commands must not wait for input. Long output is cut in the middle. ' +
      'To open a GUI app without waiting for it, start it in the background with its output redirected: `mousepad file.txt >/dev/null 2>&1 &`.',
    input: shellInput,
    risk: (input) => assessCommand(input.command),
    run: (input, ctx, signal) => runShell(input, ctx, signal, opts),
  };
}

async function workingFolder(input: ShellInput, ctx: ToolContext): Promise<string> {
  const cwd = absolutePath(input.cwd ?? ctx.cwd, ctx);
  const info = await stat(cwd).catch(() => undefined);
  if (!info) throw new ToolInputError(`the folder ${cwd} does not exist: give an existing folder as cwd, or create it first`);
  if (!info.isDirectory()) throw new ToolInputError(`${cwd} is a file, not a folder: give a folder as cwd`);
  return cwd;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export async function runShell(input: ShellInput, ctx: ToolContext, signal: AbortSignal, opts: ShellToolOptions = {}): Promise<ToolResult> {
  const cwd = await workingFolder(input, ctx);
  const asked = input.timeout_seconds !== undefined ? input.timeout_seconds * 1000 : (opts.defaultTimeoutMs ?? DEFAULT_SHELL_TIMEOUT_MS);
  const timeoutMs = Math.min(asked, ctx.maxTimeoutMs);
  if (signal.aborted) return { output: 'not started: the run was aborted', isError: true, truncated: false };

  const cap = new OutputCap(opts.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES);
  // Own process group (detached), so one signal stops the command and all it started.
  // A sandbox's commands see no other sandbox (a mount namespace of their own).
  const argv: [string, ...string[]] = ['bash', opts.login === false ? '-c' : '-lc', input.command];
  const [file, args] = ctx.sandboxed && ctx.env['HOME'] ? jailCommand(argv, ctx.env['HOME']) : [argv[0], argv.slice(1)];
  const child = spawn(file, args, { cwd, env: ctx.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid;

  return new Promise<ToolResult>((resolve) => {
    let stopped: 'timeout' | 'abort' | undefined;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    let openStreams = 2;
    let killing: Promise<void> | undefined;

    const stop = (why: 'timeout' | 'abort') => {
      if (stopped || exit || pgid === undefined) return;
      stopped = why;
      killing = killGroup(pgid);
    };
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const onAbort = () => stop('abort');
    signal.addEventListener('abort', onAbort, { once: true });

    const pipe = (stream: NodeJS.ReadableStream & { destroy(): void }, name: 'stdout' | 'stderr') => {
      // A UTF-8 character split across two chunks comes out whole.
      const decoder = new StringDecoder('utf8');
      const emit = (text: string) => {
        if (!text || settled) return;
        cap.push(text);
        ctx.onOutput({ stream: name, text });
      };
      stream.on('data', (chunk: Buffer) => emit(decoder.write(chunk)));
      stream.on('end', () => emit(decoder.end()));
      stream.on('close', () => {
        if (--openStreams === 0 && exit && !killing) finish();
      });
      stream.on('error', () => undefined);
    };
    pipe(child.stdout!, 'stdout');
    pipe(child.stderr!, 'stderr');

    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (graceTimer) clearTimeout(graceTimer);
      signal.removeEventListener('abort', onAbort);
      // Children that escaped into the background keep the pipes: stop reading them.
      child.stdout?.destroy();
      child.stderr?.destroy();
      if (pgid !== undefined) {
        if (!stopped && groupAlive(pgid)) trackGroup(ctx.runId, pgid);
        else untrackGroup(ctx.runId, pgid);
      }
      resolve(result(cap, exit, stopped, timeoutMs, asked));
    };

    child.on('error', (err) => {
      // bash could not start (not installed, the folder vanished).
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve({ output: `the command could not start: ${err.message}`, isError: true, truncated: false });
    });
    child.on('exit', (code, sig) => {
      exit = { code, signal: sig };
      // Stopped: settle once the whole group is gone; its output no longer matters.
      if (killing) void killing.then(finish);
      else if (openStreams === 0) finish();
      else graceTimer = setTimeout(finish, EXIT_GRACE_MS);
    });
  });
}

function result(
  cap: OutputCap,
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined,
  stopped: 'timeout' | 'abort' | undefined,
  timeoutMs: number,
  askedMs: number,
): ToolResult {
  const text = cap.text();
  const body = text ? (text.endsWith('\n') ? text : `${text}\n`) : '(no output)\n';
  let status: string;
  if (stopped === 'timeout') {
    const limit = askedMs > timeoutMs ? ` (the settings allow at most ${seconds(timeoutMs)})` : '';
    status = `stopped after ${seconds(timeoutMs)}: the command took too long${limit}`;
  } else if (stopped === 'abort') status = 'stopped: the run was aborted';
  else if (exit?.signal) status = `killed by signal ${exit.signal}`;
  else status = `exit code ${exit?.code ?? 'unknown'}`;
  return {
    output: `${body}${status}`,
    isError: stopped !== undefined || exit?.code !== 0,
    exitCode: exit?.code ?? undefined,
    truncated: cap.truncated,
    timedOut: stopped === 'timeout' ? true : undefined,
  };
}
