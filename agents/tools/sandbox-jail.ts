// A sandboxed run's commands cannot see the other sandboxes. They all run as the same Unix user, so
// file modes cannot keep them apart; instead each command gets a mount namespace of its own (unshare)
// in which every other Deskpilot sandbox folder is covered by an empty, read-only tmpfs.
import { spawnSync } from 'node:child_process';
import { basename, dirname } from 'node:path';

/** How this machine can make a mount namespace: as root directly, or as a user through a user namespace. */
type JailMode = 'root' | 'userns' | 'none';
let mode: JailMode | undefined;

function jailMode(): JailMode {
  if (mode) return mode;
  const works = (args: string[]) => spawnSync('unshare', [...args, 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  mode = works(['--mount', '--propagation', 'private']) ? 'root' : works(['--user', '--map-root-user', '--mount']) ? 'userns' : 'none';
  return mode;
}

/** Whether commands of sandboxed runs are kept from the other sandboxes on this machine (false: no unshare, or namespaces turned off). */
export function sandboxesHidden(): boolean {
  return jailMode() !== 'none';
}

// Runs in the new namespace: hides every sibling sandbox folder but its own, or refuses to run at all.
const HIDE = `own="$1"; parent="$2"; shift 2
for d in "$parent"/deskpilot-display-*; do
  [ "$d" = "$own" ] && continue
  # A sibling that stopped meanwhile has nothing left to hide; one still there that cannot be hidden stops the command.
  mount -t tmpfs -o ro,size=4k,mode=000 deskpilot-hidden "$d" 2>/dev/null || [ ! -e "$d" ] || { echo "deskpilot: could not hide $d from this command" >&2; exit 97; }
done
exec "$@"`;

/**
 * The command line that runs `argv` for a sandbox whose HOME is `home` (<sandbox folder>/home):
 * wrapped so the other sandboxes' folders are empty to it, or unchanged where namespaces are unavailable.
 */
export function jailCommand(argv: [string, ...string[]], home: string): [string, string[]] {
  const own = dirname(home);
  const m = jailMode();
  if (m === 'none' || !basename(own).startsWith('deskpilot-display-')) return [argv[0], argv.slice(1)];
  const flags = m === 'root' ? ['--mount', '--propagation', 'private'] : ['--user', '--map-root-user', '--mount', '--propagation', 'private'];
  return ['unshare', [...flags, 'bash', '-c', HIDE, 'deskpilot-jail', own, dirname(own), ...argv]];
}
