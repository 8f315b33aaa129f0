// OSWorld's `vm_terminal_output`: the text the active terminal window shows (OSWorld reads GNOME
// Terminal's accessibility tree). Our sandboxes' terminal is xterm, which has no accessibility tree,
// but it can print its screen: each sandbox display that needs it gets X resources giving every
// xterm a print command, and the getter has the active xterm print by writing the Media Copy
// sequence (CSI i) to its pty, as a program running in it would. No key is pressed and neither the
// focus, the selection nor the pointer moves, so reading the terminal cannot change what it shows.
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { VirtualDisplay } from '../desktop/display.ts';
import type { TaskSandbox } from './sandbox.ts';
import type { Task } from './task-schema.ts';

const SCREEN = 'screen.txt';
const PRINT_TIMEOUT_MS = 10_000;

/** Where the display's xterms print: in the sandbox's own folder (its apps' jail shows it), outside HOME. */
const printDir = (display: VirtualDisplay) => join(display.info.dir, 'terminal-print');

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Whether a task reads a terminal, so its sandbox needs the print settings before any app starts. */
export const readsTerminal = (task: Task): boolean =>
  task.evaluator.metrics.some((m) => m.result?.type === 'vm_terminal_output' || m.expected?.type === 'vm_terminal_output');

/** Gives every xterm (and uxterm) started on the display from now on a print command: plain text, the whole screen, a file that appears only once complete. */
export async function prepareTerminalCapture(display: VirtualDisplay): Promise<void> {
  const dir = printDir(display);
  await mkdir(dir, { recursive: true });
  const part = join(dir, `${SCREEN}.part`);
  const resources = [
    // xterm closes the pipe after each print, so `mv` runs once the screen is all written.
    `*VT100.printerCommand: cat > ${shellQuote(part)} && mv ${shellQuote(part)} ${shellQuote(join(dir, SCREEN))}`,
    '*VT100.printAttributes: 0',
    '*VT100.printerFormFeed: false',
    '*VT100.printerExtent: true',
  ];
  await display.run('xrdb', ['-nocpp', '-merge'], { input: `${resources.join('\n')}\n` });
}

/** The terminal device (/dev/pts/N) whose master side process `pid` holds. */
async function ptyOf(pid: number): Promise<string> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (target !== '/dev/ptmx' && target !== '/dev/pts/ptmx') continue;
    const index = /^tty-index:\s*(\d+)/m.exec(await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => ''))?.[1];
    if (index !== undefined) return `/dev/pts/${index}`;
  }
  // Older kernels do not say the index: the shell xterm started has the device as its stdin.
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean);
  for (const child of children) {
    const stdin = await readlink(`/proc/${child}/fd/0`).catch(() => '');
    if (/^\/dev\/pts\/\d+$/.test(stdin)) return stdin;
  }
  throw new Error(`vm_terminal_output: could not find the terminal device of xterm (process ${pid})`);
}

/** xterm prints the second cell of a double-width character (CJK, Hangul, emoji) as U+FFFD (core fonts) or U+FFFF (Xft): not text. */
const WIDE_TAIL = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff01-\uff60\uffe0-\uffe6\p{Extended_Pictographic}])[\ufffd\uffff]/gu;

/** The printed screen as text: wide characters whole, trailing blanks removed (OSWorld's `rstrip`). */
export const screenText = (printed: string): string => printed.replace(WIDE_TAIL, '$1').trimEnd();

const classesIn = (xprop: string): string[] => [...(/WM_CLASS\(STRING\) = (.*)/.exec(xprop)?.[1] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]!);

/**
 * The text on the active xterm's screen, trailing blanks removed (OSWorld's `rstrip`); null when the
 * active window is not an xterm, as OSWorld gives None when no terminal is active (a note says why).
 */
export async function terminalOutput(sandbox: TaskSandbox, signal?: AbortSignal): Promise<string | null> {
  const { display } = sandbox;
  const none = (why: string) => {
    sandbox.warnings.push(`vm_terminal_output: ${why}, so there was no terminal text to read`);
    return null;
  };
  const active = (await display.run('xdotool', ['getactivewindow']).catch(() => '')).trim();
  if (!/^\d+$/.test(active)) return none('no window was active');
  const props = await display.run('xprop', ['-id', active, 'WM_CLASS', '_NET_WM_PID']);
  const classes = classesIn(props);
  if (!classes.some((c) => /^u?xterm$/i.test(c))) return none(`the active window was not an xterm (${classes.join(', ') || 'no class'})`);
  const pid = Number(/_NET_WM_PID\(CARDINAL\) = (\d+)/.exec(props)?.[1]);
  if (!pid) throw new Error('vm_terminal_output: the active xterm does not give its process id (_NET_WM_PID)');
  const tty = await ptyOf(pid);

  const file = join(printDir(display), SCREEN);
  await rm(file, { force: true });
  const terminal = await open(tty, constants.O_WRONLY | constants.O_NOCTTY);
  try {
    await terminal.write('\x1b[i');
  } finally {
    await terminal.close();
  }
  const deadline = Date.now() + PRINT_TIMEOUT_MS;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return screenText(text);
    if (Date.now() > deadline) {
      throw new Error(`vm_terminal_output: the active xterm did not print its screen within ${PRINT_TIMEOUT_MS / 1000} s (was it started before the sandbox's print settings, or on another display?)`);
    }
    await sleep(50, undefined, signal ? { signal } : undefined);
  }
}
