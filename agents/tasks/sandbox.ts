// A task's sandbox: its own virtual display with its own HOME, where config steps, getters and
// commands run. Paths written for OSWorld's VM (~, $HOME, /home/user) land in that HOME.
import { execFile } from 'node:child_process';
import { isAbsolute, join, resolve } from 'node:path';
import type { VirtualDisplay } from '../desktop/display.ts';
import type { DesktopDriver } from '../desktop/driver.ts';
import type { FileSource } from './file-cache.ts';
import { fillPlaceholders } from './machine.ts';

export interface TaskSandbox {
  display: VirtualDisplay;
  /** Settles the screen after a config step; absent before the driver is up. */
  driver?: DesktopDriver;
  /** The folder of the task file: relative `download` and `cloud_file` sources are read from here. */
  taskDir: string;
  /** Notes for the report (a config command that exited non-zero, ...). */
  warnings: string[];
  /** Where http(s) files come from (the task file cache); without it only local files can be used. */
  files?: FileSource;
  /** Added to the display's environment for commands and apps: the shims' PATH, PYTHONPATH, the Chrome port. */
  env?: Record<string, string>;
  /** This sandbox's Chromium DevTools port (what OSWorld's 1337/9222 become). */
  chromePort?: number;
  /** Apps start with the settings of OSWorld's prepared VM (the task names its `snapshot`): no keep-format question on save. */
  osworldProfile?: boolean;
  /** The screen size, for OSWorld's {SCREEN_WIDTH} placeholders. */
  screen?: { width: number; height: number };
}

/** The environment commands run with on the sandbox: the display's, then the task machine's additions. */
export const sandboxEnv = (sandbox: TaskSandbox): Record<string, string | undefined> => ({ ...process.env, ...sandbox.display.env, ...sandbox.env });

export const homeOf = (sandbox: TaskSandbox): string => sandbox.display.env['HOME']!;

/** OSWorld's VM user is `user`: its home maps to the sandbox's. */
const VM_HOME = /(^|[\s'"=:(])\/home\/user(?![\w.-])/g;

/** `~`, `$HOME`, `${HOME}` and `/home/user` at the start of a path -> the sandbox HOME; relative paths are relative to it. */
export function resolveVmPath(path: string, home: string): string {
  const p = path.trim()
    .replace(/^~(?=\/|$)/, home)
    .replace(/^\$\{HOME\}(?=\/|$)|^\$HOME(?=\/|$)/, home)
    .replace(/^\/home\/user(?=\/|$)/, home);
  return isAbsolute(p) ? resolve(p) : resolve(home, p);
}

/** A command string with OSWorld's /home/user rewritten (the shell itself expands ~ and $HOME). */
export function rewriteVmHome(command: string, home: string): string {
  return command.replace(VM_HOME, (_m, lead: string) => `${lead}${home}`);
}

/** Splits a command line the way Python's shlex.split does for the common cases (quotes, backslashes). */
export function splitCommand(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && (line[i + 1] === '"' || line[i + 1] === '\\')) cur += line[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unbalanced ${quote} in command: ${line}`);
  if (inWord) out.push(cur);
  return out;
}

/** The program and arguments for a command: a string with shell=true runs in bash, else it is split. Paths in arguments are resolved. */
export function commandArgv(command: string | string[], shell: boolean, home: string): string[] {
  if (shell) return ['bash', '-c', rewriteVmHome(Array.isArray(command) ? command.join(' ') : command, home)];
  const argv = Array.isArray(command) ? command : splitCommand(command);
  if (argv.length === 0) throw new Error('empty command');
  return argv.map((a, i) => (i > 0 && /^(~|\$HOME|\$\{HOME\}|\/home\/user)(\/|$)/.test(a) ? resolveVmPath(a, home) : a));
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** null when the command could not start or was killed. */
  code: number | null;
  error?: string;
}

/** Runs a command to its end on the sandbox display, in its HOME, and never throws for a failing command. */
export function runInSandbox(sandbox: TaskSandbox, command: string | string[], opts: { shell?: boolean; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<CommandResult> {
  const home = homeOf(sandbox);
  const [file, ...args] = commandArgv(fillIn(sandbox, command), opts.shell ?? false, home);
  return new Promise((done) => {
    execFile(file!, args, {
      cwd: home, env: sandboxEnv(sandbox), encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 32 * 1024 * 1024,
      ...(opts.signal ? { signal: opts.signal } : {}),
    }, (err, stdout, stderr) => {
      if (!err) return done({ stdout, stderr, code: 0 });
      const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
      const code = typeof e.code === 'number' ? e.code : null;
      done({ stdout: stdout ?? '', stderr: stderr ?? '', code, ...(code === null ? { error: e.killed ? `killed after ${opts.timeoutMs ?? 60_000} ms` : e.message } : {}) });
    });
  });
}

/** A command with OSWorld's placeholders ({SCREEN_WIDTH}, {CLIENT_PASSWORD}...) filled for this sandbox. */
export function fillIn(sandbox: TaskSandbox, command: string | string[]): string | string[] {
  const m = sandbox.screen ?? { width: 1280, height: 800 };
  return Array.isArray(command) ? command.map((c) => fillPlaceholders(c, m)) : fillPlaceholders(command, m);
}

/** A source named in a task (`download` url, `cloud_file` path): a path relative to the task file or a file:// URL. Undefined for a remote URL. */
export function localSource(source: string, taskDir: string): string | undefined {
  if (source.startsWith('file://')) return new URL(source).pathname;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return undefined;
  return isAbsolute(source) ? source : join(taskDir, source);
}
