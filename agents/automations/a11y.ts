// Accessibility names on an X display: what component is at a point (its name and role, for a step's
// evidence), and where the components with a given name and role are now (to find a step's target
// again when its look and place changed). Read from the AT-SPI tree by a small pyatspi script
// (a11y-probe.py, run by the system python3) with a hard timeout: a hung app, a missing bus or
// python, or a dead X server yield nothing plus a reason for the log, never a throw.
//
// The bus: libatspi takes $AT_SPI_BUS_ADDRESS, else the AT_SPI_BUS property at-spi-bus-launcher sets
// on the display's root window, else the session bus's org.a11y.Bus. Apps start the launcher through
// their session bus (a sandbox display has its own), so the root-window property names the bus of
// the display's own apps even when this process has another session bus.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Point } from '../desktop/actions.ts';

export interface A11yBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface A11yComponent {
  /** Whitespace collapsed: GTK pads menu items with spaces before their accelerator. */
  name: string;
  /** AT-SPI's role name: "push button", "menu", "menu item", "text"... */
  role: string;
  /** In screen pixels. */
  box: A11yBox;
}

export interface A11yQuery {
  name: string;
  role: string;
}

/** Components found, and why there are none (or maybe not all) when something got in the way. */
export interface A11yLookup {
  components: A11yComponent[];
  reason?: string;
  /** How long the probe took, for logs. */
  ms?: number;
}

/** What a replay needs: the components with a name and role, now. */
export interface A11yFinder {
  find(query: A11yQuery, signal?: AbortSignal): Promise<A11yLookup>;
}

export interface A11yProbe extends A11yFinder {
  /** The deepest named component at a screen point (at most one). */
  at(point: Point, signal?: AbortSignal): Promise<A11yLookup>;
}

/** A display name (":99") or the env to reach it with (DISPLAY and, for a sandbox, its session bus). */
export type DisplayEnv = string | Record<string, string | undefined>;

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Killed after this long (default 3 s): a hung app must not hang a replay. */
  timeoutMs?: number;
  /** The python with pyatspi; default $DESKPILOT_PYTHON, else /usr/bin/python3 (a pyenv python lacks it). */
  python?: string;
}

export const A11Y_TIMEOUT_MS = 3000;
/** Longer names are paragraphs of text, not labels. */
const MAX_NAME = 200;

const scriptPath = fileURLToPath(new URL('./a11y-probe.py', import.meta.url));
let script: string | undefined;

/** The probe's source, read once; fs reads work inside a packaged app's asar archive too. */
function probeScript(): string | undefined {
  if (script === undefined && existsSync(scriptPath)) script = readFileSync(scriptPath, 'utf8');
  return script;
}

