// Opening the run database from any process (CLI, `deskpilot serve`, the app), with crash
// recovery that leaves other processes' live runs alone.
//
// store.recoverInterrupted() marks every active run interrupted, whoever owns it. A `deskpilot
// runs list` typed while the app is running a task would close that live run. So each process that
// runs agents leaves a marker file named by its pid next to the database while it lives, and
// recovery happens only when no other marked process is alive (a kill -9 leaves a marker whose pid
// is dead: it is removed, and that process's runs are recovered).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store, type StoreOptions } from './store.ts';

export interface SharedStore {
  store: Store;
  path: string;
  /** Runs this start-up marked interrupted. */
  recovered: string[];
  close(): void;
}

/** Opens the database; throws what Store.open throws (a corrupt file, a newer schema). */
export function openSharedStore(path: string, opts: { runsAgents?: boolean } & StoreOptions = {}): SharedStore {
  const { runsAgents, ...storeOpts } = opts;
  const store = Store.open(path, storeOpts);
  const liveDir = `${path}.live`;
  const marker = join(liveDir, String(process.pid));
  const removeMarker = () => rmSync(marker, { force: true });
  if (runsAgents) {
    mkdirSync(liveDir, { recursive: true });
    writeFileSync(marker, `${new Date().toISOString()}\n`);
    process.once('exit', removeMarker);
  }
  const othersAlive = otherLivePids(liveDir).length > 0;
  const recovered = othersAlive ? [] : store.recoverInterrupted();
  return {
    store,
    path,
    recovered,
    close() {
      store.close();
      if (runsAgents) {
        removeMarker();
        process.off('exit', removeMarker);
      }
    },
  };
}

/** Pids of other processes that hold runs in this database; stale markers are removed. */
function otherLivePids(liveDir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(liveDir);
  } catch {
    return [];
  }
  const alive: number[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    if (isAlive(pid)) alive.push(pid);
    else rmSync(join(liveDir, name), { force: true });
  }
  return alive;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
