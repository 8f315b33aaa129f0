// Runs a task's config steps (and its evaluator's postconfig) on the task's sandbox display:
// programs start with the environment they need there, and steps that open a window wait for it.
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { basename, delimiter, dirname, extname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, UnsupportedError } from './errors.ts';
import type { ConfigStep } from './task-schema.ts';
import { prepareLibreOffice } from './app-profiles.ts';
import { closeTabs, devtoolsUp, waitForDevtools } from './chrome.ts';
import { resolveSource } from './file-cache.ts';
import { onPath } from './machine.ts';
import { commandArgv, fillIn, homeOf, resolveVmPath, runInSandbox, type TaskSandbox } from './sandbox.ts';
import { OTHER_OPENERS, officeModuleFor } from './task-support.ts';

interface AppSpec {
  /** The WM_CLASS its windows have (an xdotool regex). */
  windowClass: string;
  /** How long the screen must stay unchanged before the app counts as ready for input. */
  quietMs?: number;
  env?: Record<string, string>;
  args?: (args: string[]) => string[];
  /** Settings written into the sandbox HOME before the first start (first-run dialogs off). */
  prepare?: (env: Record<string, string | undefined>) => Promise<void>;
}

const LIBREOFFICE: AppSpec = {
  windowClass: '^(libreoffice|soffice)',
  // It maps its window, then builds toolbars in bursts with pauses; keys typed in between are lost.
  quietMs: 1000,
  // gtk3 for accessibility; no recovery dialog, no splash.
  env: { SAL_USE_VCLPLUGIN: 'gtk3' },
  args: (args) => [...['--norestore', '--nologo'].filter((a) => !args.includes(a)), ...args],
  prepare: prepareLibreOffice,
};

const CHROME: AppSpec = { windowClass: '^(chromium|Chromium|google-chrome)', quietMs: 500 };

/** The apps we know how to start and wait for, by program name. */
const APPS: Record<string, AppSpec> = {
  xterm: { windowClass: '^xterm$' },
  // Without the memory backend a session-restore dialog appears after a kill.
  mousepad: { windowClass: '^mousepad$', env: { GSETTINGS_BACKEND: 'memory' } },
  pcmanfm: { windowClass: '^pcmanfm$' },
  libreoffice: LIBREOFFICE,
  soffice: LIBREOFFICE,
  localc: LIBREOFFICE,
  lowriter: LIBREOFFICE,
  loimpress: LIBREOFFICE,
  // Our google-chrome shim starts Chromium with first-run pages off and the sandbox's DevTools port.
  'google-chrome': CHROME,
  'google-chrome-stable': CHROME,
  chromium: CHROME,
  gimp: { windowClass: '^gimp', quietMs: 1000 },
  vlc: { windowClass: '^vlc$', args: (args) => ['--no-qt-privacy-ask', '--no-video-title-show', ...args] },
  thunderbird: { windowClass: '^thunderbird', quietMs: 1000 },
};

const TEXT_EXTS = new Set(['.txt', '.md', '.log', '.json', '.py', '.sh', '.conf', '.cfg', '.ini', '.yaml', '.yml', '.xml', '.html', '.css', '.js', '.ts', '']);

/** What `open` starts for a path, like xdg-open on a desktop with these apps. */
export async function openerFor(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return ['pcmanfm', path];
  const ext = extname(path).toLowerCase();
  const module = officeModuleFor(path);
  if (module) return ['libreoffice', `--${module}`, path];
  if (TEXT_EXTS.has(ext)) return ['mousepad', path];
  const other = OTHER_OPENERS[ext];
  if (other) return [other === 'chromium' ? 'google-chrome' : other, path];
  throw new ConfigError(`open: no app is known for ${ext} files (${path}); known: folders, text files, office documents, images, media, web pages`);
}