function pythonOf(opts: ProbeOptions): string {
  return opts.python ?? process.env['DESKPILOT_PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

export function envOf(display: DisplayEnv): Record<string, string | undefined> {
  return typeof display === 'string' ? { DISPLAY: display } : display;
}

/** Runs the probe with `args` (["at", x, y] or ["find", name, role]); resolves, never rejects. */
export function runProbe(display: DisplayEnv, args: string[], opts: ProbeOptions = {}): Promise<A11yLookup> {
  const started = Date.now();
  const done = (reason: string): A11yLookup => ({ components: [], reason, ms: Date.now() - started });
  if (process.platform !== 'linux') return Promise.resolve(done(`accessibility names are read with AT-SPI, which ${process.platform} does not have`));
  const given = envOf(display);
  const env: Record<string, string | undefined> = { ...process.env, ...given };
  if (!env['DISPLAY']) return Promise.resolve(done('no DISPLAY to read the accessibility tree of'));
  // This process's own accessibility bus is not another display's: there, the root window names it.
  if (!('AT_SPI_BUS_ADDRESS' in given) && env['DISPLAY'] !== process.env['DISPLAY']) delete env['AT_SPI_BUS_ADDRESS'];
  // A python from elsewhere (pyenv) must not redirect the system python's standard library.
  delete env['PYTHONHOME'];
  const source = probeScript();
  if (!source) return Promise.resolve(done(`the accessibility probe script is missing (${scriptPath})`));
  const signal = opts.signal;
  if (signal?.aborted) return Promise.resolve(done('aborted'));
  const timeoutMs = opts.timeoutMs ?? A11Y_TIMEOUT_MS;
  const python = pythonOf(opts);
  // The probe stops walking a little before it is killed, and reports what it found by then.
  env['DESKPILOT_A11Y_BUDGET_MS'] = String(Math.max(200, timeoutMs - 700));
  return new Promise((resolve) => {
    try {
      execFile(python, ['-c', source, ...args], {
        env, timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8', maxBuffer: 8 * 1024 * 1024, windowsHide: true, ...(signal ? { signal } : {}),
      }, (err, stdout, stderr) => {
        const ms = Date.now() - started;
        if (signal?.aborted) return resolve({ components: [], reason: 'aborted', ms });
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; signal?: NodeJS.Signals | null }) | null;
        if (e?.code === 'ENOENT') return resolve({ components: [], reason: `${python} is not installed: the accessibility tree is read with python3 and pyatspi`, ms });
        if (e?.killed && !stdout.trim()) return resolve({ components: [], reason: `the accessibility probe did not answer within ${timeoutMs} ms (an app that does not respond?)`, ms });
        resolve({ ...parseProbeOutput(stdout, stderr, e ? { code: typeof e.code === 'number' ? e.code : null, signal: e.signal ?? null } : undefined), ms });
      });
    } catch (err) {
      resolve(done(`the accessibility probe could not start: ${(err as Error).message}`));
    }
  });
}

const boxOk = (b: unknown): b is A11yBox => {
  const o = b as Record<string, unknown> | null;
  return !!o && ['left', 'top', 'width', 'height'].every((k) => Number.isFinite(o[k])) && (o['width'] as number) > 0 && (o['height'] as number) > 0;
};

