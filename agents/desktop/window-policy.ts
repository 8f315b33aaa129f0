// App allow and deny lists: which windows a run may act on, by WM_CLASS or title. A click, scroll or
// drag is checked against the window under its point, typing and key presses against the focused
// window, before any input is sent; a refusal is an error the loop reports to the model. On the
// user's own screen a window that was not open when the run started needs the operator's approval.
import { execFile } from 'node:child_process';
import type { DesktopActionInput } from './actions.ts';
import type { DesktopDriver, PerformApproval } from './driver.ts';
import { focusedWindow, stackingOrder, windowAt, type XTarget, type XWindow } from './x-windows.ts';

export interface WindowMatch {
  classes?: readonly string[];
  titles?: readonly string[];
}

export interface WindowPolicy {
  /** Never acted on. */
  deny?: WindowMatch;
  /** When given, only these (and the desktop itself, where no window is) may be acted on. */
  allow?: WindowMatch;
  /** Ask the operator before acting in a window that was not open when the driver was made (startRun sets it on the user's own screen). */
  askNew?: boolean;
}

/** The windows open when the run started, and those the operator approved since; a dialog of one of them counts as it. */
export class KnownWindows {
  private readonly ids: Set<string>;

  constructor(ids: Iterable<string>) {
    this.ids = new Set(ids);
  }

  has(w: XWindow): boolean {
    return this.ids.has(w.id) || (w.transientFor !== undefined && this.ids.has(w.transientFor));
  }

  add(w: XWindow): void {
    this.ids.add(w.id);
  }
}

/** The windows on the display now (the window manager's client list): what a run starts with. */
export const openWindows = (x: XTarget): Promise<string[]> => stackingOrder(x);

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

const describe = (w: XWindow) => `"${w.title || 'untitled'}" (${w.classes.at(-1) || 'no class'})`;

/** The words an approval request and a refusal use for a window the run did not start with. */
export const newWindowReason = (w: XWindow) => `acting in a window that was not open when the run started: ${describe(w)}`;

export type WindowVerdict = { kind: 'ok' } | { kind: 'refused'; why: string } | { kind: 'ask'; window: XWindow; reason: string };

/** What may happen in the windows an action reaches: refused by the lists, asked about (not known at the start, when `known` is given), or allowed. */
export function judge(reached: readonly (XWindow | undefined)[], policy: WindowPolicy, known?: KnownWindows): WindowVerdict {
  for (const w of reached) {
    const why = refusal(w, policy);
    if (why) return { kind: 'refused', why };
  }
  const unknown = known && unknownWindows(reached, known)[0];
  return unknown ? { kind: 'ask', window: unknown, reason: newWindowReason(unknown) } : { kind: 'ok' };
}

/** The windows reached that are not known (a drag's two ends may be two new windows), each once. */
export function unknownWindows(reached: readonly (XWindow | undefined)[], known: KnownWindows): XWindow[] {
  const found = new Map<string, XWindow>();
  for (const w of reached) if (w && !known.has(w)) found.set(w.id, w);
  return [...found.values()];
}

function pointer(x: XTarget): Promise<{ x: number; y: number }> {
  return new Promise((resolve, reject) => {
    execFile('xdotool', ['getmouselocation', '--shell'], { env: { ...process.env, ...x.env, DISPLAY: x.display }, timeout: 5000 }, (err, out) => {
      if (err) return reject(err);
      resolve({ x: Number(/^X=(\d+)/m.exec(out)?.[1]), y: Number(/^Y=(\d+)/m.exec(out)?.[1]) });
    });
  });
}

/** A focus change caused by input has settled by then. */
const RECENT_INPUT_MS = 1000;

