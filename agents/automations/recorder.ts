// Recording a demonstration: the operator's own mouse and keyboard on one display, through a global
// hook in a child process, while the screen is captured a few times a second. Each pointer step
// keeps the frame from just before its press, so its evidence shows the target as the user saw it.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DesktopDriver } from '../desktop/driver.ts';
import { DisplayLostError } from '../desktop/driver.ts';
import { NutDriver } from '../desktop/nut-driver.ts';
import { forkTs } from '../node-child.ts';
import type { Store } from '../store/store.ts';
import { AUTOMATION_FORMAT, type Automation, type Evidence, type Step } from './automation.ts';
import { intentOf } from './compile.ts';
import { dropStopKey, mergeDemo, type DemoStep, type RawInput } from './demo-merge.ts';
import { gatherEvidence } from './evidence.ts';
import { decodeGray } from './gray.ts';
import { OcrUnavailableError } from './ocr.ts';
import type { HookMessage } from './hook-worker.ts';
import { xdotoolProbe, type WindowInfo, type WindowProbe } from './window-probe.ts';
import { a11yEvidence } from './a11y.ts';

const hookPath = fileURLToPath(new URL('./hook-worker.ts', import.meta.url));

/** Frames kept while nothing is pressed: the newest one before a press is that press's evidence. */
const RING = 8;

interface Frame {
  at: number;
  png: Buffer;
}

/** What a press saw: the screen just before it and the window it went to. */
interface Pinned {
  frame: Frame | undefined;
  window: Promise<WindowInfo | undefined>;
  /** The accessible object under the press, where the app exposes one. */
  a11y: Promise<Evidence['a11y'] | undefined>;
}

export interface RecorderOptions {
  display: string;
  /** Captures the frames (full size PNG); the recorder does not close it. */
  driver: DesktopDriver;
  probe?: WindowProbe;
  /** The accessible name and role at a point, where the app exposes them. */
  a11yAt?: (point: { x: number; y: number }) => Promise<Evidence['a11y'] | undefined>;
  frameIntervalMs?: number;
  /** Told of every raw event, e.g. to show a live count. */
  onInput?: (input: RawInput) => void;
  /** Told what a press or wheel hit, by accessible name and role, once the probe has found it. */
  onA11y?: (point: { x: number; y: number }, found: NonNullable<Evidence['a11y']>) => void;
  env?: Record<string, string | undefined>;
}

export interface Recording {
  steps: DemoStep[];
  /** Pinned evidence sources, by the press time of each pointer step. */
  pinned: Map<number, Pinned>;
  screen: { width: number; height: number };
  /** Raw events seen, for the summary. */
  events: number;
}

export class Recorder {
  private readonly raw: RawInput[] = [];
  private readonly ring: Frame[] = [];
  private readonly pinned = new Map<number, Pinned>();
  private capturing: Promise<void> | undefined;
  private stopped = false;
  private failure: Error | undefined;

  private constructor(private readonly opts: RecorderOptions, private readonly hook: ChildProcess, private readonly screen: { width: number; height: number }) {
    hook.on('message', (msg: HookMessage) => {
      if (msg.type === 'input') this.onInput(msg.input);
    });
    hook.on('exit', (code, signal) => {
      if (!this.stopped) this.failure = new DisplayLostError(`the input hook for ${opts.display} stopped (${signal ?? `code ${code}`}): is the display still running?`);
    });
    this.capturing = this.captureLoop();
  }