/** Reads the probe's JSON line (the last one; libraries may print before it), or explains its failure from stderr. */
export function parseProbeOutput(stdout: string, stderr: string, exit?: { code: number | null; signal: NodeJS.Signals | null }): A11yLookup {
  const line = stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{')).at(-1);
  let out: Record<string, unknown> | undefined;
  if (line) {
    try {
      out = JSON.parse(line) as Record<string, unknown>;
    } catch {
      out = undefined;
    }
  }
  if (!out || typeof out !== 'object') return { components: [], reason: crashReason(stderr, exit) };
  if (out['ok'] !== true) return { components: [], reason: typeof out['reason'] === 'string' ? out['reason'] : 'the accessibility probe failed without a reason' };
  const hits = Array.isArray(out['hits']) ? out['hits'] : [];
  const components: A11yComponent[] = [];
  for (const h of hits as Record<string, unknown>[]) {
    if (!h || typeof h['name'] !== 'string' || typeof h['role'] !== 'string' || !boxOk(h['box'])) continue;
    const b = h['box'];
    components.push({ name: normName(h['name']), role: h['role'], box: { left: Math.round(b.left), top: Math.round(b.top), width: Math.round(b.width), height: Math.round(b.height) } });
  }
  const notes: string[] = [];
  if (out['apps'] === 0) notes.push('no application on the display exposes an accessibility tree (GTK2 apps need GTK_MODULES=gail:atk-bridge, Chromium --force-renderer-accessibility)');
  const hung = Number(out['unresponsive'] ?? 0);
  if (hung > 0) notes.push(`${hung} application${hung === 1 ? '' : 's'} did not answer`);
  if (out['partial'] === true) notes.push(`the tree was too big or slow to read whole (stopped after ${String(out['visited'] ?? '?')} components)`);
  return { components, ...(notes.length ? { reason: notes.join('; ') } : {}) };
}

function crashReason(stderr: string, exit?: { code: number | null; signal: NodeJS.Signals | null }): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.some((l) => /Couldn't connect to accessibility bus|Couldn't register with accessibility bus/i.test(l))) {
    return 'no AT-SPI accessibility bus for this display (no AT_SPI_BUS property on its root window and no session D-Bus to start one; is the X server running?)';
  }
  if (lines.some((l) => /No module named '?(pyatspi|gi)'?/.test(l))) return 'pyatspi is not installed for the system python3 (python3-pyatspi, gir1.2-atspi-2.0)';
  const how = exit?.signal ? `was killed by ${exit.signal}` : exit?.code ? `exited with code ${exit.code}` : 'printed no answer';
  const last = lines.filter((l) => !/^(Traceback|File ")/.test(l)).at(-1);
  return `the accessibility probe ${how}${last ? `: ${last.slice(0, 300)}` : ''}`;
}

export const normName = (s: string) => s.split(/\s+/).filter(Boolean).join(' ');

/** Probes for a display: `at` for recording evidence, `find` for replays (the ReplayPlanner's `a11y`). */
export function atspiProbe(display: DisplayEnv, opts: Omit<ProbeOptions, 'signal'> = {}): A11yProbe {
  return {
    at: (point, signal) => runProbe(display, ['at', String(Math.round(point.x)), String(Math.round(point.y))], { ...opts, ...(signal ? { signal } : {}) }),
    find: (q, signal) => runProbe(display, ['find', normName(q.name), q.role], { ...opts, ...(signal ? { signal } : {}) }),
  };
}

/** The deepest accessible component with a name at a screen point; undefined (with `onReason` told why) when none. */
export async function accessibleAt(display: DisplayEnv, point: Point, opts: ProbeOptions & { onReason?: (reason: string) => void } = {}): Promise<A11yComponent | undefined> {
  const r = await runProbe(display, ['at', String(Math.round(point.x)), String(Math.round(point.y))], opts);
  if (r.reason) opts.onReason?.(r.reason);
  return r.components[0];
}

/** Every showing component with this name and role, boxes in screen pixels; [] (with `onReason` told why) when none. */
export async function findAccessible(display: DisplayEnv, query: A11yQuery, opts: ProbeOptions & { onReason?: (reason: string) => void } = {}): Promise<A11yComponent[]> {
  const r = await runProbe(display, ['find', normName(query.name), query.role], opts);
  if (r.reason) opts.onReason?.(r.reason);
  return r.components;
}

export interface A11yEvidence {
  name: string;
  role: string;
  /** The point relative to the component's centre. */
  offset: { x: number; y: number };
}

export const centreOfBox = (b: A11yBox) => ({ x: b.left + Math.floor(b.width / 2), y: b.top + Math.floor(b.height / 2) });

/** The name and role of what is at `point`, and the point relative to its centre: a step's `a11y` evidence. */
export async function a11yEvidence(display: DisplayEnv | A11yProbe, point: Point, opts: ProbeOptions & { onReason?: (reason: string) => void } = {}): Promise<A11yEvidence | undefined> {
  const r = isProbe(display) ? await display.at(point, opts.signal) : await runProbe(display, ['at', String(Math.round(point.x)), String(Math.round(point.y))], opts);
  const c = r.components[0];
  if (!c) {
    if (r.reason) opts.onReason?.(r.reason);
    return undefined;
  }
  return evidenceOf(c, point);
}

/** Evidence from a component already found at `point`; undefined for a name too long to be a label. */
export function evidenceOf(c: A11yComponent, point: Point): A11yEvidence | undefined {
  const name = normName(c.name);
  if (!name || name.length > MAX_NAME || !c.role) return undefined;
  const centre = centreOfBox(c.box);
  return { name, role: c.role, offset: { x: Math.round(point.x) - centre.x, y: Math.round(point.y) - centre.y } };
}

function isProbe(d: DisplayEnv | A11yProbe): d is A11yProbe {
  return typeof d === 'object' && typeof (d as A11yProbe).at === 'function' && typeof (d as A11yProbe).find === 'function';
}
