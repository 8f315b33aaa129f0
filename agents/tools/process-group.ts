// Stopping a command with everything it started: a tool's process leads its own process group,
// so one signal to the group reaches the children, the grandchildren and double-forked daemons
// (anything but a program that called setsid itself).

/** True while any process of the group exists (zombies included, until they are reaped). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    // EPERM: a member exists but belongs to someone else; still alive as far as we are concerned.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** SIGTERM to the group, SIGKILL after `graceMs` if any of it is still there. Resolves once the signals are sent. */
export async function killGroup(pgid: number, graceMs = 100): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  const deadline = performance.now() + graceMs;
  while (performance.now() < deadline) {
    await sleep(10);
    if (!groupAlive(pgid)) return;
  }
  // Zombies waiting for their parent also answer `kill 0`; SIGKILL does them no harm.
  signalGroup(pgid, 'SIGKILL');
}

// Groups whose leader exited while members may live on (a GUI app started with `&`), by run, so
// the run's end can stop them.
const leftovers = new Map<string, Set<number>>();

export function trackGroup(runId: string, pgid: number): void {
  let set = leftovers.get(runId);
  if (!set) leftovers.set(runId, (set = new Set()));
  set.add(pgid);
}

export function untrackGroup(runId: string, pgid: number): void {
  const set = leftovers.get(runId);
  set?.delete(pgid);
  if (set && set.size === 0) leftovers.delete(runId);
}

/** Stops everything the run's commands left running in the background; call it when the run ends. */
export async function stopToolProcesses(runId: string): Promise<void> {
  const set = leftovers.get(runId);
  leftovers.delete(runId);
  if (set) await Promise.all([...set].map((pgid) => killGroup(pgid)));
}
