// A display's live view: x11vnc started for a viewer when it connects and stopped when it leaves (or
// the display stops). x11vnc runs in inetd mode on one end of a unix socket pair that this process
// made in a private folder: it has no listening socket at all, so nothing reaches it except through
// the app's own authenticated transport. (x11vnc's -unixsock closes each connection in Debian's build.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A viewer's connection to an x11vnc of its own; release it when the viewer leaves. */
export interface LiveConnection {
  socket: Socket;
  /** The x11vnc process (for the benchmark's CPU figures). */
  pid: number | undefined;
  release(): void;
}

export class LiveViewError extends Error {
  override name = 'LiveViewError';
}

// -rfbport 0: no listener; -shared: a second viewer never kicks the first; -xkb: keysyms by the
// keyboard's layout; -nowf: windows move as they are, not as wireframes; -ncache 0: no hidden cache area.
const X11VNC_ARGS = ['-inetd', '-q', '-rfbport', '0', '-noipv6', '-shared', '-nopw', '-norc', '-xkb', '-nowf', '-ncache', '0'];

const STOP_GRACE_MS = 1000;

export class LiveView {
  private readonly running = new Set<ChildProcess>();

  /** Starts x11vnc on the display for one viewer; its RFB stream is the returned socket. */
  async connect(display: string): Promise<LiveConnection> {
    const [ours, theirs] = await socketPair();
    const proc = spawn('x11vnc', ['-display', display, ...X11VNC_ARGS], { stdio: [theirs, 'ignore', 'ignore'], env: { ...process.env, DISPLAY: display } });
    theirs.destroy(); // the child holds its own copy
    await new Promise<void>((resolve, reject) => {
      proc.once('spawn', resolve);
      proc.once('error', (e) => reject(new LiveViewError(`could not start x11vnc for the live view (${e.message}): install it with build/install-linux-deps.sh`)));
    }).catch((err: unknown) => {
      ours.destroy();
      throw err;
    });
    this.running.add(proc);
    proc.once('exit', () => {
      this.running.delete(proc);
      ours.end(); // the display stopped or x11vnc failed: the viewer's stream ends
    });
    const release = () => {
      ours.destroy();
      stop(proc);
    };
    ours.once('close', release);
    ours.on('error', () => ours.destroy());
    return { socket: ours, pid: proc.pid, release };
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.running].map(
        (p) =>
          new Promise<void>((r) => {
            p.once('exit', () => r());
            stop(p);
          }),
      ),
    );
  }
}

/** x11vnc whose X server has gone can hang in its SIGTERM clean-up: it is killed if it has not left soon after. */
function stop(proc: ChildProcess): void {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
  timer.unref();
  proc.once('exit', () => clearTimeout(timer));
}

/** Two connected unix sockets: a listener in a fresh 0700 folder, accepted once and removed at once. */
async function socketPair(): Promise<[Socket, Socket]> {
  const dir = await mkdtemp(join(tmpdir(), 'deskpilot-vnc-'));
  const server = createServer({ pauseOnConnect: true });
  try {
    const path = join(dir, 's');
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const ours = connect(path);
    await new Promise<void>((resolve, reject) => {
      ours.once('connect', resolve);
      ours.once('error', reject);
    });
    return [ours, await accepted];
  } finally {
    server.close();
    void rm(dir, { recursive: true, force: true });
  }
}