export async function runConfig(steps: ConfigStep[], sandbox: TaskSandbox, signal: AbortSignal, label = 'config'): Promise<void> {
  for (const [i, step] of steps.entries()) {
    signal.throwIfAborted();
    try {
      await runStep(step, sandbox, signal);
    } catch (err) {
      if (err instanceof UnsupportedError || signal.aborted) throw err;
      throw new ConfigError(`${label}[${i}] (${step.type}): ${(err as Error).message}`);
    }
  }
}

async function runStep(step: ConfigStep, sandbox: TaskSandbox, signal: AbortSignal): Promise<void> {
  const home = homeOf(sandbox);
  switch (step.type) {
    case 'launch': {
      const argv = commandArgv(fillIn(sandbox, step.command), step.shell, home);
      if (isForwarding(argv)) return;
      await start(sandbox, argv, signal);
      return;
    }
    case 'open': {
      const path = resolveVmPath(step.path, home);
      await start(sandbox, await openerFor(path), signal);
      return;
    }
    case 'execute': {
      if (isForwarding(commandArgv(step.command, step.shell, home))) return;
      const r = await runInSandbox(sandbox, step.command, { shell: step.shell, signal });
      // OSWorld goes on after a failing command (often a harmless pkill); the report says so.
      if (r.code !== 0) sandbox.warnings.push(`config command ${JSON.stringify(step.command)} ${r.error ?? `exited with ${r.code}`}${r.stderr.trim() ? `: ${r.stderr.trim().slice(0, 300)}` : ''}`);
      await settle(sandbox, signal);
      return;
    }
    case 'sleep':
      await sleep(step.seconds * 1000, undefined, { signal });
      return;
    case 'activate_window':
    case 'close_window': {
      const id = await findWindow(sandbox, step, signal);
      await sandbox.display.run('xdotool', ['windowactivate', '--sync', id]);
      if (step.type === 'close_window') await sandbox.display.run('xdotool', ['key', '--window', id, 'alt+F4']);
      await settle(sandbox, signal);
      return;
    }
    case 'download':
      for (const file of step.files) {
        const from = await resolveSource(file.url, sandbox.taskDir, sandbox.files, { ...(file.sha256 ? { sha256: file.sha256 } : {}), signal });
        if (!from) throw new UnsupportedError(`download from ${file.url} (only http(s), file:// and files next to the task)`);
        const to = resolveVmPath(file.path, home);
        await mkdir(dirname(to), { recursive: true });
        await copyFile(from, to);
      }
      return;
    case 'chrome_open_tabs':
      await openTabs(sandbox, step.urls, signal);
      await settle(sandbox, signal, 500);
      return;
    case 'chrome_close_tabs':
      if (!sandbox.chromePort) throw new ConfigError('chrome_close_tabs: this sandbox has no Chrome DevTools port');
      await waitForDevtools(sandbox.chromePort, signal);
      await closeTabs(sandbox.chromePort, step.urls, signal);
      await settle(sandbox, signal, 500);
      return;
    case 'unsupported':
      throw new UnsupportedError(`config step "${step.name}"`);
  }
}

/** OSWorld forwards Chrome's DevTools port with socat; our google-chrome listens on the sandbox's own port, so this is not needed. */
const isForwarding = (argv: string[]): boolean => argv.some((a, i) => basename(a) === 'socat' && (i === 0 || argv[0] === 'bash'))
  || (argv[0] === 'bash' && /(^|[;&|]\s*)socat\s/.test(argv[2] ?? ''));

/** chrome_open_tabs: Chromium up with its DevTools port (started if needed), then one new tab per URL. */
async function openTabs(sandbox: TaskSandbox, urls: string[], signal: AbortSignal): Promise<void> {
  if (!sandbox.chromePort) throw new ConfigError('chrome_open_tabs: this sandbox has no Chrome DevTools port');
  if (!(await devtoolsUp(sandbox.chromePort))) await start(sandbox, ['google-chrome'], signal);
  await waitForDevtools(sandbox.chromePort, signal);
  for (const url of urls) {
    const r = await fetch(`http://127.0.0.1:${sandbox.chromePort}/json/new?${encodeURI(url)}`, { method: 'PUT', signal });
    if (!r.ok) throw new ConfigError(`chrome_open_tabs: Chromium would not open ${url} (HTTP ${r.status})`);
  }
}

