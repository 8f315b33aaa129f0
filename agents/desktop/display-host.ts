// Owns one virtual desktop (Xvfb, a private session bus, openbox, the apps launched on it) and
// tears it all down when told to, on a signal, or when its parent goes away (even after kill -9).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, openSync, closeSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { jailCommand } from '../tools/sandbox-jail.ts';
import { parseSize } from './geometry.ts';
import { loadScaled } from './startup-queue.ts';
import { displayStatePath, type DisplayInfo, type HostRequest, type HostMessage } from './display-protocol.ts';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const size = parseSize(args.get('size') ?? '1280x800');
const persist = args.get('persist') === 'true';
const firstDisplay = Number(args.get('from') ?? 100);

const children: { name: string; proc: ChildProcess }[] = [];
let info: DisplayInfo | undefined;
let displayDir: string | undefined;
let stopping: Promise<void> | undefined;

function send(msg: HostMessage): void {
  if (process.connected) process.send!(msg);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function lockHeld(n: number): boolean {
  const lock = `/tmp/.X${n}-lock`;
  if (!existsSync(lock)) return existsSync(`/tmp/.X11-unix/X${n}`);
  const pid = Number(readFileSync(lock, 'utf8').trim());
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // a stale lock from a crashed server: Xvfb replaces it
  }
}

// Each child gets its own process group so a teardown also reaches what it spawned.
function track(name: string, proc: ChildProcess): ChildProcess {
  children.push({ name, proc });
  proc.on('exit', (code, signal) => {
    if (name === 'xvfb' && !stopping) {
      send({ type: 'x-exited', code, signal });
      void stop(1);
    }
  });
  return proc;
}

