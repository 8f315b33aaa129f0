// The active window's title and geometry from xdotool: a step's point relative to its window
// follows the window when it moves.
import { execFile } from 'node:child_process';

export interface WindowInfo {
  id: string;
  title?: string;
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The active window now, or undefined when there is none or xdotool is missing. */
export type WindowProbe = (signal?: AbortSignal) => Promise<WindowInfo | undefined>;

/** A probe for the display named by env.DISPLAY. */
export function xdotoolProbe(env: Record<string, string | undefined>): WindowProbe {
  return (signal) => new Promise((resolve) => {
    execFile('xdotool', ['getactivewindow', 'getwindowgeometry', '--shell', 'getwindowname'], { env: { ...process.env, ...env }, timeout: 3000, encoding: 'utf8', ...(signal ? { signal } : {}) }, (err, stdout) => {
      resolve(err ? undefined : parseProbe(stdout));
    });
  });
}

/** Parses `getwindowgeometry --shell` (KEY=value lines) followed by the window name line. */
export function parseProbe(out: string): WindowInfo | undefined {
  const lines = out.split('\n');
  const v: Record<string, string> = {};
  const rest: string[] = [];
  for (const line of lines) {
    const m = /^(WINDOW|X|Y|WIDTH|HEIGHT|SCREEN)=(-?\d+)$/.exec(line);
    if (m) v[m[1]!] = m[2]!;
    else if (line !== '') rest.push(line);
  }
  const nums = ['X', 'Y', 'WIDTH', 'HEIGHT'].map((k) => Number(v[k]));
  if (v['WINDOW'] === undefined || nums.some((n) => !Number.isFinite(n))) return undefined;
  const [left, top, width, height] = nums as [number, number, number, number];
  const title = rest.join('\n').trim();
  return { id: v['WINDOW'], left, top, width, height, ...(title ? { title } : {}) };
}

export function contains(w: WindowInfo, p: { x: number; y: number }): boolean {
  return p.x >= w.left && p.y >= w.top && p.x < w.left + w.width && p.y < w.top + w.height;
}