/** Starts a program on the display; a known app gets its environment, and we wait for its window. */
async function start(sandbox: TaskSandbox, argv: string[], signal: AbortSignal): Promise<void> {
  const [program, ...rest] = argv;
  const app = APPS[basename(program!)];
  const before = app ? await windows(sandbox, app.windowClass) : [];
  const env = { ...sandbox.env, ...app?.env };
  if (sandbox.osworldProfile) await app?.prepare?.({ ...sandbox.display.env, ...env });
  await sandbox.display.launch(resolveProgram(program!, env['PATH']), app?.args ? app.args(rest) : rest, { env, cwd: homeOf(sandbox) });
  if (!app) return settle(sandbox, signal);
  const id = await waitForNewWindow(sandbox, app.windowClass, before, signal);
  await sandbox.display.run('xdotool', ['windowactivate', '--sync', id]).catch(() => undefined);
  await settle(sandbox, signal, app.quietMs);
}

/** A program by name through the sandbox's PATH (our shims first), so `python` and `google-chrome` are ours. */
function resolveProgram(name: string, path: string | undefined): string {
  // Chromium itself goes through the google-chrome shim too: the flags and the DevTools port are there.
  const program = name === 'chromium' || name === 'chromium-browser' ? 'google-chrome' : name;
  if (program.includes('/') || !path) return program;
  const dir = path.split(delimiter).find((d) => onPath(join(d, program)));
  return dir ? join(dir, program) : program;
}

async function windows(sandbox: TaskSandbox, windowClass: string): Promise<string[]> {
  const out = await sandbox.display.run('xdotool', ['search', '--onlyvisible', '--class', windowClass]).catch(() => '');
  return out.split('\n').map((s) => s.trim()).filter(Boolean);
}

/**
 * A window of the class that was not there before. Some apps (pcmanfm) open a tab in their existing
 * window instead: after a few seconds an existing window will do.
 */
async function waitForNewWindow(sandbox: TaskSandbox, windowClass: string, before: string[], signal: AbortSignal, timeoutMs = 30_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const now = await windows(sandbox, windowClass);
    const fresh = now.filter((id) => !before.includes(id));
    if (fresh.length > 0) return fresh.at(-1)!;
    if (now.length > 0 && Date.now() - started > 3000) return now.at(-1)!;
    if (Date.now() - started > timeoutMs) throw new ConfigError(`no window of class ${windowClass} appeared within ${timeoutMs / 1000} s`);
    await sleep(100, undefined, { signal });
  }
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** OSWorld's activate_window: by title (or class), containing the name, or equal to it when strict. */
async function findWindow(sandbox: TaskSandbox, step: { windowName: string; strict: boolean; byClass: boolean }, signal: AbortSignal, timeoutMs = 10_000): Promise<string> {
  const pattern = step.strict ? `^${escapeRegex(step.windowName)}$` : escapeRegex(step.windowName);
  const started = Date.now();
  for (;;) {
    const out = await sandbox.display.run('xdotool', ['search', '--onlyvisible', step.byClass ? '--class' : '--name', pattern]).catch(() => '');
    const id = out.split('\n').map((s) => s.trim()).filter(Boolean).at(-1);
    if (id) return id;
    if (Date.now() - started > timeoutMs) throw new ConfigError(`no window ${step.byClass ? 'of class' : 'named'} ${JSON.stringify(step.windowName)}${step.strict ? ' (exactly)' : ''} within ${timeoutMs / 1000} s`);
    await sleep(100, undefined, { signal });
  }
}

/** Waits until the screen stops changing (when the driver is up), so the agent's first look is a settled screen. */
async function settle(sandbox: TaskSandbox, signal: AbortSignal, quietMs = 150): Promise<void> {
  if (!sandbox.driver?.settle) return;
  await sandbox.driver.settle({ intervalMs: quietMs, capMs: Math.max(5000, quietMs * 10) }, signal);
}
