// App allow and deny lists: which windows a run may act on, by WM_CLASS or title. A click, scroll or
// drag is checked against the window under its point, typing and key presses against the focused
// window, before any input is sent; a refusal is an error the loop reports to the model.
import { execFile } from 'node:child_process';
import type { DesktopActionInput } from './actions.ts';
import type { DesktopDriver } from './driver.ts';
import { focusedWindow, windowAt, type XTarget, type XWindow } from './x-windows.ts';

export interface WindowMatch {
  classes?: readonly string[];
  titles?: readonly string[];
}

export interface WindowPolicy {
  /** Never acted on. */
  deny?: WindowMatch;
  /** When given, only these (and the desktop itself, where no window is) may be acted on. */
  allow?: WindowMatch;
}

/** The action was aimed at a window the run may not act in: nothing was sent. */
export class WindowDeniedError extends Error {
  override name = 'WindowDeniedError';
}

const has = (hay: string, words: readonly string[] | undefined) => (words ?? []).some((w) => w !== '' && hay.toLowerCase().includes(w.toLowerCase()));

export function matches(w: XWindow, m: WindowMatch | undefined): boolean {
  if (!m) return false;
  return w.classes.some((c) => has(c, m.classes)) || has(w.title, m.titles);
}

/** Why acting in `w` is refused, or undefined when it is allowed. */
export function refusal(w: XWindow | undefined, policy: WindowPolicy): string | undefined {
  if (!w) return undefined; // the desktop: no app to protect
  const name = `"${w.title}" (${w.classes.join(', ') || 'no class'})`;
  if (matches(w, policy.deny)) return `the window ${name} is on this run's deny list`;
  if (policy.allow && !matches(w, policy.allow)) return `the window ${name} is not on this run's allow list`;
  return undefined;
}

function pointer(x: XTarget): Promise<{ x: number; y: number }> {
  return new Promise((resolve, reject) => {
    execFile('xdotool', ['getmouselocation', '--shell'], { env: { ...process.env, ...x.env, DISPLAY: x.display }, timeout: 5000 }, (err, out) => {
      if (err) return reject(err);
      resolve({ x: Number(/^X=(\d+)/m.exec(out)?.[1]), y: Number(/^Y=(\d+)/m.exec(out)?.[1]) });
    });
  });
}

/** The windows an action would reach: under its points, or the focused one for keys. */
export async function windowsReached(x: XTarget, a: DesktopActionInput): Promise<(XWindow | undefined)[]> {
  switch (a.type) {
    case 'click': case 'double_click': case 'triple_click':
      return [await windowAt(x, a)];
    case 'drag':
      return Promise.all([a.path[0]!, a.path.at(-1)!].map((p) => windowAt(x, p)));
    case 'scroll': case 'mouse_down': case 'mouse_up':
      return [await windowAt(x, a.x !== undefined && a.y !== undefined ? { x: a.x, y: a.y } : await pointer(x))];
    case 'type': case 'keypress':
      return [await focusedWindow(x)];
    default:
      return []; // move, wait: nothing reaches an app
  }
}

/** The driver with the policy checked before every action. */
export function withWindowPolicy(driver: DesktopDriver, x: XTarget, policy: WindowPolicy): DesktopDriver {
  if (!policy.deny && !policy.allow) return driver;
  const wrapped: DesktopDriver = {
    display: driver.display,
    capture: (opts, signal) => driver.capture(opts, signal),
    async perform(action, signal) {
      for (const w of await windowsReached(x, action)) {
        const why = refusal(w, policy);
        if (why) throw new WindowDeniedError(`refused before acting: the ${action.type} would reach ${why.replace(/^the window /, 'the window ')}. Act in another window.`);
      }
      return driver.perform(action, signal);
    },
    screenSize: (signal) => driver.screenSize(signal),
    close: () => driver.close(),
  };
  if (driver.settle) wrapped.settle = (opts, signal) => driver.settle!(opts, signal);
  return wrapped;
}