async function startXvfb(): Promise<{ n: number; proc: ChildProcess }> {
  for (let n = firstDisplay; n < firstDisplay + 400; n++) {
    if (lockHeld(n)) continue;
    const proc = spawn('Xvfb', [`:${n}`, '-screen', '0', `${size.width}x${size.height}x24`, '-nolisten', 'tcp', '+extension', 'XTEST', '+extension', 'RANDR', '-displayfd', '3'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    const ok = await new Promise<boolean>((resolve) => {
      proc.stdio[3]!.once('data', () => resolve(true));
      proc.once('exit', () => resolve(false));
      proc.once('error', () => resolve(false));
    });
    if (ok) return { n, proc };
    if (!/already active|Cannot establish any listening sockets|lock/i.test(stderr)) {
      throw new Error(`Xvfb failed to start: ${stderr.trim().split('\n').slice(-3).join(' ') || 'is the xvfb package installed?'}`);
    }
  }
  throw new Error('no free X display number found');
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

async function start(): Promise<DisplayInfo> {
  const { n, proc: xvfb } = await startXvfb();
  track('xvfb', xvfb);
  const display = `:${n}`;
  const dir = mkdtempSync(join(tmpdir(), `deskpilot-display-${n}-`));
  displayDir = dir;
  const dirs = { home: 'home', config: 'config', data: 'data', cache: 'cache', runtime: 'runtime', tmp: 'tmp' };
  for (const d of Object.values(dirs)) mkdirSync(join(dir, d), { recursive: true });
  chmodSync(join(dir, 'runtime'), 0o700);
  const busPath = join(dir, 'runtime', 'bus');
  const env: Record<string, string> = {
    DISPLAY: display,
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_RUNTIME_DIR: join(dir, 'runtime'),
    TMPDIR: join(dir, 'tmp'),
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${busPath}`,
    // npm keeps the user's settings although HOME moved.
    NPM_CONFIG_USERCONFIG: process.env.NPM_CONFIG_USERCONFIG ?? join(homedir(), '.npmrc'),
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
  };
  const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', USER: process.env.USER ?? 'root', SHELL: '/bin/bash', TERM: 'xterm-256color' };
  const fullEnv = { ...baseEnv, ...env };

  const dbus = track('dbus', spawn('dbus-daemon', ['--session', '--nofork', `--address=unix:path=${busPath}`, '--print-address=1'], { env: fullEnv, stdio: ['ignore', 'pipe', 'ignore'], detached: true }));
  await new Promise<void>((resolve, reject) => {
    dbus.stdout!.once('data', () => resolve());
    dbus.once('error', (e) => reject(new Error(`dbus-daemon failed to start: ${e.message}`)));
    dbus.once('exit', (c) => reject(new Error(`dbus-daemon exited with code ${c}`)));
  });

  // openbox can lose a race with a display number freed a moment ago: start it again if it quits.
  const startWm = () => {
    const wmLog = openSync(join(dir, 'openbox.log'), 'a');
    const wm = track('openbox', spawn('openbox', ['--sm-disable'], { env: fullEnv, stdio: ['ignore', wmLog, wmLog], detached: true }));
    closeSync(wmLog);
    return wm;
  };
  let wm = startWm();
  let wmStarts = 1;
  await waitFor('openbox', () => {
    if (wm.exitCode !== null && wmStarts < 4) {
      children.splice(children.findIndex((c) => c.proc === wm), 1);
      wm = startWm();
      wmStarts++;
    }
    const r = spawnSync('xprop', ['-display', display, '-root', '_NET_SUPPORTING_WM_CHECK'], { encoding: 'utf8' });
    return /window id/.test(r.stdout ?? '');
  }, loadScaled(10_000).ms).catch((err: Error) => {
    const log = readFileSync(join(dir, 'openbox.log'), 'utf8').trim();
    throw new Error(`${err.message}${log ? ` (openbox said: ${log.slice(-500)})` : ''}`);
  });

  const result: DisplayInfo = {
    display, number: n, size, dir, env, hostPid: process.pid,
    pids: Object.fromEntries(children.map((c) => [c.name, c.proc.pid!])),
  };
  if (persist) {
    mkdirSync(join(displayStatePath(n), '..'), { recursive: true });
    writeFileSync(displayStatePath(n), JSON.stringify(result));
  }
  return result;
}

function launch(req: Extract<HostRequest, { type: 'launch' }>): number {
  if (!info) throw new Error('display is not ready');
  const logPath = join(info.dir, `${req.command.split('/').pop()}-${Date.now()}.log`);
  const log = openSync(logPath, 'a');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', USER: process.env.USER ?? 'root', SHELL: '/bin/bash', TERM: 'xterm-256color', ...info.env, ...req.env };
  // The apps of a sandbox see no other sandbox's files, as its commands don't (agents/tools/sandbox-jail.ts).
  const [command, args] = info.env.HOME ? jailCommand([req.command, ...req.args], info.env.HOME) : [req.command, req.args];
  const proc = spawn(command, args, { env, cwd: req.cwd ?? info.env.HOME, stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  track(req.command, proc);
  return proc.pid!;
}

async function killGroup(proc: ChildProcess, graceMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || !proc.pid) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, s);
    } catch {
      try { proc.kill(s); } catch { /* already gone */ }
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function stop(code = 0): Promise<void> {
  stopping ??= (async () => {
    // Apps first, the X server last, so nothing reconnects to a dying display.
    const order = [...children].reverse();
    await Promise.all(order.filter((c) => c.name !== 'xvfb').map((c) => killGroup(c.proc, 1500)));
    await Promise.all(order.filter((c) => c.name === 'xvfb').map((c) => killGroup(c.proc, 1500)));
    if (displayDir) rmSync(displayDir, { recursive: true, force: true });
    if (info && persist) rmSync(displayStatePath(info.number), { force: true });
    send({ type: 'stopped' });
    process.exit(code);
  })();
  return stopping;
}

// A detached host outlives the stderr pipe of the command that started it.
process.stderr.on('error', () => undefined);
process.stdout.on('error', () => undefined);
for (const s of ['SIGTERM', 'SIGHUP'] as const) process.on(s, () => void stop(0));
// A terminal's Ctrl+C reaches the owner's whole process group; an owned display ends when its owner
// disconnects, so the owner can finish recording an aborted run on it first.
process.on('SIGINT', () => (persist ? void stop(0) : undefined));
process.on('disconnect', () => {
  if (!persist || !info) void stop(0);
});
process.on('message', (raw) => {
  const req = raw as HostRequest;
  try {
    if (req.type === 'launch') send({ type: 'launched', id: req.id, pid: launch(req) });
    else if (req.type === 'stop') void stop(0);
  } catch (err) {
    send({ type: 'error', id: 'id' in req ? req.id : undefined, message: (err as Error).message });
  }
});

start().then(
  (i) => {
    info = i;
    send({ type: 'ready', info: i });
  },
  (err: Error) => {
    send({ type: 'error', message: err.message });
    void stop(1);
  },
);