  /** Starts the hook and the frame loop; resolves once input is being recorded. */
  static async start(opts: RecorderOptions): Promise<Recorder> {
    const hook = await forkTs(hookPath, [], { env: { ...process.env, ...opts.env, DISPLAY: opts.display }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    hook.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    hook.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        hook.kill('SIGKILL');
        reject(new DisplayLostError(`the input hook for ${opts.display} did not start within 15 s`));
      }, 15_000);
      hook.once('message', (msg: HookMessage) => {
        clearTimeout(timer);
        if (msg.type === 'ready') resolve();
        else reject(new DisplayLostError(msg.type === 'fatal' ? msg.message : `unexpected message from the input hook: ${msg.type}`));
      });
      hook.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new DisplayLostError(`cannot record display ${opts.display}: the input hook exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`));
      });
    });
    return new Recorder(opts, hook, await opts.driver.screenSize());
  }

  /** The error that ended recording early (the display went away), if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Stops recording and merges what was seen into steps. */
  async stop({ droppingStopKey = false } = {}): Promise<Recording> {
    if (!this.stopped) {
      this.stopped = true;
      if (this.hook.connected) this.hook.send({ type: 'stop' });
      const exited = this.hook.exitCode !== null || this.hook.signalCode !== null ? Promise.resolve() : new Promise((r) => this.hook.once('exit', r));
      const timer = setTimeout(() => this.hook.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
      await this.capturing;
    }
    const merged = mergeDemo(this.raw);
    return { steps: droppingStopKey ? dropStopKey(merged) : merged, pinned: this.pinned, screen: this.screen, events: this.raw.length };
  }

  private onInput(input: RawInput): void {
    if (this.stopped) return;
    this.raw.push(input);
    if (input.kind === 'down' || input.kind === 'wheel') {
      const point = { x: input.x, y: input.y };
      const frame = [...this.ring].reverse().find((f) => f.at < input.at);
      const a11y = this.opts.a11yAt ? this.opts.a11yAt(point).catch(() => undefined) : Promise.resolve(undefined);
      void a11y.then((found) => found && this.opts.onA11y?.(point, found));
      this.pinned.set(input.at, { frame, window: this.opts.probe ? this.opts.probe().catch(() => undefined) : Promise.resolve(undefined), a11y });
    }
    this.opts.onInput?.(input);
  }

  private async captureLoop(): Promise<void> {
    const interval = this.opts.frameIntervalMs ?? 100;
    while (!this.stopped) {
      const at = Date.now();
      try {
        const shot = await this.opts.driver.capture({ format: 'png' });
        this.ring.push({ at, png: shot.data });
        if (this.ring.length > RING) this.ring.shift();
      } catch (err) {
        if (this.stopped) return;
        this.failure ??= err as Error;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, interval - (Date.now() - at))));
    }
  }
}

/** A recording of a display with its own frame driver: stop() ends the hook, close() the driver. */
export interface DisplayRecording {
  readonly error: Error | undefined;
  stop(opts?: { droppingStopKey?: boolean }): Promise<Recording>;
  close(): Promise<void>;
}

/** Records a display with the real parts: a NutDriver for frames, xdotool for windows, AT-SPI for names. */
export async function recordDisplay(display: string, opts: Pick<RecorderOptions, 'env' | 'onInput' | 'onA11y'> = {}): Promise<DisplayRecording> {
  const env = opts.env ?? {};
  const driverEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const driver = await NutDriver.start({ display, env: driverEnv });
  try {
    const recorder = await Recorder.start({
      display, driver, env, probe: xdotoolProbe({ ...env, DISPLAY: display }),
      a11yAt: (point) => a11yEvidence({ ...env, DISPLAY: display }, point),
      ...(opts.onInput ? { onInput: opts.onInput } : {}),
      ...(opts.onA11y ? { onA11y: opts.onA11y } : {}),
    });
    return { get error() { return recorder.error; }, stop: (o) => recorder.stop(o), close: () => driver.close() };
  } catch (err) {
    await driver.close().catch(() => undefined);
    throw err;
  }
}

export interface BuildOptions {
  name: string;
  description?: string;
  /** Read the word under each target with tesseract (default true). */
  ocr?: boolean;
  /** Told before each step's evidence is gathered (OCR takes a moment per step). */
  onProgress?: (done: number, total: number) => void;
}

/** Turns a recording into an automation (not saved), gathering each pointer step's evidence. */
export async function buildFromRecording(store: Store, recording: Recording, opts: BuildOptions): Promise<{ automation: Omit<Automation, 'version'>; warnings: string[] }> {
  const warnings: string[] = [];
  let ocr = opts.ocr ?? true;
  const steps: Step[] = [];
  for (const [i, demo] of recording.steps.entries()) {
    opts.onProgress?.(i, recording.steps.length);
    const step: Step = { id: `s${i + 1}`, intent: '', action: demo.action };
    const pin = recording.pinned.get(demo.at);
    if (demo.point && pin?.frame) {
      const gray = await decodeGray(pin.frame.png);
      const window = await pin.window;
      const gather = () => gatherEvidence(store, gray, demo.point!, { ocr, ...(window ? { window } : {}) });
      step.evidence = await gather().catch((err: unknown) => {
        if (!(err instanceof OcrUnavailableError)) throw err;
        ocr = false;
        warnings.push(`${err.message}; the steps have no text evidence`);
        return gather();
      });
      const a11y = await pin.a11y;
      if (a11y) step.evidence.a11y = a11y;
    } else if (demo.point) {
      warnings.push(`step ${i + 1}: no screen frame before it, so its target has no evidence and replays at its recorded point`);
    }
    step.intent = intentOf(demo.action, step.evidence?.text ?? step.evidence?.a11y?.name);
    steps.push(step);
  }
  opts.onProgress?.(recording.steps.length, recording.steps.length);
  return {
    automation: {
      format: AUTOMATION_FORMAT,
      name: opts.name,
      ...(opts.description ? { description: opts.description } : {}),
      params: [],
      allowHealing: false,
      screen: recording.screen,
      steps,
    },
    warnings,
  };
}
