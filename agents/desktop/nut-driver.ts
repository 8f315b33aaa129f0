// DesktopDriver on an X display through nut-js, which runs in a worker process bound to that
// display. A dead worker or X server becomes a DisplayLostError for the caller, never a crash.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkTs } from '../node-child.ts';
import { ActionError, desktopActionSchema, type DesktopActionInput } from './actions.ts';
import { DisplayLostError, DriverClosedError, type CaptureOptions, type DesktopDriver, type Screenshot, type SettleOptions, type SettleResult } from './driver.ts';
import type { Size } from './geometry.ts';
import type { WorkerRequest, WorkerResponse } from './nut-protocol.ts';
import { OutOfBoundsError } from './geometry.ts';
import { inStartupTurn, loadScaled } from './startup-queue.ts';

const workerPath = fileURLToPath(new URL('./nut-worker.ts', import.meta.url));

export class AbortError extends Error {
  override name = 'AbortError';
  constructor(message = 'action aborted') {
    super(message);
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type Req = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface NutDriverOptions {
  display: string;
  /** Extra environment for the worker (a sandbox display's HOME etc.). */
  env?: Record<string, string>;
  /** Counted from this start-up's turn (agents/desktop/startup-queue.ts). */
  startTimeoutMs?: number;
}

export class NutDriver implements DesktopDriver {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private lost: Error | undefined;
  private closed = false;
  private stderr = '';

  private constructor(readonly display: string, private worker: ChildProcess, readonly size: Size) {
    worker.on('message', (raw) => this.onMessage(raw as WorkerResponse));
    worker.on('exit', (code, signal) => this.onExit(code, signal));
    // A send racing the worker's death surfaces here (EPIPE); the exit handler reports it.
    worker.on('error', () => undefined);
    worker.stderr?.on('data', (d) => (this.stderr = (this.stderr + d).slice(-2000)));
  }

  /** Starts the worker when a start-up slot is free, so many at once all start instead of all timing out. */
  static start(opts: NutDriverOptions): Promise<NutDriver> {
    return inStartupTurn(() => NutDriver.spawn(opts), true);
  }

  private static async spawn(opts: NutDriverOptions): Promise<NutDriver> {
    const worker = await forkTs(workerPath, [], {
      // Two malloc arenas: a worker's frames come and go on few threads, and more arenas only hold freed memory (~25 MB a sandbox).
      env: { MALLOC_ARENA_MAX: '2', ...process.env, ...opts.env, DISPLAY: opts.display },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    worker.stderr?.on('data', (d) => (stderr += d));
    const limit = loadScaled(opts.startTimeoutMs ?? 15_000);
    const screen = await new Promise<Size>((resolve, reject) => {
      const timer = setTimeout(() => {
        worker.kill('SIGKILL');
        reject(new DisplayLostError(`the input worker for ${opts.display} did not start within ${limit.ms} ms${limit.why}`));
      }, limit.ms);
      worker.once('message', (raw) => {
        clearTimeout(timer);
        const msg = raw as WorkerResponse;
        if (msg.type === 'ready') resolve(msg.screen);
        else reject(new DisplayLostError(msg.type === 'fatal' ? msg.message : `unexpected message from the input worker: ${msg.type}`));
      });
      worker.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new DisplayLostError(`cannot drive display ${opts.display}: the input worker exited (${signal ?? `code ${code}`})${tail(stderr)}`));
      });
    });
    return new NutDriver(opts.display, worker, screen);
  }

  async screenSize(): Promise<Size> {
    return this.size;
  }

  capture(opts: CaptureOptions = {}, signal?: AbortSignal): Promise<Screenshot> {
    return this.request({ op: 'capture', opts }, signal) as Promise<Screenshot>;
  }

  settle(opts: SettleOptions = {}, signal?: AbortSignal): Promise<SettleResult> {
    return this.request({ op: 'settle', opts }, signal) as Promise<SettleResult>;
  }

  perform(action: DesktopActionInput, signal?: AbortSignal): Promise<void> {
    const parsed = desktopActionSchema.safeParse(action);
    if (!parsed.success) return Promise.reject(new ActionError(`invalid action: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'action'}: ${i.message}`).join('; ')}`));
    return this.request({ op: 'perform', action: parsed.data }, signal) as Promise<void>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.worker.exitCode === null && this.worker.signalCode === null) {
      const exited = new Promise((r) => this.worker.once('exit', r));
      this.worker.disconnect();
      const timer = setTimeout(() => this.worker.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
  }

  private request(req: Req, signal?: AbortSignal): Promise<unknown> {
    if (this.closed) return Promise.reject(new DriverClosedError(`the driver for ${this.display} is closed`));
    if (this.lost) return Promise.reject(this.lost);
    if (signal?.aborted) return Promise.reject(new AbortError());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        // Settle at once; the worker stops input at its next checkpoint (one key at most).
        this.pending.delete(id);
        if (this.worker.connected) this.worker.send({ id, op: 'cancel' } satisfies WorkerRequest);
        reject(new AbortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (v) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(v);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      if (!this.worker.connected) {
        this.pending.delete(id);
        reject(this.lost ?? new DisplayLostError(`lost display ${this.display}: the input worker is gone`));
        return;
      }
      this.worker.send({ ...req, id } as WorkerRequest);
    });
  }

  private onMessage(msg: WorkerResponse): void {
    if (msg.type === 'fatal') this.lost = new DisplayLostError(`lost display ${this.display}: ${msg.message}`);
    if (msg.type !== 'result') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else if (msg.code === 'aborted') p.reject(new AbortError());
    else if (msg.code === 'invalid_action') p.reject(new ActionError(msg.message));
    else if (msg.code === 'out_of_bounds') p.reject(new OutOfBoundsError(msg.message));
    else p.reject(new Error(msg.message));
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.closed && !this.lost) {
      this.lost = new DisplayLostError(
        `lost display ${this.display}: the input worker exited (${signal ?? `code ${code}`}); the X server may have stopped${tail(this.stderr)}`,
      );
    }
    const err = this.lost ?? new DriverClosedError(`the driver for ${this.display} is closed`);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

function tail(text: string): string {
  const line = text.trim().split('\n').filter(Boolean).at(-1);
  return line ? `: ${line}` : '';
}