/** The windows an action would reach: under its points, or the focused one for keys (once it stops moving, after input). */
export async function windowsReached(x: XTarget, a: DesktopActionInput, afterInput = true): Promise<(XWindow | undefined)[]> {
  switch (a.type) {
    case 'click': case 'double_click': case 'triple_click':
      return [await windowAt(x, a)];
    case 'drag':
      return Promise.all([a.path[0]!, a.path.at(-1)!].map((p) => windowAt(x, p)));
    case 'scroll': case 'mouse_down': case 'mouse_up':
      return [await windowAt(x, a.x !== undefined && a.y !== undefined ? { x: a.x, y: a.y } : await pointer(x))];
    case 'type': case 'keypress':
      return [await focusedWindow(x, afterInput)];
    default:
      return []; // move, wait: nothing reaches an app
  }
}

const NOBODY: PerformApproval = { approved: false, reason: 'nobody could be asked to approve it' };

/** How the guard sees windows: those an action would reach, and those open now. An X display in a run, a fake in unit tests. */
export interface WindowLook {
  /** `afterInput`: input was sent a moment ago, so the focus may still be moving (waited for only then). */
  reached(action: DesktopActionInput, afterInput: boolean): Promise<(XWindow | undefined)[]>;
  open(): Promise<string[]>;
}

/** The driver with the lists (and, with askNew, windows opened since it was made) checked before every action, by one window query. */
export function withWindowPolicy(driver: DesktopDriver, x: XTarget, policy: WindowPolicy): DesktopDriver {
  return guardWindows(driver, { reached: (a, afterInput) => windowsReached(x, a, afterInput), open: () => openWindows(x) }, policy);
}

/** withWindowPolicy over any way of seeing windows. */
export function guardWindows(driver: DesktopDriver, look: WindowLook, policy: WindowPolicy): DesktopDriver {
  if (!policy.deny && !policy.allow && !policy.askNew) return driver;
  // Noted now, as the run starts; a failed query refuses every action rather than letting any through unasked.
  const start = policy.askNew ? look.open().then((ids) => new KnownWindows(ids)) : undefined;
  start?.catch(() => undefined);
  // When this driver last sent input: a focus change it caused settles within tens of ms, so only then is it waited for.
  let inputAt = Number.NEGATIVE_INFINITY;
  const reached = (a: DesktopActionInput) => look.reached(a, performance.now() - inputAt < RECENT_INPUT_MS);
  const wrapped: DesktopDriver = {
    display: driver.display,
    capture: (opts, signal) => driver.capture(opts, signal),
    async perform(action, signal, ctx) {
      const known = await start;
      for (let current = action; ;) {
        const windows = await reached(current);
        let verdict = judge(windows, policy, known);
        // A window named in the action's own approval, and approved there, is not asked about again.
        while (verdict.kind === 'ask' && ctx?.answered?.includes(verdict.window.id)) {
          known!.add(verdict.window);
          verdict = judge(windows, policy, known);
        }
        if (verdict.kind === 'ok') {
          try {
            return await driver.perform(current, signal);
          } finally {
            inputAt = performance.now();
          }
        }
        if (verdict.kind === 'refused') throw new WindowDeniedError(`refused before acting: the ${current.type} would reach ${verdict.why}. Act in another window.`);
        const answer = ctx?.approve ? await ctx.approve(verdict.reason, signal) : NOBODY;
        if (!answer.approved) throw new WindowDeniedError(`refused before acting: ${verdict.reason}; ${answer.reason}. Act in a window that was open when the run started.`);
        known!.add(verdict.window);
        // Looked at again: the screen may have changed while the operator decided, or the action was edited.
        current = answer.action ?? current;
      }
    },
    // The new windows the action would reach now; nothing for one the lists refuse, since perform refuses it unasked.
    async guardQuestions(action) {
      const known = await start;
      if (!known) return [];
      const windows = await reached(action);
      if (judge(windows, policy, known).kind !== 'ask') return [];
      return unknownWindows(windows, known).map((w) => ({ reason: newWindowReason(w), subject: w.id }));
    },
    screenSize: (signal) => driver.screenSize(signal),
    close: () => driver.close(),
  };
  if (driver.settle) wrapped.settle = (opts, signal) => driver.settle!(opts, signal);
  return wrapped;
}
