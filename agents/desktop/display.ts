// Isolated virtual desktops: each one is a host process owning Xvfb + a session bus + openbox
// + its apps, with its own HOME, XDG dirs and TMPDIR. Tests use them; runs use them as sandboxes.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { forkTs } from '../node-child.ts';
import { inStartupTurn, loadScaled } from './startup-queue.ts';
import type { Size } from './geometry.ts';
import { displayStatePath, type DisplayInfo, type HostMessage, type HostRequest } from './display-protocol.ts';

export type { DisplayInfo } from './display-protocol.ts';

const hostPath = fileURLToPath(new URL('./display-host.ts', import.meta.url));

export interface StartDisplayOptions {
  size?: Size;
  /** Keep running after this process exits (the CLI's `display start`). */
  persist?: boolean;
  /** Counted from this start-up's turn (agents/desktop/startup-queue.ts). */
  timeoutMs?: number;
}

export class VirtualDisplay {
  private nextId = 1;
  private pending = new Map<number, { resolve: (pid: number) => void; reject: (e: Error) => void }>();
  private exited: Promise<void>;
  private xExited = false;

  constructor(readonly info: DisplayInfo, private host: ChildProcess) {
    this.exited = new Promise((r) => host.once('exit', () => r()));
    host.on('error', () => undefined); // EPIPE from a send racing the host's exit; 'exit' reports it
    host.on('message', (raw) => {
      const msg = raw as HostMessage;
      if (msg.type === 'x-exited') this.xExited = true;
      if (msg.type === 'launched') this.pending.get(msg.id)?.resolve(msg.pid);
      if (msg.type === 'error' && msg.id !== undefined) this.pending.get(msg.id)?.reject(new Error(msg.message));
      if ((msg.type === 'launched' || msg.type === 'error') && msg.id !== undefined) this.pending.delete(msg.id);
    });
    host.once('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`display ${info.display} has stopped`));
      this.pending.clear();
    });
  }

  get display(): string {
    return this.info.display;
  }

  get env(): Record<string, string> {
    return this.info.env;
  }

  get alive(): boolean {
    return this.host.exitCode === null && this.host.signalCode === null && !this.xExited;
  }

  /** Starts a program on this display; it is killed with the display. Returns its pid. */
  launch(command: string, args: string[] = [], opts: { env?: Record<string, string>; cwd?: string } = {}): Promise<number> {
    if (!this.alive) return Promise.reject(new Error(`display ${this.display} is not running`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const req: HostRequest = { type: 'launch', id, command, args, ...opts };
      this.host.send(req);
    });
  }

  /** Runs a short command against this display and returns its stdout. */
  run(command: string, args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(command, args, { env: { ...process.env, ...this.env }, timeout: opts.timeoutMs ?? 10_000, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      });
      if (opts.input !== undefined) child.stdin!.end(opts.input);
    });
  }

  /** Waits until a visible window whose class or name matches appears; returns its X id. */
  async waitForWindow(pattern: { class?: string; name?: string }, timeoutMs = 15_000): Promise<string> {
    const args = ['search', '--onlyvisible', pattern.class ? '--class' : '--name', (pattern.class ?? pattern.name)!];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const out = await this.run('xdotool', args).catch(() => '');
      const id = out.trim().split('\n').filter(Boolean).at(-1);
      if (id) return id;
      if (Date.now() > deadline) throw new Error(`no window matching ${JSON.stringify(pattern)} appeared on ${this.display} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Lets this process exit while a persistent display keeps running (see stopPersistentDisplay). */
  detach(): void {
    this.host.stderr?.destroy();
    if (this.host.connected) this.host.disconnect();
    this.host.unref();
  }

  /** Stops everything on the display and removes its folder. */
  async stop(): Promise<void> {
    if (this.host.exitCode === null && this.host.signalCode === null) {
      if (this.host.connected) this.host.send({ type: 'stop' } satisfies HostRequest);
      else this.host.kill('SIGTERM');
    }
    await this.exited;
  }
}

/** Starts a virtual desktop and resolves once its window manager is up; waits its turn under load. */
export function startDisplay(opts: StartDisplayOptions = {}): Promise<VirtualDisplay> {
  return inStartupTurn(() => spawnDisplay(opts));
}

async function spawnDisplay(opts: StartDisplayOptions): Promise<VirtualDisplay> {
  const size = opts.size ?? { width: 1280, height: 800 };
  const host = await forkTs(hostPath, ['--size', `${size.width}x${size.height}`, '--persist', String(!!opts.persist)], {
    detached: !!opts.persist,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { MALLOC_ARENA_MAX: '2', ...process.env },
  });
  let stderr = '';
  host.stderr!.on('data', (d) => (stderr += d));
  const limit = loadScaled(opts.timeoutMs ?? 20_000);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      host.kill('SIGTERM');
      reject(new Error(`virtual display did not start within ${limit.ms} ms${limit.why}`));
    }, limit.ms);
    host.on('message', function onMessage(raw) {
      const msg = raw as HostMessage;
      if (msg.type === 'ready') {
        clearTimeout(timer);
        host.off('message', onMessage);
        resolve(new VirtualDisplay(msg.info, host));
      } else if (msg.type === 'error' && msg.id === undefined) {
        clearTimeout(timer);
        reject(new Error(`could not start a virtual display: ${msg.message}`));
      }
    });
    host.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`virtual display host exited (code ${code}) before it was ready${stderr ? `: ${stderr.trim()}` : ''}`));
    });
  });
}

/** Ends a display started with `persist` (by this or another process). */
export async function stopPersistentDisplay(display: string, timeoutMs = 10_000): Promise<void> {
  const n = Number(display.replace(/^:/, '').split('.')[0]);
  const statePath = displayStatePath(n);
  if (!Number.isInteger(n) || !existsSync(statePath)) {
    throw new Error(`no display ${display} started by deskpilot is running (see the displays in ${displayStatePath(0).replace(/0\.json$/, '')})`);
  }
  const info = JSON.parse(readFileSync(statePath, 'utf8')) as DisplayInfo;
  try {
    process.kill(info.hostPid, 'SIGTERM');
  } catch {
    throw new Error(`display ${display} is not running any more (stale record ${statePath})`);
  }
  const deadline = Date.now() + timeoutMs;
  while (existsSync(statePath) || isAlive(info.hostPid)) {
    if (Date.now() > deadline) throw new Error(`display ${display} did not stop within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
