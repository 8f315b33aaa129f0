// Facts about an X display's windows through xdotool and xprop: which match a class or title, where
// they are (frame included), what is under a point, which has the focus. Used by the privacy and
// window-policy wrappers; every query is one short process on the run's own display.
import { execFile } from 'node:child_process';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface XWindow extends Rect {
  id: string;
  /** WM_CLASS instance and class, e.g. ["xterm", "XTerm"]. */
  classes: string[];
  title: string;
}

/** The display (and its environment, for a sandbox's XAUTHORITY) the queries run against. */
export interface XTarget {
  display: string;
  env?: Record<string, string | undefined>;
}

export class XQueryError extends Error {
  override name = 'XQueryError';
}

function run(x: XTarget, cmd: string, args: string[], okEmpty = false): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: { ...process.env, ...x.env, DISPLAY: x.display }, timeout: 5000 }, (err, stdout) => {
      // xdotool search exits 1 when nothing matches: an answer, not a failure.
      if (err && okEmpty && typeof err.code === 'number' && err.code === 1 && stdout.trim() === '') return resolve('');
      if (err) return reject(new XQueryError(`${cmd} ${args.join(' ')} failed on ${x.display}: ${err.message} (is ${cmd} installed?)`));
      resolve(stdout);
    });
  });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Visible windows whose WM_CLASS class or title contains one of the words, ignoring case. */
export async function findWindows(x: XTarget, match: { classes?: readonly string[]; titles?: readonly string[] }): Promise<string[]> {
  const ids = new Set<string>();
  const searches: string[][] = [];
  const re = (words: readonly string[]) => words.map(escapeRe).join('|');
  // --class matches the WM_CLASS class ("KeePassXC"); one search per kind keeps each capture to one or two spawns.
  if (match.classes?.length) searches.push(['--class', re(match.classes)]);
  if (match.titles?.length) searches.push(['--name', re(match.titles)]);
  const outs = await Promise.all(searches.map((s) => run(x, 'xdotool', ['search', '--onlyvisible', ...s], true)));
  for (const out of outs) for (const id of out.split('\n').map((l) => l.trim()).filter(Boolean)) ids.add(id);
  return [...ids];
}

/** A window's class, title and rectangle on the screen, its frame (title bar, borders) included. */
export async function describeWindow(x: XTarget, id: string): Promise<XWindow | undefined> {
  const [geo, props] = await Promise.all([
    run(x, 'xdotool', ['getwindowgeometry', '--shell', id]).catch(() => ''),
    run(x, 'xprop', ['-id', id, 'WM_CLASS', '_NET_WM_NAME', 'WM_NAME', '_NET_FRAME_EXTENTS']).catch(() => ''),
  ]);
  const num = (k: string) => Number(new RegExp(`^${k}=(-?\\d+)`, 'm').exec(geo)?.[1]);
  const [gx, gy, w, h] = [num('X'), num('Y'), num('WIDTH'), num('HEIGHT')];
  if (![gx, gy, w, h].every(Number.isFinite)) return undefined;
  const classes = [...(/^WM_CLASS\(STRING\) = (.*)$/m.exec(props)?.[1] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
  const title = /^_NET_WM_NAME\([^)]*\) = "(.*)"$/m.exec(props)?.[1] ?? /^WM_NAME\([^)]*\) = "(.*)"$/m.exec(props)?.[1] ?? '';
  const [left, right, top, bottom] = (/^_NET_FRAME_EXTENTS\(CARDINAL\) = (\d+), (\d+), (\d+), (\d+)/m.exec(props)?.slice(1) ?? ['0', '0', '0', '0']).map(Number) as [number, number, number, number];
  return { id, classes, title, x: gx! - left, y: gy! - top, width: w! + left + right, height: h! + top + bottom };
}

/** Client windows from bottom to top, as the window manager stacks them. */
export async function stackingOrder(x: XTarget): Promise<string[]> {
  const out = await run(x, 'xprop', ['-root', '-notype', '_NET_CLIENT_LIST_STACKING']);
  return [...out.matchAll(/0x[0-9a-f]+/gi)].map((m) => String(Number.parseInt(m[0], 16)));
}

/** The topmost visible window containing the point, if any. */
export async function windowAt(x: XTarget, point: { x: number; y: number }): Promise<XWindow | undefined> {
  const visible = new Set((await run(x, 'xdotool', ['search', '--onlyvisible', '--name', ''], true)).split('\n').map((l) => l.trim()).filter(Boolean));
  const order = (await stackingOrder(x)).filter((id) => visible.has(id)).reverse();
  for (const id of order) {
    const w = await describeWindow(x, id);
    if (w && point.x >= w.x && point.x < w.x + w.width && point.y >= w.y && point.y < w.y + w.height) return w;
  }
  return undefined;
}

/** The window typing goes to (the window manager's active window). */
export async function focusedWindow(x: XTarget): Promise<XWindow | undefined> {
  const id = (await run(x, 'xdotool', ['getactivewindow'], true).catch(() => '')).trim();
  return id ? describeWindow(x, id) : undefined;
}
